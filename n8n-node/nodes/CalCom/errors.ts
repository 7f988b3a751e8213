import { NodeApiError, NodeOperationError, type ICredentialDataDecryptedObject, type INode, type JsonObject } from 'n8n-workflow';

import { OAUTH_CLIENT_SETTINGS_HINT, classifyNetworkError, isCalcomError, redactSecrets, scrubError, summarizeForMessage, type CalcomError, type KnownSecrets } from '@calcom-oauth/shared';

import { CREDENTIAL_TYPE, type AuthenticatedContext } from './transport/httpExecutor';

/**
 * The credential's values no message may contain, whatever they look like: the client secret and
 * the stored access and refresh tokens (`oauthTokenData`, which n8n replaces after each refresh).
 */
function credentialSecrets(credentials: ICredentialDataDecryptedObject | undefined): string[] {
	const tokenData = credentials?.oauthTokenData;
	const tokens = typeof tokenData === 'object' && tokenData !== null ? (tokenData as Record<string, unknown>) : {};
	const values = [credentials?.clientSecret, tokens.access_token, tokens.refresh_token, tokens.id_token];
	return values.filter((value): value is string => typeof value === 'string' && value.trim() !== '');
}

/** {@link credentialSecrets} of the node's credential as stored now; none when it cannot be read. */
export async function loadCredentialSecrets(context: AuthenticatedContext): Promise<string[]> {
	try {
		return credentialSecrets(await context.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE));
	} catch {
		return [];
	}
}

/** What the user should do next, in n8n's terms, for each kind of failure the core reports. */
const ADVICE: Partial<Record<CalcomError['kind'], string>> = {
	token_expired:
		'n8n refreshed the token and Cal.com still refused it. Open the Cal.com OAuth2 credential and click "Reconnect".',
	insufficient_scope:
		'Select the missing scopes in the Cal.com OAuth2 credential (they must also be registered on the OAuth client in Cal.com), then reconnect it.',
	reconnect_required: 'Open the Cal.com OAuth2 credential and click "Reconnect".',
	client_not_approved: `Check the OAuth client in ${OAUTH_CLIENT_SETTINGS_HINT}.`,
	rate_limited: 'The trigger tries again at its next poll; nothing is lost, the polling position only moves past what was delivered.',
	server_unavailable: 'The trigger tries again at its next poll; nothing is lost, the polling position only moves past what was delivered.',
	malformed_response: 'Check the instance and API URL in the Cal.com OAuth2 credential.',
	not_found: 'Check the instance and API URL in the Cal.com OAuth2 credential.',
	invalid_input: 'Fix the value in the node or the credential.',
	input_rejected:
		'Change the value the message names (in the node\'s parameters or the data mapped into them), then run the node again; retrying the same values fails the same way.',
};

/**
 * n8n's error classes swap any message that mentions a socket code (ECONNREFUSED, ENOTFOUND, EPERM...)
 * for a generic sentence of their own, even one Cal.com wrote into a 4xx body. The message given is
 * the precise one (it names the endpoint and the fix), so it is put back after construction.
 */
function keepMessage<T extends NodeApiError | NodeOperationError>(error: T, message: string): T {
	error.message = message;
	return error;
}

/** A NodeOperationError whose message n8n leaves as written. */
export function operationError(node: INode, message: string, description?: string): NodeOperationError {
	return keepMessage(new NodeOperationError(node, message, description === undefined ? {} : { description }), message);
}

/**
 * A node parameter that cannot be used (an imported or older workflow, an expression): names the
 * parameter as the editor shows it and says what to choose instead.
 */
export function parameterError(node: INode, parameter: string, problem: string, fix: string): NodeOperationError {
	return operationError(node, `The "${parameter}" parameter ${problem}.`, fix);
}

/**
 * Turns a core {@link CalcomError} into the n8n error the editor and the executions list show: a
 * NodeApiError (with the HTTP status) when Cal.com answered, a NodeOperationError otherwise (nothing
 * was sent, or no answer came). The message is the core's, scrubbed once more of `knownSecrets` (the
 * credential's values, which the core never sees because n8n signs the requests); the description
 * says what to do in n8n.
 */
export function toNodeError(node: INode, error: CalcomError, knownSecrets: KnownSecrets = []): NodeApiError | NodeOperationError {
	const description = ADVICE[error.kind];
	const message = redactSecrets(error.message, knownSecrets);
	if (error.status !== undefined) {
		const body: JsonObject = { message, kind: error.kind };
		if (error.code !== undefined) body.code = error.code;
		if (error.retryAfterSeconds !== undefined) body.retryAfterSeconds = error.retryAfterSeconds;
		const apiError = new NodeApiError(node, body, {
			message,
			httpCode: String(error.status),
			...(description === undefined ? {} : { description }),
		});
		return keepMessage(apiError, message);
	}
	return operationError(node, message, description);
}

/**
 * A failure that is neither Cal.com's answer nor a network failure: a defect in this node or in what
 * n8n handed it. It must not read as a connection problem, which would send the user to check a URL.
 */
function unexpectedError(node: INode, error: unknown, endpoint: string, knownSecrets: KnownSecrets): NodeOperationError {
	const detail = error instanceof Error ? summarizeForMessage(error.message, 200, knownSecrets) : 'an unknown failure';
	return operationError(
		node,
		`The Cal.com trigger failed while preparing or reading ${endpoint}: ${detail}`,
		'This is not a connection problem: check the node\'s parameters (an imported or older workflow may hold values this version does not know). If they are right, report it to the maintainers of n8n-nodes-calcom-oauth.',
	);
}

/**
 * Maps anything thrown while polling or loading options to an n8n error with the right class and
 * text: the core's CalcomErrors by their kind, failures to reach Cal.com as network errors naming the
 * endpoint, n8n's own errors as they are, and anything else as an unexpected failure, never as a
 * network one. Every message is scrubbed of `knownSecrets` ({@link loadCredentialSecrets}).
 */
export function toN8nError(node: INode, error: unknown, endpoint: string, knownSecrets: KnownSecrets = []): NodeApiError | NodeOperationError {
	// n8n's own errors (a missing credential, a bad parameter) already say what is wrong.
	if (error instanceof NodeOperationError) return scrubError(error, knownSecrets);
	if (isCalcomError(error)) return toNodeError(node, error, knownSecrets);
	const network = classifyNetworkError(error, { endpoint, knownSecrets });
	if (network.code !== undefined) return toNodeError(node, network, knownSecrets);
	if (error instanceof NodeApiError) return scrubError(error, knownSecrets);
	return unexpectedError(node, error, endpoint, knownSecrets);
}

/** {@link toN8nError} with the secrets of the node's credential. */
export async function toScrubbedN8nError(context: AuthenticatedContext, error: unknown, endpoint: string): Promise<NodeApiError | NodeOperationError> {
	return toN8nError(context.getNode(), error, endpoint, await loadCredentialSecrets(context));
}

import { NodeApiError, NodeOperationError, type ICredentialDataDecryptedObject, type INode, type JsonObject } from 'n8n-workflow';

import { classifyNetworkError, isCalcomError, redactSecrets, scrubError, type CalcomError, type KnownSecrets } from '@calcom-oauth/shared';

import { CREDENTIAL_TYPE, type AuthenticatedContext } from './transport/httpExecutor';

/**
 * The credential's values no message may contain, whatever they look like: the client secret and
 * the stored access and refresh tokens (`oauthTokenData`, which n8n replaces after each refresh).
 */
export function credentialSecrets(credentials: ICredentialDataDecryptedObject | undefined): string[] {
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
	client_not_approved: 'Check the OAuth client in Cal.com Settings → Developer → OAuth clients.',
	rate_limited: 'The trigger tries again at its next poll; nothing is lost, the polling position only moves past what was delivered.',
	server_unavailable: 'The trigger tries again at its next poll; nothing is lost, the polling position only moves past what was delivered.',
	malformed_response: 'Check the instance and API URL in the Cal.com OAuth2 credential.',
	not_found: 'Check the instance and API URL in the Cal.com OAuth2 credential.',
	invalid_input: 'Fix the value in the node or the credential.',
};

/**
 * Turns a core {@link CalcomError} into the n8n error the editor and the executions list show: a
 * NodeApiError (with the HTTP status) when Cal.com answered, a NodeOperationError otherwise. The
 * message is the core's, scrubbed once more of `knownSecrets` (the credential's values, which the
 * core never sees because n8n signs the requests); the description says what to do in n8n.
 */
export function toNodeError(node: INode, error: CalcomError, knownSecrets: KnownSecrets = []): NodeApiError | NodeOperationError {
	const description = ADVICE[error.kind];
	const message = redactSecrets(error.message, knownSecrets);
	if (error.status !== undefined) {
		const body: JsonObject = { message, kind: error.kind };
		if (error.code !== undefined) body.code = error.code;
		if (error.retryAfterSeconds !== undefined) body.retryAfterSeconds = error.retryAfterSeconds;
		return new NodeApiError(node, body, {
			message,
			httpCode: String(error.status),
			...(description === undefined ? {} : { description }),
		});
	}
	const failure = new NodeOperationError(node, message, description === undefined ? {} : { description });
	// n8n swaps messages that mention a socket error code (ECONNRESET...) for a generic sentence;
	// the core's message says which Cal.com endpoint failed, so it is kept.
	failure.message = message;
	return failure;
}

/**
 * Maps anything thrown while polling or loading options to an n8n error carrying the core's
 * message. The executor already turned HTTP answers and failed refreshes into CalcomErrors; what is
 * left are network failures, which the core names too. Every message is scrubbed of `knownSecrets`
 * ({@link loadCredentialSecrets}).
 */
export function toN8nError(node: INode, error: unknown, endpoint: string, knownSecrets: KnownSecrets = []): NodeApiError | NodeOperationError {
	// n8n's own errors (a missing credential, a bad parameter) already say what is wrong.
	if (error instanceof NodeOperationError) return scrubError(error, knownSecrets);
	return toNodeError(node, isCalcomError(error) ? error : classifyNetworkError(error, { endpoint, knownSecrets }), knownSecrets);
}

/** {@link toN8nError} with the secrets of the node's credential. */
export async function toScrubbedN8nError(context: AuthenticatedContext, error: unknown, endpoint: string): Promise<NodeApiError | NodeOperationError> {
	return toN8nError(context.getNode(), error, endpoint, await loadCredentialSecrets(context));
}

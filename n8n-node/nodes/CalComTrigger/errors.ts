import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import { classifyNetworkError, isCalcomError, summarizeForMessage, type CalcomError } from '@calcom-oauth/shared';

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
 * was sent, or no answer came). The message is the core's (already free of secrets); the description
 * says what to do in n8n.
 */
export function toNodeError(node: INode, error: CalcomError): NodeApiError | NodeOperationError {
	const description = ADVICE[error.kind];
	if (error.status !== undefined) {
		const body: JsonObject = { message: error.message, kind: error.kind };
		if (error.code !== undefined) body.code = error.code;
		if (error.retryAfterSeconds !== undefined) body.retryAfterSeconds = error.retryAfterSeconds;
		const apiError = new NodeApiError(node, body, {
			message: error.message,
			httpCode: String(error.status),
			...(description === undefined ? {} : { description }),
		});
		return keepMessage(apiError, error.message);
	}
	return operationError(node, error.message, description);
}

/**
 * A failure that is neither Cal.com's answer nor a network failure: a defect in this node or in what
 * n8n handed it. It must not read as a connection problem, which would send the user to check a URL.
 */
function unexpectedError(node: INode, error: unknown, endpoint: string): NodeOperationError {
	const detail = error instanceof Error ? summarizeForMessage(error.message, 200) : 'an unknown failure';
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
 * network one.
 */
export function toN8nError(node: INode, error: unknown, endpoint: string): NodeApiError | NodeOperationError {
	// n8n's own errors (a missing credential, a bad parameter) already say what is wrong.
	if (error instanceof NodeOperationError) return error;
	if (isCalcomError(error)) return toNodeError(node, error);
	const network = classifyNetworkError(error, { endpoint });
	if (network.code !== undefined) return toNodeError(node, network);
	if (error instanceof NodeApiError) return error;
	return unexpectedError(node, error, endpoint);
}

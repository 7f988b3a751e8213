import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import { classifyNetworkError, isCalcomError, type CalcomError } from '@calcom-oauth/shared';

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
 * message is the core's (already free of secrets); the description says what to do in n8n.
 */
export function toNodeError(node: INode, error: CalcomError): NodeApiError | NodeOperationError {
	const description = ADVICE[error.kind];
	if (error.status !== undefined) {
		const body: JsonObject = { message: error.message, kind: error.kind };
		if (error.code !== undefined) body.code = error.code;
		if (error.retryAfterSeconds !== undefined) body.retryAfterSeconds = error.retryAfterSeconds;
		return new NodeApiError(node, body, {
			message: error.message,
			httpCode: String(error.status),
			...(description === undefined ? {} : { description }),
		});
	}
	const failure = new NodeOperationError(node, error.message, description === undefined ? {} : { description });
	// n8n swaps messages that mention a socket error code (ECONNRESET...) for a generic sentence;
	// the core's message says which Cal.com endpoint failed, so it is kept.
	failure.message = error.message;
	return failure;
}

/**
 * Maps anything thrown while polling or loading options to an n8n error carrying the core's
 * message. The executor already turned HTTP answers and failed refreshes into CalcomErrors; what is
 * left are network failures, which the core names too.
 */
export function toN8nError(node: INode, error: unknown, endpoint: string): NodeApiError | NodeOperationError {
	// n8n's own errors (a missing credential, a bad parameter) already say what is wrong.
	if (error instanceof NodeOperationError) return error;
	return toNodeError(node, isCalcomError(error) ? error : classifyNetworkError(error, { endpoint }));
}

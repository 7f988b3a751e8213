import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import {
	CalcomError,
	classifyNetworkError,
	classifyResponse,
	isCalcomError,
	redactSecrets,
	type HttpResponse,
} from '@calcom-oauth/shared';

/** What the user should do next, in n8n's terms, for each kind of failure the core reports. */
const ADVICE: Partial<Record<CalcomError['kind'], string>> = {
	token_expired:
		'n8n refreshed the token and Cal.com still refused it. Open the Cal.com OAuth2 credential and click "Reconnect".',
	insufficient_scope:
		'Select the missing scopes in the Cal.com OAuth2 credential (they must also be registered on the OAuth client in Cal.com), then reconnect it.',
	reconnect_required: 'Open the Cal.com OAuth2 credential and click "Reconnect".',
	client_not_approved: 'Check the OAuth client in Cal.com Settings → Developer → OAuth clients.',
	rate_limited: 'The trigger will try again at its next poll; nothing was lost.',
	server_unavailable: 'The trigger will try again at its next poll; nothing was lost.',
	malformed_response: 'Check the instance and API URL in the Cal.com OAuth2 credential.',
	not_found: 'Check the instance and API URL in the Cal.com OAuth2 credential.',
	invalid_input: 'Fix the value in the node or the credential.',
};

/**
 * Turns a core {@link CalcomError} into the n8n error the editor and the executions list show: a
 * NodeApiError (with the HTTP status) when Cal.com answered, a NodeOperationError otherwise. The
 * message is the core's; the description adds what to do in n8n.
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
	return new NodeOperationError(node, error.message, description === undefined ? {} : { description });
}

interface OAuthErrorLike {
	code?: unknown;
	body?: unknown;
	message?: unknown;
	cause?: unknown;
}

/** An error n8n raised itself (e.g. "The credential … needs to be reconnected"), passed on unchanged. */
function n8nOwnError(error: unknown): NodeApiError | NodeOperationError | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
		if (current instanceof NodeOperationError) return current;
		current = (current as OAuthErrorLike).cause;
	}
	return undefined;
}

/**
 * The token endpoint's refusal when n8n's refresh failed (`@n8n/client-oauth2` AuthError carries the
 * parsed OAuth error body), replayed as a response so the core can name the cause.
 */
function refreshRefusal(error: unknown): HttpResponse | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
		const candidate = current as OAuthErrorLike;
		if (candidate.code === 'EAUTH' && typeof candidate.body === 'object' && candidate.body !== null) {
			return { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify(candidate.body) };
		}
		current = candidate.cause;
	}
	return undefined;
}

/**
 * Maps anything thrown while polling or loading options to an n8n error with the core's message.
 * HTTP answers were already classified by the core; what is left are failed refreshes, n8n's own
 * errors and network failures.
 */
export function toN8nError(node: INode, error: unknown, endpoint: string): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError && !(error.cause instanceof Error)) return error;
	if (isCalcomError(error)) return toNodeError(node, error);
	const own = n8nOwnError(error);
	if (own !== undefined) return own;
	const refusal = refreshRefusal(error);
	if (refusal !== undefined) {
		const classified = classifyResponse(refusal, { tokenEndpoint: true, endpoint: 'the token refresh' });
		if (classified !== undefined) return toNodeError(node, classified);
	}
	const network = classifyNetworkError(error, { endpoint });
	return toNodeError(node, new CalcomError(network.kind, redactSecrets(network.message), { cause: error }));
}

import type {
	IAdditionalCredentialOptions,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import {
	assertRequestTarget,
	buildMeRequest,
	classifyNetworkError,
	classifyResponse,
	ME_PATH,
	type CalcomInstance,
	type HttpExecutor,
	type HttpRequest,
	type HttpResponse,
} from '@calcom-oauth/shared';

import { explainAuthFailure, isRefusedRefresh } from './authFailure';

/** Name of the credential type every request is signed with. */
export const CREDENTIAL_TYPE = 'calComOAuth2Api';

/**
 * How n8n should recognise an expired access token. Cal.com answers 401 on most endpoints but 403
 * ("no oAuth client found for access token") on `GET /v2/bookings`, whose permission guard runs
 * before authentication. A 403 also means "missing scope", so for 403 n8n refreshes only when the
 * stored token is at or past its expiry (`skipRefreshWhileTokenIsFresh`); a 401 always refreshes.
 * A request-level setting, because the credential's own `tokenExpiredStatusCode` is a single number
 * in n8n's UI and would replace 401 rather than add 403.
 */
const OAUTH2_REQUEST_OPTIONS: IAdditionalCredentialOptions = {
	oauth2: { tokenExpiredStatusCode: [401, 403], skipRefreshWhileTokenIsFresh: true },
};

/**
 * How long one request to Cal.com may take. n8n sets no time-out of its own on helper requests, so a
 * Cal.com that accepts the connection and never answers would hold a poll (and the next ones, which
 * n8n does not start while one runs) or an open event-type dropdown forever. Cal.com normally
 * answers within a second or two; 30 s spares a slow self-hosted page and still ends well inside the
 * shortest poll interval n8n offers (one minute). Variable only so tests can shorten it.
 */
export const REQUEST_TIME_OUT = { ms: 30_000 };

/**
 * Every n8n function context this package's nodes run in: a polling trigger's poll, an action's
 * execute, a webhook trigger's webhook and its (de)registration hooks, and the editor's load options.
 */
export type AuthenticatedContext = IPollFunctions | IExecuteFunctions | IWebhookFunctions | IHookFunctions | ILoadOptionsFunctions;

interface FullResponse {
	statusCode?: unknown;
	headers?: unknown;
	body?: unknown;
}

interface ResponseLike {
	status?: unknown;
	headers?: unknown;
	data?: unknown;
	config?: { url?: unknown };
}

function lowerCaseHeaders(headers: unknown): Record<string, string | undefined> {
	const result: Record<string, string | undefined> = {};
	if (typeof headers !== 'object' || headers === null) return result;
	// Axios hands back an AxiosHeaders instance; its entries are plain own properties.
	for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
		if (value === undefined || value === null || typeof value === 'function') continue;
		result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return result;
}

function bodyText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (body instanceof Uint8Array) return new TextDecoder().decode(body);
	return JSON.stringify(body);
}

function withoutQuery(url: string): string {
	return url.split('?')[0] ?? url;
}

/**
 * Finds the HTTP response inside an error thrown by n8n's request helpers. n8n wraps the axios error
 * in a `NodeApiError` whose `cause` is the axios error carrying `response`. A response that belongs
 * to another URL (the token endpoint, when the refresh itself failed) is not ours and is ignored.
 */
function responseFromError(error: unknown, requestUrl: string): HttpResponse | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
		const response = (current as { response?: ResponseLike }).response;
		if (typeof response === 'object' && response !== null && typeof response.status === 'number') {
			const configUrl = (current as { config?: { url?: unknown } }).config?.url ?? response.config?.url;
			if (typeof configUrl === 'string' && withoutQuery(configUrl) !== withoutQuery(requestUrl)) return undefined;
			return {
				status: response.status,
				headers: lowerCaseHeaders(response.headers),
				body: bodyText(response.data),
			};
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function toHttpResponse(response: FullResponse): HttpResponse {
	return {
		status: typeof response.statusCode === 'number' ? response.statusCode : 200,
		headers: lowerCaseHeaders(response.headers),
		body: bodyText(response.body),
	};
}

/** Translates a core request description into n8n's request options. */
export function toRequestOptions(request: HttpRequest): IHttpRequestOptions {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.url,
		headers: { ...request.headers },
		returnFullResponse: true,
		// The core parses the raw text itself, so it can tell an HTML error page from truncated JSON.
		encoding: 'text',
		json: false,
		// n8n turns this into axios' maxRedirects 0: a redirect would carry the bearer token to the
		// Location host and its answer would be read as Cal.com's. The 3xx reaches the core instead.
		disableFollowRedirect: true,
		timeout: REQUEST_TIME_OUT.ms,
	};
	if (request.body !== undefined) options.body = request.body;
	return options;
}

/**
 * True when a request failed because it took longer than its time-out: axios' "timeout of N ms
 * exceeded" (ECONNABORTED, or ETIMEDOUT with clarifyTimeoutError), an abort, or a socket time-out,
 * found inside n8n's NodeApiError wrapping.
 */
function isTimeOut(error: unknown): boolean {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
		const { name, code, message } = current as { name?: unknown; code?: unknown; message?: unknown };
		if (name === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return true;
		if (code === 'ECONNABORTED' && typeof message === 'string' && /timeout/i.test(message)) return true;
		current = (current as { cause?: unknown }).cause;
	}
	return false;
}

/** The core's time-out error for `request`, keeping n8n's error as the cause. */
function timeOutError(request: HttpRequest, error: unknown): Error {
	const url = new URL(request.url);
	const timeOut = Object.assign(new Error(`No answer within ${REQUEST_TIME_OUT.ms} ms`, { cause: error }), { name: 'TimeoutError' });
	return classifyNetworkError(timeOut, { endpoint: `${request.method} ${url.pathname}` });
}

/** Sends one request through n8n; every HTTP status comes back as a response. */
async function send(context: AuthenticatedContext, request: HttpRequest, instance: Pick<CalcomInstance, 'apiUrl'>): Promise<HttpResponse> {
	// Before anything leaves: only the credential's own Cal.com ever gets the bearer token.
	assertRequestTarget(request, instance);
	const attempt = async () =>
		(await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, toRequestOptions(request), OAUTH2_REQUEST_OPTIONS)) as FullResponse;
	try {
		return toHttpResponse(await attempt());
	} catch (error) {
		let failure: unknown = error;
		if (isRefusedRefresh(error)) {
			// Cal.com revokes every older refresh token when a refresh succeeds. n8n refreshes one
			// credential once at a time, but not always: when its lock cannot be had within 10 s (queue
			// mode with Redis unreachable) it refreshes without it (@n8n/backend-common
			// `locking/single-flight-lease.js`, `onLeaseTimeout`), and the loser of two such refreshes
			// gets invalid_grant although the winner stored live tokens. n8n reads the credential again
			// for every request, so one more attempt uses the winner's token. When the stored token is
			// dead too, that attempt fails the same way and the reconnect error below is the answer.
			context.logger.warn('Cal.com refused a token refresh (invalid_grant); trying once more with the tokens n8n has stored now, in case another refresh replaced them');
			try {
				return toHttpResponse(await attempt());
			} catch (retryError) {
				failure = retryError;
			}
		}
		const response = responseFromError(failure, request.url);
		if (response !== undefined) return response;
		if (isTimeOut(failure)) throw timeOutError(request, failure);
		throw explainAuthFailure(failure, request.url) ?? failure;
	}
}

/** Cal.com's 403 "no oAuth client found for access token": an expired token that n8n did not refresh. */
function isExpiredTokenQuirk(response: HttpResponse): boolean {
	return response.status === 403 && classifyResponse(response)?.kind === 'token_expired';
}

/**
 * An {@link HttpExecutor} that sends every request through n8n's
 * `httpRequestWithAuthentication`, so n8n signs it with the stored token, refreshes that token on
 * expiry (single flight, rotated refresh token saved) and retries once. Every HTTP status comes back
 * as an {@link HttpResponse} for the core to classify. A failed refresh becomes the core's
 * CalcomError for it; a time-out becomes the core's time-out error; other network failures are
 * rethrown unchanged for the core to classify.
 *
 * Every request is checked against the instance before it is sent (see `assertRequestTarget`). It
 * also covers the cases where n8n does not refresh on Cal.com's 403
 * for an expired token: n8n before `tokenExpiredStatusCode` applied to this helper (it refreshed
 * on 401 only), and n8n 2.41 trusting a stored expiry that Cal.com's clock disagrees with. It then
 * calls `GET /v2/me`, which answers an expired token with 401, so n8n refreshes as usual, and sends
 * the original request once more. That costs one extra request, and only in that case.
 */
export function createHttpExecutor(context: AuthenticatedContext, instance: Pick<CalcomInstance, 'apiUrl'>): HttpExecutor {
	return async (request: HttpRequest): Promise<HttpResponse> => {
		const response = await send(context, request, instance);
		if (!isExpiredTokenQuirk(response)) return response;
		context.logger.debug(`Cal.com answered 403 for an expired token and n8n did not refresh it; asking ${ME_PATH}, whose 401 makes n8n refresh`);
		await send(context, buildMeRequest({ instance }), instance);
		return await send(context, request, instance);
	};
}

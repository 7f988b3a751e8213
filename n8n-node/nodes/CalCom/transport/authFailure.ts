import { CalcomError, classifyOAuthError, classifyResponse } from '@calcom-oauth/shared';

interface ErrorLike {
	name?: unknown;
	code?: unknown;
	body?: unknown;
	message?: unknown;
	response?: { status?: unknown; headers?: unknown; data?: unknown };
	config?: { url?: unknown };
	cause?: unknown;
	failure?: { cause?: unknown };
}

function* chain(error: unknown): Generator<ErrorLike> {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
		yield current as ErrorLike;
		current = (current as ErrorLike).cause;
	}
}

/**
 * n8n's "The credential … needs to be reconnected": Cal.com refused n8n's refresh with `invalid_grant`
 * (n8n-core `request-helpers/oauth.js`, `isRevokedOAuth2GrantError` → `buildOAuth2ReconnectError`,
 * which marks the error `failure: { cause: 'credential-invalid' }`; the wording is the fallback for
 * an n8n that does not set the marker).
 */
export function isRefusedRefresh(error: unknown): boolean {
	for (const link of chain(error)) {
		if (link.failure?.cause === 'credential-invalid') return true;
		if (typeof link.message === 'string' && /needs to be reconnected/i.test(link.message)) return true;
	}
	return false;
}

const REFRESH = { tokenEndpoint: true, endpoint: 'the token refresh' } as const;

/**
 * n8n's refresh errors below drop the token endpoint's status. Cal.com answers an OAuth error with
 * 400 (RFC 6749 §5.2), and the status is what makes the error read as Cal.com's answer in n8n.
 */
const OAUTH_ERROR = { ...REFRESH, status: 400 } as const;

/**
 * Explains a failure of n8n's own OAuth machinery (no API response to classify) in the core's terms:
 * - n8n's "The credential … needs to be reconnected" (it raises that for `invalid_grant` only);
 * - `@n8n/client-oauth2`'s AuthError, which carries the token endpoint's OAuth error body;
 * - a token endpoint answer of 5xx, which n8n lets through as an axios error for that URL;
 * - a credential that was never connected.
 * Returns undefined for anything else (network failures), which the caller rethrows.
 */
export function explainAuthFailure(error: unknown, requestUrl: string): CalcomError | undefined {
	for (const link of chain(error)) {
		const message = typeof link.message === 'string' ? link.message : '';
		if (/needs to be reconnected/i.test(message)) {
			return classifyOAuthError({ error: 'invalid_grant', error_description: 'refresh_token_revoked' }, OAUTH_ERROR);
		}
		if (/OAuth credentials not connected/i.test(message)) {
			return new CalcomError('reconnect_required', 'The Cal.com OAuth2 credential is not connected yet; open it and click "Connect my account".', { cause: error });
		}
		if (link.code === 'EAUTH' && typeof link.body === 'object' && link.body !== null) {
			return classifyOAuthError(link.body, OAUTH_ERROR) ?? new CalcomError('reconnect_required', 'Cal.com refused the token refresh; reconnect the Cal.com account.', { cause: error });
		}
		const status = link.response?.status;
		const url = link.config?.url;
		if (typeof status === 'number' && typeof url === 'string' && url.split('?')[0] !== requestUrl.split('?')[0]) {
			const body = link.response?.data;
			return classifyResponse(
				{ status, headers: {}, body: typeof body === 'string' ? body : JSON.stringify(body ?? '') },
				REFRESH,
			);
		}
	}
	return undefined;
}

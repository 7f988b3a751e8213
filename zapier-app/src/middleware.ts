import type { AfterResponseMiddleware, BeforeRequestMiddleware } from 'zapier-platform-core';
import { classifyResponse, requestSecrets } from '@calcom-oauth/shared';
import { connectionSecrets, toZapierError } from './errors';
import { fromZapierResponse, hasAuthorization, marksOf } from './transport';

/**
 * Adds the connection's access token. Token requests are left alone: while refreshing, `authData`
 * still holds the old access token, which would otherwise overwrite the refresh token Cal.com's
 * legacy route reads from the same header.
 */
export const includeBearerToken: BeforeRequestMiddleware = (request, _z, bundle) => {
  const token = bundle.authData?.access_token;
  if (token && !marksOf(request).skipBearer && !hasAuthorization(request.headers)) {
    request.headers = { ...request.headers, Authorization: `Bearer ${token}` };
  }
  return request;
};

/**
 * Turns the two Cal.com answers Zapier must act on into its control errors, for every API call:
 * - an expired token: a 401, or the 403 "no oAuth client found for access token" of Cal.com's
 *   bookings API → RefreshAuthError, so Zapier refreshes and retries;
 * - 429 → ThrottledError with the wait from `X-RateLimit-Reset-Default` (core's own 429 handler only
 *   reads Retry-After, which Cal.com never sends, so the app turns it off with `throwForThrottlingEarly`).
 * Other errors are left to the caller (the shared core parses them) or to core's throwForStatus.
 * Token-endpoint answers are never touched here: their 401/403 mean something else.
 */
export const handleCalcomErrors: AfterResponseMiddleware = (response, z, bundle) => {
  if (response.status < 400 || marksOf(response.request).tokenRequest) return response;
  const knownSecrets = [...connectionSecrets(bundle), ...requestSecrets(sentRequest(response.request))];
  const problem = classifyResponse(fromZapierResponse(response), { endpoint: describeRequest(response.request), knownSecrets });
  if (problem?.kind === 'token_expired' || problem?.kind === 'rate_limited') {
    throw toZapierError(z, problem, 'run', knownSecrets);
  }
  // Any other 401 of an API call still asks Zapier to refresh, as core's autoRefresh did before the app turned it off.
  if (response.status === 401) throw new z.errors.RefreshAuthError(problem?.message);
  return response;
};

/** The request as sent (after the bearer middleware), for {@link requestSecrets}. */
function sentRequest(request: { url?: string; headers?: unknown; body?: unknown } | undefined) {
  const headers: Record<string, string> = {};
  if (typeof request?.headers === 'object' && request.headers !== null) {
    for (const [name, value] of Object.entries(request.headers as Record<string, unknown>)) if (typeof value === 'string') headers[name] = value;
  }
  return { url: request?.url ?? '', headers, ...(typeof request?.body === 'string' ? { body: request.body } : {}) };
}

function describeRequest(request: { method?: string; url?: string } | undefined): string {
  if (request?.url === undefined) return 'the request';
  try {
    return `${request.method ?? 'GET'} ${new URL(request.url).pathname}`;
  } catch {
    return 'the request';
  }
}

import { looksLikeHtml } from './body';
import type { HttpRequest, HttpResponse } from './http';
import type { CalcomInstance } from './instances';
import { tokenEndpointUrl, type TokenSurface } from './tokens';

/**
 * True when an answer of the v2 token endpoint says the endpoint does not exist on this installation
 * (a Cal.com older than API v2 auth, CALCOM.md §4): 404 or 405, a redirect (the web app's catch-all),
 * or an HTML page where JSON was due.
 */
function v2TokenEndpointIsMissing(response: HttpResponse): boolean {
  const { status } = response;
  return status === 404 || status === 405 || (status >= 300 && status < 400) || looksLikeHtml(response);
}

/**
 * The token surface to try after `tried` answered `response` without tokens, or undefined when the
 * answer is final (a refusal, a rate limit, a server error: the legacy routes would not change it).
 * Only v2 falls back, to the legacy routes; nothing comes after legacy.
 */
export function nextTokenSurface(tried: TokenSurface, response: HttpResponse): TokenSurface | undefined {
  return tried === 'v2' && v2TokenEndpointIsMissing(response) ? 'legacy' : undefined;
}

/**
 * A request that tells, before any consent page, whether an installation has the v2 token endpoint:
 * an empty JSON body, which carries no credential, so the answer is a refusal (400) where the
 * endpoint exists and the web app's 404 or page where it does not. Feed the answer to
 * {@link nextTokenSurface}`('v2', response)`. Needed because the consent page must already be asked
 * for the scope names that surface's clients know (legacy installations refuse current names).
 */
export function buildTokenSurfaceProbe(instance: Pick<CalcomInstance, 'appUrl' | 'apiUrl'>): HttpRequest {
  return {
    method: 'POST',
    url: tokenEndpointUrl('v2', instance, 'authorization_code'),
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: '{}',
  };
}

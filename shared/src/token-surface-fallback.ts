import { looksLikeHtml } from './body';
import type { HttpResponse } from './http';
import type { TokenSurface } from './tokens';

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

import { getHeader, type HttpResponse } from './http';

/**
 * Cal.com API v2's rate-limit headers as sent (`X-RateLimit-{Limit,Remaining,Reset}-Default`).
 * Reset is in seconds, not an epoch, and there is no `Retry-After`; see {@link retryAfterSeconds}
 * for the wait after a 429.
 */
export interface RateLimitHeaders {
  limit?: string;
  remaining?: string;
  reset?: string;
}

/** Reads Cal.com's rate-limit headers from any response; undefined when it sent none (web routes). */
export function readRateLimitHeaders(response: Pick<HttpResponse, 'headers'>): RateLimitHeaders | undefined {
  const found: RateLimitHeaders = {};
  const limit = getHeader(response, 'x-ratelimit-limit-default');
  const remaining = getHeader(response, 'x-ratelimit-remaining-default');
  const reset = getHeader(response, 'x-ratelimit-reset-default');
  if (limit !== undefined) found.limit = limit;
  if (remaining !== undefined) found.remaining = remaining;
  if (reset !== undefined) found.reset = reset;
  return Object.keys(found).length === 0 ? undefined : found;
}

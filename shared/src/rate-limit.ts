import { getHeader, type HttpResponse } from './http';

/**
 * Cal.com API v2's rate-limit headers as sent (`X-RateLimit-{Limit,Remaining,Reset}-Default`).
 * Reset is in seconds, not an epoch, and there is no `Retry-After`; see {@link readRateLimitWait}
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

/** How long Cal.com blocks a throttled access token when it says nothing (its throttler's block). */
export const DEFAULT_RATE_LIMIT_WAIT_SECONDS = 60;

/**
 * The longest wait a 429 is allowed to ask for. Cal.com's windows and blocks last 60 s; a longer
 * answer is a misread header (an epoch, a proxy's own limit), and obeying it would stall a trigger
 * for hours while one retry costs a single request.
 */
export const MAX_RATE_LIMIT_WAIT_SECONDS = 900;

/** A reset value at or past this is an epoch in milliseconds (1e12 ms is September 2001). */
const EPOCH_MILLISECONDS_FROM = 1e12;
/** A reset value at or past this is an epoch in seconds: as a wait it would be 31 years. */
const EPOCH_SECONDS_FROM = 1e9;

/** The wait a 429 asks for, interpreted and bounded. */
export interface RateLimitWait {
  /** Whole seconds to wait, from 1 to {@link MAX_RATE_LIMIT_WAIT_SECONDS}. */
  seconds: number;
  /** The answer asked for longer than {@link MAX_RATE_LIMIT_WAIT_SECONDS}; `seconds` is the cap. */
  capped: boolean;
  /** The header the wait was read from. */
  header: string;
}

/** Decimal seconds only: `Number()` would also take "0x10", "1e3" or "Infinity". */
function decimal(text: string | undefined): number | undefined {
  const trimmed = text?.trim();
  return trimmed !== undefined && /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : undefined;
}

/**
 * Seconds from `now` until a reset value: Cal.com sends seconds to wait, but an epoch in seconds or
 * milliseconds (what other throttlers and proxies send) is recognised by its size.
 */
function secondsUntilReset(value: number, now: number): number {
  if (value >= EPOCH_MILLISECONDS_FROM) return (value - now) / 1000;
  if (value >= EPOCH_SECONDS_FROM) return value - now / 1000;
  return value;
}

function bounded(seconds: number, header: string): RateLimitWait {
  const capped = !(seconds <= MAX_RATE_LIMIT_WAIT_SECONDS);
  return { seconds: capped ? MAX_RATE_LIMIT_WAIT_SECONDS : Math.max(1, Math.ceil(seconds)), capped, header };
}

/**
 * Reads how long to wait after a 429: `X-RateLimit-Reset-Default` first (Cal.com's), then any other
 * `X-RateLimit-Reset*` header, then `Retry-After` (seconds or an HTTP date). Undefined when none is
 * usable; a reset already past means 1 second.
 */
export function readRateLimitWait(response: Pick<HttpResponse, 'headers'>, now: number = Date.now()): RateLimitWait | undefined {
  const candidates: [string, string | undefined][] = [['X-RateLimit-Reset-Default', getHeader(response, 'x-ratelimit-reset-default')]];
  for (const [name, value] of Object.entries(response.headers)) {
    if (/^x-ratelimit-reset/i.test(name)) candidates.push([name, value]);
  }
  for (const [header, text] of candidates) {
    const value = decimal(text);
    if (value !== undefined) return bounded(secondsUntilReset(value, now), header);
  }
  const retryAfter = getHeader(response, 'retry-after')?.trim();
  if (retryAfter === undefined || retryAfter === '') return undefined;
  const seconds = decimal(retryAfter);
  if (seconds !== undefined) return bounded(seconds, 'Retry-After');
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : bounded((date - now) / 1000, 'Retry-After');
}

import type { HttpRequestOptions, HttpResponse as ZapierResponse, ZObject } from 'zapier-platform-core';
import { assertRequestTarget, type CalcomInstance, type HttpExecutor, type HttpRequest, type HttpResponse } from '@calcom-oauth/shared';
import { readInstance } from './config';

/**
 * How long one request to Cal.com may take, answer body included. Zapier gives a polling step 30 s
 * in all; Cal.com normally answers within a second or two, so 15 s spares a slow page while a
 * connection that never answers still ends the step with the core's time-out error, and half of the
 * step is left for Zapier to record it, instead of Zapier killing the step with no explanation.
 * Variable only so tests can shorten it.
 */
export const REQUEST_TIME_OUT = { ms: 15_000 };

/**
 * Per-request marks read by the middleware (`middlewareData` travels with the request through
 * core's middleware chain and is never sent).
 */
interface CalcomRequestMarks {
  /** Leave the Authorization header alone (token requests carry their own, or none). */
  skipBearer?: boolean;
  /** A token-endpoint request: its 4xx answers are parsed by the shared core, not by the middleware. */
  tokenRequest?: boolean;
}

/** Reads the marks of a request, whatever else sits in its `middlewareData`. */
export function marksOf(request: HttpRequestOptions | undefined): CalcomRequestMarks {
  const data = request?.middlewareData;
  return typeof data === 'object' && data !== null ? (data as CalcomRequestMarks) : {};
}

/** True when `headers` already carries an Authorization header, in any letter case. */
export function hasAuthorization(headers: Record<string, string> | undefined): boolean {
  return Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'authorization');
}

/**
 * A shared {@link HttpRequest} as `z.request` options. Every status comes back to the caller.
 *
 * The request is refused unless it goes to `instance`, the connection's Cal.com (the environment's
 * instance by default, which is what a connection made before the region choice uses). Redirects are never
 * followed: node-fetch (under `z.request`) would otherwise send the token request's body (client
 * secret, code, refresh token) again to the Location host, and the bearer token with API calls; a
 * 3xx comes back as it is and the shared core explains it.
 */
export function toZapierRequest(
  request: HttpRequest,
  marks: CalcomRequestMarks = {},
  instance: Pick<CalcomInstance, 'appUrl' | 'apiUrl'> = readInstance(),
): HttpRequestOptions & { url: string } {
  assertRequestTarget(request, instance);
  const options: HttpRequestOptions & { url: string; throwForThrottlingEarly?: boolean; signal?: AbortSignal } = {
    url: request.url,
    method: request.method,
    headers: { ...request.headers },
    redirect: 'manual',
    // A signal rather than node-fetch's `timeout`: it also bounds reading the body, and its
    // AbortError is what the shared core classifies as a time-out (node-fetch's own time-out
    // FetchError carries no code the core could recognise).
    signal: AbortSignal.timeout(REQUEST_TIME_OUT.ms),
    // The shared core decides what every status means; core's generic ResponseError would hide it.
    skipThrowForStatus: true,
    // Cal.com sends its wait in X-RateLimit-Reset-Default, which core's early 429 handler ignores.
    throwForThrottlingEarly: false,
    middlewareData: { ...marks, skipBearer: marks.skipBearer === true || hasAuthorization(request.headers) },
  };
  if (request.body !== undefined) options.body = request.body;
  return options;
}

/** A `z.request` response as the shared {@link HttpResponse} (lower-case header names, raw text body). */
export function fromZapierResponse(response: Pick<ZapierResponse, 'status' | 'headers' | 'content'>): HttpResponse {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  return { status: response.status, headers, body: response.content ?? '' };
}

/**
 * The shared core's {@link HttpExecutor} over `z.request`, so Zapier logs, scrubs and times every
 * call as usual. Every request must go to `instance`, the connection's own (`instanceOf(bundle)`).
 * Requests without an Authorization header get the connection's bearer token from the middleware.
 */
export function createExecutor(z: ZObject, instance: Pick<CalcomInstance, 'appUrl' | 'apiUrl'>, marks: CalcomRequestMarks = {}): HttpExecutor {
  return async (request) => fromZapierResponse(await z.request(toZapierRequest(request, marks, instance)));
}

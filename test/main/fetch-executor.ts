/**
 * Executes the shared core's request descriptions with Node's `fetch`, and remembers what the
 * diagnosis reports about each answer: status, and Cal.com's rate-limit headers.
 */
import {
  assertRequestTarget,
  classifyNetworkError,
  classifyResponse,
  readRateLimitHeaders,
  type HttpExecutor,
  type HttpRequest,
  type HttpResponse,
  type RateLimitHeaders,
  type RequestTargetInstance,
} from '@calcom-oauth/shared';

export interface ExchangeRecord {
  method: string;
  /** Origin and path only: query strings can carry filters but never secrets here, and stay out anyway. */
  target: string;
  status: number;
  rateLimit?: RateLimitHeaders;
}

export interface RecordingExecutor {
  execute: HttpExecutor;
  readonly history: readonly ExchangeRecord[];
}

/**
 * A fetch-based {@link HttpExecutor} with a per-request time-out that records every exchange.
 *
 * Redirects are never followed, and a 3xx is never an answer: it is thrown as the shared core's
 * error, which names the host it pointed to, rather than handed back where a caller could read it
 * as "this token surface is missing" and carry on elsewhere. With `instance`, a request for any
 * other host is refused before it is sent.
 */
export function createFetchExecutor(timeoutMs = 20_000, instance?: RequestTargetInstance): RecordingExecutor {
  const history: ExchangeRecord[] = [];
  const execute = async (request: HttpRequest): Promise<HttpResponse> => {
    if (instance !== undefined) assertRequestTarget(request, instance);
    const url = new URL(request.url);
    let response: Response;
    try {
      response = await fetch(url, {
        method: request.method,
        headers: request.headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        ...(request.body === undefined ? {} : { body: request.body }),
      });
    } catch (error) {
      throw classifyNetworkError(error, { endpoint: `${request.method} ${url.origin}${url.pathname}` });
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    const body = await response.text();
    const rateLimit = readRateLimitHeaders({ headers });
    history.push({ method: request.method, target: `${url.origin}${url.pathname}`, status: response.status, ...(rateLimit === undefined ? {} : { rateLimit }) });
    const answer = { status: response.status, headers, body };
    if (response.status >= 300 && response.status < 400) {
      throw classifyResponse(answer, { endpoint: `${request.method} ${url.origin}${url.pathname}` }) ?? new Error(`unclassified HTTP ${response.status}`);
    }
    return answer;
  };
  return { execute, history };
}

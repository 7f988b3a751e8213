/**
 * Executes the shared core's request descriptions with Node's `fetch`, and remembers what the
 * diagnosis reports about each answer: status, and Cal.com's rate-limit headers.
 */
import {
  classifyNetworkError,
  readRateLimitHeaders,
  type HttpExecutor,
  type HttpRequest,
  type HttpResponse,
  type RateLimitHeaders,
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

/** A fetch-based {@link HttpExecutor} with a per-request time-out that records every exchange. */
export function createFetchExecutor(timeoutMs = 20_000): RecordingExecutor {
  const history: ExchangeRecord[] = [];
  const execute = async (request: HttpRequest): Promise<HttpResponse> => {
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
    return { status: response.status, headers, body };
  };
  return { execute, history };
}

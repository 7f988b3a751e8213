/**
 * Transport-agnostic HTTP descriptions.
 *
 * The core never performs I/O for token calls: it builds an {@link HttpRequest} that an adapter
 * executes with its own client (Zapier's `z.request`, n8n's `httpRequestWithAuthentication`,
 * Node's `fetch` in tests and the main job), and it parses the {@link HttpResponse} the adapter
 * hands back. That keeps the Cal.com rules in one place while each platform keeps its own
 * retries, logging and credential storage.
 */

/** HTTP methods the core ever asks for. */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A request the adapter should send exactly as described. */
export interface HttpRequest {
  method: HttpMethod;
  /** Absolute URL, query string included and already encoded. */
  url: string;
  /** Header names are lower-case. */
  headers: Record<string, string>;
  /** Already-encoded body (form-urlencoded or JSON text), absent for GET. */
  body?: string;
}

/** What the adapter received. Header names must be lower-case; `body` is the raw text. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/**
 * Sends an {@link HttpRequest} and resolves with the raw response for every HTTP status
 * (it must not throw on 4xx/5xx). Network failures and time-outs reject.
 * Used by the parts of the core that make several requests in a row (paging, polling).
 */
export type HttpExecutor = (request: HttpRequest) => Promise<HttpResponse>;

/** Returns a header value from a response whose header names may be in any case. */
export function getHeader(response: Pick<HttpResponse, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(response.headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

import { classifyNetworkError } from '../classify';
import { CalcomError } from '../errors';
import type { HttpExecutor, HttpRequest, HttpResponse } from '../http';
import type { CalcomInstance } from '../instances';
import { requestSecrets, scrubError, type KnownSecrets } from '../request-secrets';

/** Everything an operation needs to talk to Cal.com; adapters build it from their platform. */
export interface ActionContext {
  /** Zapier: `createExecutor(z)`; n8n: `createHttpExecutor(this, instance)`. Resolves for every HTTP status. */
  execute: HttpExecutor;
  instance: Pick<CalcomInstance, 'apiUrl'>;
  /** Scrubbed from every message (the connection's tokens, which the platform adds itself). */
  knownSecrets?: KnownSecrets;
}

/** The secrets a message about `request` must never carry. */
export function secretsOf(ctx: ActionContext, request: HttpRequest): KnownSecrets {
  return [...requestSecrets(request), ...(ctx.knownSecrets ?? [])];
}

/**
 * Connection failures that happen before a byte of the request reaches Cal.com: the write certainly
 * did not happen, so they are reported as `server_unavailable` (safe to run again), never as ambiguous.
 */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** What came of sending one request. */
export type Attempt =
  | { answered: true; response: HttpResponse }
  /** No answer at all (time-out, connection reset): Cal.com may have processed the request. */
  | { answered: false; failure: CalcomError };

function checkResponse(response: unknown, endpoint: string): HttpResponse {
  if (response === null || typeof response !== 'object' || typeof (response as HttpResponse).status !== 'number') {
    throw new CalcomError('malformed_response', `The HTTP client returned no response for ${endpoint}; this is a bug in the integration.`);
  }
  return response as HttpResponse;
}

/**
 * Sends a request and says whether Cal.com answered (any status). A platform's own control error
 * (Zapier's RefreshAuthError or ThrottledError, thrown by its middleware for an expired token or a
 * 429) is rethrown unchanged so the platform can refresh or wait and replay: Cal.com refused that
 * request. A connection that was never made is thrown as `server_unavailable`: nothing was sent.
 */
export async function attempt(ctx: ActionContext, request: HttpRequest, endpoint: string): Promise<Attempt> {
  const knownSecrets = secretsOf(ctx, request);
  try {
    return { answered: true, response: checkResponse(await ctx.execute(request), endpoint) };
  } catch (error) {
    if (error instanceof CalcomError && error.kind !== 'server_unavailable') throw scrubError(error, knownSecrets);
    const failure = classifyNetworkError(error, { endpoint, knownSecrets });
    if (!(error instanceof CalcomError) && failure.code === undefined) throw error;
    if (failure.code !== undefined && NEVER_SENT_CODES.has(failure.code)) throw scrubError(failure, knownSecrets);
    return { answered: false, failure: scrubError(failure, knownSecrets) };
  }
}

/** Sends a read, which is safe to repeat: a failure to get an answer is thrown as it is. */
export async function read(ctx: ActionContext, request: HttpRequest, endpoint: string): Promise<HttpResponse> {
  const result = await attempt(ctx, request, endpoint);
  if (!result.answered) throw result.failure;
  return result.response;
}

/** True when Cal.com may have processed a write whose outcome is `result`: no answer, or a 5xx. */
export function isAmbiguous(result: Attempt): boolean {
  return !result.answered || result.response.status >= 500;
}

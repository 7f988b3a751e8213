import { readErrorBody, readErrorFields, type ErrorBodyInfo } from './body';
import { OAUTH_CLIENT_SETTINGS_HINT } from './client-settings';
import { CalcomError } from './errors';
import { getHeader, type HttpResponse } from './http';
import { findInputRejection, findUnknownProperty } from './input-rejections';
import { DEFAULT_RATE_LIMIT_WAIT_SECONDS, MAX_RATE_LIMIT_WAIT_SECONDS, readRateLimitWait } from './rate-limit';
import { summarizeForMessage } from './redact';
import type { KnownSecrets } from './request-secrets';
import { describeRedirectTarget } from './request-target';
import { normalizeReportedScopes } from './scopes';

/** Context that makes classification and messages precise. */
export interface ClassifyOptions {
  /** What was called, for messages: "GET /v2/bookings", "the token refresh"... */
  endpoint?: string;
  /**
   * The response comes from a token endpoint. There a 401 means the client credentials or the
   * grant were refused (reconnect), not that an access token expired.
   */
  tokenEndpoint?: boolean;
  /**
   * Values to scrub from messages in addition to the patterns of {@link redactSecrets}: the secrets of
   * the request that was answered ({@link requestSecrets}) and of the connection.
   */
  knownSecrets?: KnownSecrets;
}

const CLIENT_SETTINGS = OAUTH_CLIENT_SETTINGS_HINT;
const RECONNECT_CODES = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client']);

/**
 * The wait after a 429, in whole seconds from 1 to {@link MAX_RATE_LIMIT_WAIT_SECONDS}: Cal.com sends
 * `X-RateLimit-Reset-Default` (seconds) and no `Retry-After`; epochs, other throttlers' headers and
 * `Retry-After` are interpreted too (see {@link readRateLimitWait}).
 */
export function retryAfterSeconds(response: HttpResponse, now: number = Date.now()): number | undefined {
  return readRateLimitWait(response, now)?.seconds;
}

/** Parses "Required: A, B. Token has: C" from Cal.com's insufficient_scope message. */
export function parseRequiredScopes(message: string): string[] {
  const match = /Required:\s*([A-Z0-9_,\s]*?)\s*(?:\.\s*Token has:|\.?\s*$)/i.exec(message);
  return match?.[1] === undefined ? [] : normalizeReportedScopes(match[1]);
}

function describe(info: ErrorBodyInfo, options: ClassifyOptions): string {
  const parts = [info.code, info.message].filter((part): part is string => part !== undefined && part !== '');
  if (parts.length === 0) return info.html ? 'an HTML page' : 'no details';
  const unique = parts.length === 2 && parts[0] === parts[1] ? [parts[0] as string] : parts;
  return `"${summarizeForMessage(unique.join(': '), 300, options.knownSecrets)}"`;
}

function oauthReason(info: ErrorBodyInfo): string {
  return `${info.code ?? ''} ${info.message ?? ''}`.toLowerCase();
}

/** What {@link classifyOAuthError} needs to know besides the error body. */
export interface OAuthErrorContext extends ClassifyOptions {
  /** The HTTP status of the answer, when the caller still has it. */
  status?: number;
}

/**
 * Classifies an OAuth error that arrives without its HTTP response, for example inside a platform's
 * own OAuth client error: `body` is the token endpoint's parsed error body, flat
 * `{error, error_description}` or wrapped in API v2's envelope (CALCOM.md §4). Returns the refusal it
 * stands for (client not approved, redirect URI not registered, reconnect), `bad_request` quoting
 * Cal.com's reason for any other error, or `undefined` when the body says nothing.
 * {@link classifyResponse} applies the same refusal rules to answers it has in full.
 */
export function classifyOAuthError(body: unknown, context: OAuthErrorContext = {}): CalcomError | undefined {
  const info = readErrorFields(body);
  if (info.code === undefined && info.message === undefined) return undefined;
  const where = context.endpoint ?? (context.tokenEndpoint === true ? 'the token request' : 'the request');
  const refusal = classifyOAuthRefusal(context.status, info, where, context);
  if (refusal !== undefined) return refusal;
  const status = context.status === undefined ? '' : `HTTP ${context.status}, `;
  return new CalcomError('bad_request', `Cal.com rejected ${where} (${status}${describe(info, context)}).`, {
    ...(context.status === undefined ? {} : { status: context.status }),
    ...(info.code === undefined ? {} : { code: info.code }),
  });
}

function classifyOAuthRefusal(status: number | undefined, info: ErrorBodyInfo, where: string, options: ClassifyOptions): CalcomError | undefined {
  const code = info.code;
  const reason = oauthReason(info);
  const base = { ...(status === undefined ? {} : { status }), ...(code === undefined ? {} : { code }) };
  // Cal.com's reasons are client_not_approved / client_rejected (page text "is not approved", "has been
  // rejected"); a bare "pending" would also match API errors about pending bookings.
  if (/not[ _]approved|client_rejected|has been rejected|pending (?:approval|review)/.test(reason)) {
    return new CalcomError(
      'client_not_approved',
      `The Cal.com OAuth client is not approved (${describe(info, options)} from ${where}); wait for Cal.com to approve it, or check its status in ${CLIENT_SETTINGS}.`,
      base,
    );
  }
  if (/redirect_uri/.test(reason)) {
    return new CalcomError(
      'redirect_mismatch',
      `The redirect URI sent is not registered on the Cal.com OAuth client (${describe(info, options)} from ${where}); add the exact redirect URI shown by this integration in ${CLIENT_SETTINGS}.`,
      base,
    );
  }
  if (code === undefined || !RECONNECT_CODES.has(code)) return undefined;
  const advice =
    code === 'invalid_client'
      ? 'check the client ID and client secret, then reconnect the Cal.com account'
      : code === 'unauthorized_client'
        ? 'the OAuth client may be pending approval, rejected or deleted; check it in ' + CLIENT_SETTINGS + ', then reconnect'
        : 'the authorization was revoked, expired or already used; reconnect the Cal.com account';
  return new CalcomError('reconnect_required', `Cal.com refused ${where} (${describe(info, options)}); ${advice}.`, base);
}

/** A 400 about the values the user supplied, in words naming the field; undefined for any other 400. */
function classifyInputRejection(info: ErrorBodyInfo, where: string, options: ClassifyOptions): CalcomError | undefined {
  const rejection = findInputRejection(info.message ?? '');
  if (rejection === undefined) return undefined;
  const field = rejection.field === undefined ? '' : ` (field ${rejection.field})`;
  return new CalcomError(
    'input_rejected',
    `Cal.com refused ${where} because of the values given: ${rejection.problem}${field}. This is for you to fix, not a fault of the connection: ${rejection.fix}, then run it again (Cal.com said ${describe(info, options)}).`,
    {
      status: 400,
      ...(info.code === undefined ? {} : { code: info.code }),
      ...(rejection.field === undefined ? {} : { field: rejection.field }),
    },
  );
}

/**
 * Turns a Cal.com response into the {@link CalcomError} it stands for, or `undefined` for 2xx.
 *
 * Understands every error body shape Cal.com sends (see {@link readErrorBody}) and the statuses that
 * do not mean what they say, such as the 403 "no oAuth client found for access token" that API v2
 * answers for an expired token. Messages never contain tokens, codes or secrets.
 */
export function classifyResponse(response: HttpResponse, options: ClassifyOptions = {}): CalcomError | undefined {
  const { status } = response;
  if (status >= 200 && status < 300) return undefined;
  const where = options.endpoint ?? (options.tokenEndpoint === true ? 'the token request' : 'the request');
  const info = readErrorBody(response);
  const withCode = (extra: { retryAfterSeconds?: number; requiredScopes?: string[] } = {}) => ({
    status,
    ...(info.code === undefined ? {} : { code: info.code }),
    ...extra,
  });

  const refusal = status >= 400 && status < 500 ? classifyOAuthRefusal(status, info, where, options) : undefined;
  if (refusal !== undefined) return refusal;

  if (status === 429) {
    const read = readRateLimitWait(response);
    const wait = read?.seconds ?? DEFAULT_RATE_LIMIT_WAIT_SECONDS;
    const cap = read?.capped === true ? ` (${read.header} asked for longer; waits are capped at ${MAX_RATE_LIMIT_WAIT_SECONDS} seconds)` : '';
    return new CalcomError('rate_limited', `Cal.com's rate limit was reached on ${where}; retry in ${wait} seconds${cap}.`, withCode({ retryAfterSeconds: wait }));
  }
  if (status >= 500) {
    return new CalcomError('server_unavailable', `Cal.com could not answer ${where} (HTTP ${status}, ${describe(info, options)}); try again in a few minutes.`, withCode());
  }
  const lowered = oauthReason(info);
  if (status === 401) {
    if (options.tokenEndpoint === true) {
      return new CalcomError('reconnect_required', `Cal.com refused ${where} (HTTP 401, ${describe(info, options)}); check the client credentials and reconnect the Cal.com account.`, withCode());
    }
    return new CalcomError('token_expired', `The Cal.com access token was refused on ${where} (expired or revoked); refresh it and retry.`, withCode());
  }
  if (status === 403 && lowered.includes('no oauth client found for access token')) {
    return new CalcomError('token_expired', `The Cal.com access token was refused on ${where} (Cal.com answers 403 for expired tokens); refresh it and retry.`, withCode());
  }
  if (status === 403 && lowered.includes('insufficient_scope')) {
    const required = parseRequiredScopes(info.message ?? '');
    if (lowered.includes('not available for third-party oauth tokens')) {
      return new CalcomError('insufficient_scope', `Cal.com does not allow OAuth tokens on ${where}, whatever scopes are granted.`, withCode({ requiredScopes: [] }));
    }
    const list = required.length > 0 ? required.join(', ') : 'more scopes';
    return new CalcomError(
      'insufficient_scope',
      `This Cal.com connection lacks ${list} needed for ${where}; add ${required.length > 1 ? 'them' : 'it'} to the OAuth client's scopes in ${CLIENT_SETTINGS} if missing there, then reconnect the account.`,
      withCode({ requiredScopes: required }),
    );
  }
  if (status === 410) {
    return new CalcomError('api_retired', `Cal.com has retired ${where} (HTTP 410, ${describe(info, options)}); update this integration.`, withCode());
  }
  if (status === 404 && options.tokenEndpoint === true) {
    return new CalcomError(
      'not_found',
      `This Cal.com has no token endpoint at ${where} (HTTP 404); older and self-hosted installations only have the legacy token surface, so switch to it or check the instance URL.`,
      withCode(),
    );
  }
  if (status === 404) {
    return new CalcomError('not_found', `Cal.com found nothing at ${where} (HTTP 404, ${describe(info, options)}); check the ID and, for self-hosted, the API URL.`, withCode());
  }
  if (status === 400 && options.tokenEndpoint !== true) {
    const rejected = classifyInputRejection(info, where, options);
    if (rejected !== undefined) return rejected;
  }
  if (status >= 400 && status < 500) {
    const unknown = findUnknownProperty(info.message ?? '');
    // Which fields are sent is this integration's choice, so an unknown one is its defect, not the user's.
    const defect = unknown === undefined ? '' : `; this integration sent a field Cal.com does not accept (${unknown}), which is a defect in the integration: report it to its maintainers`;
    return new CalcomError('bad_request', `Cal.com rejected ${where} (HTTP ${status}, ${describe(info, options)})${defect}.`, withCode());
  }
  if (status >= 300 && status < 400) {
    // Never followed by the adapters: a redirect would carry the client secret, code or tokens to
    // whatever host the Location names, so the answer is reported instead.
    const target = describeRedirectTarget(getHeader(response, 'location'), options.knownSecrets);
    return new CalcomError(
      'malformed_response',
      `Cal.com answered ${where} with a redirect (HTTP ${status}) to ${target}, which was not followed and nothing was sent there; check that the Cal.com instance URL is Cal.com's own address (not one that redirects), and any proxy in front of Cal.com.`,
      withCode(),
    );
  }
  return new CalcomError('malformed_response', `Cal.com answered ${where} with unexpected HTTP ${status}.`, withCode());
}

const NETWORK_CODES = /^(ECONNRESET|ECONNREFUSED|ECONNABORTED|ETIMEDOUT|ESOCKETTIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|UND_ERR_[A-Z_]+)$/;

function networkCode(err: unknown, depth = 0): string | undefined {
  if (typeof err !== 'object' || err === null || depth > 3) return undefined;
  const record = err as { code?: unknown; name?: unknown; cause?: unknown };
  if (typeof record.code === 'string' && NETWORK_CODES.test(record.code)) return record.code;
  if (record.name === 'AbortError' || record.name === 'TimeoutError') return 'time-out';
  return networkCode(record.cause, depth + 1);
}

/**
 * Turns a failure to get any response (time-out, connection reset, DNS failure) into a
 * `server_unavailable` {@link CalcomError}. A {@link CalcomError} is returned unchanged.
 */
export function classifyNetworkError(err: unknown, options: Pick<ClassifyOptions, 'endpoint' | 'knownSecrets'> = {}): CalcomError {
  if (err instanceof CalcomError) return err;
  const where = options.endpoint ?? 'Cal.com';
  const code = networkCode(err);
  const detail = code ?? (err instanceof Error ? summarizeForMessage(err.message, 120, options.knownSecrets) : 'unknown failure');
  return new CalcomError('server_unavailable', `Could not reach ${where} (${detail}); check the connection and try again.`, {
    ...(code === undefined ? {} : { code }),
    cause: err,
  });
}

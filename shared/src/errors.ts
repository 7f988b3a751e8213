/**
 * The small, closed set of failure kinds every adapter maps onto its platform's errors.
 * Each kind says what the caller should do next, not merely what went wrong.
 */
export type CalcomErrorKind =
  /** Access token expired or invalid (401, or Cal.com's 403 "no oAuth client found"): refresh once, then retry once. */
  | 'token_expired'
  /** Token lacks a scope the endpoint needs (403 insufficient_scope): reconnect asking for `requiredScopes`. */
  | 'insufficient_scope'
  /** Refresh token or client credentials no longer accepted (invalid_grant, invalid_client, unauthorized_client, revoked): reconnect. */
  | 'reconnect_required'
  /** OAuth client exists but is pending review or rejected in Cal.com settings. */
  | 'client_not_approved'
  /** The redirect URI sent is not one of the client's registered redirect URIs. */
  | 'redirect_mismatch'
  /** 429: wait `retryAfterSeconds`, then retry. */
  | 'rate_limited'
  /** 5xx, time-out or connection failure: retry with backoff. */
  | 'server_unavailable'
  /** 410: the endpoint or API version was retired by Cal.com. */
  | 'api_retired'
  /** 404 on a resource, or an instance that has no such route. */
  | 'not_found'
  /** Cal.com rejected the request itself (400 and similar): a bug or bad input on our side. */
  | 'bad_request'
  /** The answer could not be understood (not JSON, wrong shape, truncated, HTML instead of JSON). */
  | 'malformed_response'
  /** Caller input is invalid (bad instance URL, unknown scope, missing state...). Nothing was sent. */
  | 'invalid_input'
  /**
   * A write (create, cancel, reschedule...) failed ambiguously (time-out, connection reset, 5xx) and
   * looking afterwards found no trace of it: it may or may not have happened. Check in Cal.com before
   * running it again; never retry automatically.
   */
  | 'write_outcome_unknown';

/** Optional facts attached to a {@link CalcomError}; all of them are safe to show or log. */
export interface CalcomErrorDetails {
  /** HTTP status when the error came from a response. */
  status?: number;
  /** Machine code from Cal.com (`invalid_grant`, `ThrottlerException`...), when it sent one. */
  code?: string;
  /** For `rate_limited`: seconds to wait, from `X-RateLimit-Reset-Default` or `Retry-After`. */
  retryAfterSeconds?: number;
  /** For `insufficient_scope`: scopes the endpoint asked for, normalised. */
  requiredScopes?: string[];
  /** The underlying error, for stack traces; never shown to end users. */
  cause?: unknown;
}

/**
 * An error raised by the core. `message` is one actionable sentence meant for end users of Zapier
 * and n8n; it never contains a token, authorization code or client secret.
 */
export class CalcomError extends Error {
  readonly kind: CalcomErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly retryAfterSeconds?: number;
  readonly requiredScopes?: string[];

  constructor(kind: CalcomErrorKind, message: string, details: CalcomErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'CalcomError';
    this.kind = kind;
    if (details.status !== undefined) this.status = details.status;
    if (details.code !== undefined) this.code = details.code;
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds;
    if (details.requiredScopes !== undefined) this.requiredScopes = details.requiredScopes;
  }

  /** True when retrying the same request later can succeed without user action. */
  get isTransient(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'server_unavailable';
  }

  /** True when the user must reconnect (re-authorize) the connection to recover. */
  get needsReconnect(): boolean {
    return this.kind === 'reconnect_required' || this.kind === 'insufficient_scope';
  }
}

/** Narrows an unknown thrown value to a {@link CalcomError}. */
export function isCalcomError(value: unknown): value is CalcomError {
  return value instanceof CalcomError;
}

import { CalcomError } from './errors';
import { getHeader, type HttpResponse } from './http';
import { summarizeForMessage } from './redact';
import type { KnownSecrets } from './request-secrets';

/** True when the response is an HTML page (a login page, a proxy error page, a wrong URL). */
export function looksLikeHtml(response: HttpResponse): boolean {
  const type = getHeader(response, 'content-type') ?? '';
  if (/text\/html/i.test(type)) return true;
  return /^\s*(<!doctype html|<html|<head|<body)/i.test(response.body ?? '');
}

/**
 * Parses a response body as JSON.
 *
 * @param response - The response received.
 * @param what - What was asked for, used in the error message (e.g. "the token response").
 * @param knownSecrets - Values scrubbed from the quoted body, before it is cut to length.
 * @throws CalcomError `malformed_response` for an empty, HTML, truncated or otherwise non-JSON body.
 */
export function parseJsonBody(response: HttpResponse, what: string, knownSecrets: KnownSecrets = []): unknown {
  const text = response.body ?? '';
  if (text.trim() === '') {
    throw new CalcomError('malformed_response', `Cal.com sent an empty answer for ${what} (HTTP ${response.status}); try again, and check the instance URL if it persists.`, {
      status: response.status,
    });
  }
  if (looksLikeHtml(response)) {
    throw new CalcomError(
      'malformed_response',
      `Cal.com sent an HTML page instead of JSON for ${what} (HTTP ${response.status}); check that the instance URL points at Cal.com and, for self-hosted, at its API.`,
      { status: response.status },
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new CalcomError(
      'malformed_response',
      `Cal.com's answer for ${what} is not valid JSON (HTTP ${response.status}, possibly truncated): "${summarizeForMessage(text, 80, knownSecrets)}".`,
      { status: response.status, cause },
    );
  }
}

/** Narrows to a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What an error body says, whatever shape Cal.com used. */
export interface ErrorBodyInfo {
  /** OAuth or exception code: `invalid_grant`, `ThrottlerException`... */
  code?: string;
  /** Human text or OAuth `error_description` (may be a reason code such as `client_not_approved`). */
  message?: string;
  /** The body was an HTML page. */
  html: boolean;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (Array.isArray(value)) {
    const parts = value.filter((item): item is string => typeof item === 'string');
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  return undefined;
}

/**
 * Reads an error body in any of Cal.com's shapes: flat OAuth `{error, error_description}`, the API v2
 * envelope `{status:"error", error:{code, message, details}}` (with `details.error` holding the
 * OAuth code on the token endpoint), legacy `{message}`, HTML pages, and empty or truncated bodies.
 * Never throws.
 */
export function readErrorBody(response: HttpResponse): ErrorBodyInfo {
  if (looksLikeHtml(response)) return { html: true };
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body ?? '');
  } catch {
    const raw = (response.body ?? '').trim();
    return raw === '' ? { html: false } : { html: false, message: raw };
  }
  return readErrorFields(parsed);
}

/**
 * Reads the code and message of an already parsed error body, in the shapes {@link readErrorBody}
 * knows (flat OAuth, the API v2 envelope, legacy `{message}`). Never throws.
 */
export function readErrorFields(parsed: unknown): ErrorBodyInfo {
  if (!isRecord(parsed)) return { html: false };
  const info: ErrorBodyInfo = { html: false };
  const error = parsed.error;
  if (isRecord(error)) {
    const details = error.details;
    const detailCode = isRecord(details) ? text(details.error) : undefined;
    const detailDescription = isRecord(details) ? text(details.error_description) ?? text(details.message) : undefined;
    const isOAuthCode = detailCode !== undefined && /^[a-z_]+$/.test(detailCode);
    info.code = isOAuthCode ? detailCode : text(error.code) ?? detailCode;
    info.message = detailDescription ?? text(error.message) ?? (typeof details === 'string' ? details : undefined);
    if (isOAuthCode && info.message === undefined) info.message = text(error.message);
  } else {
    info.code = text(error);
    info.message = text(parsed.error_description) ?? text(parsed.message);
  }
  if (info.code === undefined) delete info.code;
  if (info.message === undefined) delete info.message;
  return info;
}

import { decodeBase64Url } from './base64url';
import { CalcomError } from './errors';
import type { HttpRequest } from './http';
import { redactSecrets } from './redact';

/**
 * The fields of an OAuth token request, an API query or a callback that hold a secret. Cal.com's
 * error text may repeat any of them (an echoed request body, a validation message quoting a value).
 */
const SECRET_FIELD_NAMES: readonly string[] = Object.freeze([
  'client_secret',
  'code',
  'code_verifier',
  'refresh_token',
  'access_token',
  'id_token',
  'token',
  'assertion',
  'password',
  'api_key',
  'apiKey',
  'clientSecret',
  'refreshToken',
  'accessToken',
  'codeVerifier',
]);

const SECRET_FIELDS = new Set(SECRET_FIELD_NAMES.map((name) => name.toLowerCase()));

/** Known secrets as adapters collect them: unset values are allowed and skipped. */
export type KnownSecrets = readonly (string | undefined | null)[];

function headerValue(headers: Record<string, string>, wanted: string): string | undefined {
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() === wanted) return value;
  return undefined;
}

/** The credential of an Authorization header, without its scheme; for Basic also the decoded id:secret parts. */
function authorizationSecrets(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return [];
  const match = /^\s*(\S+)\s+(.+?)\s*$/.exec(value);
  const credential = match?.[2] ?? value.trim();
  const secrets = [value.trim(), credential];
  if (match?.[1]?.toLowerCase() === 'basic') {
    const bytes = decodeBase64Url(credential);
    const decoded = bytes === undefined ? '' : new TextDecoder().decode(bytes);
    const colon = decoded.indexOf(':');
    if (colon >= 0) secrets.push(decoded.slice(colon + 1));
  }
  return secrets;
}

function secretsOfForm(text: string): string[] {
  const secrets: string[] = [];
  for (const [name, value] of new URLSearchParams(text)) if (SECRET_FIELDS.has(name.toLowerCase()) && value !== '') secrets.push(value);
  return secrets;
}

function secretsOfJson(value: unknown, depth = 0): string[] {
  if (depth > 4 || typeof value !== 'object' || value === null) return [];
  const secrets: string[] = [];
  for (const [name, field] of Object.entries(value as Record<string, unknown>)) {
    if (typeof field === 'string' && field !== '' && SECRET_FIELDS.has(name.toLowerCase())) secrets.push(field);
    else secrets.push(...secretsOfJson(field, depth + 1));
  }
  return secrets;
}

function secretsOfBody(body: string | undefined): string[] {
  if (body === undefined || body.trim() === '') return [];
  try {
    return secretsOfJson(JSON.parse(body) as unknown);
  } catch {
    return secretsOfForm(body);
  }
}

function secretsOfQuery(url: string): string[] {
  const query = url.indexOf('?');
  return query < 0 ? [] : secretsOfForm(url.slice(query + 1).split('#')[0] ?? '');
}

/**
 * The secrets a request carries, for scrubbing the messages built from its answer: the Authorization
 * header's credential and the secret fields ({@link SECRET_FIELD_NAMES}) of its form or JSON body and
 * query string. Never throws.
 */
export function requestSecrets(request: Pick<HttpRequest, 'url' | 'headers' | 'body'> | undefined): string[] {
  if (request === undefined) return [];
  return [
    ...authorizationSecrets(headerValue(request.headers ?? {}, 'authorization')),
    ...secretsOfBody(request.body),
    ...secretsOfQuery(request.url ?? ''),
  ];
}

/**
 * Returns `error` with `knownSecrets` (raw or encoded) and secret shapes removed from its message and
 * stack; the error object, its kind and its other details stay the same. For any thrown value, so
 * adapters can pass everything that leaves them through it.
 */
export function scrubError<T>(error: T, knownSecrets: KnownSecrets): T {
  if (!(error instanceof Error)) return error;
  const scrubbed = redactSecrets(error.message, knownSecrets);
  if (scrubbed !== error.message) error.message = scrubbed;
  if (typeof error.stack === 'string') error.stack = redactSecrets(error.stack, knownSecrets);
  return error;
}

/**
 * Runs `parse` and scrubs `knownSecrets` out of any {@link CalcomError} it throws, so no message a
 * parser builds from Cal.com's text (a quoted field, an echoed value) can carry them.
 */
export function withKnownSecrets<T>(knownSecrets: KnownSecrets | undefined, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw error instanceof CalcomError && knownSecrets !== undefined ? scrubError(error, knownSecrets) : error;
  }
}

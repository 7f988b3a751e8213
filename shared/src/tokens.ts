import { CalcomError } from './errors';
import type { HttpRequest } from './http';
import type { CalcomInstance } from './instances';

/**
 * Which token endpoint a connection uses.
 * - `legacy`: `{app}/api/auth/oauth/token` and `{app}/api/auth/oauth/refreshToken` (every Cal.com
 *   since 2023, form-urlencoded only since March 2025).
 * - `v2`: `{api}/v2/auth/oauth2/token` for both grants (2026), with a strict field whitelist.
 * Tokens from either surface are interchangeable.
 */
export type TokenSurface = 'legacy' | 'v2';

/** OAuth grant types Cal.com supports. */
export type TokenGrant = 'authorization_code' | 'refresh_token';

/** The URL of the token endpoint for a surface and grant. */
export function tokenEndpointUrl(surface: TokenSurface, instance: Pick<CalcomInstance, 'appUrl' | 'apiUrl'>, grant: TokenGrant): string {
  if (surface === 'v2') return `${instance.apiUrl}/v2/auth/oauth2/token`;
  if (surface === 'legacy') return `${instance.appUrl}/api/auth/oauth/${grant === 'refresh_token' ? 'refreshToken' : 'token'}`;
  throw new CalcomError('invalid_input', `Unknown token surface "${String(surface)}"; expected "legacy" or "v2".`);
}

/** Body encoding for the v2 endpoint (which accepts both); the legacy routes only accept form. */
export type TokenBodyEncoding = 'json' | 'form';

interface TokenRequestBase {
  surface: TokenSurface;
  instance: Pick<CalcomInstance, 'appUrl' | 'apiUrl'>;
  clientId: string;
  /** CONFIDENTIAL clients only; absent (or empty) for PUBLIC clients, which use PKCE instead. */
  clientSecret?: string;
  /** v2 only; default `json`, as Cal.com's own clients send. */
  encoding?: TokenBodyEncoding;
}

/** Input of {@link buildCodeExchangeRequest}. */
export interface CodeExchangeOptions extends TokenRequestBase {
  code: string;
  /** Exactly the redirect URI used on the authorize URL. */
  redirectUri: string;
  /** PKCE verifier, when a `code_challenge` was sent. */
  codeVerifier?: string;
}

/** Input of {@link buildRefreshRequest}. */
export interface RefreshOptions extends TokenRequestBase {
  refreshToken: string;
}

function required(value: string | undefined, what: string): string {
  if (typeof value !== 'string' || value === '') throw new CalcomError('invalid_input', `${what} is missing; it is required for the Cal.com token request.`);
  return value;
}

function present(value: string | undefined): value is string {
  return typeof value === 'string' && value !== '';
}

function formRequest(url: string, fields: Record<string, string>, extraHeaders: Record<string, string> = {}): HttpRequest {
  return {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...extraHeaders },
    body: new URLSearchParams(fields).toString(),
  };
}

function v2Request(url: string, fields: Record<string, string>, encoding: TokenBodyEncoding = 'json'): HttpRequest {
  if (encoding === 'form') return formRequest(url, fields);
  return { method: 'POST', url, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(fields) };
}

/**
 * Describes the authorization-code exchange.
 *
 * Legacy: form-urlencoded `grant_type, code, client_id, redirect_uri` plus `client_secret` and/or
 * `code_verifier` when given. v2: exactly the whitelisted fields — confidential
 * `client_id, grant_type, code, redirect_uri, client_secret`; public
 * `client_id, grant_type, code, redirect_uri, code_verifier` — because any other key is a 400 there.
 *
 * @throws CalcomError `invalid_input` for missing fields, a public v2 exchange without verifier, or
 * a confidential v2 exchange with a verifier (v2 refuses both together).
 */
export function buildCodeExchangeRequest(options: CodeExchangeOptions): HttpRequest {
  const clientId = required(options.clientId, 'The OAuth client ID');
  const code = required(options.code, 'The authorization code');
  const redirectUri = required(options.redirectUri, 'The redirect URI');
  const url = tokenEndpointUrl(options.surface, options.instance, 'authorization_code');
  const base = { grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: redirectUri };
  if (options.surface === 'legacy') {
    return formRequest(url, {
      ...base,
      ...(present(options.clientSecret) ? { client_secret: options.clientSecret } : {}),
      ...(present(options.codeVerifier) ? { code_verifier: options.codeVerifier } : {}),
    });
  }
  if (present(options.clientSecret)) {
    if (present(options.codeVerifier)) {
      throw new CalcomError(
        'invalid_input',
        "Cal.com's v2 token endpoint refuses client_secret and code_verifier together; a confidential client must not send a PKCE challenge there (or use the legacy token surface).",
      );
    }
    return v2Request(url, { client_id: clientId, grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_secret: options.clientSecret }, options.encoding);
  }
  if (!present(options.codeVerifier)) {
    throw new CalcomError('invalid_input', 'A public Cal.com OAuth client (no client secret) must use PKCE: pass the code verifier created with the authorize URL.');
  }
  return v2Request(url, { client_id: clientId, grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: options.codeVerifier }, options.encoding);
}

/**
 * Describes a refresh.
 *
 * Legacy: form-urlencoded `grant_type=refresh_token, client_id, [client_secret], refresh_token` AND
 * `Authorization: Bearer <refresh token>` — Cal.com read only the header until Nov 2025 and prefers
 * the body since; Basic client authentication is never sent (old versions would take it for the
 * refresh token). v2: exactly `client_id, grant_type, refresh_token` plus `client_secret` for
 * confidential clients.
 *
 * Refresh tokens rotate: store the returned one and never run two refreshes of one connection at once.
 *
 * @throws CalcomError `invalid_input` when the client ID or refresh token is missing.
 */
export function buildRefreshRequest(options: RefreshOptions): HttpRequest {
  const clientId = required(options.clientId, 'The OAuth client ID');
  const refreshToken = required(options.refreshToken, 'The refresh token');
  const url = tokenEndpointUrl(options.surface, options.instance, 'refresh_token');
  const secret: Record<string, string> = present(options.clientSecret) ? { client_secret: options.clientSecret } : {};
  if (options.surface === 'legacy') {
    return formRequest(
      url,
      { grant_type: 'refresh_token', client_id: clientId, ...secret, refresh_token: refreshToken },
      { authorization: `Bearer ${refreshToken}` },
    );
  }
  return v2Request(url, { client_id: clientId, grant_type: 'refresh_token', refresh_token: refreshToken, ...secret }, options.encoding);
}

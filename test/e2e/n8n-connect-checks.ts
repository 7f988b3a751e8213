/**
 * Assertions of the n8n "Connect" browser test. Each returns a one-line summary safe to print (no
 * token, secret or code) and throws an Error naming what differed.
 */
import { decodeJwtUnsafe, type LoggedRequest } from '../emulator/index';

/** Cal.com's v2 token endpoint refuses any field outside this set for a confidential client's code exchange. */
export const CODE_EXCHANGE_FIELDS = ['client_id', 'client_secret', 'code', 'grant_type', 'redirect_uri'] as const;

export interface ExpectedClient {
  clientId: string;
  redirectUri: string;
  appUrl: string;
  apiUrl: string;
  scopes: readonly string[];
}

function fail(message: string): never {
  throw new Error(message);
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().every((value, i) => value === [...b].sort()[i]);
}

/** The authorize URL n8n generated and the popup opened (read from the consent page's address). */
export function checkAuthorizeUrl(consentUrl: string, expected: ExpectedClient): string {
  const url = new URL(consentUrl);
  if (`${url.origin}${url.pathname}` !== `${expected.appUrl}/auth/oauth2/authorize`) {
    fail(`consent page at ${url.origin}${url.pathname}, expected ${expected.appUrl}/auth/oauth2/authorize`);
  }
  const q = url.searchParams;
  if (q.get('client_id') !== expected.clientId) fail('authorize URL: client_id is not the one typed into the form');
  if (q.get('redirect_uri') !== expected.redirectUri) fail(`authorize URL: redirect_uri ${q.get('redirect_uri')}, expected ${expected.redirectUri}`);
  if (q.get('response_type') !== 'code') fail(`authorize URL: response_type ${q.get('response_type')}`);
  // Comma-joined: every version of Cal.com's consent page splits the scope parameter on commas.
  if (q.get('scope') !== expected.scopes.join(',')) fail(`authorize URL: scope "${q.get('scope')}", expected "${expected.scopes.join(',')}"`);
  if (!q.get('state')) fail('authorize URL: no state (n8n CSRF state expected)');
  if (q.has('code_challenge')) fail('authorize URL: PKCE challenge sent; a confidential client in body mode must not use PKCE');
  return `authorize URL: ${expected.appUrl}/auth/oauth2/authorize with client_id, redirect_uri, response_type=code, scope=${q.get('scope')}, state; no PKCE`;
}

/** Exactly one code exchange, on the v2 endpoint, form-encoded, with only the whitelisted fields. */
export function checkCodeExchange(log: LoggedRequest[], expected: ExpectedClient): string {
  const tokenCalls = log.filter((e) => e.method === 'POST' && /\/token$/.test(e.path.split('?')[0] ?? ''));
  const v2 = tokenCalls.filter((e) => e.origin === 'api' && e.path === '/v2/auth/oauth2/token');
  if (tokenCalls.length !== 1 || v2.length !== 1 || !v2[0]) {
    fail(`expected one POST /v2/auth/oauth2/token, saw: ${tokenCalls.map((e) => `${e.origin} ${e.path} ${e.status}`).join('; ') || 'none'}`);
  }
  const call = v2[0];
  if (call.status !== 200) fail(`token exchange answered HTTP ${call.status}: ${call.body}`);
  if (!(call.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    fail(`token exchange content-type ${call.headers['content-type']}`);
  }
  if (call.headers.authorization !== undefined) fail(`token exchange sent an Authorization header (${call.headers.authorization}); Cal.com wants the client in the body`);
  // The log masks code and client_secret but keeps every field name.
  const form = new URLSearchParams(call.body);
  const fields = [...form.keys()];
  if (!same(fields, CODE_EXCHANGE_FIELDS) || new Set(fields).size !== fields.length) {
    fail(`token exchange fields [${fields.join(', ')}], expected exactly [${CODE_EXCHANGE_FIELDS.join(', ')}]`);
  }
  if (form.get('grant_type') !== 'authorization_code') fail(`grant_type ${form.get('grant_type')}`);
  if (form.get('client_id') !== expected.clientId) fail('token exchange: client_id differs from the form');
  if (form.get('redirect_uri') !== expected.redirectUri) fail(`token exchange: redirect_uri ${form.get('redirect_uri')}`);
  return `code exchange: one POST ${expected.apiUrl}/v2/auth/oauth2/token (form, no Authorization header) with exactly [${fields.join(', ')}] → 200`;
}

export interface ExportedCredential {
  id: string;
  name: string;
  type: string;
  data: Record<string, unknown>;
}

/** What `n8n export:credentials --decrypted` wrote: the tokens n8n stored, and the form's fields. */
export function checkStoredTokens(exported: ExportedCredential, expected: ExpectedClient): { accessToken: string; refreshToken: string; summary: string } {
  if (exported.type !== 'calComOAuth2Api') fail(`stored credential type ${exported.type}`);
  const data = exported.data;
  if (data.instance !== 'self-hosted' || data.appUrl !== expected.appUrl || data.apiUrl !== expected.apiUrl) {
    fail(`stored instance fields ${JSON.stringify({ instance: data.instance, appUrl: data.appUrl, apiUrl: data.apiUrl })}`);
  }
  if (data.clientId !== expected.clientId) fail('stored clientId differs from the form');
  const tokens = data.oauthTokenData;
  if (typeof tokens !== 'object' || tokens === null) fail('no oauthTokenData stored: the credential is not connected');
  const t = tokens as Record<string, unknown>;
  const accessToken = t.access_token;
  const refreshToken = t.refresh_token;
  if (typeof accessToken !== 'string' || accessToken.length === 0) fail('oauthTokenData has no access_token');
  if (typeof refreshToken !== 'string' || refreshToken.length === 0) fail('oauthTokenData has no refresh_token');
  if (t.expires_in !== 1800) fail(`oauthTokenData.expires_in ${String(t.expires_in)}, expected Cal.com's 1800`);
  const expiresAt = Number(t.n8n_expires_at);
  if (!Number.isFinite(expiresAt) || Math.abs(expiresAt - (Date.now() + 1800_000)) > 600_000) fail(`n8n_expires_at ${String(t.n8n_expires_at)} is not about now + 30 min`);

  const access = decodeJwtUnsafe(accessToken);
  const refresh = decodeJwtUnsafe(refreshToken);
  if (access?.token_type !== 'Access Token' || access.clientId !== expected.clientId) fail('stored access_token is not an access token of this client');
  if (refresh?.token_type !== 'Refresh Token' || refresh.clientId !== expected.clientId) fail('stored refresh_token is not a refresh token of this client');
  const granted = Array.isArray(access.scope) ? access.scope.map(String) : [];
  if (!same(granted, expected.scopes)) fail(`access token scopes [${granted.join(', ')}], expected [${expected.scopes.join(', ')}]`);
  return {
    accessToken,
    refreshToken,
    summary: `stored oauthTokenData: access_token (user ${String(access.userId)}, scopes ${granted.join(',')}), refresh_token, expires_in 1800, n8n_expires_at set`,
  };
}

/** n8n's credential test (the credential's `test` request, GET /v2/me) reached the emulator with a Bearer token. */
export function checkCredentialTestRequest(log: LoggedRequest[]): string {
  const me = log.filter((e) => e.origin === 'api' && e.method === 'GET' && e.path === '/v2/me');
  if (me.length === 0) fail('n8n did not call GET /v2/me for the credential test');
  const last = me[me.length - 1] as LoggedRequest;
  if (!(last.headers.authorization ?? '').toLowerCase().startsWith('bearer')) fail(`GET /v2/me authorization ${last.headers.authorization}`);
  if (last.status !== 200) fail(`GET /v2/me answered ${last.status}`);
  return 'credential test: GET /v2/me with Bearer → 200';
}

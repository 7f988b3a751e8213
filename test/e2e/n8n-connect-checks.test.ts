/**
 * The browser test's assertions must be able to fail: each one is fed what n8n sent in the passing run,
 * then one deviation Cal.com would refuse or that would leave the credential unconnected.
 */
import { randomBytes } from 'node:crypto';
import type { LoggedRequest } from '../emulator/index';
import { signJwt } from '../emulator/jwt';
import { checkAuthorizeUrl, checkCodeExchange, checkCredentialTestRequest, checkStoredTokens, type ExpectedClient, type ExportedCredential } from './n8n-connect-checks';

const expected: ExpectedClient = {
  clientId: 'c'.repeat(64),
  redirectUri: 'http://127.0.0.1:40001/rest/oauth2-credential/callback',
  appUrl: 'http://127.0.0.1:40002',
  apiUrl: 'http://127.0.0.1:40003',
  scopes: ['BOOKING_READ', 'EVENT_TYPE_READ', 'PROFILE_READ'],
};

function authorizeUrl(extra: Record<string, string> = {}, drop: string[] = []): string {
  const query = new URLSearchParams({
    client_id: expected.clientId, redirect_uri: expected.redirectUri, response_type: 'code', state: 'csrf', scope: expected.scopes.join(','), ...extra,
  });
  for (const key of drop) query.delete(key);
  return `${expected.appUrl}/auth/oauth2/authorize?${query.toString()}`;
}

function tokenCall(overrides: Partial<LoggedRequest> = {}, form: Record<string, string> = {}): LoggedRequest {
  const body = new URLSearchParams({
    code: '***', grant_type: 'authorization_code', redirect_uri: expected.redirectUri, client_id: expected.clientId, client_secret: '***', ...form,
  });
  return {
    at: new Date(0).toISOString(), origin: 'api', method: 'POST', path: '/v2/auth/oauth2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString(), status: 200, ...overrides,
  };
}

function exported(tokenData: Record<string, unknown> | undefined, data: Record<string, unknown> = {}): ExportedCredential {
  return {
    id: 'x', name: 'Cal.com account', type: 'calComOAuth2Api',
    data: { instance: 'self-hosted', appUrl: expected.appUrl, apiUrl: expected.apiUrl, clientId: expected.clientId, ...(tokenData ? { oauthTokenData: tokenData } : {}), ...data },
  };
}

function tokens(scopes: readonly string[] = expected.scopes, clientId = expected.clientId): Record<string, unknown> {
  const key = randomBytes(16).toString('hex');
  const now = Math.floor(Date.now() / 1000);
  const base = { userId: 1, teamId: null, scope: scopes, clientId };
  return {
    access_token: signJwt({ ...base, token_type: 'Access Token' }, key, now, 1800),
    refresh_token: signJwt({ ...base, token_type: 'Refresh Token', secret: 's' }, key, now, 3600),
    token_type: 'bearer',
    expires_in: 1800,
    n8n_expires_at: String(Date.now() + 1800_000),
  };
}

describe('checkAuthorizeUrl', () => {
  it('accepts the URL n8n generates', () => {
    expect(checkAuthorizeUrl(authorizeUrl(), expected)).toContain('scope=BOOKING_READ,EVENT_TYPE_READ,PROFILE_READ');
  });
  it.each([
    ['a PKCE challenge', authorizeUrl({ code_challenge: 'abc', code_challenge_method: 'S256' }), /PKCE/],
    ['space-separated scopes', authorizeUrl({ scope: expected.scopes.join(' ') }), /scope/],
    ['another redirect URI', authorizeUrl({ redirect_uri: 'http://localhost:5678/rest/oauth2-credential/callback' }), /redirect_uri/],
    ['no state', authorizeUrl({}, ['state']), /state/],
    ['the cloud consent page', authorizeUrl().replace(expected.appUrl, 'https://app.cal.com'), /consent page/],
  ])('refuses %s', (_what, url, message) => {
    expect(() => checkAuthorizeUrl(url, expected)).toThrow(message);
  });
});

describe('checkCodeExchange', () => {
  it('accepts one form POST with exactly the whitelisted fields', () => {
    expect(checkCodeExchange([tokenCall()], expected)).toContain('[code, grant_type, redirect_uri, client_id, client_secret]');
  });
  it.each([
    ['an extra field', [tokenCall({}, { scope: 'BOOKING_READ' })], /fields/],
    ['a Basic header', [tokenCall({ headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ***' } })], /Authorization/],
    ['a JSON body', [tokenCall({ headers: { 'content-type': 'application/json' } })], /content-type/],
    ['a refused exchange', [tokenCall({ status: 400 })], /HTTP 400/],
    ['the legacy token route', [tokenCall({ origin: 'app', path: '/api/auth/oauth/token' })], /one POST \/v2/],
    ['two exchanges', [tokenCall(), tokenCall()], /one POST \/v2/],
    ['no exchange', [], /none/],
  ])('refuses %s', (_what, log, message) => {
    expect(() => checkCodeExchange(log, expected)).toThrow(message);
  });
});

describe('checkStoredTokens', () => {
  it('returns the stored tokens of this client', () => {
    const stored = tokens();
    const result = checkStoredTokens(exported(stored), expected);
    expect(result.accessToken).toBe(stored.access_token);
    expect(result.refreshToken).toBe(stored.refresh_token);
  });
  it.each([
    ['no oauthTokenData', exported(undefined), /not connected/],
    ['no refresh token', exported({ ...tokens(), refresh_token: undefined }), /refresh_token/],
    ['tokens of another client', exported(tokens(expected.scopes, 'other')), /this client/],
    ['fewer scopes than asked', exported(tokens(['BOOKING_READ'])), /scopes/],
    ['the cloud instance', exported(tokens(), { instance: 'cloud' }), /instance/],
  ])('refuses %s', (_what, credential, message) => {
    expect(() => checkStoredTokens(credential, expected)).toThrow(message);
  });
});

describe('checkCredentialTestRequest', () => {
  const me = (status: number): LoggedRequest => ({
    at: new Date(0).toISOString(), origin: 'api', method: 'GET', path: '/v2/me', headers: { authorization: 'Bearer ***' }, body: '', status,
  });
  it('accepts a Bearer GET /v2/me answered 200', () => {
    expect(checkCredentialTestRequest([me(200)])).toContain('200');
  });
  it('refuses a missing or failed test request', () => {
    expect(() => checkCredentialTestRequest([])).toThrow(/did not call/);
    expect(() => checkCredentialTestRequest([me(401)])).toThrow(/401/);
  });
});

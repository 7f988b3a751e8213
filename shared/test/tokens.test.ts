import nock from 'nock';
import { buildCodeExchangeRequest, buildRefreshRequest, tokenEndpointUrl } from '../src/tokens';
import { CALCOM_CLOUD, resolveInstance } from '../src/instances';
import { execute } from './support/fetch';
import { mintClientSecret, mintRefreshToken } from './support/tokens';
import { useOfflineNock } from './support/offline-nock';
import { calcomErrorFrom } from './support/errors';

const local = resolveInstance({ kind: 'self-hosted', appUrl: 'http://127.0.0.1:4010', apiUrl: 'http://127.0.0.1:4011' });

useOfflineNock();

/** Sends the request through Node's fetch to nock and returns what arrived on the wire. */
async function wire(request: ReturnType<typeof buildRefreshRequest>): Promise<{ path: string; headers: Record<string, string>; body: string }> {
  const url = new URL(request.url);
  let seen: { path: string; headers: Record<string, string>; body: string } | undefined;
  nock(url.origin)
    .post(url.pathname)
    .reply(function reply(path, body) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(this.req.headers)) headers[name] = Array.isArray(value) ? value.join(',') : String(value);
      seen = { path, headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
      return [200, '{}'];
    });
  await execute(request);
  if (seen === undefined) throw new Error('request did not arrive');
  return seen;
}

describe('tokenEndpointUrl', () => {
  it('points each surface and grant at its route', () => {
    expect(tokenEndpointUrl('legacy', CALCOM_CLOUD, 'authorization_code')).toBe('https://app.cal.com/api/auth/oauth/token');
    expect(tokenEndpointUrl('legacy', CALCOM_CLOUD, 'refresh_token')).toBe('https://app.cal.com/api/auth/oauth/refreshToken');
    expect(tokenEndpointUrl('v2', CALCOM_CLOUD, 'authorization_code')).toBe('https://api.cal.com/v2/auth/oauth2/token');
    expect(tokenEndpointUrl('v2', CALCOM_CLOUD, 'refresh_token')).toBe('https://api.cal.com/v2/auth/oauth2/token');
    expect(() => tokenEndpointUrl('v3' as never, CALCOM_CLOUD, 'refresh_token')).toThrow(/Unknown token surface "v3"/);
  });
});

describe('legacy surface', () => {
  it('sends the code exchange form-urlencoded', async () => {
    const secret = mintClientSecret();
    const seen = await wire(buildCodeExchangeRequest({ surface: 'legacy', instance: local, clientId: 'cid', clientSecret: secret, code: 'the-code', redirectUri: 'https://example.com/cb' }));
    expect(seen.path).toBe('/api/auth/oauth/token');
    expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.body).toBe(`grant_type=authorization_code&code=the-code&client_id=cid&redirect_uri=https%3A%2F%2Fexample.com%2Fcb&client_secret=${secret}`);
  });

  it('adds the PKCE verifier (public or confidential) and omits an empty secret', () => {
    const request = buildCodeExchangeRequest({ surface: 'legacy', instance: local, clientId: 'cid', clientSecret: '', code: 'c', redirectUri: 'https://e.com/cb', codeVerifier: 'v'.repeat(43) });
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({ grant_type: 'authorization_code', code: 'c', client_id: 'cid', redirect_uri: 'https://e.com/cb', code_verifier: 'v'.repeat(43) });
  });

  it('sends the refresh token in the form body AND as Bearer, never Basic', async () => {
    const refreshToken = mintRefreshToken();
    const secret = mintClientSecret();
    const seen = await wire(buildRefreshRequest({ surface: 'legacy', instance: local, clientId: 'cid', clientSecret: secret, refreshToken }));
    expect(seen.path).toBe('/api/auth/oauth/refreshToken');
    expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen.headers.authorization).toBe(`Bearer ${refreshToken}`);
    expect(seen.body).toBe(`grant_type=refresh_token&client_id=cid&client_secret=${secret}&refresh_token=${refreshToken}`);
  });

  it('omits client_secret for public clients', () => {
    const request = buildRefreshRequest({ surface: 'legacy', instance: local, clientId: 'cid', refreshToken: 'rt' });
    expect(request.body).toBe('grant_type=refresh_token&client_id=cid&refresh_token=rt');
  });
});

describe('v2 surface', () => {
  it('sends exactly the confidential code-exchange fields as JSON', async () => {
    const seen = await wire(buildCodeExchangeRequest({ surface: 'v2', instance: local, clientId: 'cid', clientSecret: 'sec', code: 'c', redirectUri: 'https://e.com/cb' }));
    expect(seen.path).toBe('/v2/auth/oauth2/token');
    expect(seen.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen.body)).toEqual({ client_id: 'cid', grant_type: 'authorization_code', code: 'c', redirect_uri: 'https://e.com/cb', client_secret: 'sec' });
  });

  it('sends exactly the public code-exchange fields, form-encoded on request', async () => {
    const seen = await wire(buildCodeExchangeRequest({ surface: 'v2', instance: local, clientId: 'cid', code: 'c', redirectUri: 'https://e.com/cb', codeVerifier: 'v'.repeat(43), encoding: 'form' }));
    expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen.body).toBe(`client_id=cid&grant_type=authorization_code&code=c&redirect_uri=https%3A%2F%2Fe.com%2Fcb&code_verifier=${'v'.repeat(43)}`);
  });

  it('sends exactly the refresh fields, without Authorization, redirect_uri or scope', async () => {
    const refreshToken = mintRefreshToken();
    const confidential = await wire(buildRefreshRequest({ surface: 'v2', instance: local, clientId: 'cid', clientSecret: 'sec', refreshToken }));
    expect(JSON.parse(confidential.body)).toEqual({ client_id: 'cid', grant_type: 'refresh_token', refresh_token: refreshToken, client_secret: 'sec' });
    expect(confidential.headers.authorization).toBeUndefined();
    const publicClient = buildRefreshRequest({ surface: 'v2', instance: local, clientId: 'cid', refreshToken });
    expect(Object.keys(JSON.parse(publicClient.body ?? '{}'))).toEqual(['client_id', 'grant_type', 'refresh_token']);
  });

  it('refuses a confidential exchange with a verifier and a public one without', () => {
    expect(calcomErrorFrom(() => buildCodeExchangeRequest({ surface: 'v2', instance: local, clientId: 'cid', clientSecret: 'sec', code: 'c', redirectUri: 'https://e.com/cb', codeVerifier: 'v'.repeat(43) })).message).toMatch(/refuses client_secret and code_verifier together/);
    expect(calcomErrorFrom(() => buildCodeExchangeRequest({ surface: 'v2', instance: local, clientId: 'cid', code: 'c', redirectUri: 'https://e.com/cb' })).message).toMatch(/must use PKCE/);
  });
});

describe('missing input', () => {
  it.each([
    [() => buildRefreshRequest({ surface: 'legacy', instance: local, clientId: 'cid', refreshToken: '' }), /refresh token is missing/],
    [() => buildRefreshRequest({ surface: 'v2', instance: local, clientId: '', refreshToken: 'x' }), /client ID is missing/],
    [() => buildCodeExchangeRequest({ surface: 'legacy', instance: local, clientId: 'cid', code: '', redirectUri: 'https://e.com' }), /authorization code is missing/],
    [() => buildCodeExchangeRequest({ surface: 'legacy', instance: local, clientId: 'cid', code: 'c', redirectUri: '' }), /redirect URI is missing/],
  ])('refuses %#', (fn, message) => {
    const error = calcomErrorFrom(fn);
    expect(error.kind).toBe('invalid_input');
    expect(error.message).toMatch(message);
  });
});

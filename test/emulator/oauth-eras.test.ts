import { startEmulator, type Emulator } from './index';
import { authorizeCode, getJson, postForm, postJson } from './test-helpers';

let emu: Emulator;
afterEach(async () => {
  await emu?.close();
});

describe('era 2023', () => {
  beforeEach(async () => {
    emu = await startEmulator({ era: '2023', bookings: 0 });
  });

  test('token route: {access_token, refresh_token} only, {message} errors', async () => {
    const client = emu.seeded.clients.legacy;
    const code = authorizeCode(emu, client, ['READ_BOOKING']);
    const base = { grant_type: 'authorization_code', code, client_id: client.clientId, client_secret: client.clientSecret!, redirect_uri: client.redirectUris[0]! };
    const badGrant = await postForm(`${emu.appUrl}/api/auth/oauth/token`, { ...base, grant_type: 'refresh_token' });
    expect([badGrant.status, await badGrant.json()]).toEqual([400, { message: 'grant_type invalid' }]);
    const badSecret = await postForm(`${emu.appUrl}/api/auth/oauth/token`, { ...base, client_secret: 'x' });
    expect([badSecret.status, await badSecret.json()]).toEqual([401, { message: 'Unauthorized' }]);
    const json = await postJson(`${emu.appUrl}/api/auth/oauth/token`, base);
    expect([json.status, await json.json()]).toEqual([400, { message: 'grant_type invalid' }]);
    const ok = await postForm(`${emu.appUrl}/api/auth/oauth/token`, base);
    const body = (await ok.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'refresh_token']);
  });

  test('refresh reads only the Bearer header and answers {access_token}', async () => {
    const client = emu.seeded.clients.legacy;
    const tokens = emu.mintTokens({ clientId: client.clientId, scopes: ['READ_BOOKING'] });
    const url = `${emu.appUrl}/api/auth/oauth/refreshToken`;
    const fields = { grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret! };
    const bodyOnly = await postForm(url, { ...fields, refresh_token: tokens.refresh_token });
    expect([bodyOnly.status, await bodyOnly.json()]).toEqual([401, { message: 'Unauthorized' }]);
    // Basic client auth is read as if it were the refresh token.
    const basic = await postForm(url, fields, { authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}` });
    expect(basic.status).toBe(401);
    const missing = await postForm(url, { grant_type: 'refresh_token', client_id: client.clientId }, { authorization: `Bearer ${tokens.refresh_token}` });
    expect([missing.status, await missing.json()]).toEqual([400, { message: 'Missing client id or secret' }]);
    const badGrant = await postForm(url, { ...fields, grant_type: 'x' }, { authorization: `Bearer ${tokens.refresh_token}` });
    expect([badGrant.status, await badGrant.json()]).toEqual([400, { message: 'grant type invalid' }]);
    const ok = await postForm(url, fields, { authorization: `Bearer ${tokens.refresh_token}` });
    expect(ok.status).toBe(200);
    expect(Object.keys((await ok.json()) as object)).toEqual(['access_token']);
  });

  test('consent page ignores redirect_uri, concatenates state raw, deny returns bare URI', async () => {
    const client = emu.seeded.clients.legacy;
    const registered = client.redirectUris[0]!;
    const allow = emu.approveHeadless({ clientId: client.clientId, redirectUri: client.redirectUris[1]!, scopes: ['READ_BOOKING', 'READ_PROFILE'] });
    expect(allow.startsWith(`${registered}?code=`)).toBe(true);
    expect(allow.endsWith('&state=null')).toBe(true);
    const deny = emu.approveHeadless({ clientId: client.clientId, redirectUri: registered, state: 'abc', decision: 'deny' });
    expect(deny).toBe(registered);
  });

  test('no v2 token endpoint, no scope guard on v2', async () => {
    const client = emu.seeded.clients.scoped;
    const res = await postJson(`${emu.apiUrl}/v2/auth/oauth2/token`, { client_id: client.clientId, grant_type: 'refresh_token', refresh_token: 'x', client_secret: client.clientSecret });
    expect(res.status).toBe(404);
    const tokens = emu.mintTokens({ clientId: client.clientId, scopes: ['PROFILE_READ'] });
    const bookings = await getJson(`${emu.apiUrl}/v2/bookings`, tokens.access_token, { 'cal-api-version': '2024-08-13' });
    expect(bookings.status).toBe(200);
  });
});

describe('era 2025-11', () => {
  beforeEach(async () => {
    emu = await startEmulator({ era: '2025-11', bookings: 0 });
  });

  test('body refresh token, expires_in, new refresh token, no revocation of the old one', async () => {
    const client = emu.seeded.clients.legacy;
    const tokens = emu.mintTokens({ clientId: client.clientId, scopes: ['READ_BOOKING'] });
    const url = `${emu.appUrl}/api/auth/oauth/refreshToken`;
    const fields = { grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret!, refresh_token: tokens.refresh_token };
    emu.clock.advance(2);
    const first = await postForm(url, fields);
    const body = (await first.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
    expect(body.expires_in).toBe(1800);
    // Without rotation the original refresh token keeps working.
    expect((await postForm(url, fields)).status).toBe(200);
  });

  test('RFC errors on the token route; deny carries access_denied with the raw state', async () => {
    const client = emu.seeded.clients.legacy;
    const res = await postForm(`${emu.appUrl}/api/auth/oauth/token`, { grant_type: 'authorization_code', code: 'nope', client_id: client.clientId, client_secret: client.clientSecret!, redirect_uri: client.redirectUris[0]! });
    expect([res.status, await res.json()]).toEqual([400, { error: 'invalid_grant' }]);
    const deny = emu.approveHeadless({ clientId: client.clientId, redirectUri: client.redirectUris[0]!, state: 'abc', decision: 'deny' });
    expect(deny).toBe(`${client.redirectUris[0]}?error=access_denied&state=abc`);
  });

  test('PKCE for public clients; client status is not checked yet', async () => {
    const pub = emu.seeded.clients.public;
    expect(() => emu.approveHeadless({ clientId: pub.clientId, redirectUri: pub.redirectUris[0]!, state: 's' })).toThrow('code_challenge required');
    const rejected = emu.seeded.clients.rejected;
    expect(emu.approveHeadless({ clientId: rejected.clientId, redirectUri: rejected.redirectUris[0]!, state: 's', scopes: ['READ_BOOKING'] })).toContain('code=');
  });
});

describe('era switch at run time', () => {
  test('a refresh JWT without secret (pre-rotation) is accepted once, then upgraded', async () => {
    emu = await startEmulator({ era: '2025-11', bookings: 0 });
    const client = emu.seeded.clients.legacy;
    const old = emu.mintTokens({ clientId: client.clientId, scopes: [] });
    emu.setEra('2026');
    expect(emu.era).toBe('2026');
    const url = `${emu.appUrl}/api/auth/oauth/refreshToken`;
    const fields = { grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret! };
    const upgraded = await postForm(url, { ...fields, refresh_token: old.refresh_token });
    expect(upgraded.status).toBe(200);
    const fresh = ((await upgraded.json()) as Record<string, string>).refresh_token!;
    expect((await postForm(url, { ...fields, refresh_token: fresh })).status).toBe(200);
    expect((await postForm(url, { ...fields, refresh_token: fresh })).status).toBe(400);
  });
});

import { startEmulator, pkceChallenge, decodeJwtUnsafe, type Emulator } from './index';
import { authorizeCode, exchangeLegacy, getJson, postForm, postJson } from './test-helpers';

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ era: '2026', bookings: 20 });
});
afterEach(async () => {
  await emu.close();
});

const tokenUrl = (): string => `${emu.appUrl}/api/auth/oauth/token`;
const refreshUrl = (): string => `${emu.appUrl}/api/auth/oauth/refreshToken`;
const v2TokenUrl = (): string => `${emu.apiUrl}/v2/auth/oauth2/token`;

describe('legacy token route (2026)', () => {
  test('exchanges a code for the flat body with no-store headers', async () => {
    const client = emu.seeded.clients.legacy;
    const code = authorizeCode(emu, client, ['READ_BOOKING', 'READ_PROFILE']);
    const res = await postForm(tokenUrl(), { grant_type: 'authorization_code', code, client_id: client.clientId, client_secret: client.clientSecret!, redirect_uri: client.redirectUris[0]! });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('pragma')).toBe('no-cache');
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
    expect(body.expires_in).toBe(1800);
    const claims = decodeJwtUnsafe(body.access_token as string)!;
    expect(claims).toMatchObject({ userId: 1, scope: ['READ_BOOKING', 'READ_PROFILE'], token_type: 'Access Token', clientId: client.clientId });
    expect((claims.exp as number) - (claims.iat as number)).toBe(1800);
  });

  test('rejects a JSON body with invalid_request', async () => {
    const client = emu.seeded.clients.legacy;
    const code = authorizeCode(emu, client, []);
    const res = await postJson(tokenUrl(), { grant_type: 'authorization_code', code, client_id: client.clientId, client_secret: client.clientSecret, redirect_uri: client.redirectUris[0] });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request' });
  });

  test('follows Cal.com error order and burns the code once client auth passes', async () => {
    const client = emu.seeded.clients.legacy;
    const redirect = client.redirectUris[0]!;
    const code = authorizeCode(emu, client, []);
    const base = { grant_type: 'authorization_code', code, client_id: client.clientId, client_secret: client.clientSecret!, redirect_uri: redirect };
    const attempt = async (fields: Record<string, string>) => {
      const res = await postForm(tokenUrl(), fields);
      return [res.status, await res.json()];
    };
    expect(await attempt({ ...base, grant_type: 'refresh_token' })).toEqual([400, { error: 'invalid_request' }]);
    expect(await attempt({ ...base, client_id: 'nope' })).toEqual([401, { error: 'invalid_client' }]);
    expect(await attempt({ ...base, redirect_uri: 'https://evil.example/cb' })).toEqual([400, { error: 'invalid_grant' }]);
    expect(await attempt({ ...base, client_secret: 'wrong' })).toEqual([401, { error: 'invalid_client' }]);
    // None of the failures above consumed the code: it still works once, then never again.
    expect((await attempt(base))[0]).toBe(200);
    expect(await attempt(base)).toEqual([400, { error: 'invalid_grant' }]);
  });

  test('codes expire after 10 minutes of emulated time', async () => {
    const client = emu.seeded.clients.legacy;
    const code = authorizeCode(emu, client, []);
    emu.clock.advance(601);
    const res = await postForm(tokenUrl(), { grant_type: 'authorization_code', code, client_id: client.clientId, client_secret: client.clientSecret!, redirect_uri: client.redirectUris[0]! });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_grant' });
  });
});

describe('refresh with rotation (2026)', () => {
  test('body or Bearer refresh token; the new one revokes its siblings', async () => {
    const client = emu.seeded.clients.legacy;
    const first = await exchangeLegacy(emu, client, ['READ_BOOKING']);
    const second = await exchangeLegacy(emu, client, ['READ_BOOKING']);
    emu.clock.advance(5);
    // Header-only refresh still works in 2026 (fallback).
    const viaHeader = await postForm(refreshUrl(), { grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret! }, { authorization: `Bearer ${first.refresh_token}` });
    expect(viaHeader.status).toBe(200);
    const rotated = (await viaHeader.json()) as Record<string, unknown>;
    expect(rotated).toMatchObject({ token_type: 'bearer', expires_in: 1800, scope: 'READ_BOOKING' });
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
    // Both older refresh tokens of (client, alice) are now revoked.
    for (const old of [first.refresh_token, second.refresh_token]) {
      const res = await postForm(refreshUrl(), { grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret!, refresh_token: old });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'invalid_grant' });
    }
    const again = await postForm(refreshUrl(), { grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret!, refresh_token: rotated.refresh_token as string });
    expect(again.status).toBe(200);
  });

  test('rotation is per (client, user): another user keeps their token', async () => {
    const client = emu.seeded.clients.legacy;
    const alice = emu.mintTokens({ clientId: client.clientId, userId: 1, scopes: [] });
    const bob = emu.mintTokens({ clientId: client.clientId, userId: 2, scopes: [] });
    const refresh = (rt: string) => postForm(refreshUrl(), { grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret!, refresh_token: rt });
    expect((await refresh(alice.refresh_token)).status).toBe(200);
    expect((await refresh(bob.refresh_token)).status).toBe(200);
  });

  test('expired refresh token, wrong client, missing client_id', async () => {
    const client = emu.seeded.clients.legacy;
    const other = emu.seeded.clients.scoped;
    const tokens = emu.mintTokens({ clientId: client.clientId, scopes: [] });
    const mismatch = await postForm(refreshUrl(), { grant_type: 'refresh_token', client_id: other.clientId, client_secret: other.clientSecret!, refresh_token: tokens.refresh_token });
    expect([mismatch.status, await mismatch.json()]).toEqual([400, { error: 'invalid_grant' }]);
    const missing = await postForm(refreshUrl(), { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect([missing.status, await missing.json()]).toEqual([400, { error: 'invalid_request' }]);
    emu.clock.advance(30 * 24 * 3600);
    const expired = await postForm(refreshUrl(), { grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret!, refresh_token: tokens.refresh_token });
    expect([expired.status, await expired.json()]).toEqual([400, { error: 'invalid_grant' }]);
  });
});

describe('v2 token endpoint (2026)', () => {
  test('JSON exchange and refresh with flat bodies; tokens interchangeable with the legacy route', async () => {
    const client = emu.seeded.clients.scoped;
    const code = authorizeCode(emu, client, ['BOOKING_READ']);
    const res = await postJson(v2TokenUrl(), { client_id: client.clientId, grant_type: 'authorization_code', code, redirect_uri: client.redirectUris[0], client_secret: client.clientSecret });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
    const legacyRefresh = await postForm(refreshUrl(), { grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret!, refresh_token: body.refresh_token! });
    expect(legacyRefresh.status).toBe(200);
    const viaForm = await postForm(v2TokenUrl(), { client_id: client.clientId, grant_type: 'refresh_token', refresh_token: ((await legacyRefresh.json()) as Record<string, string>).refresh_token!, client_secret: client.clientSecret! });
    expect(viaForm.status).toBe(200);
  });

  test('forbids non-whitelisted fields, including code_verifier next to a secret', async () => {
    const client = emu.seeded.clients.scoped;
    const code = authorizeCode(emu, client, ['BOOKING_READ']);
    const base = { client_id: client.clientId, grant_type: 'authorization_code', code, redirect_uri: client.redirectUris[0], client_secret: client.clientSecret };
    for (const extra of [{ scope: 'BOOKING_READ' }, { state: 'x' }, { code_verifier: 'v'.repeat(43) }]) {
      const res = await postJson(v2TokenUrl(), { ...base, ...extra });
      expect(res.status).toBe(400);
      const err = (await res.json()) as Record<string, string>;
      expect(err.error).toBe('invalid_request');
      expect(err.error_description).toContain(`property ${Object.keys(extra)[0]} should not exist`);
    }
    // The code survived the validation failures.
    expect((await postJson(v2TokenUrl(), base)).status).toBe(200);
  });

  test('pipe checks client_id and grant_type first', async () => {
    const noClient = await postJson(v2TokenUrl(), { grant_type: 'authorization_code' });
    expect(await noClient.json()).toEqual({ error: 'invalid_request', error_description: 'client_id is required' });
    const badGrant = await postJson(v2TokenUrl(), { client_id: 'x', grant_type: 'password' });
    expect(await badGrant.json()).toEqual({ error: 'invalid_request', error_description: "grant_type must be 'authorization_code' or 'refresh_token'" });
  });

  test('reason codes as error_description; wrapped style on request', async () => {
    const res = await postJson(v2TokenUrl(), { client_id: emu.seeded.clients.scoped.clientId, grant_type: 'authorization_code', code: 'nope', redirect_uri: emu.seeded.clients.scoped.redirectUris[0], client_secret: emu.seeded.clients.scoped.clientSecret });
    expect([res.status, await res.json()]).toEqual([400, { error: 'invalid_grant', error_description: 'code_invalid_or_expired' }]);
    const wrapped = await startEmulator({ v2ErrorStyle: 'wrapped', bookings: 0 });
    try {
      const c = wrapped.seeded.clients.scoped;
      const w = await postJson(`${wrapped.apiUrl}/v2/auth/oauth2/token`, { client_id: c.clientId, grant_type: 'authorization_code', code: 'nope', redirect_uri: c.redirectUris[0], client_secret: c.clientSecret });
      const body = (await w.json()) as any;
      expect(w.status).toBe(400);
      expect(body).toMatchObject({ status: 'error', error: { code: 'HttpException', details: { error: 'invalid_grant', error_description: 'Authorization code is invalid or expired' } } });
    } finally {
      await wrapped.close();
    }
  });

  test('public PKCE client: verifier required and checked', async () => {
    const client = emu.seeded.clients.public;
    const verifier = 'a'.repeat(20) + 'verifier-for-tests-0123456789';
    const code = authorizeCode(emu, client, ['BOOKING_READ'], { codeChallenge: pkceChallenge(verifier), codeChallengeMethod: 'S256' });
    const wrong = await postJson(v2TokenUrl(), { client_id: client.clientId, grant_type: 'authorization_code', code, redirect_uri: client.redirectUris[0], code_verifier: 'b'.repeat(50) });
    expect(await wrong.json()).toEqual({ error: 'invalid_grant', error_description: 'pkce_verification_failed' });
    const code2 = authorizeCode(emu, client, ['BOOKING_READ'], { codeChallenge: pkceChallenge(verifier), codeChallengeMethod: 'S256' });
    const ok = await postJson(v2TokenUrl(), { client_id: client.clientId, grant_type: 'authorization_code', code: code2, redirect_uri: client.redirectUris[0], code_verifier: verifier });
    expect(ok.status).toBe(200);
    const tokens = (await ok.json()) as Record<string, string>;
    const refreshed = await postJson(v2TokenUrl(), { client_id: client.clientId, grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(refreshed.status).toBe(200);
  });

  test('pending client works only for its owner; rejected never', async () => {
    const pending = emu.seeded.clients.pending;
    const ownerCode = authorizeCode(emu, pending, ['BOOKING_READ']);
    const owner = await postJson(v2TokenUrl(), { client_id: pending.clientId, grant_type: 'authorization_code', code: ownerCode, redirect_uri: pending.redirectUris[0], client_secret: pending.clientSecret });
    expect(owner.status).toBe(200);
    expect(() => emu.approveHeadless({ clientId: pending.clientId, redirectUri: pending.redirectUris[0]!, scopes: ['BOOKING_READ'], state: 's', userId: 2 })).toThrow('OAuth client is not approved');
    const rejected = emu.seeded.clients.rejected;
    expect(() => emu.approveHeadless({ clientId: rejected.clientId, redirectUri: rejected.redirectUris[0]!, scopes: ['BOOKING_READ'], state: 's' })).toThrow('OAuth client has been rejected');
    // A non-owner's token on the pending client cannot be refreshed.
    const bobs = emu.mintTokens({ clientId: pending.clientId, userId: 2, scopes: ['BOOKING_READ'] });
    const bobRefresh = await postJson(v2TokenUrl(), { client_id: pending.clientId, grant_type: 'refresh_token', refresh_token: bobs.refresh_token, client_secret: pending.clientSecret });
    expect([bobRefresh.status, await bobRefresh.json()]).toEqual([401, { error: 'unauthorized_client', error_description: 'client_not_approved' }]);
    expect(() => emu.mintTokens({ clientId: pending.clientId, userId: 99 })).toThrow('unknown user');
    // A refresh token minted before rejection fails with unauthorized_client.
    const minted = emu.mintTokens({ clientId: rejected.clientId, scopes: ['BOOKING_READ'] });
    const res = await postJson(v2TokenUrl(), { client_id: rejected.clientId, grant_type: 'refresh_token', refresh_token: minted.refresh_token, client_secret: rejected.clientSecret });
    expect([res.status, await res.json()]).toEqual([401, { error: 'unauthorized_client', error_description: 'client_rejected' }]);
  });
});

describe('legacy /api/auth/oauth/me', () => {
  test('201 with literal READ_PROFILE; 401 for new scopes or expired', async () => {
    const legacy = emu.mintTokens({ clientId: emu.seeded.clients.legacy.clientId, scopes: ['READ_PROFILE'] });
    const ok = await getJson(`${emu.appUrl}/api/auth/oauth/me`, legacy.access_token);
    expect([ok.status, ok.body]).toEqual([201, { username: 'alice' }]);
    const scoped = emu.mintTokens({ clientId: emu.seeded.clients.scoped.clientId, scopes: ['PROFILE_READ'] });
    const refused = await getJson(`${emu.appUrl}/api/auth/oauth/me`, scoped.access_token);
    expect([refused.status, refused.body]).toEqual([401, { message: 'Unauthorized' }]);
    emu.clock.advance(1800);
    expect((await getJson(`${emu.appUrl}/api/auth/oauth/me`, legacy.access_token)).status).toBe(401);
  });
});

import nock from 'nock';
import { accessTokenNeedsRefresh, processTokenResponse } from '../src/token-response';
import { buildRefreshRequest } from '../src/tokens';
import { resolveInstance } from '../src/instances';
import { execute, jsonResponse } from './support/fetch';
import { mintAccessToken, mintClientSecret, mintRefreshToken } from './support/tokens';
import { REFRESH_ERAS, type EraRequest } from './fixtures/refresh-eras';
import { useOfflineNock } from './support/offline-nock';
import { calcomErrorFrom } from './support/errors';

const NOW = 1_800_000_000_000;
const local = resolveInstance({ kind: 'self-hosted', appUrl: 'http://127.0.0.1:4020' });

useOfflineNock();

describe('processTokenResponse: shapes Cal.com has returned', () => {
  const access = mintAccessToken({ nowMs: NOW, ttlSeconds: 1800, scope: ['READ_BOOKING', 'READ_PROFILE'] });
  const refresh = mintRefreshToken({ nowMs: NOW });

  it('legacy token route before 2025-11-10: {access_token, refresh_token} → expiry and scopes from the JWT', () => {
    expect(processTokenResponse(jsonResponse(200, { access_token: access, refresh_token: refresh }), { now: NOW + 5000, surface: 'legacy' })).toEqual({
      accessToken: access,
      refreshToken: refresh,
      tokenType: 'bearer',
      expiresAt: NOW + 1800 * 1000,
      scopes: ['BOOKING_READ', 'PROFILE_READ'],
      surface: 'legacy',
    });
  });

  it('legacy token route since 2025-11-10: full RFC body, expiry from expires_in', () => {
    const set = processTokenResponse(jsonResponse(200, { access_token: access, token_type: 'bearer', refresh_token: refresh, expires_in: 1800 }), { now: NOW + 5000 });
    expect(set.expiresAt).toBe(NOW + 5000 + 1800 * 1000);
    expect(set.tokenType).toBe('bearer');
    expect(set.surface).toBeUndefined();
  });

  it('2026 refresh route: space-joined scope string wins over the JWT claim', () => {
    const set = processTokenResponse(jsonResponse(200, { access_token: access, token_type: 'Bearer', refresh_token: refresh, expires_in: '1800', scope: 'BOOKING_READ EVENT_TYPE_READ' }), { now: NOW });
    expect(set.scopes).toEqual(['BOOKING_READ', 'EVENT_TYPE_READ']);
    expect(set.expiresAt).toBe(NOW + 1_800_000);
  });

  it('v2 documented body with scope as an array', () => {
    expect(processTokenResponse(jsonResponse(200, { access_token: access, token_type: 'bearer', refresh_token: refresh, expires_in: 1800, scope: ['booking_read'] }), { now: NOW }).scopes).toEqual(['BOOKING_READ']);
  });

  it('wrapped {status, data} with camelCase fields (2025 v2 iterations)', () => {
    const set = processTokenResponse(jsonResponse(200, { status: 'success', data: { accessToken: access, refreshToken: refresh, accessTokenExpiresAt: NOW + 60_000 } }), { now: NOW });
    expect(set).toMatchObject({ accessToken: access, refreshToken: refresh, expiresAt: NOW + 60_000, tokenType: 'bearer' });
  });

  it('wrapped {status, data} with snake_case fields', () => {
    const set = processTokenResponse(jsonResponse(200, { status: 'success', data: { access_token: access, refresh_token: refresh, expires_in: 10 } }), { now: NOW });
    expect(set.expiresAt).toBe(NOW + 10_000);
  });

  it('keeps the previous refresh token when none comes back, and the new one when it does', () => {
    const previous = mintRefreshToken();
    expect(processTokenResponse(jsonResponse(200, { access_token: access }), { previousRefreshToken: previous }).refreshToken).toBe(previous);
    expect(processTokenResponse(jsonResponse(200, { access_token: access, refresh_token: refresh }), { previousRefreshToken: previous }).refreshToken).toBe(refresh);
    expect(processTokenResponse(jsonResponse(200, { access_token: access })).refreshToken).toBeUndefined();
  });

  it('leaves expiry unknown for an opaque token without expires_in, and scopes empty', () => {
    const set = processTokenResponse(jsonResponse(200, { access_token: 'opaque' }));
    expect(set.expiresAt).toBeUndefined();
    expect(set.scopes).toEqual([]);
    expect('expiresAt' in set).toBe(false);
  });

  it.each([
    ['no access token', jsonResponse(200, { token_type: 'bearer' }), /has no access token/],
    ['an array', jsonResponse(200, [access]), /not a JSON object/],
    ['a non-bearer token', jsonResponse(200, { access_token: access, token_type: 'mac' }), /only bearer tokens/],
    ['an HTML page', { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>login</html>' }, /HTML page instead of JSON/],
    ['a truncated body', { status: 200, headers: {}, body: '{"access_token":"ab' }, /not valid JSON/],
  ])('rejects %s as malformed_response', (_label, response, message) => {
    const error = calcomErrorFrom(() => processTokenResponse(response));
    expect(error.kind).toBe('malformed_response');
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(access);
  });

  it('throws the classified error for non-2xx answers, without the refresh token in the message', () => {
    const previous = mintRefreshToken();
    const revoked = calcomErrorFrom(() => processTokenResponse(jsonResponse(400, { error: 'invalid_grant', error_description: `refresh_token_revoked ${previous}` }), { previousRefreshToken: previous, endpoint: 'the token refresh' }));
    expect(revoked.kind).toBe('reconnect_required');
    expect(revoked.code).toBe('invalid_grant');
    expect(revoked.message).toMatch(/^Cal.com refused the token refresh/);
    expect(revoked.message).not.toContain(previous);
    expect(calcomErrorFrom(() => processTokenResponse(jsonResponse(401, { message: 'Unauthorized' }))).kind).toBe('reconnect_required');
    expect(calcomErrorFrom(() => processTokenResponse(jsonResponse(500, { error: 'server_error' }))).kind).toBe('server_unavailable');
    const missing = calcomErrorFrom(() => processTokenResponse(jsonResponse(404, { message: 'Cannot POST /v2/auth/oauth2/token' })));
    expect(missing.kind).toBe('not_found');
    expect(missing.message).toMatch(/legacy token surface/);
  });
});

describe('accessTokenNeedsRefresh', () => {
  it('refreshes inside the margin and never for unknown expiry', () => {
    expect(accessTokenNeedsRefresh({ expiresAt: NOW + 301_000 }, NOW)).toBe(false);
    expect(accessTokenNeedsRefresh({ expiresAt: NOW + 299_000 }, NOW)).toBe(true);
    expect(accessTokenNeedsRefresh({ expiresAt: NOW - 1 }, NOW, 0)).toBe(true);
    expect(accessTokenNeedsRefresh({}, NOW)).toBe(false);
  });
});

describe.each(REFRESH_ERAS)('legacy refresh against era: $name', (era) => {
  function serve(context: Parameters<typeof era.handle>[1]): void {
    nock(local.appUrl)
      .post('/api/auth/oauth/refreshToken')
      .reply(function reply(_path, body) {
        const request: EraRequest = { headers: this.req.headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
        const answer = era.handle(request, context);
        return [answer.status, JSON.stringify(answer.body), { 'content-type': 'application/json' }];
      });
  }

  it('accepts the portable request and yields a complete TokenSet', async () => {
    const clientSecret = mintClientSecret();
    const previous = mintRefreshToken();
    const issued = { accessToken: mintAccessToken({ ttlSeconds: 1800, scope: ['READ_BOOKING', 'READ_PROFILE'] }), refreshToken: mintRefreshToken() };
    serve({ clientId: 'cid', clientSecret, validRefreshToken: previous, issued });
    const before = Date.now();
    const response = await execute(buildRefreshRequest({ surface: 'legacy', instance: local, clientId: 'cid', clientSecret, refreshToken: previous }));
    const set = processTokenResponse(response, { previousRefreshToken: previous, surface: 'legacy' });
    expect(set.accessToken).toBe(issued.accessToken);
    expect(set.refreshToken).toBe(era.returnsRefreshToken ? issued.refreshToken : previous);
    expect(set.scopes).toEqual(['BOOKING_READ', 'PROFILE_READ']);
    // With or without expires_in the expiry lands 30 minutes out (from expires_in, else the JWT exp).
    expect(set.expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 1_799_000);
    expect(set.expiresAt).toBeLessThanOrEqual(Date.now() + 1_800_000);
  });

  it('refuses what a naive client sends (JSON body with Basic client auth), proving the fixture is strict', async () => {
    const clientSecret = mintClientSecret();
    const previous = mintRefreshToken();
    serve({ clientId: 'cid', clientSecret, validRefreshToken: previous, issued: { accessToken: mintAccessToken(), refreshToken: mintRefreshToken() } });
    const naive = {
      method: 'POST' as const,
      url: `${local.appUrl}/api/auth/oauth/refreshToken`,
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`cid:${clientSecret}`).toString('base64')}` },
      body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: previous }),
    };
    const response = await execute(naive);
    expect(response.status).toBeGreaterThanOrEqual(400);
    const refused = calcomErrorFrom(() => processTokenResponse(response, { previousRefreshToken: previous }));
    expect(['bad_request', 'reconnect_required']).toContain(refused.kind);
    expect(refused.message).not.toContain(previous);
    expect(refused.message).not.toContain(clientSecret);
  });

  it('reports a refused refresh token as reconnect_required', async () => {
    const clientSecret = mintClientSecret();
    serve({ clientId: 'cid', clientSecret, validRefreshToken: mintRefreshToken(), issued: { accessToken: mintAccessToken(), refreshToken: mintRefreshToken() } });
    const stale = mintRefreshToken();
    const response = await execute(buildRefreshRequest({ surface: 'legacy', instance: local, clientId: 'cid', clientSecret, refreshToken: stale }));
    const error = calcomErrorFrom(() => processTokenResponse(response, { previousRefreshToken: stale }));
    expect(error.kind).toBe('reconnect_required');
    expect(error.status).toBe(response.status);
  });
});

describe('v2 token endpoint answers', () => {
  it('reads the flat body and both error shapes', () => {
    const access = mintAccessToken({ nowMs: NOW });
    expect(processTokenResponse(jsonResponse(200, { access_token: access, token_type: 'bearer', refresh_token: 'r2', expires_in: 1800 }), { now: NOW, surface: 'v2' })).toMatchObject({
      refreshToken: 'r2',
      expiresAt: NOW + 1_800_000,
      surface: 'v2',
    });
    const flat = calcomErrorFrom(() => processTokenResponse(jsonResponse(400, { error: 'invalid_grant', error_description: 'code_invalid_or_expired' })));
    expect(flat).toMatchObject({ kind: 'reconnect_required', code: 'invalid_grant' });
    const wrapped = calcomErrorFrom(() =>
      processTokenResponse(jsonResponse(400, { status: 'error', timestamp: 't', path: '/v2/auth/oauth2/token', error: { code: 'HttpException', message: 'Authorization code is invalid or expired', details: { error: 'invalid_grant', error_description: 'Authorization code is invalid or expired' } } })),
    );
    expect(wrapped).toMatchObject({ kind: 'reconnect_required', code: 'invalid_grant' });
    const extraField = calcomErrorFrom(() => processTokenResponse(jsonResponse(400, { error: 'invalid_request', error_description: 'scope property is wrong,property scope should not exist' })));
    expect(extraField).toMatchObject({ kind: 'bad_request', code: 'invalid_request' });
    expect(extraField.message).toContain('property scope should not exist');
  });
});

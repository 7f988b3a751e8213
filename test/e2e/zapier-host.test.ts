/**
 * The Zapier-like host's own behaviour (stale-auth refresh and retry, single-flight refresh, deduper
 * priming, reconnect path), checked with nock against the real app so that the end-to-end test and
 * the main job can rely on it.
 */
import nock from 'nock';
import App from '../../zapier-app/src/index';
import { guardNetwork, mint } from '../../zapier-app/test/helpers';
import { createZapierHost, type ZapierHostEvent } from '../hosts/zapier-host';

const API = 'https://api.cal.com';
const env = () => ({ CLIENT_ID: 'host-test-client', CLIENT_SECRET: mint('secret'), CALCOM_INSTANCE: 'cloud', CALCOM_TOKEN_SURFACE: 'v2' });
const eventTypes = (ids: number[]) => ({ status: 'success', data: ids.map((id) => ({ id, title: `Meeting ${id}`, slug: `m-${id}`, lengthInMinutes: 30 })) });

guardNetwork();

describe('Zapier host', () => {
  it('primes the deduper on the first poll, then returns only unseen ids', async () => {
    const accessToken = mint('at');
    const host = createZapierHost({ app: App, env: env(), authData: { access_token: accessToken, refresh_token: mint('rt') } });
    const api = nock(API, { reqheaders: { authorization: `Bearer ${accessToken}` } });
    api.get('/v2/event-types').reply(200, eventTypes([1, 2]));
    api.get('/v2/event-types').reply(200, eventTypes([1, 2, 3]));
    api.get('/v2/event-types').reply(200, eventTypes([1, 2, 3]));

    expect(await host.poll('event_type_list')).toEqual([]);
    expect((await host.poll('event_type_list')).map((item) => item.id)).toEqual(['3']);
    expect(await host.poll('event_type_list')).toEqual([]);
    expect(host.stats).toMatchObject({ polls: 3, emitted: 1, refreshes: 0 });
  });

  it("refreshes on Cal.com's 403 expiry answer, stores the rotated tokens and retries once", async () => {
    const oldAccess = mint('at');
    const oldRefresh = mint('rt');
    const newAccess = mint('at');
    const newRefresh = mint('rt');
    const events: ZapierHostEvent[] = [];
    const stored: Record<string, string>[] = [];
    const host = createZapierHost({
      app: App,
      env: env(),
      authData: { access_token: oldAccess, refresh_token: oldRefresh },
      onEvent: (event) => events.push(event),
      onAuthDataChange: (authData) => stored.push(authData),
    });
    nock(API, { reqheaders: { authorization: `Bearer ${oldAccess}` } })
      .get('/v2/event-types')
      .reply(403, { status: 'error', error: { code: 'ForbiddenException', message: `PermissionsGuard - no oAuth client found for access token=${oldAccess}` } });
    nock(API)
      .post('/v2/auth/oauth2/token', (body) => body.grant_type === 'refresh_token' && body.refresh_token === oldRefresh)
      .reply(200, { access_token: newAccess, token_type: 'bearer', refresh_token: newRefresh, expires_in: 1800 });
    nock(API, { reqheaders: { authorization: `Bearer ${newAccess}` } }).get('/v2/event-types').reply(200, eventTypes([5]));

    const items = await host.loadSample('event_type_list');
    expect(items.map((item) => item.id)).toEqual(['5']);
    expect(host.authData).toMatchObject({ access_token: newAccess, refresh_token: newRefresh });
    expect(stored).toHaveLength(1);
    expect(events.map((event) => event.type)).toEqual(['call', 'stale-auth', 'refresh', 'call']);
  });

  it('serializes concurrent operations so a rotating refresh token is spent once', async () => {
    const oldRefresh = mint('rt');
    const newAccess = mint('at');
    const host = createZapierHost({ app: App, env: env(), authData: { access_token: mint('at'), refresh_token: oldRefresh } });
    nock(API).get('/v2/me').reply(401, { status: 'error' });
    nock(API).post('/v2/auth/oauth2/token').once().reply(200, { access_token: newAccess, token_type: 'bearer', refresh_token: mint('rt'), expires_in: 1800 });
    nock(API, { reqheaders: { authorization: `Bearer ${newAccess}` } })
      .get('/v2/me')
      .twice()
      .reply(200, { status: 'success', data: { id: 3, email: 'grace@example.com', name: 'Grace', username: null, timeZone: 'UTC' } });
    nock(API, { reqheaders: { authorization: `Bearer ${newAccess}` } }).get('/v2/event-types').reply(200, eventTypes([1]));

    const [profile, label, sample] = await Promise.all([host.runAuthTest(), host.label(), host.loadSample('event_type_list')]);
    expect(profile).toMatchObject({ id: 3 });
    expect(label).toBe('grace@example.com');
    expect(sample).toHaveLength(1);
    expect(host.stats.refreshes).toBe(1);
  });

  it('marks the connection stale when the refresh token is revoked, and runs nothing more', async () => {
    const host = createZapierHost({ app: App, env: env(), authData: { access_token: mint('at'), refresh_token: mint('rt') } });
    nock(API).get('/v2/me').reply(401, {});
    nock(API).post('/v2/auth/oauth2/token').reply(400, { error: 'invalid_grant', error_description: 'refresh_token_revoked' });
    await expect(host.runAuthTest()).rejects.toMatchObject({ name: 'ExpiredAuthError' });
    expect(host.stale).toBe(true);
    await expect(host.poll('event_type_list')).rejects.toThrow(/reconnected/);
  });
});

/**
 * Two self-hosted Cal.coms side by side in one app, over real HTTP: a current one (2026, v2 token
 * endpoint) and an older one (2023, legacy routes only, header-only refresh). Each connection is made
 * through the connect form, polls and refreshes; each emulator's request log must show only its own
 * connection's client, and the older one the v2 attempt, then the legacy routes.
 */
import nock from 'nock';
import { defaultIntegrationScopes } from '@calcom-oauth/shared';
import { startEmulator, type Emulator } from '../../../test/emulator';
import { createZapierHost, type ZapierHost } from '../../../test/hosts/zapier-host';
import App from '../../src/index';
import { REDIRECT_URI } from '../helpers';
import { usePublicEnv } from './helpers';

jest.setTimeout(60_000);

let current: Emulator;
let older: Emulator;

beforeAll(async () => {
  nock.enableNetConnect();
  [current, older] = await Promise.all([startEmulator({ era: '2026', bookings: 5 }), startEmulator({ era: '2023', bookings: 5 })]);
});
afterAll(async () => {
  await Promise.all([current?.close(), older?.close()]);
  // Jest reuses the worker: this file's nock interceptor must not outlive it.
  nock.restore();
});

interface Connected {
  host: ZapierHost;
  fields: Record<string, string>;
}

async function connectTo(emulator: Emulator, scopes?: readonly string[]): Promise<Connected> {
  const client = emulator.registerClient({ name: 'Zapier', redirectUris: [REDIRECT_URI], ...(scopes === undefined ? {} : { scopes: [...scopes] }) });
  const fields = {
    region: 'self-hosted',
    app_url: emulator.appUrl,
    api_url: emulator.apiUrl,
    self_hosted_client_id: client.clientId,
    self_hosted_client_secret: client.clientSecret ?? '',
  };
  const host = createZapierHost({ app: App });
  const state = `state-${client.clientId.slice(0, 8)}`;
  const authorize = new URL(await host.authorizeUrl({ state, redirectUri: REDIRECT_URI, fields }));
  expect(authorize.origin).toBe(emulator.appUrl);
  expect(authorize.searchParams.get('client_id')).toBe(client.clientId);
  const requested = (authorize.searchParams.get('scope') ?? '').split(',').filter(Boolean);
  const location = new URL(emulator.approveHeadless({ clientId: client.clientId, redirectUri: REDIRECT_URI, scopes: requested, state }));
  await host.connect({ code: location.searchParams.get('code') ?? '', redirectUri: REDIRECT_URI, state, fields });
  return { host, fields };
}

/** Every client id an emulator received, in query or body (the log masks secrets, not client ids). */
function clientIdsSeenBy(emulator: Emulator): Set<string> {
  const seen = new Set<string>();
  for (const entry of emulator.requestLog()) {
    for (const match of `${entry.path} ${entry.body}`.matchAll(/client_id[=":]+([0-9a-f]{16,})/g)) seen.add(match[1] as string);
  }
  return seen;
}

describe('two self-hosted Cal.coms, one app', () => {
  it('each connection finds its token surface, polls and refreshes on its own Cal.com with its own client', async () => {
    usePublicEnv();
    const modern = await connectTo(current, defaultIntegrationScopes('v2'));
    const legacy = await connectTo(older);
    expect(modern.host.authData).toMatchObject({ region: 'self-hosted', token_surface: 'v2', app_url: current.appUrl });
    expect(legacy.host.authData).toMatchObject({ region: 'self-hosted', token_surface: 'legacy', app_url: older.appUrl });
    expect(legacy.host.authData.scope ?? '').not.toMatch(/BOOKING_WRITE/);
    await expect(modern.host.label()).resolves.toBe(`${current.seeded.users.alice.username} · ${new URL(current.appUrl).host}`);
    await expect(legacy.host.label()).resolves.toBe(`${older.seeded.users.alice.username} · ${new URL(older.appUrl).host}`);

    for (const [emulator, connection] of [[current, modern], [older, legacy]] as const) {
      await connection.host.poll('booking_created');
      const made = emulator.generator.createBooking({ userId: 1 });
      // Past the access token's lifetime: the poll refreshes on this connection's surface, then retries.
      emulator.clock.advance(1801);
      const items = await connection.host.poll('booking_created');
      expect(items.map((item) => String(item.id))).toContain(made.uid);
      expect(connection.host.stats.refreshes).toBe(1);
      expect(connection.host.stale).toBe(false);
    }

    expect(clientIdsSeenBy(current)).toEqual(new Set([modern.fields.self_hosted_client_id]));
    expect(clientIdsSeenBy(older)).toEqual(new Set([legacy.fields.self_hosted_client_id]));
    const olderPaths = older.requestLog().map((entry) => `${entry.method} ${entry.path.split('?')[0]} ${entry.status}`);
    expect(olderPaths).toEqual(expect.arrayContaining(['POST /v2/auth/oauth2/token 404', 'POST /api/auth/oauth/token 200', 'POST /api/auth/oauth/refreshToken 200']));
    // The remembered surface: the refresh went straight to the legacy route, no second v2 attempt.
    expect(olderPaths.filter((path) => path.startsWith('POST /v2/auth/oauth2/token')).length).toBe(2);
    expect(current.requestLog().some((entry) => entry.path.startsWith('/api/auth/oauth/'))).toBe(false);
  });
});

/**
 * The Zapier app end to end, through zapier-platform-core (the Zapier-like host over createAppTester)
 * against the local Cal.com emulator: connect (authorize URL → consent → code exchange) on both token
 * surfaces, test and label, the event-type dropdown, and every booking trigger as a Zap would poll it
 * (deduper priming, then only new events), including an access token that expires between polls.
 */
import { startEmulator, type Emulator } from '../emulator';
import App from '../../zapier-app/src/index';
import { createZapierHost, type ZapierHost, type ZapierHostEvent } from '../hosts/zapier-host';

const REDIRECT_URI = 'https://zapier.com/dashboard/auth/oauth/return/CalcomOAuthCLIAPI/';
const BOOKING_TRIGGERS = ['booking_created', 'booking_rescheduled', 'booking_cancelled', 'booking_requested', 'booking_rejected', 'meeting_ended', 'booking_updated'];

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ era: '2026', bookings: 40 });
});
afterAll(async () => {
  await emulator?.close();
});

function appEnv(client: { clientId: string; clientSecret?: string }, surface: 'v2' | 'legacy'): Record<string, string> {
  return {
    CALCOM_INSTANCE: 'self-hosted',
    CALCOM_APP_URL: emulator.appUrl,
    CALCOM_API_URL: emulator.apiUrl,
    CALCOM_TOKEN_SURFACE: surface,
    // The seeded client is registered for the triggers' scopes only, so this is a triggers-only
    // deployment (the README's setting); the default also asks for BOOKING_WRITE, which it would refuse.
    ...(surface === 'v2' ? { CALCOM_SCOPES: 'BOOKING_READ,EVENT_TYPE_READ,PROFILE_READ' } : {}),
    CLIENT_ID: client.clientId,
    CLIENT_SECRET: client.clientSecret ?? '',
  };
}

/** Zapier's OAuth dance: its authorize URL, the user's Allow on Cal.com's consent page, the code exchange. */
async function connect(host: ZapierHost, clientId: string): Promise<Record<string, string>> {
  const state = `zap-${Math.random().toString(36).slice(2)}`;
  const authorize = new URL(await host.authorizeUrl({ state, redirectUri: REDIRECT_URI }));
  expect(authorize.origin).toBe(emulator.appUrl);
  expect(authorize.searchParams.get('client_id')).toBe(clientId);
  const scopes = (authorize.searchParams.get('scope') ?? '').split(',').filter(Boolean);
  const location = new URL(emulator.approveHeadless({ clientId, redirectUri: REDIRECT_URI, scopes, state }));
  expect(location.searchParams.get('state')).toBe(state);
  const code = location.searchParams.get('code');
  expect(code).toBeTruthy();
  return host.connect({ code: code as string, redirectUri: REDIRECT_URI, state });
}

const ids = (items: { id?: unknown }[]) => items.map((item) => String(item.id));

describe('Zapier app on the emulator, v2 token surface (scoped client)', () => {
  const events: ZapierHostEvent[] = [];
  let host: ZapierHost;

  beforeAll(() => {
    const client = emulator.seeded.clients.scoped;
    host = createZapierHost({ app: App, env: appEnv(client, 'v2'), onEvent: (event) => events.push(event) });
  });

  it('connects: authorize URL with state and scopes, consent, code exchange, test and label', async () => {
    const authData = await connect(host, emulator.seeded.clients.scoped.clientId);
    expect(authData.access_token).toBeTruthy();
    expect(authData.refresh_token).toBeTruthy();
    // expires_in (1800 s) counted from this machine's clock: the emulator's is frozen in the past.
    expect(Math.abs(Date.parse(authData.expires_at ?? '') - (Date.now() + 1800 * 1000))).toBeLessThan(10_000);
    expect(authData.scope?.split(' ').sort()).toEqual(['BOOKING_READ', 'EVENT_TYPE_READ', 'PROFILE_READ']);
    await expect(host.runAuthTest()).resolves.toMatchObject({ id: emulator.seeded.users.alice.id });
    await expect(host.label()).resolves.toBe(emulator.seeded.users.alice.username);
  });

  it("fills the event-type dropdown with the user's event types", async () => {
    const page = await host.dropdown('event_type_list');
    const own = emulator.store.eventTypesOf(1).map((eventType) => String(eventType.id)).sort();
    expect(ids(page).sort()).toEqual(own);
    await expect(host.dropdown('event_type_list', 1)).resolves.toEqual([]);
  });

  it('"Test trigger" returns at most three real bookings with the sample\'s keys', async () => {
    const sample = await host.loadSample('booking_created');
    expect(sample.length).toBeGreaterThan(0);
    expect(sample.length).toBeLessThanOrEqual(3);
    const sampleKeys = Object.keys((App.triggers?.booking_created as { operation: { sample: object } }).operation.sample).sort();
    expect(Object.keys(sample[0] as object).sort()).toEqual(sampleKeys);
  });

  it('every trigger: the first poll primes the deduper, later polls report exactly the new events', async () => {
    for (const key of BOOKING_TRIGGERS) await expect(host.poll(key)).resolves.toEqual([]);

    const created = emulator.generator.createBooking({ userId: 1 });
    const requested = emulator.generator.createBooking({ userId: 1, requiresConfirmation: true });
    const toReject = emulator.generator.createBooking({ userId: 1, requiresConfirmation: true });
    const toCancel = emulator.generator.createBooking({ userId: 1 });
    const toMove = emulator.generator.createBooking({ userId: 1 });
    emulator.clock.advance(60);
    emulator.generator.cancelBooking(toCancel.uid, 'No longer needed');
    emulator.generator.rejectBooking(toReject.uid, 'Fully booked');
    const moved = emulator.generator.rescheduleBooking(toMove.uid, toMove.start + 2 * 86_400_000, { reason: 'Clash' });

    const newBookings = ids(await host.poll('booking_created'));
    expect(newBookings).toEqual(expect.arrayContaining([created.uid, toCancel.uid, toMove.uid]));
    expect(newBookings).not.toContain(moved.uid);
    expect(newBookings).not.toContain(requested.uid);

    const reschedules = await host.poll('booking_rescheduled');
    expect(ids(reschedules)).toEqual([moved.uid]);
    expect(reschedules[0]).toMatchObject({ rescheduledFromUid: toMove.uid, previousStart: new Date(toMove.start).toISOString() });

    expect(ids(await host.poll('booking_cancelled'))).toEqual([toCancel.uid]);
    expect(ids(await host.poll('booking_rejected'))).toEqual([toReject.uid]);
    // Stateless listing reports what is true now: a request already rejected by the time of the poll is
    // reported by Booking Rejected only.
    expect(ids(await host.poll('booking_requested'))).toEqual([requested.uid]);

    const updates = ids(await host.poll('booking_updated'));
    expect(updates).toEqual(expect.arrayContaining([toCancel.uid, toReject.uid, toMove.uid].map((uid) => `${uid}:${new Date(emulator.store.booking(uid).updatedAt ?? 0).toISOString()}`)));

    // Nothing changed: every trigger reports nothing new.
    for (const key of BOOKING_TRIGGERS) await expect(host.poll(key)).resolves.toEqual([]);

    // Confirming a request reports it as a new booking, and changes it once more.
    emulator.clock.advance(60);
    emulator.generator.confirmBooking(requested.uid);
    expect(ids(await host.poll('booking_created'))).toEqual([requested.uid]);
    expect(ids(await host.poll('booking_updated'))).toEqual([`${requested.uid}:${new Date(emulator.clock.now()).toISOString()}`]);
    expect(host.stats.refreshes).toBe(0);
  });

  it('a token that expires between polls is refreshed (rotated) and the poll retried, and nothing is lost or repeated', async () => {
    const before = host.authData;
    emulator.clock.advance(1801);
    const late = emulator.generator.createBooking({ userId: 1 });
    events.length = 0;
    expect(ids(await host.poll('booking_created'))).toEqual([late.uid]);
    expect(host.stats.refreshes).toBe(1);
    expect(host.authData.access_token).not.toBe(before.access_token);
    expect(host.authData.refresh_token).not.toBe(before.refresh_token);
    expect(events.map((event) => event.type)).toEqual(['call', 'stale-auth', 'refresh', 'call', 'poll']);

    // The rotated refresh token was stored: the next expiry refreshes again instead of needing a reconnect.
    const meeting = emulator.generator.createBooking({ userId: 1, start: emulator.clock.now() + 3_600_000, durationMinutes: 30 });
    emulator.generator.endMeeting(meeting.uid);
    emulator.clock.advance(1801);
    expect(ids(await host.poll('meeting_ended'))).toContain(meeting.uid);
    expect(host.stats.refreshes).toBe(2);
    expect(host.stale).toBe(false);
  });

  it('filters by event type', async () => {
    const [first, second] = emulator.store.eventTypesOf(1);
    const filter = { eventTypeIds: [String(first?.id)] };
    await host.poll('booking_created', filter);
    const inFilter = emulator.generator.createBooking({ userId: 1, eventTypeId: first?.id });
    const outside = emulator.generator.createBooking({ userId: 1, eventTypeId: second?.id });
    const seen = ids(await host.poll('booking_created', filter));
    expect(seen).toContain(inFilter.uid);
    expect(seen).not.toContain(outside.uid);
  });
});

describe('Zapier app on the emulator, legacy token surface (legacy client)', () => {
  it('connects with legacy scope names, polls, and refreshes through the legacy route', async () => {
    const client = emulator.seeded.clients.legacy;
    const host = createZapierHost({ app: App, env: appEnv(client, 'legacy') });
    const authData = await connect(host, client.clientId);
    expect(authData.refresh_token).toBeTruthy();
    await expect(host.label()).resolves.toBe(emulator.seeded.users.alice.username);

    await host.poll('booking_cancelled');
    const booking = emulator.generator.createBooking({ userId: 1 });
    emulator.clock.advance(1801);
    emulator.generator.cancelBooking(booking.uid, 'Moved abroad');
    const cancelled = await host.poll('booking_cancelled');
    expect(ids(cancelled)).toEqual([booking.uid]);
    expect(cancelled[0]).toMatchObject({ cancellationReason: 'Moved abroad', status: 'cancelled' });
    expect(host.stats.refreshes).toBe(1);
    expect(host.authData.refresh_token).not.toBe(authData.refresh_token);
    const refreshes = emulator.requestLog().filter((entry) => entry.path === '/api/auth/oauth/refreshToken');
    expect(refreshes.length).toBeGreaterThan(0);
  });
});

describe('Zapier app on an older self-hosted Cal.com (era 2023: header-only refresh, no rotation, no expires_in)', () => {
  let old: Emulator;
  beforeAll(async () => {
    old = await startEmulator({ era: '2023', bookings: 10 });
  });
  afterAll(async () => {
    await old?.close();
  });

  it('connects on the legacy surface, refreshes with the Bearer header and keeps the unrotated refresh token', async () => {
    // A client of that era has one redirect URI, Zapier's: the consent page always returns there.
    const client = old.registerClient({ name: 'Zapier', redirectUris: [REDIRECT_URI] });
    const host = createZapierHost({
      app: App,
      env: { CALCOM_INSTANCE: 'self-hosted', CALCOM_APP_URL: old.appUrl, CALCOM_API_URL: old.apiUrl, CALCOM_TOKEN_SURFACE: 'legacy', CLIENT_ID: client.clientId, CLIENT_SECRET: client.clientSecret ?? '' },
    });
    const state = 'old-instance-state';
    const authorize = new URL(await host.authorizeUrl({ state, redirectUri: REDIRECT_URI }));
    expect(authorize.searchParams.get('scope')).toBe('READ_BOOKING,READ_PROFILE');
    const location = new URL(old.approveHeadless({ clientId: client.clientId, redirectUri: REDIRECT_URI, scopes: ['READ_BOOKING', 'READ_PROFILE'], state }));
    expect(location.searchParams.get('state')).toBe(state);
    const authData = await host.connect({ code: location.searchParams.get('code') ?? '', redirectUri: REDIRECT_URI, state });
    // No expires_in in 2023: the expiry comes from the access token's own exp claim.
    expect(Date.parse(authData.expires_at ?? '')).toBe(old.clock.now() + 1800 * 1000);
    await expect(host.label()).resolves.toBe(old.seeded.users.alice.username);

    await host.poll('booking_created');
    old.clock.advance(1801);
    const booking = old.generator.createBooking({ userId: 1 });
    expect(ids(await host.poll('booking_created'))).toEqual([booking.uid]);
    expect(host.stats.refreshes).toBe(1);
    expect(host.authData.refresh_token).toBe(authData.refresh_token);
    expect(host.authData.access_token).not.toBe(authData.access_token);
  });
});

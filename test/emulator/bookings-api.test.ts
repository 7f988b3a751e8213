import { startEmulator, type Booking, type Emulator } from './index';
import { BOOKINGS_VERSION, getJson } from './test-helpers';

let emu: Emulator;
let token: string;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeEach(async () => {
  emu = await startEmulator({ era: '2026', bookings: 0, startAt: '2026-03-02T09:00:00Z' });
  token = emu.mintTokens({ clientId: emu.seeded.clients.legacy.clientId, scopes: ['READ_BOOKING', 'READ_PROFILE'] }).access_token;
});
afterEach(async () => {
  await emu.close();
});

const list = (query = '', headers: Record<string, string> = BOOKINGS_VERSION, bearer = token) =>
  getJson(`${emu.apiUrl}/v2/bookings${query}`, bearer, headers);
const uids = (body: { data: Array<{ uid: string }> }): string[] => body.data.map((b) => b.uid);

describe('GET /v2/bookings 2024-08-13', () => {
  test('every field of the booking object and the pagination envelope', async () => {
    const now = emu.clock.now();
    const original = emu.generator.createBooking({ start: now + 2 * DAY, attendees: [{ email: 'guest@example.org', name: 'Guest One', phoneNumber: '+441234' }], guests: ['g2@example.org'], metadata: { source: 'test' } });
    emu.clock.advance(60);
    const replacement = emu.generator.rescheduleBooking(original.uid, now + 3 * DAY, { reason: 'Clash', byEmail: 'guest@example.org' });
    const { status, body } = await list('?sortCreated=asc');
    expect(status).toBe(200);
    expect(body.status).toBe('success');
    expect(body.pagination).toEqual({ totalItems: 2, remainingItems: 0, returnedItems: 2, itemsPerPage: 100, currentPage: 1, totalPages: 1, hasNextPage: false, hasPreviousPage: false });
    const [cancelled, moved] = body.data;
    expect(cancelled).toMatchObject({
      id: original.id, uid: original.uid, status: 'cancelled', cancellationReason: '', rescheduledToUid: replacement.uid,
      rescheduledByEmail: 'guest@example.org', start: new Date(now + 2 * DAY).toISOString(), duration: 30,
      eventTypeId: 1, eventType: { id: 1, slug: '30min' }, absentHost: false, rating: null, icsUid: `${original.uid}@Cal.com`,
      hosts: [{ id: 1, name: 'Alice Example', email: 'alice@example.com', username: 'alice', timeZone: 'Europe/London' }],
      attendees: [{ name: 'Guest One', email: 'guest@example.org', timeZone: 'Europe/London', language: 'en', absent: false, phoneNumber: '+441234' }],
      guests: ['g2@example.org'], metadata: { source: 'test' }, createdAt: new Date(now).toISOString(), updatedAt: new Date(now + 60_000).toISOString(),
    });
    expect(cancelled.location).toBe(cancelled.meetingUrl);
    expect(moved).toMatchObject({ status: 'accepted', rescheduledFromUid: original.uid, reschedulingReason: 'Clash', updatedAt: null, cancelledByEmail: '' });
    for (const key of ['title', 'description', 'end', 'bookingFieldsResponses']) expect(moved).toHaveProperty(key);
  });

  test('status filters against the emulated clock, cancelled includes rejected', async () => {
    const now = emu.clock.now();
    const g = emu.generator;
    const past = g.createBooking({ start: now - 2 * DAY, createdAt: now - 5 * DAY });
    const upcoming = g.createBooking({ start: now + DAY });
    const pending = g.createBooking({ start: now + 2 * DAY, requiresConfirmation: true });
    const awaiting = g.createBooking({ start: now + 2 * DAY, awaitingHost: true });
    const cancelled = g.cancelBooking(g.createBooking({ start: now + 3 * DAY }).uid, 'Sick');
    const rejected = g.rejectBooking(g.createBooking({ start: now + 3 * DAY, requiresConfirmation: true }).uid);
    const series = g.createRecurringSeries(2, { start: now + 4 * DAY });
    const of = async (q: string) => new Set(uids((await list(q)).body));
    expect(await of('?status=past')).toEqual(new Set([past.uid]));
    expect(await of('?status=upcoming')).toEqual(new Set([upcoming.uid, pending.uid, awaiting.uid, ...series.map((b) => b.uid)]));
    expect(await of('?status=unconfirmed')).toEqual(new Set([pending.uid]));
    expect(await of('?status=cancelled')).toEqual(new Set([cancelled.uid, rejected.uid]));
    expect(await of('?status=recurring')).toEqual(new Set(series.map((b) => b.uid)));
    expect(await of('?status=past,cancelled')).toEqual(new Set([past.uid, cancelled.uid, rejected.uid]));
    const body = (await list(`?bookingUid=${awaiting.uid}`)).body;
    expect(body.data[0].status).toBe('awaiting_host');
    expect(body.data.find((b: { recurringBookingUid?: string }) => b.recurringBookingUid)).toBeUndefined();
    const rec = (await list(`?bookingUid=${series[0]!.uid}`)).body.data[0];
    expect(rec.recurringBookingUid).toBe(series[0]!.recurringEventId);
    // The meeting ends → upcoming becomes past.
    g.endMeeting(upcoming.uid);
    // A day passed: the old access token expired, as it would have.
    token = emu.mintTokens({ clientId: emu.seeded.clients.legacy.clientId, scopes: [] }).access_token;
    expect(await of('?status=past')).toEqual(new Set([past.uid, upcoming.uid]));
  });

  test('time filters are inclusive; afterUpdatedAt skips null updatedAt', async () => {
    const now = emu.clock.now();
    const a = emu.generator.createBooking({ start: now + DAY });
    const b = emu.generator.createBooking({ start: now + 2 * DAY });
    emu.clock.advance(10);
    const c = emu.generator.createBooking({ start: now + 3 * DAY });
    emu.generator.cancelBooking(a.uid);
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(uids((await list(`?afterCreatedAt=${iso(now + 10_000)}`)).body)).toEqual([c.uid]);
    expect(uids((await list(`?beforeCreatedAt=${iso(now)}`)).body)).toEqual([a.uid, b.uid]);
    expect(uids((await list(`?afterUpdatedAt=${iso(now)}`)).body)).toEqual([a.uid]);
    expect(uids((await list(`?afterUpdatedAt=${iso(now + 10_001)}`)).body)).toEqual([]);
    expect(uids((await list(`?beforeUpdatedAt=${iso(now + 10_000)}`)).body)).toEqual([a.uid]);
    expect(uids((await list(`?afterStart=${iso(now + 2 * DAY)}`)).body)).toEqual([b.uid, c.uid]);
    expect(uids((await list(`?beforeEnd=${iso(now + 2 * DAY + 30 * 60_000)}`)).body)).toEqual([a.uid, b.uid]);
  });

  test('sorting: first present sort wins; single past/cancelled status defaults to desc; nulls last asc', async () => {
    const now = emu.clock.now();
    const early = emu.generator.createBooking({ start: now + 3 * DAY, createdAt: now - 3 * DAY });
    const late = emu.generator.createBooking({ start: now + DAY, createdAt: now - DAY });
    const never = emu.generator.createBooking({ start: now + 2 * DAY, createdAt: now - 2 * DAY });
    emu.clock.advance(5);
    emu.generator.cancelBooking(early.uid);
    emu.clock.advance(5);
    emu.generator.cancelBooking(late.uid);
    expect(uids((await list('')).body)).toEqual([late.uid, never.uid, early.uid]);
    expect(uids((await list('?sortCreated=desc&sortStart=asc')).body)).toEqual([late.uid, never.uid, early.uid]);
    expect(uids((await list('?sortCreated=desc')).body)).toEqual([late.uid, never.uid, early.uid]);
    expect(uids((await list('?sortCreated=asc')).body)).toEqual([early.uid, never.uid, late.uid]);
    expect(uids((await list('?sortUpdatedAt=asc')).body)).toEqual([early.uid, late.uid, never.uid]);
    expect(uids((await list('?sortUpdatedAt=desc')).body)).toEqual([never.uid, late.uid, early.uid]);
    expect(uids((await list('?status=cancelled')).body)).toEqual([early.uid, late.uid]);
    expect(uids((await list('?status=upcoming')).body)).toEqual([never.uid]);
  });

  test('take, skip, pagination arithmetic and validation', async () => {
    const now = emu.clock.now();
    for (let i = 0; i < 7; i += 1) emu.generator.createBooking({ start: now + (i + 1) * HOUR });
    const page = (await list('?take=3&skip=3')).body;
    expect(page.pagination).toEqual({ totalItems: 7, remainingItems: 1, returnedItems: 3, itemsPerPage: 3, currentPage: 2, totalPages: 3, hasNextPage: true, hasPreviousPage: true });
    const last = (await list('?take=3&skip=6')).body.pagination;
    expect([last.returnedItems, last.hasNextPage, last.remainingItems]).toEqual([1, false, 0]);
    const empty = (await list('?status=past')).body.pagination;
    expect([empty.totalItems, empty.currentPage, empty.totalPages]).toEqual([0, 0, 0]);
    for (const [q, message] of [['?take=251', 'take must not be greater than 250'], ['?take=0', 'take must not be less than 1'], ['?status=done', 'status must be one of'], ['?afterUpdatedAt=yesterday', 'afterUpdatedAt must be a valid ISO 8601 date string'], ['?sortCreated=up', 'sortCreated must be one of']] as const) {
      const res = await list(q);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('BadRequestException');
      expect(res.body.error.message).toContain(message);
    }
    expect((await list('?take=250&unknownParam=1')).status).toBe(200);
  });

  test('eventTypeIds and attendee visibility', async () => {
    const now = emu.clock.now();
    const thirty = emu.generator.createBooking({ start: now + DAY, eventTypeId: 1 });
    const sixty = emu.generator.createBooking({ start: now + DAY, eventTypeId: 2 });
    const bobs = emu.generator.createBooking({ userId: 2, start: now + DAY, attendees: [{ email: 'alice@example.com' }] });
    emu.generator.createBooking({ userId: 2, start: now + DAY });
    expect(new Set(uids((await list('?eventTypeIds=1,2')).body))).toEqual(new Set([thirty.uid, sixty.uid]));
    expect(uids((await list('?eventTypeIds=2')).body)).toEqual([sixty.uid]);
    expect(new Set(uids((await list('')).body))).toEqual(new Set([thirty.uid, sixty.uid, bobs.uid]));
  });

  test('missing or unknown cal-api-version serves the older shape; other known versions 404', async () => {
    emu.generator.createBooking({});
    for (const headers of [{}, { 'cal-api-version': '2099-01-01' }] as Array<Record<string, string>>) {
      const res = await list('', headers);
      expect(res.status).toBe(200);
      expect(Array.isArray(res.body.data)).toBe(false);
      expect(res.body.data.bookings[0]).toHaveProperty('startTime');
      expect(res.body).not.toHaveProperty('pagination');
    }
    expect((await list('', { 'cal-api-version': '2024-06-14' })).status).toBe(404);
  });
});

describe('v2 authentication and scope guard', () => {
  test('expired token: 403 echoing the token on bookings, 401 on /v2/me', async () => {
    emu.clock.advance(1800);
    const bookings = await list('');
    expect(bookings.status).toBe(403);
    expect(bookings.body).toMatchObject({ status: 'error', path: '/v2/bookings', error: { code: 'ForbiddenException', message: `PermissionsGuard - no oAuth client found for access token=${token}` } });
    expect(bookings.body.timestamp).toBe(emu.clock.iso());
    const me = await getJson(`${emu.apiUrl}/v2/me`, token);
    expect(me.status).toBe(401);
    expect((await list('', BOOKINGS_VERSION, 'not-a-jwt')).status).toBe(403);
    expect((await getJson(`${emu.apiUrl}/v2/bookings`, undefined, BOOKINGS_VERSION)).status).toBe(401);
  });

  test('a refresh token is not an access token', async () => {
    const { refresh_token } = emu.mintTokens({ clientId: emu.seeded.clients.legacy.clientId, scopes: [] });
    expect((await getJson(`${emu.apiUrl}/v2/me`, refresh_token)).status).toBe(401);
  });

  test('legacy and empty-scope tokens are unrestricted; new scopes are enforced', async () => {
    const scopedClient = emu.seeded.clients.scoped.clientId;
    const none = emu.mintTokens({ clientId: emu.seeded.clients.legacy.clientId, scopes: [] }).access_token;
    for (const t of [token, none]) {
      expect((await getJson(`${emu.apiUrl}/v2/me`, t)).status).toBe(200);
      expect((await getJson(`${emu.apiUrl}/v2/schedules`, t, { 'cal-api-version': '2024-06-11' })).status).toBe(200);
    }
    const profileOnly = emu.mintTokens({ clientId: scopedClient, scopes: ['PROFILE_READ'] }).access_token;
    const me = await getJson(`${emu.apiUrl}/v2/me`, profileOnly);
    expect(me.status).toBe(200);
    expect(me.body.data).toMatchObject({ id: 1, email: 'alice@example.com', username: 'alice', timeZone: 'Europe/London', defaultScheduleId: 1 });
    const refused = await list('', BOOKINGS_VERSION, profileOnly);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('insufficient_scope: token does not have the required scopes. Required: BOOKING_READ. Token has: PROFILE_READ');
    const bookingOnly = emu.mintTokens({ clientId: scopedClient, scopes: ['BOOKING_READ'] }).access_token;
    expect((await list('', BOOKINGS_VERSION, bookingOnly)).status).toBe(200);
    expect((await getJson(`${emu.apiUrl}/v2/me`, bookingOnly)).status).toBe(403);
    expect((await getJson(`${emu.apiUrl}/v2/event-types`, bookingOnly, { 'cal-api-version': '2024-06-14' })).status).toBe(403);
  });

  test('event types and schedules in their pinned versions', async () => {
    const t = emu.mintTokens({ clientId: emu.seeded.clients.scoped.clientId, scopes: ['EVENT_TYPE_READ', 'SCHEDULE_READ'] }).access_token;
    const types = await getJson(`${emu.apiUrl}/v2/event-types`, t, { 'cal-api-version': '2024-06-14' });
    expect(types.status).toBe(200);
    expect(types.body.data.map((e: { slug: string }) => e.slug)).toEqual(['30min', '60min', 'consultation', 'discovery', 'flexible', 'intro-approval', 'weekly-coaching']);
    expect(types.body.data[0]).toMatchObject({ id: 1, lengthInMinutes: 30, title: '30 min meeting', ownerId: 1 });
    const one = await getJson(`${emu.apiUrl}/v2/event-types/2`, t, { 'cal-api-version': '2024-06-14' });
    expect(one.body.data.slug).toBe('60min');
    const old = await getJson(`${emu.apiUrl}/v2/event-types`, t);
    expect(old.body.data).toHaveProperty('eventTypeGroups');
    const schedules = await getJson(`${emu.apiUrl}/v2/schedules`, t, { 'cal-api-version': '2024-06-11' });
    expect(schedules.body.data[0]).toMatchObject({ id: 1, ownerId: 1, isDefault: true, timeZone: 'Europe/London' });
    const def = await getJson(`${emu.apiUrl}/v2/schedules/default`, t, { 'cal-api-version': '2024-06-11' });
    expect(def.body.data.id).toBe(1);
  });

  test('event types without a decorator (M-2512 option) refuse new-scope tokens', async () => {
    const strict = await startEmulator({ eventTypesRequireScope: false, bookings: 0 });
    try {
      const t = strict.mintTokens({ clientId: strict.seeded.clients.scoped.clientId, scopes: ['EVENT_TYPE_READ'] }).access_token;
      const res = await getJson(`${strict.apiUrl}/v2/event-types`, t, { 'cal-api-version': '2024-06-14' });
      expect([res.status, res.body.error.message]).toEqual([403, 'insufficient_scope: this endpoint is not available for third-party OAuth tokens']);
    } finally {
      await strict.close();
    }
  });
});

describe('origins', () => {
  test('API routes are not on the app origin and vice versa', async () => {
    expect((await getJson(`${emu.appUrl}/v2/me`, token)).status).toBe(404);
    expect((await getJson(`${emu.apiUrl}/api/auth/oauth/me`, token)).status).toBe(404);
  });

  test('singleOrigin serves both on one port', async () => {
    const single = await startEmulator({ singleOrigin: true, bookings: 0 });
    try {
      expect(single.appUrl).toBe(single.apiUrl);
      const t = single.mintTokens({ clientId: single.seeded.clients.legacy.clientId, scopes: ['READ_PROFILE'] }).access_token;
      expect((await getJson(`${single.apiUrl}/v2/me`, t)).status).toBe(200);
      expect((await getJson(`${single.appUrl}/api/auth/oauth/me`, t)).status).toBe(201);
    } finally {
      await single.close();
    }
  });
});

export type { Booking };

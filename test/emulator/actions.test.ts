import { createServer, request, type Server } from 'node:http';
import { startEmulator, type Emulator } from './index';

let emu: Emulator;
let legacy: string;
const BOOKINGS = { 'cal-api-version': '2024-08-13' };
const SLOTS = { 'cal-api-version': '2024-09-04' };
// Monday 2026-03-02 09:00Z; alice works Mon–Fri 09:00–17:00 Europe/London (GMT in March), 120 min notice.
const TUESDAY_9 = '2026-03-03T09:00:00.000Z';
const attendee = { name: 'Ada Lovelace', email: 'ada@example.org', timeZone: 'Europe/Paris' };

beforeEach(async () => {
  emu = await startEmulator({ era: '2026', bookings: 0, startAt: '2026-03-02T09:00:00Z' });
  legacy = token(['READ_BOOKING', 'READ_PROFILE']);
});
afterEach(async () => {
  await emu.close();
});

function token(scopes: string[], userId = 1): string {
  const client = scopes.every((s) => s.startsWith('READ_')) ? emu.seeded.clients.legacy : emu.seeded.clients.scoped;
  return emu.mintTokens({ clientId: client.clientId, userId, scopes }).access_token;
}

interface Answer { status: number; body: any; headers: Headers }

async function call(method: string, path: string, options: { body?: unknown; raw?: string; bearer?: string | null; headers?: Record<string, string> } = {}): Promise<Answer> {
  const bearer = options.bearer === undefined ? legacy : options.bearer;
  const headers: Record<string, string> = { ...(options.headers ?? BOOKINGS) };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${emu.apiUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

const create = (body: Record<string, unknown>, options: { bearer?: string | null; headers?: Record<string, string> } = {}) =>
  call('POST', '/v2/bookings', { body, ...options });
const slots = (query: string, options: { bearer?: string | null; headers?: Record<string, string> } = {}) =>
  call('GET', `/v2/slots?${query}`, { headers: SLOTS, ...options });

describe('POST /v2/bookings', () => {
  test('201 with the 2024-08-13 booking; the store and the polling list see it, so "New Booking" fires', async () => {
    const created = await create({ start: TUESDAY_9, eventTypeId: 1, attendee, guests: ['g@example.org'], metadata: { crm: '42' } });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('success');
    expect(created.body.data).toMatchObject({
      status: 'accepted', start: TUESDAY_9, end: '2026-03-03T09:30:00.000Z', duration: 30, eventType: { id: 1, slug: '30min' },
      attendees: [{ name: 'Ada Lovelace', email: 'ada@example.org', timeZone: 'Europe/Paris', language: 'en', absent: false }],
      guests: ['g@example.org'], metadata: { crm: '42' }, hosts: [{ id: 1, username: 'alice' }],
    });
    expect(created.body.data.uid).toMatch(/^[1-9A-HJ-NP-Za-km-z]{22}$/);
    expect(emu.countBookings({ attendeeEmail: 'ADA@example.org', start: TUESDAY_9 })).toBe(1);
    const polled = await call('GET', `/v2/bookings?afterCreatedAt=${encodeURIComponent(emu.clock.iso())}`);
    expect(polled.body.data.map((b: { uid: string }) => b.uid)).toEqual([created.body.data.uid]);
  });

  test('by eventTypeSlug + username, anonymously, and with a new-scope token that lacks every booking scope', async () => {
    expect((await create({ start: TUESDAY_9, eventTypeSlug: '30min', username: 'alice', attendee }, { bearer: null })).status).toBe(201);
    const profileOnly = token(['PROFILE_READ']);
    expect((await create({ start: '2026-03-03T10:00:00Z', eventTypeId: 1, attendee }, { bearer: profileOnly })).status).toBe(201);
  });

  test('an expired token is a 401 on this public endpoint, and nothing is written', async () => {
    emu.clock.advance(1801);
    const refused = await create({ start: TUESDAY_9, eventTypeId: 1, attendee });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('UnauthorizedException');
    expect(emu.countBookings({ attendeeEmail: attendee.email, start: TUESDAY_9 })).toBe(0);
  });

  test('forbidNonWhitelisted and the required fields, in the v2 error envelope', async () => {
    const unknown = await create({ start: TUESDAY_9, eventTypeId: 1, attendee, startTime: TUESDAY_9 });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ status: 'error', error: { code: 'BadRequestException', message: 'startTime property is wrong,property startTime should not exist' } });
    const nested = await create({ start: TUESDAY_9, eventTypeId: 1, attendee: { ...attendee, locale: 'en' } });
    expect(nested.body.error.message).toBe('attendee property is wrong,property locale should not exist');
    const missing = await create({ eventTypeId: 1, attendee: { name: 'X', timeZone: 'Mars/Olympus' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('start property is wrong,start must be a valid ISO 8601 date string');
    expect(missing.body.error.message).toContain('timeZone must be a valid IANA time-zone');
    expect(missing.body.error.message).toContain('Attendee must have at least one contact method (email or phone number)');
    const noEventType = await create({ start: TUESDAY_9, attendee });
    expect(noEventType.body.error.message).toBe('Either eventTypeId or eventTypeSlug + username or eventTypeSlug + teamSlug must be provided');
    expect((await create({ start: TUESDAY_9, eventTypeId: 999, attendee })).status).toBe(404);
    expect((await call('POST', '/v2/bookings', { raw: '' })).body.error.message).toBe('Body is required');
  });

  test('a required booking field names the field; a wrong option is refused; a complete answer books', async () => {
    const missing = await create({ start: TUESDAY_9, eventTypeId: 7, attendee, bookingFieldsResponses: { company: 'Acme' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/^Missing required booking field response: budget - it is required by the event type/);
    const badOption = await create({ start: TUESDAY_9, eventTypeId: 7, attendee, bookingFieldsResponses: { company: 'Acme', budget: 'lots' } });
    expect(badOption.body.error.message).toBe("Invalid option 'lots' for booking field 'budget'. Allowed options are: <10k, 10k-50k, >50k.");
    const ok = await create({ start: TUESDAY_9, eventTypeId: 7, attendee, bookingFieldsResponses: { company: 'Acme', budget: '<10k' } });
    expect(ok.status).toBe(201);
    expect(ok.body.data.bookingFieldsResponses).toMatchObject({ company: 'Acme', budget: '<10k', email: attendee.email });
  });

  test('a taken slot, the past and out-of-bounds times each get their own 400', async () => {
    expect((await create({ start: TUESDAY_9, eventTypeId: 1, attendee })).status).toBe(201);
    const taken = await create({ start: TUESDAY_9, eventTypeId: 2, attendee: { ...attendee, email: 'other@example.org' } });
    expect(taken.status).toBe(400);
    expect(taken.body.error.message).toBe('User either already has booking at this time or is not available');
    const offHours = await create({ start: '2026-03-03T20:00:00Z', eventTypeId: 1, attendee });
    expect(offHours.body.error.message).toBe('User either already has booking at this time or is not available');
    const past = await create({ start: '2026-03-02T08:00:00Z', eventTypeId: 1, attendee });
    expect(past.body.error.message).toBe('Attempting to book a meeting in the past.');
    const tooSoon = await create({ start: '2026-03-02T10:00:00Z', eventTypeId: 1, attendee });
    expect(tooSoon.status).toBe(400);
    expect(tooSoon.body.error.message).toMatch(/^The event type can't be booked at the "start" time provided\. .*minimum booking notice.*GET \/v2\/slots/);
  });

  test('requires confirmation → pending; recurring → an array of the series; several durations → the chosen length', async () => {
    const pending = await create({ start: TUESDAY_9, eventTypeId: 9, attendee });
    expect(pending.body.data.status).toBe('pending');
    const series = await create({ start: '2026-03-04T10:00:00Z', eventTypeId: 10, attendee });
    expect(series.status).toBe(201);
    expect(Array.isArray(series.body.data)).toBe(true);
    expect(series.body.data.map((b: { start: string }) => b.start)).toEqual(['2026-03-04', '2026-03-11', '2026-03-18', '2026-03-25'].map((d) => `${d}T10:00:00.000Z`));
    expect(new Set(series.body.data.map((b: { recurringBookingUid: string }) => b.recurringBookingUid)).size).toBe(1);
    const long = await create({ start: '2026-03-05T13:15:00Z', eventTypeId: 8, attendee, lengthInMinutes: 60 });
    expect(long.body.data).toMatchObject({ duration: 60, end: '2026-03-05T14:15:00.000Z' });
    expect((await create({ start: '2026-03-05T15:00:00Z', eventTypeId: 8, attendee, lengthInMinutes: 45 })).status).toBe(400);
  });

  test('without cal-api-version: the 2024-04-15 controller and its own body', async () => {
    const newShape = await create({ start: TUESDAY_9, eventTypeId: 1, attendee }, { headers: {} });
    expect(newShape.status).toBe(400);
    expect(newShape.body.error.details.message).toContain('responses must be an object');
    const old = await create({ start: TUESDAY_9, eventTypeId: 1, timeZone: 'Europe/Paris', language: 'en', metadata: {}, responses: { name: 'Ada', email: 'ada@example.org' } }, { headers: {} });
    expect(old.status).toBe(201);
    expect(old.body.data).toMatchObject({ startTime: TUESDAY_9, status: 'ACCEPTED' });
    expect(old.body.data.start).toBeUndefined();
  });

  test('two concurrent creates of one slot: one 201, one 409 from the idempotency key, one booking', async () => {
    emu.holdConcurrentCreates(2);
    const [a, b] = await Promise.all([
      create({ start: TUESDAY_9, eventTypeId: 1, attendee }),
      create({ start: TUESDAY_9, eventTypeId: 1, attendee: { ...attendee, email: 'b@example.org' } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const conflict = a.status === 409 ? a : b;
    expect(conflict.body.error.message).toBe('Invalid Input: Trying to create a record that already exists.');
    expect(emu.countBookings({ attendeeEmail: attendee.email, start: TUESDAY_9 }) + emu.countBookings({ attendeeEmail: 'b@example.org', start: TUESDAY_9 })).toBe(1);
  });
});

describe('faults on writes', () => {
  test('time-out after commit: no answer, but the booking exists', async () => {
    emu.faults.inject({ kind: 'timeout-after-commit', match: '/v2/bookings', method: 'POST' });
    const aborted = await fetch(`${emu.apiUrl}/v2/bookings`, {
      method: 'POST', headers: { ...BOOKINGS, 'content-type': 'application/json', authorization: `Bearer ${legacy}` },
      body: JSON.stringify({ start: TUESDAY_9, eventTypeId: 1, attendee }), signal: AbortSignal.timeout(300),
    }).then(() => 'answered', (err: Error) => err.name);
    expect(aborted).toBe('TimeoutError');
    expect(emu.countBookings({ attendeeEmail: attendee.email, start: TUESDAY_9 })).toBe(1);
    expect(emu.requestLog().at(-1)).toMatchObject({ method: 'POST', status: null, fault: 'timeout-after-commit' });
  });

  test('reset after commit: the connection dies, the booking exists; a retry is then a taken slot', async () => {
    emu.faults.inject({ kind: 'reset-after-commit', match: '/v2/bookings', method: 'POST' });
    const failed = await create({ start: TUESDAY_9, eventTypeId: 1, attendee }).then(() => 'answered', () => 'reset');
    expect(failed).toBe('reset');
    expect(emu.countBookings({ attendeeEmail: attendee.email, start: TUESDAY_9 })).toBe(1);
    expect((await create({ start: TUESDAY_9, eventTypeId: 1, attendee })).status).toBe(400);
  });

  test('5xx before commit writes nothing; 5xx after commit has written; 429 applies to writes', async () => {
    emu.faults.inject({ kind: 'status', status: 503, match: '/v2/bookings', method: 'POST' });
    expect((await create({ start: TUESDAY_9, eventTypeId: 1, attendee })).status).toBe(503);
    expect(emu.countBookings({ attendeeEmail: attendee.email, start: TUESDAY_9 })).toBe(0);
    emu.faults.inject({ kind: 'status-after-commit', status: 502, match: '/v2/bookings', method: 'POST' });
    expect((await create({ start: TUESDAY_9, eventTypeId: 1, attendee })).status).toBe(502);
    expect(emu.countBookings({ attendeeEmail: attendee.email, start: TUESDAY_9 })).toBe(1);
    emu.faults.inject({ kind: 'status', status: 429, match: /\/cancel$/ });
    const uid = emu.store.bookings.values().next().value!.uid;
    const throttled = await call('POST', `/v2/bookings/${uid}/cancel`, { body: {} });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('x-ratelimit-reset-default')).toBe('60');
    expect(emu.store.booking(uid).status).toBe('ACCEPTED');
  });
});

describe('GET /v2/bookings/{uid}', () => {
  test('public with or without a token; 404 for an unknown uid; the old shape without the version', async () => {
    const { uid } = (await create({ start: TUESDAY_9, eventTypeId: 1, attendee })).body.data;
    expect((await call('GET', `/v2/bookings/${uid}`, { bearer: null })).body.data).toMatchObject({ uid, status: 'accepted' });
    expect((await call('GET', `/v2/bookings/${uid}`, { bearer: token(['PROFILE_READ']) })).status).toBe(200);
    const unknown = await call('GET', '/v2/bookings/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('Booking with uid=nope was not found in the database');
    expect((await call('GET', `/v2/bookings/${uid}`, { headers: {} })).body.data).toMatchObject({ uid, startTime: TUESDAY_9, status: 'ACCEPTED' });
  });
});

describe('cancel', () => {
  test('200 with a reason; {} is enough; the body is required; cancelling twice is Cal.com\'s 400; updatedAt moves', async () => {
    const { uid } = (await create({ start: TUESDAY_9, eventTypeId: 1, attendee })).body.data;
    expect((await call('POST', `/v2/bookings/${uid}/cancel`, { raw: '' })).body.error.message).toBe('Body is required');
    const unknown = await call('POST', `/v2/bookings/${uid}/cancel`, { body: { reason: 'x' } });
    expect(unknown.body.error.message).toBe('reason property is wrong,property reason should not exist');
    emu.clock.advance(60);
    const cancelled = await call('POST', `/v2/bookings/${uid}/cancel`, { body: { cancellationReason: 'Sick' } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).toMatchObject({ uid, status: 'cancelled', cancellationReason: 'Sick', cancelledByEmail: 'alice@example.com', updatedAt: emu.clock.iso() });
    const again = await call('POST', `/v2/bookings/${uid}/cancel`, { body: {} });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toBe('This booking has already been cancelled.');
    const { uid: other } = (await create({ start: '2026-03-03T10:00:00Z', eventTypeId: 1, attendee })).body.data;
    expect((await call('POST', `/v2/bookings/${other}/cancel`, { body: {} })).body.data.status).toBe('cancelled');
  });

  test('cancelSubsequentBookings cancels this and later occurrences and answers the series', async () => {
    const series = (await create({ start: '2026-03-04T10:00:00Z', eventTypeId: 10, attendee })).body.data as Array<{ uid: string }>;
    const answer = await call('POST', `/v2/bookings/${series[1]!.uid}/cancel`, { body: { cancelSubsequentBookings: true } });
    expect(answer.status).toBe(200);
    expect(answer.body.data.map((b: { status: string }) => b.status)).toEqual(['accepted', 'cancelled', 'cancelled', 'cancelled']);
  });
});

describe('reschedule', () => {
  test('201 with the new booking; the old one is cancelled with rescheduledToUid; a second reschedule names the new uid', async () => {
    const { uid } = (await create({ start: TUESDAY_9, eventTypeId: 1, attendee })).body.data;
    const unknown = await call('POST', `/v2/bookings/${uid}/reschedule`, { body: { start: '2026-03-04T09:00:00Z', reason: 'x' } });
    expect(unknown.body.error.message).toBe('reason property is wrong,property reason should not exist');
    const moved = await call('POST', `/v2/bookings/${uid}/reschedule`, { body: { start: '2026-03-04T09:00:00Z', reschedulingReason: 'Flight', rescheduledBy: 'ada@example.org' } });
    expect(moved.status).toBe(201);
    expect(moved.body.data).toMatchObject({ start: '2026-03-04T09:00:00.000Z', status: 'accepted', rescheduledFromUid: uid, reschedulingReason: 'Flight' });
    const newUid = moved.body.data.uid as string;
    expect(newUid).not.toBe(uid);
    const old = (await call('GET', `/v2/bookings/${uid}`)).body.data;
    expect(old).toMatchObject({ status: 'cancelled', rescheduledToUid: newUid, rescheduledByEmail: 'ada@example.org' });
    const again = await call('POST', `/v2/bookings/${uid}/reschedule`, { body: { start: '2026-03-05T09:00:00Z' } });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toBe(`Can't reschedule booking with uid=${uid} because it has been cancelled and rescheduled already to booking with uid=${newUid}. You probably want to reschedule ${newUid} instead by passing it within the request URL.`);
    await call('POST', `/v2/bookings/${newUid}/cancel`, { body: {} });
    expect((await call('POST', `/v2/bookings/${newUid}/reschedule`, { body: { start: '2026-03-05T09:00:00Z' } })).body.error.message)
      .toBe(`Can't reschedule booking with uid=${newUid} because it has been cancelled. Please provide uid of a booking that is not cancelled.`);
    // Only 2024-08-13 has the route.
    expect((await call('POST', `/v2/bookings/${uid}/reschedule`, { body: { start: '2026-03-05T09:00:00Z' }, headers: {} })).status).toBe(404);
  });

  test('a booking may move onto a time overlapping its own slot, not onto another booking', async () => {
    // The flexible type steps by 15 minutes, so 09:15 is a slot that overlaps the booking's own 09:00–09:30.
    const { uid } = (await create({ start: TUESDAY_9, eventTypeId: 8, attendee })).body.data;
    await create({ start: '2026-03-03T11:00:00Z', eventTypeId: 1, attendee });
    expect((await call('POST', `/v2/bookings/${uid}/reschedule`, { body: { start: '2026-03-03T09:15:00Z' } })).status).toBe(201);
    const blocked = (await create({ start: '2026-03-03T13:00:00Z', eventTypeId: 1, attendee })).body.data.uid as string;
    const clash = await call('POST', `/v2/bookings/${blocked}/reschedule`, { body: { start: '2026-03-03T11:00:00Z' } });
    expect(clash.body.error.message).toBe('User either already has booking at this time or is not available');
  });
});

describe('confirm and decline', () => {
  test('BOOKING_WRITE: a scoped token without it gets 403 insufficient_scope; an expired one 403 from the PermissionsGuard', async () => {
    const { uid } = (await create({ start: TUESDAY_9, eventTypeId: 9, attendee })).body.data;
    const readOnly = await call('POST', `/v2/bookings/${uid}/confirm`, { bearer: token(['BOOKING_READ']) });
    expect(readOnly.status).toBe(403);
    expect(readOnly.body.error.message).toBe('insufficient_scope: token does not have the required scopes. Required: BOOKING_WRITE. Token has: BOOKING_READ');
    const writer = token(['BOOKING_READ', 'BOOKING_WRITE']);
    emu.clock.advance(1801);
    const expired = await call('POST', `/v2/bookings/${uid}/confirm`, { bearer: writer });
    expect(expired.status).toBe(403);
    expect(expired.body.error.message).toMatch(/^PermissionsGuard - no oAuth client found for access token=/);
  });

  test('only the owner, only pending; confirm fires the trigger path (updatedAt) and decline rejects with the reason', async () => {
    const writer = token(['BOOKING_READ', 'BOOKING_WRITE']);
    const { uid } = (await create({ start: TUESDAY_9, eventTypeId: 9, attendee })).body.data;
    const bob = await call('POST', `/v2/bookings/${uid}/confirm`, { bearer: token(['BOOKING_WRITE'], 2) });
    expect(bob.status).toBe(401);
    expect(bob.body.error.message).toBe('User is not authorized to confirm this booking');
    emu.clock.advance(30);
    const confirmed = await call('POST', `/v2/bookings/${uid}/confirm`, { bearer: writer });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.data).toMatchObject({ uid, status: 'accepted', updatedAt: emu.clock.iso() });
    const twice = await call('POST', `/v2/bookings/${uid}/confirm`, { bearer: writer });
    expect(twice.status).toBe(400);
    expect(twice.body.error.message).toBe('Booking already confirmed');
    expect((await call('POST', `/v2/bookings/${uid}/decline`, { bearer: writer, body: {} })).body.error.message).toBe('Booking already confirmed');
    const { uid: other } = (await create({ start: '2026-03-03T10:00:00Z', eventTypeId: 9, attendee })).body.data;
    const declined = await call('POST', `/v2/bookings/${other}/decline`, { bearer: writer, body: { reason: 'Fully booked' } });
    expect(declined.body.data).toMatchObject({ status: 'rejected', cancellationReason: 'Fully booked' });
    expect((await call('POST', `/v2/bookings/${other}/confirm`, { bearer: writer })).status).toBe(400);
    expect((await call('POST', `/v2/bookings/${other}/confirm`, { bearer: writer, headers: {} })).status).toBe(404);
  });
});

describe('mark-absent and guests', () => {
  test('mark-absent after the start: host and attendees flags', async () => {
    let writer = token(['BOOKING_WRITE']);
    const { uid } = (await create({ start: '2026-03-02T11:00:00Z', eventTypeId: 1, attendee })).body.data;
    const early = await call('POST', `/v2/bookings/${uid}/mark-absent`, { bearer: writer, body: { host: true } });
    expect(early.status).toBe(400);
    expect(early.body.error.message).toMatch(/^Bookings can only be marked as absent after their scheduled start time/);
    emu.clock.advance(3 * 3600);
    writer = token(['BOOKING_WRITE']);
    const marked = await call('POST', `/v2/bookings/${uid}/mark-absent`, { bearer: writer, body: { host: false, attendees: [{ email: attendee.email, absent: true }] } });
    expect(marked.status).toBe(200);
    expect(marked.body.data).toMatchObject({ absentHost: false, attendees: [{ email: attendee.email, absent: true }] });
    expect((await call('POST', `/v2/bookings/${uid}/mark-absent`, { bearer: token(['BOOKING_READ']), body: {} })).status).toBe(403);
  });

  test('guests: at most 10 per request and 30 per booking; 5 requests a minute per token, then 429 with the reset', async () => {
    const { uid } = (await create({ start: TUESDAY_9, eventTypeId: 1, attendee })).body.data;
    const guests = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ email: `g${from + i}@example.org` }));
    const writer = token(['BOOKING_WRITE']);
    const eleven = await call('POST', `/v2/bookings/${uid}/guests`, { bearer: writer, body: { guests: guests(11) } });
    expect(eleven.status).toBe(400);
    expect(eleven.body.error.details.message).toEqual(['guests must contain no more than 10 elements']);
    for (const from of [0, 10, 20]) expect((await call('POST', `/v2/bookings/${uid}/guests`, { bearer: writer, body: { guests: guests(10, from) } })).status).toBe(200);
    expect(emu.store.booking(uid).guests).toHaveLength(30);
    const thirtyFirst = await call('POST', `/v2/bookings/${uid}/guests`, { bearer: writer, body: { guests: guests(1, 30) } });
    expect(thirtyFirst.status).toBe(400);
    expect(thirtyFirst.headers.get('x-ratelimit-remaining-default')).toBe('0');
    const sixth = await call('POST', `/v2/bookings/${uid}/guests`, { bearer: writer, body: { guests: guests(1, 40) } });
    expect(sixth.status).toBe(429);
    expect(sixth.body.error.code).toBe('ThrottlerException');
    expect(sixth.headers.get('x-ratelimit-limit-default')).toBe('5');
    expect(Number(sixth.headers.get('x-ratelimit-reset-default'))).toBeGreaterThan(0);
    // Another token has its own bucket (bob's, as a token minted in the same second for alice would be the same JWT).
    expect((await call('POST', `/v2/bookings/${uid}/guests`, { bearer: token(['BOOKING_WRITE'], 2), body: { guests: guests(1, 0) } })).status).toBe(200);
  });
});

describe('GET /v2/slots', () => {
  test('2024-09-04 only; start/end required; unknown parameters refused', async () => {
    expect((await slots('eventTypeId=1&start=2026-03-03&end=2026-03-03', { headers: BOOKINGS })).status).toBe(404);
    expect((await slots('eventTypeId=1&start=2026-03-03&end=2026-03-03', { headers: {} })).status).toBe(404);
    const unknown = await slots('eventTypeId=1&start=2026-03-03&end=2026-03-03&slotFormat=range');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe('slotFormat property is wrong,property slotFormat should not exist');
    expect((await slots('eventTypeId=1&end=2026-03-03')).body.error.message).toBe('start property is wrong,start must be a valid ISO 8601 date string');
    emu.clock.advance(1801);
    expect((await slots('eventTypeId=1&start=2026-03-03&end=2026-03-03')).status).toBe(401);
    expect((await slots('eventTypeId=1&start=2026-03-03&end=2026-03-03', { bearer: null })).status).toBe(200);
  });

  test('from the schedule, the length and the notice, offset-formatted in timeZone; a booked slot disappears', async () => {
    const today = await slots('eventTypeId=1&start=2026-03-02&end=2026-03-02');
    expect(today.status).toBe(200);
    // 120 minutes of notice from 09:00: the first slot is 11:00; the last 30-minute slot starts 16:30.
    expect(today.body.data['2026-03-02'][0]).toEqual({ start: '2026-03-02T11:00:00.000Z' });
    expect(today.body.data['2026-03-02'].at(-1)).toEqual({ start: '2026-03-02T16:30:00.000Z' });
    expect(today.body.data['2026-03-02']).toHaveLength(12);
    const paris = await slots('eventTypeId=1&start=2026-03-03T00:00:00Z&end=2026-03-03T23:59:59Z&timeZone=Europe/Paris&format=range');
    expect(paris.body.data['2026-03-03'][0]).toEqual({ start: '2026-03-03T10:00:00.000+01:00', end: '2026-03-03T10:30:00.000+01:00' });
    await create({ start: TUESDAY_9, eventTypeId: 1, attendee });
    const after = await slots('eventTypeId=1&start=2026-03-03&end=2026-03-03');
    expect(after.body.data['2026-03-03'].map((s: { start: string }) => s.start)).not.toContain(TUESDAY_9);
    expect(after.body.data['2026-03-03'][0]).toEqual({ start: '2026-03-03T09:30:00.000Z' });
    // The 60-minute type loses both slots that overlap the booking.
    const hour = await slots('eventTypeId=2&start=2026-03-03&end=2026-03-03');
    expect(hour.body.data['2026-03-03'][0].start).toBe('2026-03-03T10:00:00.000Z');
    expect((await slots('eventTypeId=1&start=2026-03-07&end=2026-03-08')).body.data).toEqual({});
    const flexible = await slots('eventTypeId=8&start=2026-03-03&end=2026-03-03&duration=60');
    expect(flexible.body.data['2026-03-03'].slice(0, 3).map((s: { start: string }) => s.start)).toEqual(['2026-03-03T09:30:00.000Z', '2026-03-03T09:45:00.000Z', '2026-03-03T10:00:00.000Z']);
  });
});

describe('GET /v2/event-types/{id}', () => {
  test('booking fields, durations, recurrence and confirmation of the seeded action event types', async () => {
    const get = (id: number) => call('GET', `/v2/event-types/${id}`, { headers: { 'cal-api-version': '2024-06-14' } });
    const discovery = (await get(7)).body.data;
    expect(discovery.bookingFields).toEqual(expect.arrayContaining([
      expect.objectContaining({ slug: 'company', type: 'text', label: 'Company', required: true }),
      expect.objectContaining({ slug: 'budget', type: 'select', required: true, options: ['<10k', '10k-50k', '>50k'] }),
      expect.objectContaining({ slug: 'source', type: 'radio', required: false }),
      expect.objectContaining({ slug: 'email', type: 'email', required: true }),
    ]));
    expect(discovery.locations).toEqual([{ type: 'integrations:daily' }, { type: 'phone' }]);
    expect((await get(8)).body.data).toMatchObject({ lengthInMinutes: 30, lengthInMinutesOptions: [15, 30, 60], slotInterval: 15 });
    expect((await get(9)).body.data.requiresConfirmation).toBe(true);
    expect((await get(10)).body.data.recurrence).toEqual({ frequency: 'weekly', interval: 1, occurrences: 4 });
    expect((await call('GET', '/v2/event-types/7', { bearer: token(['BOOKING_READ']), headers: { 'cal-api-version': '2024-06-14' } })).status).toBe(403);
  });
});

describe('webhooks', () => {
  test('an API create reaches a Zapier subscription like a generator change', async () => {
    let delivered = '';
    const server = await new Promise<Server>((resolve) => {
      const s = createServer((req, res) => {
        req.on('data', (c: Buffer) => { delivered += c.toString(); });
        req.on('end', () => res.end('ok'));
      });
      s.listen(0, '127.0.0.1', () => resolve(s));
    });
    const port = (server.address() as { port: number }).port;
    const sub = await new Promise<number>((resolve, reject) => {
      const r = request(`${emu.appUrl}/api/integrations/zapier/addSubscription`, { method: 'POST', headers: { authorization: `Bearer ${legacy}`, 'content-type': 'application/json' } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
      r.on('error', reject);
      r.end(JSON.stringify({ subscriberUrl: `http://127.0.0.1:${port}/hook`, triggerEvent: 'BOOKING_CREATED' }));
    });
    expect(sub).toBeLessThan(300);
    const { uid } = (await create({ start: TUESDAY_9, eventTypeId: 1, attendee })).body.data;
    await emu.settleWebhooks();
    server.close();
    expect(emu.webhookDeliveries().map((d) => d.trigger)).toEqual(['BOOKING_CREATED']);
    expect(JSON.parse(delivered).uid).toBe(uid);
  });
});


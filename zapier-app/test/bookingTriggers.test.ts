import { createAppTester } from 'zapier-platform-core';
import nock from 'nock';
import App from '../src/index';
import { perform as bookingCancelled } from '../src/triggers/bookingCancelled';
import { perform as bookingCreated } from '../src/triggers/bookingCreated';
import { perform as bookingRejected } from '../src/triggers/bookingRejected';
import { perform as bookingRequested } from '../src/triggers/bookingRequested';
import { perform as bookingRescheduled } from '../src/triggers/bookingRescheduled';
import { perform as bookingUpdated } from '../src/triggers/bookingUpdated';
import { perform as meetingEnded } from '../src/triggers/meetingEnded';
import { limitFor, readEventTypeIds } from '../src/triggers/defineBookingTrigger';
import { booking, bookingsPage } from './fixtures';
import { CLOUD_API, THROTTLED_BODY, expiredTokenForbidden, guardNetwork, mint, rejectionOf, useCloudEnv } from './helpers';

const appTester = createAppTester(App);
guardNetwork();
beforeEach(() => useCloudEnv());

type Query = Record<string, string>;

/** Answers every GET /v2/bookings with `pages` in turn and records the queries sent. */
function bookingsApi(accessToken: string, ...pages: ReturnType<typeof bookingsPage>[]): Query[] {
  const queries: Query[] = [];
  for (const page of pages) {
    nock(CLOUD_API, { reqheaders: { authorization: `Bearer ${accessToken}`, 'cal-api-version': '2024-08-13' } })
      .get('/v2/bookings')
      .query((query) => {
        queries.push(query as Query);
        return true;
      })
      .reply(200, page, { Date: new Date('2026-11-23T12:00:00Z').toUTCString() });
  }
  return queries;
}

describe('New Booking', () => {
  it('lists newest first by createdAt, ids are booking uids, and reschedules and unconfirmed requests are left out', async () => {
    const accessToken = mint('at');
    const newest = booking({ createdAt: '2026-11-22T10:00:00.000Z' });
    const reschedule = booking({ createdAt: '2026-11-21T10:00:00.000Z', rescheduledFromUid: 'old-uid' });
    const pending = booking({ createdAt: '2026-11-20T12:00:00.000Z', status: 'pending' });
    const older = booking({ createdAt: '2026-11-19T10:00:00.000Z' });
    const queries = bookingsApi(accessToken, bookingsPage([newest, reschedule, pending, older]));

    const items = await appTester(bookingCreated, { authData: { access_token: accessToken }, inputData: {} });
    expect(items.map((item) => item.id)).toEqual([newest.uid, older.uid]);
    expect(queries[0]).toMatchObject({ sortCreated: 'desc', take: '10' });
    expect(items[0]).toMatchObject({
      event: 'booking_created',
      bookingId: newest.id,
      bookingUid: newest.uid,
      occurredAt: '2026-11-22T10:00:00.000Z',
      hostEmail: 'host@example.com',
      attendeeEmail: 'guest1@example.com',
      eventTypeId: 12,
      previousStart: null,
    });
  });

  it('includes requests when "Include Unconfirmed Bookings" is on, and filters by the chosen event types', async () => {
    const accessToken = mint('at');
    const pending = booking({ status: 'pending', eventType: { id: 7, slug: 'demo' }, eventTypeId: 7 });
    const queries = bookingsApi(accessToken, bookingsPage([pending]));
    const items = await appTester(bookingCreated, { authData: { access_token: accessToken }, inputData: { eventTypeIds: ['7', '12'], includeUnconfirmed: 'true' } });
    expect(items.map((item) => item.id)).toEqual([pending.uid]);
    expect(queries[0]?.eventTypeIds).toBe('7,12');
  });

  it('returns a handful for "Test trigger" and the most for the deduper priming poll', async () => {
    const accessToken = mint('at');
    const many = Array.from({ length: 12 }, (_, index) => booking({ createdAt: new Date(Date.UTC(2026, 10, 20, 12, 0, 0) - index * 60_000).toISOString() }));
    const sampleQueries = bookingsApi(accessToken, bookingsPage(many));
    const sample = await appTester(bookingCreated, { authData: { access_token: accessToken }, inputData: {}, meta: { isLoadingSample: true } });
    expect(sample).toHaveLength(3);
    expect(sample.map((item) => item.id)).toEqual(many.slice(0, 3).map((item) => item.uid));
    expect(Number(sampleQueries[0]?.take)).toBeLessThan(100);

    const primeQueries = bookingsApi(accessToken, bookingsPage(many));
    const primed = await appTester(bookingCreated, { authData: { access_token: accessToken }, inputData: {}, meta: { isPopulatingDedupe: true, limit: 5 } });
    expect(primed).toHaveLength(12);
    expect(primeQueries[0]?.take).toBe('100');
  });

  it('rejects a typed-in event type that is not an id, before calling Cal.com', async () => {
    const error = await rejectionOf(appTester(bookingCreated, { authData: { access_token: mint('at') }, inputData: { eventTypeIds: 'intro-call' } }));
    expect(JSON.parse(error.message)).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/"intro-call".*not an event type ID/) });
  });
});

describe('Booking Cancelled and Booking Rejected', () => {
  it('read the cancelled stream by updatedAt and tell cancellations, rejections and reschedules apart', async () => {
    const accessToken = mint('at');
    const cancelled = booking({ status: 'cancelled', updatedAt: '2026-11-22T09:00:00.000Z', cancellationReason: 'Sick' });
    const rejected = booking({ status: 'rejected', updatedAt: '2026-11-21T09:00:00.000Z' });
    const replaced = booking({ status: 'cancelled', updatedAt: '2026-11-20T09:00:00.000Z', rescheduledToUid: 'new-uid' });
    const page = bookingsPage([cancelled, rejected, replaced]);
    const cancelQueries = bookingsApi(accessToken, page);
    const cancellations = await appTester(bookingCancelled, { authData: { access_token: accessToken }, inputData: {} });
    expect(cancellations.map((item) => item.id)).toEqual([cancelled.uid]);
    expect(cancellations[0]).toMatchObject({ cancellationReason: 'Sick', occurredAt: '2026-11-22T09:00:00.000Z' });
    expect(cancelQueries[0]).toMatchObject({ status: 'cancelled', sortUpdatedAt: 'desc' });

    bookingsApi(accessToken, page);
    const rejections = await appTester(bookingRejected, { authData: { access_token: accessToken }, inputData: {} });
    expect(rejections.map((item) => item.id)).toEqual([rejected.uid]);
  });
});

describe('New Booking Request, Meeting Ended, Booking Updated, Booking Rescheduled', () => {
  it('New Booking Request reports pending and awaiting-host bookings only', async () => {
    const accessToken = mint('at');
    const pending = booking({ status: 'pending', createdAt: '2026-11-22T00:00:00.000Z' });
    const awaiting = booking({ status: 'awaiting_host', createdAt: '2026-11-21T00:00:00.000Z' });
    bookingsApi(accessToken, bookingsPage([pending, booking(), awaiting]));
    const items = await appTester(bookingRequested, { authData: { access_token: accessToken }, inputData: {} });
    expect(items.map((item) => item.id)).toEqual([pending.uid, awaiting.uid]);
  });

  it("Meeting Ended reads past bookings newest end first and keeps confirmed ones", async () => {
    const accessToken = mint('at');
    const ended = booking({ start: '2026-11-22T09:00:00.000Z', end: '2026-11-22T09:30:00.000Z' });
    const earlier = booking({ start: '2026-11-21T09:00:00.000Z', end: '2026-11-21T09:30:00.000Z' });
    const queries = bookingsApi(accessToken, bookingsPage([ended, earlier]));
    const items = await appTester(meetingEnded, { authData: { access_token: accessToken }, inputData: {} });
    expect(items.map((item) => [item.id, item.occurredAt])).toEqual([
      [ended.uid, '2026-11-22T09:30:00.000Z'],
      [earlier.uid, '2026-11-21T09:30:00.000Z'],
    ]);
    expect(queries[0]).toMatchObject({ status: 'past', sortEnd: 'desc' });
  });

  it('Booking Updated gives each change its own id (uid:updatedAt), so a later change of the same booking triggers again', async () => {
    const accessToken = mint('at');
    const changed = booking({ updatedAt: '2026-11-22T08:00:00.000Z' });
    bookingsApi(accessToken, bookingsPage([changed]));
    const first = await appTester(bookingUpdated, { authData: { access_token: accessToken }, inputData: {} });
    bookingsApi(accessToken, bookingsPage([{ ...changed, updatedAt: '2026-11-22T08:05:00.000Z', location: 'Office' }]));
    const second = await appTester(bookingUpdated, { authData: { access_token: accessToken }, inputData: {} });
    expect(first[0]?.id).toBe(`${changed.uid}:2026-11-22T08:00:00.000Z`);
    expect(second[0]?.id).toBe(`${changed.uid}:2026-11-22T08:05:00.000Z`);
    expect(second[0]?.bookingUid).toBe(changed.uid);
  });

  it("Booking Rescheduled carries the previous booking's start", async () => {
    const accessToken = mint('at');
    const original = booking({ status: 'cancelled', start: '2026-12-01T10:00:00.000Z', end: '2026-12-01T10:30:00.000Z' });
    const moved = booking({ rescheduledFromUid: original.uid, start: '2026-12-02T10:00:00.000Z', end: '2026-12-02T10:30:00.000Z' });
    bookingsApi(accessToken, bookingsPage([moved]), bookingsPage([original]));
    const items = await appTester(bookingRescheduled, { authData: { access_token: accessToken }, inputData: {} });
    expect(items[0]).toMatchObject({ id: moved.uid, rescheduledFromUid: original.uid, previousStart: '2026-12-01T10:00:00.000Z', start: '2026-12-02T10:00:00.000Z' });
  });
});

describe('failures on GET /v2/bookings', () => {
  it("Cal.com's 403 for an expired token becomes RefreshAuthError, even through the polling engine", async () => {
    const accessToken = mint('at');
    nock(CLOUD_API).get('/v2/bookings').query(true).reply(403, expiredTokenForbidden(accessToken));
    const error = await rejectionOf(appTester(bookingCreated, { authData: { access_token: accessToken }, inputData: {} }));
    expect(error.name).toBe('RefreshAuthError');
    expect(error.message).not.toContain(accessToken);
  });

  it('429 becomes ThrottledError with the X-RateLimit-Reset-Default wait', async () => {
    nock(CLOUD_API).get('/v2/bookings').query(true).reply(429, THROTTLED_BODY, { 'X-RateLimit-Reset-Default': '12' });
    const error = await rejectionOf(appTester(bookingCancelled, { authData: { access_token: mint('at') }, inputData: {} }));
    expect(error.name).toBe('ThrottledError');
    expect(JSON.parse(error.message).delay).toBe(12);
  });

  it('the old 2024-04-15 shape (version header lost on the way) is refused with an explanation, not misread', async () => {
    nock(CLOUD_API)
      .get('/v2/bookings')
      .query(true)
      .reply(200, { status: 'success', data: { bookings: [], recurringInfo: [], nextCursor: null } });
    const error = await rejectionOf(appTester(bookingCreated, { authData: { access_token: mint('at') }, inputData: {} }));
    expect(error.name).toBe('AppError');
    expect(JSON.parse(error.message).code).toBe('malformed_response');
  });

  it('a 500 is a clear, retryable error', async () => {
    nock(CLOUD_API).get('/v2/bookings').query(true).reply(500, { status: 'error', error: { code: 'InternalServerErrorException', message: 'boom' } });
    const error = await rejectionOf(appTester(bookingCreated, { authData: { access_token: mint('at') }, inputData: {} }));
    expect(JSON.parse(error.message)).toMatchObject({ code: 'server_unavailable', status: 500, message: expect.stringMatching(/try again/) });
  });
});

describe('helpers', () => {
  it('reads the event-type filter from a list, a single id or comma-separated text', () => {
    expect(readEventTypeIds(undefined)).toBeUndefined();
    expect(readEventTypeIds([])).toBeUndefined();
    expect(readEventTypeIds('12')).toEqual([12]);
    expect(readEventTypeIds(['12', ' 7 '])).toEqual([12, 7]);
    expect(readEventTypeIds('3, 4')).toEqual([3, 4]);
    expect(() => readEventTypeIds(['0'])).toThrow(/not an event type ID/);
  });

  it('chooses the listing size from bundle.meta, with or without it', () => {
    expect(limitFor(undefined)).toBe(100);
    expect(limitFor({ isLoadingSample: true })).toBe(3);
    expect(limitFor({ isPopulatingDedupe: true, limit: 5 })).toBe(100);
    expect(limitFor({ limit: 20 })).toBe(20);
    expect(limitFor({ limit: -1 })).toBe(100);
    expect(limitFor({ limit: 500 })).toBe(100);
  });
});

import { BOOKING_OPERATIONS, findAvailableSlots, findBookings, getBooking, listEventTypes, MAX_FIND_BOOKINGS } from '../../src/actions';
import { CalcomError } from '../../src/errors';
import { booking, failure, fakeCalcom, list, success } from './support';

const many = (count: number, from = 0) => Array.from({ length: count }, (_, i) => booking({ id: from + i + 1, uid: `bk_${from + i}` }));

describe('reads', () => {
  it('getBooking reads one booking; a malformed one is malformed_response', async () => {
    const calcom = fakeCalcom({ 'GET /v2/bookings/bk_1': [success(booking())] });
    expect((await getBooking(calcom.ctx, 'bk_1')).uid).toBe('bk_1');
    expect(calcom.sent[0]?.headers['cal-api-version']).toBe('2024-08-13');
    const bad = fakeCalcom({ 'GET /v2/bookings/bk_1': [success(booking({ hosts: 'x' }))] });
    await expect(getBooking(bad.ctx, 'bk_1')).rejects.toMatchObject({ kind: 'malformed_response' });
  });

  it('findBookings sorts newest first, sends the filters and stops at the limit', async () => {
    const calcom = fakeCalcom({ 'GET /v2/bookings': [list(many(5), true)] });
    const found = await findBookings(calcom.ctx, { attendeeEmail: 'ada@example.com', status: ['upcoming'], afterStart: '2026-05-01T00:00:00+02:00', eventTypeIds: [7] }, { limit: 5 });
    expect(found).toHaveLength(5);
    expect(calcom.sent).toHaveLength(1);
    const query = Object.fromEntries(new URL(calcom.sent[0]?.url ?? '').searchParams);
    expect(query).toEqual({ attendeeEmail: 'ada@example.com', status: 'upcoming', afterStart: '2026-04-30T22:00:00.000Z', eventTypeIds: '7', sortStart: 'desc', take: '5', skip: '0' });
  });

  it('returnAll pages with skip and stops at the cap', async () => {
    const calcom = fakeCalcom({ 'GET /v2/bookings': [(request) => list(many(250, Number(new URL(request.url).searchParams.get('skip'))), true)] });
    const found = await findBookings(calcom.ctx, {}, { returnAll: true });
    expect(found).toHaveLength(MAX_FIND_BOOKINGS);
    expect(calcom.sent.map((request) => new URL(request.url).searchParams.get('skip'))).toEqual(['0', '250', '500', '750']);
  });

  it('returnAll stops at the last page', async () => {
    const calcom = fakeCalcom({ 'GET /v2/bookings': [list(many(250), true), list(many(3, 250), false)] });
    expect(await findBookings(calcom.ctx, {}, { returnAll: true })).toHaveLength(253);
    expect(calcom.sent).toHaveLength(2);
  });

  it('refuses a bad limit or filter before sending', async () => {
    const calcom = fakeCalcom({});
    await expect(findBookings(calcom.ctx, {}, { limit: 0 })).rejects.toThrow(/limit must be a whole number from 1/);
    await expect(findBookings(calcom.ctx, { afterStart: 'last week' }, { limit: 5 })).rejects.toThrow(/afterStart must be an ISO-8601/);
    expect(calcom.sent).toEqual([]);
  });

  it('findAvailableSlots labels slots with the requested zone (UTC by default)', async () => {
    const calcom = fakeCalcom({ 'GET /v2/slots': [success({ '2026-05-04': [{ start: '2026-05-04T09:00:00.000Z' }] })] });
    expect(await findAvailableSlots(calcom.ctx, { eventTypeId: 7, start: '2026-05-04', end: '2026-05-04' })).toEqual([
      { start: '2026-05-04T09:00:00.000Z', startUtc: '2026-05-04T09:00:00.000Z', timeZone: 'UTC' },
    ]);
  });

  it('a read that times out is server_unavailable', async () => {
    const calcom = fakeCalcom({ 'GET /v2/bookings/bk_1': [Object.assign(new Error('t'), { code: 'ETIMEDOUT' })] });
    const error = await getBooking(calcom.ctx, 'bk_1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CalcomError);
    expect((error as CalcomError).kind).toBe('server_unavailable');
  });

  it('listEventTypes wraps the existing reader with its warnings', async () => {
    const calcom = fakeCalcom({ 'GET /v2/event-types': [success([{ id: 7, title: 'Intro', slug: 'intro', lengthInMinutes: 30 }, { id: 'x' }])] });
    const result = await listEventTypes(calcom.ctx);
    expect(result.eventTypes).toEqual([{ id: 7, title: 'Intro', slug: 'intro', lengthInMinutes: 30 }]);
    expect(result.warnings).toHaveLength(1);
    expect(calcom.sent[0]?.headers['cal-api-version']).toBe('2024-06-14');
  });

  it('a 404 "Event types not found" on listEventTypes is an empty list', async () => {
    const calcom = fakeCalcom({ 'GET /v2/event-types': [failure(404, 'Event types not found', 'NotFoundException')] });
    await expect(listEventTypes(calcom.ctx)).resolves.toEqual({ eventTypes: [], warnings: [] });
  });
});

describe('operation catalogue', () => {
  it('names every operation with its scope; only the host-side writes need BOOKING_WRITE', () => {
    expect(Object.keys(BOOKING_OPERATIONS)).toHaveLength(12);
    for (const [key, operation] of Object.entries(BOOKING_OPERATIONS)) expect(operation.key).toBe(key);
    const writeScoped = Object.values(BOOKING_OPERATIONS).filter((operation) => operation.scope === 'BOOKING_WRITE').map((operation) => operation.key);
    expect(writeScoped.sort()).toEqual(['add_guests', 'confirm_booking', 'decline_booking', 'mark_no_show']);
    expect(BOOKING_OPERATIONS.create_booking).toMatchObject({ scope: null, writes: true, idempotent: false });
    expect(BOOKING_OPERATIONS.find_available_slots.scope).toBeNull();
  });
});

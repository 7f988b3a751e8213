import { buildBookingsRequest, findBookingProblem, processBookingsResponse, readServerTime } from '../src/api/bookings';
import type { HttpResponse } from '../src/http';
import { mintAccessToken } from './support/tokens';

const instance = { apiUrl: 'https://api.cal.com' };

function page(data: unknown[], extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): HttpResponse {
  const pagination = { totalItems: data.length, remainingItems: 0, returnedItems: data.length, itemsPerPage: 100, currentPage: data.length === 0 ? 0 : 1, totalPages: 1, hasNextPage: false, hasPreviousPage: false };
  return { status: 200, headers: { 'content-type': 'application/json', date: 'Mon, 02 Mar 2026 09:00:00 GMT', ...headers }, body: JSON.stringify({ status: 'success', data, pagination, ...extra }) };
}

const booking = (overrides: Record<string, unknown> = {}) => ({
  id: 1,
  uid: 'abc',
  status: 'accepted',
  start: '2026-03-03T09:00:00.000Z',
  end: '2026-03-03T09:30:00.000Z',
  createdAt: '2026-03-02T08:00:00.000Z',
  updatedAt: null,
  ...overrides,
});

describe('buildBookingsRequest', () => {
  it('pins cal-api-version 2024-08-13 and encodes the typed query', () => {
    const token = mintAccessToken();
    const request = buildBookingsRequest({
      instance,
      accessToken: token,
      query: { status: ['cancelled', 'past'], eventTypeIds: [3, 4], afterCreatedAt: Date.UTC(2026, 0, 1), sortCreated: 'asc', take: 250, skip: 500 },
    });
    expect(request.method).toBe('GET');
    expect(request.headers['cal-api-version']).toBe('2024-08-13');
    expect(request.headers.authorization).toBe(`Bearer ${token}`);
    const url = new URL(request.url);
    expect(url.origin + url.pathname).toBe('https://api.cal.com/v2/bookings');
    expect(url.searchParams.get('status')).toBe('cancelled,past');
    expect(url.searchParams.get('eventTypeIds')).toBe('3,4');
    expect(url.searchParams.get('afterCreatedAt')).toBe('2026-01-01T00:00:00.000Z');
    expect(url.searchParams.get('sortCreated')).toBe('asc');
    expect(url.searchParams.get('take')).toBe('250');
    expect(url.searchParams.get('skip')).toBe('500');
  });

  it.each([
    [{ take: 251 }, /take/],
    [{ take: 0 }, /take/],
    [{ skip: -1 }, /skip/],
    [{ sortCreated: 'asc', sortUpdatedAt: 'desc' }, /one field/],
    [{ afterUpdatedAt: 'yesterday' }, /afterUpdatedAt/],
    [{ status: ['accepted'] }, /status filter/],
    [{ eventTypeIds: [1.5] }, /eventTypeIds/],
  ])('refuses an invalid query %j', (query, message) => {
    expect(() => buildBookingsRequest({ instance, query: query as never })).toThrow(message);
  });

  it('leaves Authorization to the platform when no token is given', () => {
    expect(buildBookingsRequest({ instance }).headers.authorization).toBeUndefined();
  });
});

describe('processBookingsResponse', () => {
  it('returns bookings, pagination, the server time and the size', () => {
    const response = page([booking(), booking({ uid: 'def', id: 2, status: 'awaiting_host' })]);
    const parsed = processBookingsResponse(response);
    expect(parsed.bookings.map((b) => b.uid)).toEqual(['abc', 'def']);
    expect(parsed.problems).toEqual([]);
    expect(parsed.pagination.returnedItems).toBe(2);
    expect(parsed.serverTime).toBe(Date.UTC(2026, 2, 2, 9, 0, 0));
    expect(parsed.bytes).toBe(response.body.length);
  });

  it('keeps unknown statuses and extra fields (rules decide), but lists items it cannot use', () => {
    const parsed = processBookingsResponse(page([booking({ status: 'on_hold', extra: 1 }), booking({ id: 5, uid: '' }), booking({ uid: 'x', end: 'soon' }), 7]));
    expect(parsed.bookings).toHaveLength(1);
    expect(parsed.bookings[0]?.extra).toBe(1);
    expect(parsed.problems.map((p) => p.label)).toEqual(['booking id 5', 'booking x', 'item #4']);
    expect(parsed.problems[1]?.problem).toMatch(/end/);
  });

  it('refuses the 2024-04-15 shape, naming the lost header', () => {
    const old = { status: 200, headers: {}, body: JSON.stringify({ status: 'success', data: { bookings: [], recurringInfo: [], nextCursor: null } }) };
    expect(() => processBookingsResponse(old)).toThrow(/cal-api-version: 2024-08-13/);
    const oldItems = { status: 200, headers: {}, body: JSON.stringify({ status: 'success', data: [{ id: 1, uid: 'a', startTime: '2026-01-01T00:00:00Z' }] }) };
    expect(() => processBookingsResponse(oldItems)).toThrow(/2024-04-15/);
  });

  it.each([
    ['status error', { status: 'error', data: [] }],
    ['no data', { status: 'success', pagination: {} }],
    ['bad pagination', { status: 'success', data: [], pagination: { totalItems: 'x', hasNextPage: false } }],
  ])('refuses an envelope with %s', (_label, body) => {
    expect(() => processBookingsResponse({ status: 200, headers: {}, body: JSON.stringify(body) })).toThrow(expect.objectContaining({ kind: 'malformed_response' }));
  });

  it('accepts the itemsReturned spelling of some Cal.com versions and a count that differs from the items', () => {
    const response = page([booking()]);
    const body = JSON.parse(response.body);
    delete body.pagination.returnedItems;
    body.pagination.itemsReturned = 2;
    const parsed = processBookingsResponse({ ...response, body: JSON.stringify(body) });
    expect(parsed.pagination.returnedItems).toBe(2);
    expect(parsed.bookings).toHaveLength(1);
  });

  it('refuses a pagination without hasNextPage (paging cannot be trusted)', () => {
    const response = page([booking()]);
    const body = JSON.parse(response.body);
    delete body.pagination.hasNextPage;
    expect(() => processBookingsResponse({ ...response, body: JSON.stringify(body) })).toThrow(/hasNextPage/);
  });

  it('classifies error statuses through the auth core (403 quirk → token_expired)', () => {
    const response = { status: 403, headers: {}, body: JSON.stringify({ status: 'error', error: { code: 'ForbiddenException', message: 'PermissionsGuard - no oAuth client found for access token=abc' } }) };
    expect(() => processBookingsResponse(response)).toThrow(expect.objectContaining({ kind: 'token_expired' }));
  });

  it('reads the Date header case-insensitively and tolerates its absence', () => {
    expect(readServerTime({ headers: { Date: 'Tue, 03 Mar 2026 10:00:00 GMT' } })).toBe(Date.UTC(2026, 2, 3, 10));
    expect(readServerTime({ headers: {} })).toBeUndefined();
    expect(readServerTime({ headers: { date: 'garbage' } })).toBeUndefined();
  });

  it('findBookingProblem accepts null updatedAt and rejects a bad one', () => {
    expect(findBookingProblem(booking())).toBeUndefined();
    expect(findBookingProblem(booking({ updatedAt: 'x' }))).toMatch(/updatedAt/);
    expect(findBookingProblem(booking({ rescheduledFromUid: 5 }))).toMatch(/rescheduledFromUid/);
  });
});

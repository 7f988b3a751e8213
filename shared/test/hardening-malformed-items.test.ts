import { findBookingProblem, malformedBookingWarning, processBookingsResponse } from '../src/api/bookings';
import { NO_READABLE_EVENT_TYPES, processEventTypesResponse } from '../src/api/event-types';
import { isCalcomError } from '../src/errors';
import type { HttpResponse } from '../src/http';
import { MINUTE, useFakeBookings } from './polling/support/harness';

const goodBooking = () => ({
  id: 41,
  uid: 'good-uid',
  title: 'Intro',
  description: '',
  hosts: [{ id: 7, name: 'Host', email: 'host@example.com', username: 'host', timeZone: 'UTC' }],
  status: 'accepted',
  cancellationReason: '',
  start: '2026-03-03T09:00:00.000Z',
  end: '2026-03-03T09:30:00.000Z',
  duration: 30,
  eventTypeId: 3,
  eventType: { id: 3, slug: 'intro' },
  location: 'https://meet.example.com/x',
  absentHost: false,
  createdAt: '2026-03-02T08:00:00.000Z',
  updatedAt: null,
  metadata: {},
  rating: null,
  attendees: [{ name: 'Guest', email: 'guest@example.com', timeZone: 'UTC', language: 'en', absent: false }],
  guests: ['extra@example.com'],
  bookingFieldsResponses: { notes: 'hi' },
});

function page(data: unknown[]): HttpResponse {
  const pagination = { totalItems: data.length, remainingItems: 0, returnedItems: data.length, itemsPerPage: 100, currentPage: 1, totalPages: 1, hasNextPage: false, hasPreviousPage: false };
  return { status: 200, headers: { 'content-type': 'application/json', date: 'Mon, 02 Mar 2026 09:00:00 GMT' }, body: JSON.stringify({ status: 'success', data, pagination }) };
}

/** Every user-facing field of the booking shape, each driven with values of the wrong type. */
const WRONG_TYPES: Array<[path: string, change: (b: Record<string, unknown>) => void]> = [
  ...['attendees', 'hosts', 'guests'].flatMap((list): Array<[string, (b: Record<string, unknown>) => void]> => [
    [`${list}: null`, (b) => (b[list] = null)],
    [`${list}: "x"`, (b) => (b[list] = 'x')],
    [`${list}: 5`, (b) => (b[list] = 5)],
    [`${list}: {}`, (b) => (b[list] = {})],
    [`${list}: [null]`, (b) => (b[list] = [null])],
  ]),
  ['attendees: ["x"]', (b) => (b.attendees = ['x'])],
  ['attendees: [[]]', (b) => (b.attendees = [[]])],
  ['hosts: [7]', (b) => (b.hosts = [7])],
  ['guests: [{}]', (b) => (b.guests = [{}])],
  ['guests: [1]', (b) => (b.guests = [1])],
  ...['name', 'email', 'timeZone', 'language', 'phoneNumber', 'seatUid'].map((field): [string, (b: Record<string, unknown>) => void] => [
    `attendees[0].${field}: {}`,
    (b) => ((b.attendees as Array<Record<string, unknown>>)[0]![field] = {}),
  ]),
  ['attendees[0].absent: "no"', (b) => ((b.attendees as Array<Record<string, unknown>>)[0]!.absent = 'no')],
  ['attendees[0].bookingFieldsResponses: "x"', (b) => ((b.attendees as Array<Record<string, unknown>>)[0]!.bookingFieldsResponses = 'x')],
  ['attendees[0].metadata: []', (b) => ((b.attendees as Array<Record<string, unknown>>)[0]!.metadata = [])],
  ...['name', 'email', 'username', 'timeZone'].map((field): [string, (b: Record<string, unknown>) => void] => [
    `hosts[0].${field}: 5`,
    (b) => ((b.hosts as Array<Record<string, unknown>>)[0]![field] = 5),
  ]),
  ['hosts[0].id: "7"', (b) => ((b.hosts as Array<Record<string, unknown>>)[0]!.id = '7')],
  ['eventType: "intro"', (b) => (b.eventType = 'intro')],
  ['eventType: 5', (b) => (b.eventType = 5)],
  ['eventType: []', (b) => (b.eventType = [])],
  ['eventType.id: "3"', (b) => (b.eventType = { id: '3', slug: 'intro' })],
  ['eventType.id: null', (b) => (b.eventType = { id: null, slug: 'intro' })],
  ['eventType.slug: 3', (b) => (b.eventType = { id: 3, slug: 3 })],
  ['eventTypeId: "3"', (b) => (b.eventTypeId = '3')],
  ['eventTypeId: 1.5', (b) => (b.eventTypeId = 1.5)],
  ...['title', 'description', 'cancellationReason', 'cancelledByEmail', 'reschedulingReason', 'rescheduledByEmail', 'location', 'meetingUrl', 'icsUid', 'recurringBookingUid'].flatMap(
    (field): Array<[string, (b: Record<string, unknown>) => void]> => [
      [`${field}: {}`, (b) => (b[field] = { url: 'x' })],
      [`${field}: 5`, (b) => (b[field] = 5)],
      [`${field}: []`, (b) => (b[field] = [])],
    ],
  ),
  ['duration: "30"', (b) => (b.duration = '30')],
  ['rating: "5"', (b) => (b.rating = '5')],
  ['absentHost: "false"', (b) => (b.absentHost = 'false')],
  ...['bookingFieldsResponses', 'metadata'].flatMap((field): Array<[string, (b: Record<string, unknown>) => void]> => [
    [`${field}: "x"`, (b) => (b[field] = 'x')],
    [`${field}: null`, (b) => (b[field] = null)],
    [`${field}: []`, (b) => (b[field] = [])],
    [`${field}: 1`, (b) => (b[field] = 1)],
  ]),
];

describe('the booking parser checks every user-facing field', () => {
  it.each(WRONG_TYPES)('%s: the booking is skipped as a problem naming it and the field, the good one kept', (path, change) => {
    const bad: Record<string, unknown> = { ...goodBooking(), id: 42, uid: 'bad-uid' };
    change(bad);
    const parsed = processBookingsResponse(page([goodBooking(), bad]));
    expect(parsed.bookings.map((b) => b.uid)).toEqual(['good-uid']);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toMatchObject({ index: 1, label: 'booking bad-uid', readable: true });
    const field = path.slice(0, path.indexOf(':')).replace(/\[\d+\]\..*$/, '');
    expect(parsed.problems[0]?.problem).toContain(`its ${field.split('.')[0]}`);
    expect(malformedBookingWarning(bad)).toMatch(/^Skipped booking bad-uid from Cal\.com: its /);
  });

  it('names the exact entry and what was expected', () => {
    expect(findBookingProblem({ ...goodBooking(), attendees: [goodBooking().attendees[0], null] })).toBe('its attendees[1] is null instead of an object');
    expect(findBookingProblem({ ...goodBooking(), hosts: 'x' })).toBe('its hosts is text instead of a list');
    expect(findBookingProblem({ ...goodBooking(), location: { type: 'zoom' } })).toBe('its location is an object instead of text or null');
  });

  it.each([
    ['absent optional fields', (b: Record<string, unknown>) => ['hosts', 'attendees', 'guests', 'eventType', 'metadata', 'bookingFieldsResponses', 'title', 'location'].forEach((f) => delete b[f])],
    ['null where Cal.com sends null', (b: Record<string, unknown>) => Object.assign(b, { description: null, location: null, meetingUrl: null, eventType: null, eventTypeId: null, rating: null, duration: null })],
    ['empty lists', (b: Record<string, unknown>) => Object.assign(b, { hosts: [], attendees: [], guests: [] })],
    ['seated attendees and unknown extra fields', (b: Record<string, unknown>) => Object.assign(b, { attendees: [{ name: 'A', email: 'a@x', timeZone: 'UTC', seatUid: 's', bookingFieldsResponses: { q: 1 }, metadata: {}, extra: [1] }], newField: { x: 1 } })],
  ])('accepts %s', (_label, change) => {
    const booking: Record<string, unknown> = goodBooking();
    change(booking);
    expect(findBookingProblem(booking)).toBeUndefined();
    expect(processBookingsResponse(page([booking])).bookings).toHaveLength(1);
  });

  it('marks items the engine cannot identify as not readable', () => {
    const parsed = processBookingsResponse(page([{ ...goodBooking(), uid: '' }, 'nonsense']));
    expect(parsed.problems.map((p) => p.readable)).toEqual([false, false]);
  });
});

describe('the engine with a malformed booking among the newest', () => {
  const { ctx, poll, baseline, list } = useFakeBookings();

  function breakBooking(uid: string, change: Record<string, unknown>): void {
    const booking = ctx.fake.bookings.get(uid)!;
    booking.raw = { ...(ctx.fake.serialize(booking) as Record<string, unknown>), ...change };
  }

  it('a malformed booking alone on the page is skipped with a warning; the poll succeeds and later bookings arrive', async () => {
    const state = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    const bad = ctx.fake.add();
    breakBooking(bad.uid, { attendees: null });
    ctx.fake.advance(MINUTE);
    const first = await poll('booking_created', state);
    expect(first.events).toEqual([]);
    expect(first.warnings.join('\n')).toContain(`Skipped booking ${bad.uid} from Cal.com: its attendees is null instead of a list.`);
    ctx.fake.advance(MINUTE);
    const good = ctx.fake.add();
    ctx.fake.advance(MINUTE);
    const second = await poll('booking_created', first.state);
    expect(second.events.map((e) => e.booking.uid)).toEqual([good.uid]);
  });

  it.each([
    ['attendees: null', { attendees: null }],
    ['hosts: "x"', { hosts: 'x' }],
    ['eventType: 5', { eventType: 5 }],
    ['guests: [null]', { guests: [null] }],
  ])('%s: the good bookings around it are reported once, nothing after it is lost', async (_label, change) => {
    const state = await baseline('booking_created', {}, { pageSize: 2 });
    ctx.fake.advance(MINUTE);
    const before = ctx.fake.add({ createdAt: ctx.fake.now });
    const bad = ctx.fake.add({ createdAt: ctx.fake.now + 1 });
    const after = ctx.fake.add({ createdAt: ctx.fake.now + 2 });
    breakBooking(bad.uid, change);
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_created', state, {}, { pageSize: 2 });
    expect(result.events.map((e) => e.booking.uid)).toEqual([before.uid, after.uid]);
    expect(result.warnings.some((w) => w.includes(bad.uid))).toBe(true);
    ctx.fake.advance(MINUTE);
    expect((await poll('booking_created', result.state, {}, { pageSize: 2 })).events).toEqual([]);
  });

  it('the stateless listing (Zapier) returns the good bookings when the newest is malformed', async () => {
    const good = ctx.fake.add({ createdAt: ctx.fake.now - 2 * MINUTE });
    const bad = ctx.fake.add({ createdAt: ctx.fake.now - MINUTE });
    breakBooking(bad.uid, { attendees: [null] });
    const result = await list('booking_created');
    expect(result.events.map((e) => e.booking.uid)).toEqual([good.uid]);
    expect(result.warnings.join('\n')).toContain(bad.uid);
  });

  it('the stateless listing survives a page holding only a malformed booking', async () => {
    const bad = ctx.fake.add();
    breakBooking(bad.uid, { hosts: 'x' });
    const result = await list('booking_created');
    expect(result.events).toEqual([]);
    expect(result.warnings.join('\n')).toContain(bad.uid);
  });
});

describe('event types are read item by item', () => {
  const answer = (data: unknown): HttpResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'success', data }) });
  const good = { id: 11, title: 'Intro call', slug: 'intro', lengthInMinutes: 15 };

  it.each([
    ['null', null],
    ['text', 'x'],
    ['no id', { title: 'T', slug: 's' }],
    ['id as text', { id: '12', title: 'T', slug: 's' }],
    ['id 1.5', { id: 1.5, title: 'T', slug: 's' }],
    ['id beyond 2^53', { id: 2 ** 53, title: 'T', slug: 's' }],
    ['title null', { id: 12, title: null, slug: 's' }],
    ['title an object', { id: 12, title: { en: 'T' }, slug: 's' }],
    ['slug 5', { id: 12, title: 'T', slug: 5 }],
    ['blank slug', { id: 12, title: 'T', slug: ' ' }],
  ])('skips one event type with %s and names it, keeping the good ones', (_label, bad) => {
    const result = processEventTypesResponse(answer([good, bad]));
    expect(result.eventTypes).toEqual([good]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/^Skipped event type (12|#2|\/s) from Cal\.com's event types: /);
    expect(processEventTypesResponse(answer([good, bad])).eventTypes).toEqual([good]);
  });

  it('skips bad items in the 2024-04-15 grouped shape too', () => {
    const result = processEventTypesResponse(answer({ eventTypeGroups: [{ eventTypes: [good, { id: 12 }] }, 'x'] }));
    expect(result.eventTypes).toEqual([good]);
    expect(result.warnings).toEqual(["Skipped event type 12 from Cal.com's event types: it has no title."]);
  });

  it('leaves out a length of the wrong type instead of the event type', () => {
    expect(processEventTypesResponse(answer([{ ...good, lengthInMinutes: '15' }])).eventTypes).toEqual([{ id: 11, title: 'Intro call', slug: 'intro' }]);
  });

  it('a list of nothing but unreadable items is an error with its own code that does not blame the URL', () => {
    let caught: unknown;
    try {
      processEventTypesResponse(answer([{ id: 'x' }, null]));
    } catch (error) {
      caught = error;
    }
    expect(isCalcomError(caught) && caught.kind).toBe('malformed_response');
    expect(isCalcomError(caught) && caught.code).toBe(NO_READABLE_EVENT_TYPES);
    expect((caught as Error).message).toContain('event type #1');
    expect((caught as Error).message).not.toMatch(/URL/);
  });
});

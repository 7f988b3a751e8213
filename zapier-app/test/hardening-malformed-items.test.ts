import { createAppTester } from 'zapier-platform-core';
import nock from 'nock';
import type { BookingEventItem } from '@calcom-oauth/shared';
import App from '../src/index';
import { toZapierBookingEvents } from '../src/bookingOutput';
import { perform as bookingCreated } from '../src/triggers/bookingCreated';
import { perform as bookingUpdated } from '../src/triggers/bookingUpdated';
import { perform as eventTypeList } from '../src/triggers/eventTypeList';
import { booking, bookingsPage } from './fixtures';
import { CLOUD_API, guardNetwork, mint, rejectionOf, success, useCloudEnv } from './helpers';

const appTester = createAppTester(App);
guardNetwork();
beforeEach(() => useCloudEnv());

/**
 * What the app wrote through z.console: zapier-platform-core's logger console (create-logger-console.js)
 * logs each line to Zapier and echoes z.console.warn's stderr stream with console.error.
 */
function captureWarnings(): string[] {
  const lines: string[] = [];
  const record = (...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  };
  jest.spyOn(console, 'error').mockImplementation(record);
  jest.spyOn(console, 'log').mockImplementation(record);
  return lines;
}
afterEach(() => jest.restoreAllMocks());

function answerBookings(accessToken: string, page: ReturnType<typeof bookingsPage>): void {
  nock(CLOUD_API, { reqheaders: { authorization: `Bearer ${accessToken}` } })
    .get('/v2/bookings')
    .query(true)
    .reply(200, page, { Date: new Date('2026-11-23T12:00:00Z').toUTCString() });
}

const MALFORMED: Array<[string, Record<string, unknown>]> = [
  ['attendees: null', { attendees: null }],
  ['attendees: [null]', { attendees: [null] }],
  ['attendees: "x"', { attendees: 'x' }],
  ['hosts: "x"', { hosts: 'x' }],
  ['hosts: [null]', { hosts: [null] }],
  ['guests: "x"', { guests: 'x' }],
  ['guests: [null]', { guests: [null] }],
  ['eventType: 5', { eventType: 5 }],
  ['eventType: "intro"', { eventType: 'intro' }],
  ['location: {}', { location: { type: 'zoom' } }],
  ['bookingFieldsResponses: "x"', { bookingFieldsResponses: 'x' }],
  ['metadata: []', { metadata: [] }],
  ['attendees[0].email: 5', { attendees: [{ name: 'A', email: 5, timeZone: 'UTC' }] }],
];

describe('a malformed booking among the newest never fails a Zapier trigger', () => {
  it.each(MALFORMED)('New Booking whose newest booking has %s returns the good ones and warns naming it', async (_label, change) => {
    const accessToken = mint('at');
    const bad = booking({ createdAt: '2026-11-22T10:00:00.000Z', ...change });
    const good = booking({ createdAt: '2026-11-21T10:00:00.000Z' });
    answerBookings(accessToken, bookingsPage([bad, good]));
    const warnings = captureWarnings();
    const items = await appTester(bookingCreated, { authData: { access_token: accessToken }, inputData: {} });
    expect(items.map((item) => item.id)).toEqual([good.uid]);
    expect(warnings.join('\n')).toContain(`Skipped booking ${String(bad.uid)} from Cal.com: its `);
  });

  it('a page holding only a malformed booking gives an empty list, not an error', async () => {
    const accessToken = mint('at');
    const bad = booking({ hosts: 'x' });
    answerBookings(accessToken, bookingsPage([bad]));
    const warnings = captureWarnings();
    await expect(appTester(bookingUpdated, { authData: { access_token: accessToken }, inputData: {} })).resolves.toEqual([]);
    expect(warnings.join('\n')).toContain(String(bad.uid));
  });

  it('the output mapper itself skips a malformed booking handed to it, naming it', () => {
    const good = booking();
    const bad = booking({ attendees: [null], guests: 'x' });
    const item = (b: Record<string, unknown>): BookingEventItem => ({ id: String(b.uid), event: 'booking_created', occurredAt: String(b.createdAt), booking: b as never });
    const warnings: string[] = [];
    const events = toZapierBookingEvents([item(bad), item(good)], (warning) => warnings.push(warning));
    expect(events.map((event) => event.bookingUid)).toEqual([good.uid]);
    expect(warnings).toEqual([`Skipped booking ${String(bad.uid)} from Cal.com: its attendees[0] is null instead of an object.`]);
  });
});

describe('Event Types dropdown with a malformed event type', () => {
  it.each([
    ['no title', { id: 9, slug: 'nine' }],
    ['id as text', { id: '9', title: 'Nine', slug: 'nine' }],
    ['null', null],
    ['slug an object', { id: 9, title: 'Nine', slug: { x: 1 } }],
  ])('lists the good event types and logs the one with %s', async (_label, bad) => {
    nock(CLOUD_API).get('/v2/event-types').reply(200, success([{ id: 3, title: 'Deep Dive', slug: 'deep-dive', lengthInMinutes: 30 }, bad]));
    const warnings = captureWarnings();
    const choices = await appTester(eventTypeList, { authData: { access_token: mint('at') }, meta: { page: 0 } });
    expect(choices).toEqual([{ id: '3', title: 'Deep Dive (30 min, /deep-dive)', slug: 'deep-dive' }]);
    expect(warnings.join('\n')).toMatch(/Skipped event type (9|\/nine|#2) from Cal\.com's event types: /);
  });

  it('a list of only unreadable event types fails with a message naming them', async () => {
    nock(CLOUD_API).get('/v2/event-types').reply(200, success([{ id: 9 }]));
    const error = await rejectionOf(appTester(eventTypeList, { authData: { access_token: mint('at') }, meta: { page: 0 } }));
    expect(error.message).toContain('event type 9');
    expect(error.message).not.toMatch(/TypeError/);
  });
});

import { createAppTester } from 'zapier-platform-core';
import App from '../../src/index';
import { bookingFormFields } from '../../src/creates/bookingForm';
import { perform as findAvailableSlots } from '../../src/searches/findAvailableSlots';
import { perform as findBooking } from '../../src/searches/findBooking';
import { perform as findEventType } from '../../src/searches/findEventType';
import { booking, bookingsPage } from '../fixtures';
import { guardNetwork, success, useCloudEnv } from '../helpers';
import { calcom, connection } from './wire';

const appTester = createAppTester(App);
guardNetwork();
beforeEach(() => useCloudEnv());

const EVENT_TYPE = {
  id: 7,
  title: 'Demo',
  slug: 'demo',
  lengthInMinutes: 30,
  lengthInMinutesOptions: [30, 60],
  requiresConfirmation: false,
  locations: [{ type: 'integration', integration: 'cal-video' }, { type: 'address', address: 'Main St 1' }],
  bookingFields: [
    { type: 'name', slug: 'name', label: 'Your name', required: true, isDefault: true, hidden: false },
    { type: 'email', slug: 'email', label: 'Email address', required: true, isDefault: true, hidden: false },
    { type: 'guests', slug: 'guests', label: 'Add guests', required: false, isDefault: true, hidden: false },
    { type: 'text', slug: 'company', label: 'Company', required: true, hidden: false },
    { type: 'select', slug: 'size', label: 'Team size', required: false, hidden: false, options: ['1-10', '11-50'] },
    { type: 'number', slug: 'seats', label: 'Seats', required: false, hidden: false },
    { type: 'text', slug: 'secret', label: 'Hidden', required: false, hidden: true },
  ],
};

describe('Find Booking', () => {
  it('by uid: GET /v2/bookings/{uid} (2024-08-13), one booking', async () => {
    const found = booking();
    const received = calcom('GET', `/v2/bookings/${found.uid}`, 200, success(found));
    const results = await appTester(findBooking, { authData: connection(), inputData: { uid: found.uid, attendeeEmail: 'ignored@example.com' } });
    expect(received[0]?.headers['cal-api-version']).toBe('2024-08-13');
    expect(results.map((item) => item.id)).toEqual([found.uid]);
  });

  it('an unknown uid is "nothing found" (an empty list), not a failure', async () => {
    calcom('GET', '/v2/bookings/nope', 404, { status: 'error', error: { code: 'NotFoundException', message: 'Booking with uid=nope was not found in the database' } });
    expect(await appTester(findBooking, { authData: connection(), inputData: { uid: 'nope' } })).toEqual([]);
  });

  it('by attendee email with status, range and event type: one GET /v2/bookings, newest first by start', async () => {
    const newer = booking({ start: '2026-12-05T10:00:00.000Z', end: '2026-12-05T10:30:00.000Z' });
    const older = booking({ start: '2026-12-01T10:00:00.000Z', end: '2026-12-01T10:30:00.000Z' });
    const received = calcom('GET', '/v2/bookings', 200, bookingsPage([newer, older]));
    const results = await appTester(findBooking, {
      authData: connection(),
      inputData: { attendeeEmail: 'ada@example.com', status: ['upcoming', 'unconfirmed'], afterStart: '2026-12-01T00:00:00+01:00', beforeEnd: '', eventTypeId: '7' },
    });
    expect(received).toHaveLength(1);
    const query = new URL(`https://x${received[0]?.path}`).searchParams;
    expect(Object.fromEntries(query)).toMatchObject({ attendeeEmail: 'ada@example.com', status: 'upcoming,unconfirmed', afterStart: '2026-11-30T23:00:00.000Z', eventTypeIds: '7', sortStart: 'desc' });
    expect(query.has('beforeEnd')).toBe(false);
    expect(results.map((item) => item.id)).toEqual([newer.uid, older.uid]);
  });

  it('needs a uid or an attendee email', async () => {
    await expect(appTester(findBooking, { authData: connection(), inputData: { status: ['past'] } })).rejects.toThrow(/Give a Booking UID, or an Attendee Email/);
  });
});

describe('Find Available Slots', () => {
  it('GET /v2/slots (2024-09-04) in the asked zone; earliest first, each slot also in UTC', async () => {
    const received = calcom('GET', '/v2/slots', 200, {
      status: 'success',
      data: {
        '2026-12-02': [{ start: '2026-12-02T09:00:00.000+01:00', end: '2026-12-02T09:30:00.000+01:00' }],
        '2026-12-01': [{ start: '2026-12-01T16:00:00.000+01:00', end: '2026-12-01T16:30:00.000+01:00' }],
      },
    });
    const slots = await appTester(findAvailableSlots, { authData: connection(), inputData: { eventTypeId: '7', start: '2026-12-01', end: '2026-12-02', timeZone: 'Europe/Berlin' } });
    expect(received[0]?.headers['cal-api-version']).toBe('2024-09-04');
    const query = Object.fromEntries(new URL(`https://x${received[0]?.path}`).searchParams);
    expect(query).toMatchObject({ eventTypeId: '7', start: '2026-12-01', end: '2026-12-02', timeZone: 'Europe/Berlin' });
    expect(slots).toEqual([
      { id: '2026-12-01T15:00:00.000Z', start: '2026-12-01T16:00:00.000+01:00', startUtc: '2026-12-01T15:00:00.000Z', end: '2026-12-01T16:30:00.000+01:00', endUtc: '2026-12-01T15:30:00.000Z', timeZone: 'Europe/Berlin' },
      { id: '2026-12-02T08:00:00.000Z', start: '2026-12-02T09:00:00.000+01:00', startUtc: '2026-12-02T08:00:00.000Z', end: '2026-12-02T09:30:00.000+01:00', endUtc: '2026-12-02T08:30:00.000Z', timeZone: 'Europe/Berlin' },
    ]);
  });
});

describe('Find Event Type and the Create Booking form', () => {
  it('Find Event Type: GET /v2/event-types/{id} (2024-06-14), flattened', async () => {
    const received = calcom('GET', '/v2/event-types/7', 200, success(EVENT_TYPE));
    const [eventType] = await appTester(findEventType, { authData: connection(), inputData: { eventTypeId: '7' } });
    expect(received[0]?.headers['cal-api-version']).toBe('2024-06-14');
    expect(eventType).toMatchObject({ id: 7, lengthInMinutesOptions: [30, 60], locations: [{ type: 'integration' }, { type: 'address' }] });
  });

  it("choosing an event type builds its fields with ONE request: durations, locations, its own questions typed, no field asked twice, hidden ones left out", async () => {
    const received = calcom('GET', '/v2/event-types/7', 200, success(EVENT_TYPE));
    const fields = await appTester(bookingFormFields, { authData: connection(), inputData: { eventTypeId: '7' } });
    expect(received).toHaveLength(1);
    expect(fields.map((field) => field.key)).toEqual(['lengthInMinutes', 'location', 'bookingField_company', 'bookingField_size', 'bookingNumber_seats']);
    expect(fields[0]?.choices?.map((choice) => choice.value)).toEqual(['30', '60']);
    expect(fields[1]?.choices?.map((choice) => choice.value)).toEqual(['integration', 'address']);
    expect(fields[2]).toMatchObject({ label: 'Company', required: true, type: 'string' });
    expect(fields[3]?.choices?.map((choice) => choice.value)).toEqual(['1-10', '11-50']);
    expect(fields[4]).toMatchObject({ type: 'number', required: false });
  });

  it('no event type chosen yet: no fields and no request', async () => {
    expect(await appTester(bookingFormFields, { authData: connection(), inputData: {} })).toEqual([]);
  });
});

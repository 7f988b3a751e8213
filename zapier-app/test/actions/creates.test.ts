import { createAppTester } from 'zapier-platform-core';
import App from '../../src/index';
import { perform as addGuests } from '../../src/creates/addGuests';
import { perform as cancelBooking } from '../../src/creates/cancelBooking';
import { perform as confirmBooking } from '../../src/creates/confirmBooking';
import { perform as createBooking } from '../../src/creates/createBooking';
import { perform as declineBooking } from '../../src/creates/declineBooking';
import { perform as markNoShow } from '../../src/creates/markNoShow';
import { perform as rescheduleBooking } from '../../src/creates/rescheduleBooking';
import { booking } from '../fixtures';
import { guardNetwork, success, useCloudEnv } from '../helpers';
import { calcom, connection } from './wire';

const appTester = createAppTester(App);
guardNetwork();
beforeEach(() => useCloudEnv());

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describe('Create Booking', () => {
  it('sends one POST /v2/bookings (2024-08-13) with start in UTC and only the given fields, and returns the full booking', async () => {
    const authData = connection();
    const created = booking({ start: '2026-12-01T09:00:00.000Z', end: '2026-12-01T09:30:00.000Z', eventTypeId: 7, eventType: { id: 7, slug: 'demo' } });
    const received = calcom('POST', '/v2/bookings', 201, success(created));
    const result = await appTester(createBooking, {
      authData,
      inputData: {
        eventTypeId: '7',
        start: '2026-12-01T10:00:00+01:00',
        attendeeName: 'Ada Lovelace',
        attendeeEmail: 'ada@example.com',
        attendeeTimeZone: 'Europe/London',
        attendeePhoneNumber: '',
        guests: ['grace@example.com'],
        lengthInMinutes: '30',
        location: 'address',
        bookingField_company: 'Analytical Engines',
        bookingNumber_seats: '3',
        bookingFlag_nda: 'true',
        bookingList_topics: ['pricing', 'setup'],
        metadata: { crmId: 'L-42' },
      },
    });
    expect(received).toHaveLength(1);
    expect(received[0]?.headers['cal-api-version']).toBe('2024-08-13');
    expect(received[0]?.headers.authorization).toBe(`Bearer ${authData.access_token}`);
    expect(received[0]?.body).toEqual({
      start: '2026-12-01T09:00:00.000Z',
      eventTypeId: 7,
      attendee: { name: 'Ada Lovelace', timeZone: 'Europe/London', email: 'ada@example.com' },
      guests: ['grace@example.com'],
      lengthInMinutes: 30,
      location: { type: 'address' },
      bookingFieldsResponses: { company: 'Analytical Engines', seats: 3, nda: true, topics: ['pricing', 'setup'] },
      metadata: { crmId: 'L-42' },
    });
    expect(result).toMatchObject({
      id: created.uid,
      bookingUid: created.uid,
      status: 'accepted',
      start: '2026-12-01T09:00:00.000Z',
      end: '2026-12-01T09:30:00.000Z',
      meetingUrl: 'https://meet.example.com/x',
      eventTypeId: 7,
      eventTypeSlug: 'demo',
      attendeeEmail: 'guest1@example.com',
      recovered: null,
      occurrences: [],
    });
    expect(result.start).toMatch(ISO_WITH_OFFSET);
    expect(result.attendees).toHaveLength(1);
  });

  it('a recurring event type answers with every occurrence: the first is the result, all are listed', async () => {
    const first = booking({ recurringBookingUid: 'rec-1' });
    const second = booking({ recurringBookingUid: 'rec-1', start: '2026-12-08T10:00:00.000Z', end: '2026-12-08T10:30:00.000Z' });
    calcom('POST', '/v2/bookings', 201, success([first, second]));
    const result = await appTester(createBooking, {
      authData: connection(),
      inputData: { eventTypeId: 7, start: '2026-12-01T10:00:00Z', attendeeName: 'Ada', attendeeEmail: 'ada@example.com', attendeeTimeZone: 'UTC' },
    });
    expect(result.id).toBe(first.uid);
    expect(result.occurrences.map((item) => item.uid)).toEqual([first.uid, second.uid]);
  });

  it('refuses a start without an offset before sending anything, naming the field', async () => {
    await expect(
      appTester(createBooking, { authData: connection(), inputData: { eventTypeId: 7, start: '2026-12-01 10:00', attendeeName: 'Ada', attendeeEmail: 'ada@example.com', attendeeTimeZone: 'UTC' } }),
    ).rejects.toThrow(/start must be an ISO-8601 date and time with Z or an offset/);
  });
});

describe('booking lifecycle creates', () => {
  it('Cancel Booking: POST /v2/bookings/{uid}/cancel with the reason, and returns the cancelled booking', async () => {
    const cancelled = booking({ status: 'cancelled', cancellationReason: 'No longer needed' });
    const received = calcom('POST', `/v2/bookings/${cancelled.uid}/cancel`, 200, success(cancelled));
    const result = await appTester(cancelBooking, { authData: connection(), inputData: { uid: cancelled.uid, reason: 'No longer needed', cancelSubsequentBookings: 'false' } });
    expect(received[0]?.headers['cal-api-version']).toBe('2024-08-13');
    expect(received[0]?.body).toEqual({ cancellationReason: 'No longer needed', cancelSubsequentBookings: false });
    expect(result).toMatchObject({ id: cancelled.uid, status: 'cancelled', cancellationReason: 'No longer needed' });
  });

  it('Cancel Booking without a reason still sends a JSON body ({})', async () => {
    const cancelled = booking({ status: 'cancelled' });
    const received = calcom('POST', `/v2/bookings/${cancelled.uid}/cancel`, 200, success(cancelled));
    await appTester(cancelBooking, { authData: connection(), inputData: { uid: cancelled.uid, reason: '' } });
    expect(received[0]?.body).toEqual({});
    expect(received[0]?.headers['content-type']).toMatch(/application\/json/);
  });

  it('Reschedule Booking: POST …/reschedule with start in UTC; the result is the NEW booking, pointing at the old one', async () => {
    const old = booking();
    const moved = booking({ start: '2026-12-02T14:00:00.000Z', end: '2026-12-02T14:30:00.000Z', rescheduledFromUid: old.uid, reschedulingReason: 'Clash' });
    const received = calcom('POST', `/v2/bookings/${old.uid}/reschedule`, 201, success(moved));
    const result = await appTester(rescheduleBooking, { authData: connection(), inputData: { uid: old.uid, start: '2026-12-02T15:00:00+01:00', reason: 'Clash', rescheduledBy: '' } });
    expect(received[0]?.body).toEqual({ start: '2026-12-02T14:00:00.000Z', reschedulingReason: 'Clash' });
    expect(result).toMatchObject({ id: moved.uid, start: '2026-12-02T14:00:00.000Z', rescheduledFromUid: old.uid, reschedulingReason: 'Clash' });
    expect(result.id).not.toBe(old.uid);
  });

  it('Confirm Booking and Decline Booking: their endpoints, the decline reason, the booking returned', async () => {
    const accepted = booking({ status: 'accepted' });
    const confirmReceived = calcom('POST', `/v2/bookings/${accepted.uid}/confirm`, 200, success(accepted));
    expect(await appTester(confirmBooking, { authData: connection(), inputData: { uid: accepted.uid } })).toMatchObject({ id: accepted.uid, status: 'accepted' });
    expect(confirmReceived[0]?.body).toEqual({});

    const rejected = booking({ status: 'rejected', cancellationReason: 'Fully booked' });
    const declineReceived = calcom('POST', `/v2/bookings/${rejected.uid}/decline`, 200, success(rejected));
    expect(await appTester(declineBooking, { authData: connection(), inputData: { uid: rejected.uid, reason: 'Fully booked' } })).toMatchObject({ id: rejected.uid, status: 'rejected' });
    expect(declineReceived[0]?.body).toEqual({ reason: 'Fully booked' });
  });

  it('Mark No-Show: POST …/mark-absent with the host flag and each attendee, and returns the booking', async () => {
    const marked = booking({ absentHost: true, attendees: [{ name: 'Guest One', email: 'guest1@example.com', timeZone: 'UTC', absent: true }] });
    const received = calcom('POST', `/v2/bookings/${marked.uid}/mark-absent`, 200, success(marked));
    const result = await appTester(markNoShow, { authData: connection(), inputData: { uid: marked.uid, host: 'true', absentAttendees: ['guest1@example.com'] } });
    expect(received[0]?.body).toEqual({ host: true, attendees: [{ email: 'guest1@example.com', absent: true }] });
    expect(result).toMatchObject({ id: marked.uid, absentHost: true, attendees: [expect.objectContaining({ email: 'guest1@example.com', absent: true })] });
  });

  it('Add Guests: POST …/guests with emails and names paired in order, and returns the booking with them', async () => {
    const withGuests = booking({ guests: ['grace@example.com', 'alan@example.com'] });
    const received = calcom('POST', `/v2/bookings/${withGuests.uid}/guests`, 200, success(withGuests));
    const result = await appTester(addGuests, { authData: connection(), inputData: { uid: withGuests.uid, guestEmails: 'grace@example.com, alan@example.com', guestNames: ['Grace Hopper'] } });
    expect(received[0]?.body).toEqual({ guests: [{ email: 'grace@example.com', name: 'Grace Hopper' }, { email: 'alan@example.com' }] });
    expect(result.guests).toEqual(['grace@example.com', 'alan@example.com']);
  });

  it('Add Guests refuses more than 10 before sending anything', async () => {
    const emails = Array.from({ length: 11 }, (_, index) => `guest${index}@example.com`);
    await expect(appTester(addGuests, { authData: connection(), inputData: { uid: 'abc', guestEmails: emails } })).rejects.toThrow(/at most 10 per request/);
  });
});

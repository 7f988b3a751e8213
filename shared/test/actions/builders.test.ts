import {
  buildAddGuestsRequest,
  buildCancelBookingRequest,
  buildConfirmBookingRequest,
  buildCreateBookingRequest,
  buildDeclineBookingRequest,
  buildFindSlotsRequest,
  buildGetBookingRequest,
  buildGetEventTypeRequest,
  buildMarkNoShowRequest,
  buildRescheduleBookingRequest,
  type CreateBookingInput,
} from '../../src/actions';
import { CalcomError } from '../../src/errors';
import { instance } from './support';

const minimal: CreateBookingInput = { eventTypeId: 7, start: '2026-05-04T11:00:00+02:00', attendee: { name: 'Ada', email: 'ada@example.com', timeZone: 'Europe/Berlin' } };

function bodyOf(request: { body?: string }): unknown {
  return JSON.parse(request.body ?? 'null');
}

describe('create booking request', () => {
  it('POSTs /v2/bookings at 2024-08-13 with start in UTC and only the given fields', () => {
    const request = buildCreateBookingRequest(instance, minimal);
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://api.cal.com/v2/bookings');
    expect(request.headers['cal-api-version']).toBe('2024-08-13');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.authorization).toBeUndefined();
    expect(bodyOf(request)).toEqual({ start: '2026-05-04T09:00:00.000Z', eventTypeId: 7, attendee: { name: 'Ada', email: 'ada@example.com', timeZone: 'Europe/Berlin' } });
  });

  it('sends every optional field given, and drops empty optional ones and unknown keys', () => {
    const request = buildCreateBookingRequest(instance, {
      ...minimal,
      attendee: { ...minimal.attendee, phoneNumber: '+14155550123', language: 'de' },
      guests: ['bob@example.com'],
      lengthInMinutes: 45,
      location: { type: 'integration', integration: 'cal-video' },
      bookingFieldsResponses: { company: 'ACME' },
      metadata: { crm: '42' },
      unknownField: 'never sent',
    } as CreateBookingInput);
    expect(bodyOf(request)).toEqual({
      start: '2026-05-04T09:00:00.000Z',
      eventTypeId: 7,
      attendee: { name: 'Ada', email: 'ada@example.com', timeZone: 'Europe/Berlin', phoneNumber: '+14155550123', language: 'de' },
      guests: ['bob@example.com'],
      lengthInMinutes: 45,
      location: { type: 'integration', integration: 'cal-video' },
      bookingFieldsResponses: { company: 'ACME' },
      metadata: { crm: '42' },
    });
    const empty = buildCreateBookingRequest(instance, { ...minimal, attendee: { ...minimal.attendee, phoneNumber: '' }, guests: [], location: '', metadata: {} });
    expect(Object.keys(bodyOf(empty) as object)).toEqual(['start', 'eventTypeId', 'attendee']);
    expect(Object.keys((bodyOf(empty) as { attendee: object }).attendee)).toEqual(['name', 'timeZone', 'email']);
  });

  it.each([
    [{ ...minimal, start: '2026-05-04 09:00' }, /start must be an ISO-8601/],
    [{ ...minimal, start: '2026-05-04T09:00:00' }, /start must be an ISO-8601.*Z or an offset/],
    [{ ...minimal, eventTypeId: 0 }, /eventTypeId must be a Cal.com id/],
    [{ ...minimal, attendee: { ...minimal.attendee, timeZone: 'Mars/Olympus' } }, /attendee.timeZone "Mars\/Olympus" is not an IANA time zone/],
    [{ ...minimal, attendee: { name: 'Ada', timeZone: 'UTC' } }, /attendee.email is required/],
    [{ ...minimal, attendee: { ...minimal.attendee, name: ' ' } }, /attendee.name is required/],
    [{ ...minimal, attendee: { ...minimal.attendee, email: 'not-an-email' } }, /attendee.email must be an email/],
    [{ ...minimal, guests: ['ok@example.com', 'nope'] }, /guests\[1\] must be an email/],
    [{ ...minimal, lengthInMinutes: 2.5 }, /lengthInMinutes must be a whole number/],
    [{ ...minimal, metadata: { k: 5 } }, /metadata.k must be text/],
    [{ ...minimal, attendee: undefined }, /attendee is required/],
  ])('refuses invalid input before sending (%#)', (input, message) => {
    let error: unknown;
    try {
      buildCreateBookingRequest(instance, input as CreateBookingInput);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CalcomError);
    expect((error as CalcomError).kind).toBe('invalid_input');
    expect((error as CalcomError).message).toMatch(message);
  });
});

describe('lifecycle requests', () => {
  it('cancel always sends a JSON body, {} when nothing is given', () => {
    const request = buildCancelBookingRequest(instance, { uid: 'bk_1' });
    expect([request.method, request.url, request.headers['cal-api-version'], request.headers['content-type'], request.body]).toEqual([
      'POST',
      'https://api.cal.com/v2/bookings/bk_1/cancel',
      '2024-08-13',
      'application/json',
      '{}',
    ]);
    expect(bodyOf(buildCancelBookingRequest(instance, { uid: 'bk_1', reason: 'Ill', cancelSubsequentBookings: true }))).toEqual({ cancellationReason: 'Ill', cancelSubsequentBookings: true });
  });

  it('reschedule sends start in UTC and Cal.com field names, only when given', () => {
    const request = buildRescheduleBookingRequest(instance, { uid: 'bk_1', start: '2026-05-05T10:00:00-04:00' });
    expect(request.url).toBe('https://api.cal.com/v2/bookings/bk_1/reschedule');
    expect(bodyOf(request)).toEqual({ start: '2026-05-05T14:00:00.000Z' });
    expect(bodyOf(buildRescheduleBookingRequest(instance, { uid: 'bk_1', start: '2026-05-05T14:00:00Z', reason: 'Flight', rescheduledBy: 'host@example.com' }))).toEqual({
      start: '2026-05-05T14:00:00.000Z',
      rescheduledBy: 'host@example.com',
      reschedulingReason: 'Flight',
    });
  });

  it('confirm, decline, mark-absent and guests hit their paths at 2024-08-13', () => {
    const confirm = buildConfirmBookingRequest(instance, { uid: 'bk_1' });
    expect([confirm.url, confirm.body, confirm.headers['cal-api-version']]).toEqual(['https://api.cal.com/v2/bookings/bk_1/confirm', '{}', '2024-08-13']);
    expect(bodyOf(buildDeclineBookingRequest(instance, { uid: 'bk_1', reason: 'Busy' }))).toEqual({ reason: 'Busy' });
    expect(buildDeclineBookingRequest(instance, { uid: 'bk_1' }).body).toBe('{}');
    const absent = buildMarkNoShowRequest(instance, { uid: 'bk_1', host: false, attendees: [{ email: 'ada@example.com', absent: true }] });
    expect([absent.url, bodyOf(absent)]).toEqual(['https://api.cal.com/v2/bookings/bk_1/mark-absent', { host: false, attendees: [{ email: 'ada@example.com', absent: true }] }]);
    const guests = buildAddGuestsRequest(instance, { uid: 'bk_1', guests: [{ email: 'g@example.com' }, { email: 'h@example.com', name: 'H' }] });
    expect([guests.url, bodyOf(guests)]).toEqual(['https://api.cal.com/v2/bookings/bk_1/guests', { guests: [{ email: 'g@example.com' }, { email: 'h@example.com', name: 'H' }] }]);
  });

  it('encodes the uid as one path segment', () => {
    expect(buildGetBookingRequest(instance, '../me?x=1').url).toBe('https://api.cal.com/v2/bookings/..%2Fme%3Fx%3D1');
  });

  it.each([
    [() => buildCancelBookingRequest(instance, { uid: '' }), /uid is required/],
    [() => buildRescheduleBookingRequest(instance, { uid: 'bk_1', start: 'tomorrow' }), /start must be an ISO-8601/],
    [() => buildMarkNoShowRequest(instance, { uid: 'bk_1' }), /host \(true\/false\) or at least one attendee/],
    [() => buildMarkNoShowRequest(instance, { uid: 'bk_1', attendees: [{ email: 'a@example.com' } as never] }), /attendees\[0\].absent is required/],
    [() => buildAddGuestsRequest(instance, { uid: 'bk_1', guests: Array.from({ length: 11 }, (_, i) => ({ email: `g${i}@example.com` })) }), /11 entries; Cal.com accepts at most 10/],
    [() => buildAddGuestsRequest(instance, { uid: 'bk_1', guests: [] }), /guests is required/],
  ])('refuses invalid input naming the field (%#)', (build, message) => {
    expect(build).toThrow(message);
    try {
      build();
    } catch (error) {
      expect((error as CalcomError).kind).toBe('invalid_input');
    }
  });
});

describe('read requests', () => {
  it('slots: GET /v2/slots at 2024-09-04 with only allowed parameters, start and end in UTC', () => {
    const request = buildFindSlotsRequest(instance, { eventTypeId: 7, start: '2026-05-04T00:00:00+02:00', end: '2026-05-05', timeZone: 'Europe/Berlin', duration: 30 });
    expect(request.method).toBe('GET');
    expect(request.headers['cal-api-version']).toBe('2024-09-04');
    const url = new URL(request.url);
    expect(url.pathname).toBe('/v2/slots');
    expect(Object.fromEntries(url.searchParams)).toEqual({ eventTypeId: '7', start: '2026-05-03T22:00:00.000Z', end: '2026-05-05', timeZone: 'Europe/Berlin', duration: '30', format: 'range' });
    const bare = new URL(buildFindSlotsRequest(instance, { eventTypeId: 7, start: '2026-05-04T00:00:00Z', end: '2026-05-04T12:00:00Z' }).url);
    expect([...bare.searchParams.keys()]).toEqual(['eventTypeId', 'start', 'end', 'format']);
  });

  it('slots: refuses an end before the start and an unknown zone', () => {
    expect(() => buildFindSlotsRequest(instance, { eventTypeId: 7, start: '2026-05-05T00:00:00Z', end: '2026-05-04T00:00:00Z' })).toThrow(/end .* must be after start/);
    expect(() => buildFindSlotsRequest(instance, { eventTypeId: 7, start: '2026-05-04', end: '2026-05-05', timeZone: 'CEST+2' })).toThrow(/timeZone "CEST\+2" is not an IANA time zone/);
  });

  it('get booking and get event type use their own versions', () => {
    expect(buildGetBookingRequest(instance, 'bk_1').headers['cal-api-version']).toBe('2024-08-13');
    const eventType = buildGetEventTypeRequest(instance, 7);
    expect([eventType.method, eventType.url, eventType.headers['cal-api-version']]).toEqual(['GET', 'https://api.cal.com/v2/event-types/7', '2024-06-14']);
  });
});

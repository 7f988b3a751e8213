import {
  processAddGuestsResponse,
  processCancelBookingResponse,
  processConfirmBookingResponse,
  processCreateBookingResponse,
  processFindSlotsResponse,
  processGetEventTypeResponse,
  processRescheduleBookingResponse,
} from '../../src/actions';
import { CalcomError } from '../../src/errors';
import { booking, failure, json, success } from './support';

function errorOf(run: () => unknown): CalcomError {
  try {
    run();
  } catch (error) {
    if (error instanceof CalcomError) return error;
    throw error;
  }
  throw new Error('expected a CalcomError');
}

describe('booking answers', () => {
  it('create: one booking (201), or every occurrence of a recurring one', () => {
    expect(processCreateBookingResponse(success(booking(), 201))).toEqual([booking()]);
    const occurrences = [booking({ uid: 'r1', recurringBookingUid: 'rec' }), booking({ uid: 'r2', recurringBookingUid: 'rec', start: '2026-05-11T09:00:00.000Z', end: '2026-05-11T09:30:00.000Z' })];
    expect(processCreateBookingResponse(success(occurrences, 201)).map((item) => item.uid)).toEqual(['r1', 'r2']);
  });

  it('reschedule returns the new booking; cancel the cancelled one', () => {
    expect(processRescheduleBookingResponse(success(booking({ uid: 'new', rescheduledFromUid: 'bk_1' }), 201)).uid).toBe('new');
    expect(processCancelBookingResponse(success(booking({ status: 'cancelled' })))[0]?.status).toBe('cancelled');
  });

  it.each([
    ['a malformed booking', success(booking({ attendees: null }), 201), /booking bk_1 that cannot be used: its attendees is null/],
    ['no uid', success(booking({ uid: undefined }), 201), /the booking that cannot be used: it has no uid/],
    ['an error envelope with 2xx', json(201, { status: 'error' }), /status "error" instead of "success"/],
    ['no data', json(201, { status: 'success' }), /without "data"/],
    ['an empty recurring list', success([], 201), /empty list/],
    ['HTML', { status: 201, headers: { 'content-type': 'text/html' }, body: '<html></html>' }, /HTML page/],
  ])('refuses %s as malformed_response, never a TypeError', (_label, response, message) => {
    const error = errorOf(() => processCreateBookingResponse(response));
    expect(error.kind).toBe('malformed_response');
    expect(error.message).toMatch(message);
  });

  it('refuses a list where one booking is expected', () => {
    expect(errorOf(() => processRescheduleBookingResponse(success([booking()], 201))).message).toMatch(/a list where one booking was expected/);
  });
});

describe("Cal.com's refusals", () => {
  it.each([
    ['User either already has booking at this time or is not available', 'slot_taken', /That time is taken.*"Find Available Slots"/],
    ['One of the hosts either already has booking at this time or is not available', 'slot_taken', /That time is taken/],
    ['Missing required booking field response: company - please provide it', 'missing_booking_field', /requires the booking field "company".*bookingFieldsResponses\.company/],
    ['Missing attendee phone number - it is required by the event type. Pass it as "attendee.phoneNumber"', 'missing_booking_field', /attendee\.phoneNumber/],
    ['Attempting to book a meeting in the past.', 'start_in_the_past', /That start is in the past/],
    [
      'The event type can\'t be booked at the "start" time provided. This could be because it\'s too soon (violating the minimum booking notice) or too far in the future (outside the event\'s scheduling window). Try fetching available slots first using the GET /v2/slots endpoint',
      'start_out_of_bounds',
      /outside what the event type allows/,
    ],
  ])('"%s" reads as a user-fixable refusal', (calcom, code, message) => {
    const error = errorOf(() => processCreateBookingResponse(failure(400, calcom)));
    expect(error.kind).toBe('bad_request');
    expect(error.code).toBe(code);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('Cal.com said');
  });

  it('403 insufficient_scope names BOOKING_WRITE and says to reconnect', () => {
    const said = errorOf(() => processConfirmBookingResponse(failure(403, 'insufficient_scope: token does not have the required scopes. Required: BOOKING_WRITE. Token has: BOOKING_READ', 'ForbiddenException')));
    expect(said.kind).toBe('insufficient_scope');
    expect(said.requiredScopes).toEqual(['BOOKING_WRITE']);
    expect(said.message).toMatch(/lacks BOOKING_WRITE.*reconnect/);
    const unsaid = errorOf(() => processAddGuestsResponse(failure(403, 'insufficient_scope', 'ForbiddenException')));
    expect(unsaid.requiredScopes).toEqual(['BOOKING_WRITE']);
    expect(unsaid.message).toMatch(/reconnect the account and grant BOOKING_WRITE/);
  });

  it('an expired token and a 429 keep their kinds', () => {
    expect(errorOf(() => processCreateBookingResponse(failure(401, 'ApiAuthStrategy - access token - Invalid Access Token.', 'UnauthorizedException'))).kind).toBe('token_expired');
    expect(errorOf(() => processCancelBookingResponse(failure(429, 'Too many requests', 'ThrottlerException'))).kind).toBe('rate_limited');
  });

  it('an unknown-property 400 stays a bad_request quoting Cal.com', () => {
    const error = errorOf(() => processCreateBookingResponse(failure(400, 'foo property is wrong,property foo should not exist')));
    expect([error.kind, error.code]).toEqual(['bad_request', 'BadRequestException']);
    expect(error.message).toMatch(/foo property is wrong/);
  });
});

describe('slots answer', () => {
  const data = {
    '2026-05-05': [{ start: '2026-05-05T09:00:00.000+02:00', end: '2026-05-05T09:30:00.000+02:00' }],
    '2026-05-04': [{ start: '2026-05-04T16:00:00.000+02:00' }, { start: '2026-05-04T10:00:00.000+02:00' }],
  };

  it('flattens the date map, earliest first, keeping Cal.com\'s offset and adding UTC', () => {
    expect(processFindSlotsResponse(success(data), 'Europe/Berlin')).toEqual([
      { start: '2026-05-04T10:00:00.000+02:00', startUtc: '2026-05-04T08:00:00.000Z', timeZone: 'Europe/Berlin' },
      { start: '2026-05-04T16:00:00.000+02:00', startUtc: '2026-05-04T14:00:00.000Z', timeZone: 'Europe/Berlin' },
      { start: '2026-05-05T09:00:00.000+02:00', startUtc: '2026-05-05T07:00:00.000Z', end: '2026-05-05T09:30:00.000+02:00', endUtc: '2026-05-05T07:30:00.000Z', timeZone: 'Europe/Berlin' },
    ]);
    expect(processFindSlotsResponse(success({}))).toEqual([]);
  });

  it.each([
    [success([]), /without a map of dates/],
    [success({ '2026-05-04': { start: 'x' } }), /not mapped to a list/],
    [success({ '2026-05-04': [{ start: '10:00' }] }), /slot 2026-05-04\[0\] whose start "10:00"/],
    [success({ '2026-05-04': [null] }), /whose start null/],
  ])('refuses a malformed answer (%#)', (response, message) => {
    const error = errorOf(() => processFindSlotsResponse(response));
    expect(error.kind).toBe('malformed_response');
    expect(error.message).toMatch(message);
  });

  it('a 404 (the version header lost) is not_found', () => {
    expect(errorOf(() => processFindSlotsResponse(failure(404, 'Cannot GET /v2/slots', 'NotFoundException'))).kind).toBe('not_found');
  });
});

describe('event type answer', () => {
  it('reads lengths, visible booking fields with options, locations and flags', () => {
    const detail = processGetEventTypeResponse(
      success({
        id: 7,
        title: 'Intro',
        slug: 'intro',
        lengthInMinutes: 30,
        lengthInMinutesOptions: [15, 30, 60],
        requiresConfirmation: true,
        recurrence: { frequency: 'weekly', interval: 1, occurrences: 4 },
        bookingFields: [
          { type: 'name', slug: 'name', label: 'Your name', required: true, isDefault: true },
          { type: 'select', slug: 'size', label: 'Team size', required: false, options: ['1-10', '11-50'] },
          { type: 'text', slug: 'secret', label: 'Hidden', required: false, hidden: true },
          'junk',
        ],
        locations: [{ type: 'integration', integration: 'cal-video' }, { type: 'address', label: 'Office' }, null],
      }),
    );
    expect(detail).toEqual({
      id: 7,
      title: 'Intro',
      slug: 'intro',
      lengthInMinutes: 30,
      lengthInMinutesOptions: [15, 30, 60],
      requiresConfirmation: true,
      recurring: true,
      bookingFields: [
        { name: 'name', type: 'name', label: 'Your name', required: true },
        { name: 'size', type: 'select', label: 'Team size', required: false, options: [{ value: '1-10', label: '1-10' }, { value: '11-50', label: '11-50' }] },
      ],
      locations: [{ type: 'integration' }, { type: 'address', label: 'Office' }],
    });
  });

  it('refuses an event type without id or length', () => {
    expect(errorOf(() => processGetEventTypeResponse(success({ id: 'x', title: 't', slug: 's' }))).message).toMatch(/id is not a whole number/);
    expect(errorOf(() => processGetEventTypeResponse(success({ id: 7, title: 't', slug: 's' }))).message).toMatch(/without a length in minutes/);
  });

  it('names EVENT_TYPE_READ when Cal.com does not', () => {
    const error = errorOf(() => processGetEventTypeResponse(failure(403, 'insufficient_scope', 'ForbiddenException')));
    expect(error.requiredScopes).toEqual(['EVENT_TYPE_READ']);
  });
});

import { classifyResponse } from '../src/classify';
import { findInputRejection } from '../src/input-rejections';
import { jsonResponse } from './support/fetch';

/** Cal.com's API v2 error envelope (CALCOM.md §13). */
function refusal(message: string, code = 'BadRequestException') {
  return jsonResponse(400, { status: 'error', timestamp: '2026-11-20T09:12:44.000Z', path: '/v2/bookings', error: { code, message } });
}

const CREATE = { endpoint: 'POST /v2/bookings' };

describe('a 400 about the values the user gave is theirs to fix, naming the field', () => {
  it.each([
    ['User either already has booking at this time or is not available', 'start', /host already has a booking at that time/],
    ['One of the hosts either already has booking at this time or is not available', 'start', /host already has a booking at that time/],
    [
      'The event type can\'t be booked at the "start" time provided. This could be because it\'s too soon (violating the minimum booking notice) or too far in the future (outside the event\'s scheduling window). Try fetching available slots first using the GET /v2/slots endpoint.',
      'start',
      /outside the event type's booking window/,
    ],
    ['Attempting to book a meeting in the past.', 'start', /start time is in the past/],
    ['Missing required booking field response: notes - it is required by the event type.', 'bookingFieldsResponses.notes', /booking question "notes"/],
    ['Missing attendee phone number - it is required by the event type. Pass it as "attendee.phoneNumber" in the request body.', 'attendee.phoneNumber', /phone number/],
    ['Attendee must have at least one contact method (email or phone number)', 'attendee.email', /neither an email address nor a phone number/],
    ['Either eventTypeId or eventTypeSlug + username or eventTypeSlug + teamSlug must be provided', 'eventTypeId', /no event type was chosen/],
    ["Can't reschedule booking with uid=abc123 because it has been cancelled. Please provide uid of a booking that is not cancelled.", 'bookingUid', /already been cancelled/],
    ['start property is wrong,start must be a valid ISO 8601 date string', 'start', /start must be a valid ISO 8601 date string/],
  ])('"%s" → input_rejected on %s', (text, field, problem) => {
    const error = classifyResponse(refusal(text), CREATE);
    expect(error).toMatchObject({ kind: 'input_rejected', status: 400, field, code: 'BadRequestException' });
    expect(error?.message).toMatch(problem);
    expect(error?.message).toContain(`(field ${field})`);
    expect(error?.message).toMatch(/^Cal\.com refused POST \/v2\/bookings because of the values given: .*This is for you to fix, not a fault of the connection: .*, then run it again/);
    expect(error?.isTransient).toBe(false);
    expect(error?.needsReconnect).toBe(false);
  });

  it('reads the flat {message} shape too', () => {
    expect(classifyResponse(jsonResponse(400, { message: 'User either already has booking at this time or is not available' }), CREATE)).toMatchObject({ kind: 'input_rejected', field: 'start' });
  });
});

describe("a 400 about what the integration sent is the integration's defect", () => {
  it('an unknown property stays bad_request and says to report it, naming the property', () => {
    const error = classifyResponse(refusal('property foo should not exist'), CREATE);
    expect(error).toMatchObject({ kind: 'bad_request', status: 400 });
    expect(error?.field).toBeUndefined();
    expect(error?.message).toMatch(/this integration sent a field Cal\.com does not accept \(foo\), which is a defect in the integration: report it to its maintainers\.$/);
  });

  it('a pipe message that names the property as wrong and unknown at once is still the defect', () => {
    expect(findInputRejection('attendee property is wrong,property attendee.nickname should not exist')).toBeUndefined();
    expect(classifyResponse(refusal('attendee property is wrong,property attendee.nickname should not exist'), CREATE)).toMatchObject({ kind: 'bad_request' });
  });

  it('any other 400 stays bad_request, without the defect sentence', () => {
    const error = classifyResponse(refusal('Something else went wrong'), CREATE);
    expect(error).toMatchObject({ kind: 'bad_request' });
    expect(error?.message).toBe('Cal.com rejected POST /v2/bookings (HTTP 400, "BadRequestException: Something else went wrong").');
  });

  it('a token endpoint 400 is never read as user input', () => {
    const error = classifyResponse(jsonResponse(400, { error: 'invalid_request', error_description: 'start property is wrong,start must be a date' }), { tokenEndpoint: true });
    expect(error?.kind).toBe('bad_request');
  });

  it('the same text on another status is not an input rejection', () => {
    expect(classifyResponse(jsonResponse(409, { message: 'User either already has booking at this time or is not available' }), CREATE)?.kind).toBe('bad_request');
  });
});

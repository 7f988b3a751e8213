import { apiVersion, notFound } from './api-routes';
import { authenticateV2 } from './api-auth';
import { bookingFieldsProblem } from './booking-fields';
import { bookingOutput20240415, bookingOutput20240813 } from './booking-output';
import { idempotencyKeyTaken, initialStatus, insertBookings, type NewBooking } from './booking-writes';
import { jsonResponse, type EmuRequest, type EmuResponse } from './http';
import type { OAuthService } from './oauth-service';
import { slotVerdict, type SlotVerdict } from './slots';
import type { EmulatorState } from './state';
import { isIsoDate, jsonObjectBody, unknownProperties, wrongProperty } from './strict-input';
import { isTimeZone } from './time-zones';
import type { Attendee, EventType, User } from './types';
import { v2Error, v2ValidationError } from './v2-errors';

/** `CreateBookingInput_2024_08_13` and the recurring variant (`recurrenceCount`). */
const CREATE_FIELDS = [
  'start', 'attendee', 'bookingFieldsResponses', 'eventTypeId', 'eventTypeSlug', 'username', 'teamSlug', 'organizationSlug',
  'guests', 'meetingUrl', 'location', 'metadata', 'lengthInMinutes', 'routing', 'emailVerificationCode', 'instant', 'recurrenceCount',
];
const ATTENDEE_FIELDS = ['name', 'email', 'timeZone', 'phoneNumber', 'language'];

/** `errors.service.ts` of the 2024-08-13 bookings: the texts a client must be able to tell apart. */
export const SLOT_ERRORS: Record<Exclude<SlotVerdict, 'ok'>, string> = {
  past: 'Attempting to book a meeting in the past.',
  'out-of-bounds': 'The event type can\'t be booked at the "start" time provided. This could be because it\'s too soon (violating the minimum booking notice) or too far in the future (outside the event\'s scheduling window). Try fetching available slots first using the GET /v2/slots endpoint and then make a booking with "start" time equal to one of the available slots: https://cal.com/docs/api-reference/v2/slots',
  unavailable: 'User either already has booking at this time or is not available',
};

/** `PrismaExceptionFilter` for P2002. */
export const DUPLICATE_RECORD = 'Invalid Input: Trying to create a record that already exists.';

type Parsed = { ok: true; value: NewBooking } | { ok: false; response: EmuResponse };

function bad(state: EmulatorState, req: EmuRequest, message: string): { ok: false; response: EmuResponse } {
  return { ok: false, response: v2Error(state, req, 400, 'BadRequestException', message) };
}

function findEventType(state: EmulatorState, req: EmuRequest, body: Record<string, unknown>): { ok: true; eventType: EventType } | { ok: false; response: EmuResponse } {
  const { store } = state;
  if (typeof body.eventTypeId === 'number') {
    const found = store.eventTypes.get(body.eventTypeId);
    return found ? { ok: true, eventType: found } : { ok: false, response: v2Error(state, req, 404, 'NotFoundException', `Event type with id ${body.eventTypeId} not found.`) };
  }
  if (typeof body.eventTypeSlug === 'string' && typeof body.username === 'string') {
    const user = [...store.users.values()].find((u) => u.username === body.username);
    if (!user) return { ok: false, response: v2Error(state, req, 404, 'NotFoundException', `User with username ${body.username} not found`) };
    const found = store.eventTypesOf(user.id).find((e) => e.slug === body.eventTypeSlug);
    return found ? { ok: true, eventType: found }
      : { ok: false, response: v2Error(state, req, 404, 'NotFoundException', `Event type with slug ${body.eventTypeSlug} belonging to user ${body.username} not found.`) };
  }
  return bad(state, req, 'Either eventTypeId or eventTypeSlug + username or eventTypeSlug + teamSlug must be provided');
}

function parseAttendee(raw: unknown, errors: string[]): Attendee | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.push(wrongProperty('attendee', 'attendee must be an object'));
    return null;
  }
  const a = raw as Record<string, unknown>;
  for (const key of Object.keys(a)) if (!ATTENDEE_FIELDS.includes(key)) errors.push(wrongProperty('attendee', `property ${key} should not exist`));
  if (typeof a.name !== 'string') errors.push(wrongProperty('attendee', 'name must be a string'));
  if (!isTimeZone(a.timeZone)) errors.push(wrongProperty('attendee', 'timeZone must be a valid IANA time-zone'));
  if (a.email !== undefined && (typeof a.email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a.email))) errors.push(wrongProperty('attendee', 'email must be an email'));
  if (a.email === undefined && a.phoneNumber === undefined) errors.push('Attendee must have at least one contact method (email or phone number)');
  if (errors.length > 0) return null;
  return {
    name: a.name as string, email: typeof a.email === 'string' ? a.email : '', timeZone: a.timeZone as string,
    language: typeof a.language === 'string' ? a.language : 'en', absent: false,
    ...(typeof a.phoneNumber === 'string' ? { phoneNumber: a.phoneNumber } : {}),
  };
}

/** A `location` object of the input, as the booking stores it; null for the event type's default (Cal Video). */
function locationOf(raw: unknown): string | null {
  if (typeof raw === 'string') return raw;
  if (typeof raw !== 'object' || raw === null) return null;
  const l = raw as Record<string, unknown>;
  for (const key of ['address', 'location', 'phone', 'link']) if (typeof l[key] === 'string') return l[key] as string;
  return null;
}

function stringMetadata(raw: unknown): Record<string, string> {
  if (typeof raw !== 'object' || raw === null) return {};
  return Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

/** `CreateBookingInputPipe` (forbidNonWhitelisted), then the service's event-type, field and slot checks. */
function parseCreate(state: EmulatorState, req: EmuRequest): Parsed {
  const parsed = jsonObjectBody(req.rawBody);
  if (!parsed.ok) return bad(state, req, parsed.message);
  const body = parsed.body;
  const errors = unknownProperties(Object.keys(body), CREATE_FIELDS);
  if (!isIsoDate(body.start)) errors.push(wrongProperty('start', 'start must be a valid ISO 8601 date string'));
  const attendee = parseAttendee(body.attendee, errors);
  if (body.lengthInMinutes !== undefined && !(Number.isInteger(body.lengthInMinutes) && (body.lengthInMinutes as number) >= 1)) {
    errors.push(wrongProperty('lengthInMinutes', 'lengthInMinutes must not be less than 1'));
  }
  if (body.guests !== undefined && !(Array.isArray(body.guests) && body.guests.every((g) => typeof g === 'string'))) {
    errors.push(wrongProperty('guests', 'each value in guests must be a string'));
  }
  if (errors.length > 0 || !attendee) return bad(state, req, errors.join(', '));
  const found = findEventType(state, req, body);
  if (!found.ok) return found;
  const eventType = found.eventType;
  const responses = typeof body.bookingFieldsResponses === 'object' && body.bookingFieldsResponses !== null
    ? Object.fromEntries(Object.entries(body.bookingFieldsResponses as Record<string, unknown>).map(([k, v]) => [k, v === null ? '' : v]))
    : {};
  const fieldProblem = bookingFieldsProblem(eventType, responses);
  if (fieldProblem) return bad(state, req, fieldProblem);
  const duration = typeof body.lengthInMinutes === 'number' ? body.lengthInMinutes : eventType.lengthInMinutes;
  const allowed = eventType.lengthInMinutesOptions ?? [eventType.lengthInMinutes];
  if (!allowed.includes(duration)) {
    return bad(state, req, `Provided lengthInMinutes=${duration} is not one of the event type's lengthInMinutesOptions: ${allowed.join(', ')}.`);
  }
  const start = Date.parse(body.start as string);
  const verdict = slotVerdict(state.store, eventType, start, duration, state.clock.now());
  if (verdict !== 'ok') return bad(state, req, SLOT_ERRORS[verdict]);
  const recurrence = eventType.recurrence;
  const occurrences = recurrence ? Math.max(1, Math.min(recurrence.occurrences, typeof body.recurrenceCount === 'number' ? body.recurrenceCount : recurrence.occurrences)) : 1;
  return {
    ok: true,
    value: {
      eventType, start, durationMinutes: duration, attendee, guests: (body.guests as string[] | undefined) ?? [],
      location: locationOf(body.location ?? body.meetingUrl), metadata: stringMetadata(body.metadata), responses, occurrences,
    },
  };
}

/** The older DTO (`CreateBookingInput_2024_04_15`): `responses`, `timeZone`, `language`, `metadata` required. */
function parseCreate20240415(state: EmulatorState, req: EmuRequest): Parsed {
  const parsed = jsonObjectBody(req.rawBody);
  if (!parsed.ok) return bad(state, req, parsed.message);
  const body = parsed.body;
  const errors: string[] = [];
  if (!isIsoDate(body.start)) errors.push('start must be a valid ISO 8601 date string');
  if (typeof body.eventTypeId !== 'number') errors.push('eventTypeId must be a number conforming to the specified constraints');
  if (!isTimeZone(body.timeZone)) errors.push('timeZone must be a valid IANA time-zone');
  if (typeof body.language !== 'string') errors.push('language must be a string');
  if (typeof body.metadata !== 'object' || body.metadata === null) errors.push('metadata must be an object');
  const responses = body.responses as Record<string, unknown> | undefined;
  if (typeof responses !== 'object' || responses === null || typeof responses.name !== 'string' || typeof responses.email !== 'string') errors.push('responses must be an object');
  if (errors.length > 0) return { ok: false, response: v2ValidationError(state, req, errors) };
  const eventType = state.store.eventTypes.get(body.eventTypeId as number);
  if (!eventType) return { ok: false, response: v2Error(state, req, 404, 'NotFoundException', `Event type with id ${String(body.eventTypeId)} not found.`) };
  const start = Date.parse(body.start as string);
  const verdict = slotVerdict(state.store, eventType, start, eventType.lengthInMinutes, state.clock.now());
  if (verdict !== 'ok') return bad(state, req, verdict === 'unavailable' ? 'no_available_users_found_error' : SLOT_ERRORS[verdict]);
  const r = responses as { name: string; email: string };
  return {
    ok: true,
    value: {
      eventType, start, durationMinutes: eventType.lengthInMinutes, attendee: { name: r.name, email: r.email, timeZone: body.timeZone as string, language: body.language as string, absent: false },
      guests: [], location: null, metadata: stringMetadata(body.metadata), responses: {}, occurrences: 1,
    },
  };
}

/**
 * `POST /v2/bookings` (shared/CALCOM.md §17). Public: a token is optional but must be valid. The checks run,
 * then the create waits in the race gap (when armed), then the insert meets the unique idempotency key.
 */
export async function createBookingRoute(state: EmulatorState, oauth: OAuthService, req: EmuRequest): Promise<EmuResponse> {
  const version = apiVersion(req);
  if (version !== '2024-08-13' && version !== '2024-04-15') return notFound(state, req);
  const auth = optionalAuth(state, oauth, req);
  if (auth && !auth.ok) return auth.response;
  const parsed = version === '2024-08-13' ? parseCreate(state, req) : parseCreate20240415(state, req);
  if (!parsed.ok) return parsed.response;
  await state.createRace.gap();
  const input = parsed.value;
  const first = { start: input.start, end: input.start + input.durationMinutes * 60_000, userId: input.eventType.userId, status: initialStatus(input.eventType) };
  if (idempotencyKeyTaken(state, first)) return v2Error(state, req, 409, 'ConflictException', DUPLICATE_RECORD);
  const created = insertBookings(state, input);
  if (version === '2024-04-15') return jsonResponse(201, { status: 'success', data: bookingOutput20240415(state.store, created[0]!) });
  const outputs = created.map((b) => bookingOutput20240813(state.store, b));
  return jsonResponse(201, { status: 'success', data: input.eventType.recurrence ? outputs : outputs[0] });
}

/** `OptionalApiAuthGuard`: no token is anonymous (null); a token must verify; any scope passes. */
export function optionalAuth(state: EmulatorState, oauth: OAuthService, req: EmuRequest): { ok: true; user: User } | { ok: false; response: EmuResponse } | null {
  if (req.headers.authorization === undefined) return null;
  const auth = authenticateV2(state, oauth, req, { permissionsGuardFirst: false, requiredScope: null, anyScope: true });
  return auth.ok ? { ok: true, user: auth.user } : auth;
}

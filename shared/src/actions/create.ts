import type { Booking } from '../api/booking-types';
import { CalcomError } from '../errors';
import type { HttpRequest, HttpResponse } from '../http';
import type { CalcomInstance } from '../instances';
import { failureOf, processBookingAnswer, type ProcessOptions } from './booking-response';
import { attempt, isAmbiguous, secretsOf, type ActionContext } from './context';
import {
  optionalRecord,
  optionalText,
  requireEmail,
  requireId,
  requireInput,
  requireInteger,
  requireText,
  requireTimeZone,
  requireUtcTimestamp,
} from './inputs';
import { BOOKING_REFUSALS, refusalCode, USER_INPUT_REJECTED } from './refusals';
import { describeIdentity, findOwnBookings, outcomeUnknown, recoverOrThrow, type BookingIdentity, type BookingWriteResult } from './safe-write';
import { ACTION_API_VERSIONS, buildActionRequest } from './wire';

export const CREATE_BOOKING_ENDPOINT = 'POST /v2/bookings';

/** Input of {@link createBooking}. Only the fields given are sent: Cal.com refuses unknown ones (CALCOM.md §17). */
export interface CreateBookingInput {
  eventTypeId: number;
  /** ISO-8601 with Z or an offset; sent to Cal.com as UTC. */
  start: string;
  attendee: { name: string; email?: string; timeZone: string; phoneNumber?: string; language?: string };
  guests?: string[];
  lengthInMinutes?: number;
  location?: string | Record<string, unknown>;
  bookingFieldsResponses?: Record<string, unknown>;
  metadata?: Record<string, string>;
}

/** Cal.com's `ValidateMetadata`: up to 50 keys of at most 40 characters, text values of at most 500. */
const METADATA_LIMITS = { keys: 50, keyLength: 40, valueLength: 500 } as const;

function metadataOf(value: unknown): Record<string, string> | undefined {
  const record = optionalRecord(value, 'metadata');
  if (record === undefined) return undefined;
  const entries = Object.entries(record);
  if (entries.length > METADATA_LIMITS.keys) throw new CalcomError('invalid_input', `metadata has ${entries.length} keys; Cal.com accepts at most ${METADATA_LIMITS.keys}.`);
  for (const [key, item] of entries) {
    if (key.length > METADATA_LIMITS.keyLength) throw new CalcomError('invalid_input', `metadata key "${key.slice(0, 50)}…" is longer than ${METADATA_LIMITS.keyLength} characters.`);
    if (typeof item !== 'string' || item.length > METADATA_LIMITS.valueLength) {
      throw new CalcomError('invalid_input', `metadata.${key} must be text of at most ${METADATA_LIMITS.valueLength} characters.`);
    }
  }
  return record as Record<string, string>;
}

function guestsOf(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new CalcomError('invalid_input', 'guests must be a list of email addresses.');
  return value.map((guest: unknown, index) => requireEmail(guest, `guests[${index}]`));
}

/** The body Cal.com receives, built from the given fields only, after checking each of them. */
export function createBookingBody(input: CreateBookingInput): Record<string, unknown> {
  const given = requireInput(input, 'Create booking');
  const attendeeInput = optionalRecord(given.attendee, 'attendee');
  if (attendeeInput === undefined) throw new CalcomError('invalid_input', 'attendee is required: at least attendee.name, attendee.timeZone and attendee.email (or attendee.phoneNumber).');
  const email = optionalText(attendeeInput.email, 'attendee.email');
  const phoneNumber = optionalText(attendeeInput.phoneNumber, 'attendee.phoneNumber');
  const language = optionalText(attendeeInput.language, 'attendee.language');
  if (email === undefined && phoneNumber === undefined) {
    // Cal.com's RequireEmailOrPhone, refused here so nothing is sent.
    throw new CalcomError('invalid_input', 'attendee.email is required (or attendee.phoneNumber): Cal.com needs a way to contact the attendee.');
  }
  const attendee: Record<string, unknown> = {
    name: requireText(attendeeInput.name, 'attendee.name'),
    timeZone: requireTimeZone(attendeeInput.timeZone, 'attendee.timeZone'),
    ...(email === undefined ? {} : { email: requireEmail(email, 'attendee.email') }),
    ...(phoneNumber === undefined ? {} : { phoneNumber }),
    ...(language === undefined ? {} : { language }),
  };
  const body: Record<string, unknown> = {
    start: requireUtcTimestamp(given.start, 'start'),
    eventTypeId: requireId(given.eventTypeId, 'eventTypeId'),
    attendee,
  };
  const guests = guestsOf(given.guests);
  if (guests !== undefined && guests.length > 0) body.guests = guests;
  if (given.lengthInMinutes !== undefined && given.lengthInMinutes !== null) body.lengthInMinutes = requireInteger(given.lengthInMinutes, 'lengthInMinutes', 1, 366 * 24 * 60);
  if (typeof given.location === 'string') {
    if (given.location !== '') body.location = given.location;
  } else if (given.location !== undefined && given.location !== null) {
    body.location = optionalRecord(given.location, 'location');
  }
  const responses = optionalRecord(given.bookingFieldsResponses, 'bookingFieldsResponses');
  if (responses !== undefined && Object.keys(responses).length > 0) body.bookingFieldsResponses = responses;
  const metadata = metadataOf(given.metadata);
  if (metadata !== undefined && Object.keys(metadata).length > 0) body.metadata = metadata;
  return body;
}

/**
 * Describes `POST /v2/bookings` (2024-08-13). `start` is sent in UTC; nothing the caller did not give
 * is sent, since Cal.com answers 400 "<prop> property is wrong" for unknown fields.
 *
 * @throws CalcomError `invalid_input` naming the field; nothing is sent.
 */
export function buildCreateBookingRequest(instance: Pick<CalcomInstance, 'apiUrl'>, input: CreateBookingInput): HttpRequest {
  return buildActionRequest({ instance, method: 'POST', path: '/v2/bookings', apiVersion: ACTION_API_VERSIONS.bookings, body: createBookingBody(input) });
}

/**
 * Reads the answer to {@link buildCreateBookingRequest}: one booking, or for a recurring event type
 * every occurrence (Cal.com answers with a list). Refusals become errors saying what to change.
 */
export function processCreateBookingResponse(response: HttpResponse, options: ProcessOptions = {}): Booking[] {
  return processBookingAnswer(response, { endpoint: CREATE_BOOKING_ENDPOINT, statuses: [201, 200], allowList: true }, options);
}

function identityOf(body: Record<string, unknown>): BookingIdentity {
  const attendee = body.attendee as { email?: string; phoneNumber?: string };
  return {
    eventTypeId: body.eventTypeId as number,
    startUtc: body.start as string,
    ...(attendee.email === undefined ? {} : { email: attendee.email }),
    ...(attendee.phoneNumber === undefined ? {} : { phoneNumber: attendee.phoneNumber }),
    ...(typeof body.lengthInMinutes === 'number' ? { lengthInMinutes: body.lengthInMinutes } : {}),
  };
}

/**
 * Books a slot with one request. Never books twice: after a time-out, reset or 5xx it looks for the
 * attendee's booking at that start and returns it, else throws `write_outcome_unknown`; when Cal.com
 * says the slot is taken (or answers 409 on a concurrent duplicate) and the booking there is the
 * attendee's own, it is a replay of an earlier success and that booking is returned.
 */
export async function createBooking(ctx: ActionContext, input: CreateBookingInput): Promise<BookingWriteResult> {
  const request = buildCreateBookingRequest(ctx.instance, input);
  const identity = identityOf(JSON.parse(request.body ?? '{}') as Record<string, unknown>);
  const knownSecrets = secretsOf(ctx, request);
  const result = await attempt(ctx, request, CREATE_BOOKING_ENDPOINT);
  if (isAmbiguous(result)) {
    const cause = result.answered ? (failureOf(result.response, { endpoint: CREATE_BOOKING_ENDPOINT, statuses: [201] }, knownSecrets) as CalcomError) : result.failure;
    const bookings = await recoverOrThrow(
      async () => nonEmpty(await findOwnBookings(ctx, identity)),
      () => outcomeUnknown('the booking', describeIdentity(identity), cause),
    );
    return { bookings, recovered: 'found_after_ambiguous_failure' };
  }
  const response = (result as { response: HttpResponse }).response;
  const collision = response.status === 409 || refusalCode(response) === BOOKING_REFUSALS.slotTaken;
  if (collision) {
    const own = await findOwnBookings(ctx, identity).catch(() => [] as Booking[]);
    if (own.length > 0) return { bookings: own, recovered: 'replay_already_applied' };
    if (response.status === 409) {
      throw new CalcomError(USER_INPUT_REJECTED, 'Already booked: that slot was just taken by another booking; get a valid start from "Find Available Slots" (Slot → Get Many) and try again.', {
        status: 409,
        code: BOOKING_REFUSALS.slotTaken,
      });
    }
  }
  return { bookings: processCreateBookingResponse(response, { knownSecrets }) };
}

function nonEmpty(bookings: Booking[]): Booking[] | undefined {
  return bookings.length > 0 ? bookings : undefined;
}

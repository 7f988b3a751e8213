import type { Booking } from '../api/booking-types';
import { CalcomError } from '../errors';
import type { HttpRequest, HttpResponse } from '../http';
import type { CalcomInstance } from '../instances';
import { processBookingAnswer, type ProcessOptions } from './booking-response';
import type { ActionContext } from './context';
import { optionalBoolean, optionalText, requireEmail, requireInput, requireUid } from './inputs';
import { runLifecycleWrite } from './lifecycle';
import type { BookingWriteResult } from './safe-write';
import { ACTION_API_VERSIONS, bookingPath, buildActionRequest } from './wire';

/** Both endpoints need BOOKING_WRITE with an OAuth token, by the booking's owner (CALCOM.md §17). */
const BOOKING_WRITE = 'BOOKING_WRITE';
const MARK_ABSENT = 'POST /v2/bookings/{uid}/mark-absent';
const ADD_GUESTS = 'POST /v2/bookings/{uid}/guests';

/** Cal.com's limit per add-guests request (it also allows 30 per booking and 5 requests a minute). */
export const MAX_GUESTS_PER_REQUEST = 10;

// ---- mark no-show ----

export interface MarkNoShowInput {
  uid: string;
  /** The host did not show up. */
  host?: boolean;
  attendees?: Array<{ email: string; absent: boolean }>;
}

/** Describes `POST /v2/bookings/{uid}/mark-absent` with `host` and/or `attendees` (at least one). */
export function buildMarkNoShowRequest(instance: Pick<CalcomInstance, 'apiUrl'>, input: MarkNoShowInput): HttpRequest {
  const given = requireInput(input, 'Mark no-show');
  const uid = requireUid(given.uid);
  const host = optionalBoolean(given.host, 'host');
  let attendees: Array<{ email: string; absent: boolean }> | undefined;
  if (given.attendees !== undefined && given.attendees !== null) {
    if (!Array.isArray(given.attendees)) throw new CalcomError('invalid_input', 'attendees must be a list of { email, absent }.');
    attendees = given.attendees.map((item: unknown, index) => {
      const entry = requireInput(item, `attendees[${index}]`);
      const absent = optionalBoolean(entry.absent, `attendees[${index}].absent`);
      if (absent === undefined) throw new CalcomError('invalid_input', `attendees[${index}].absent is required: true when the attendee did not show up.`);
      return { email: requireEmail(entry.email, `attendees[${index}].email`), absent };
    });
  }
  if (host === undefined && (attendees === undefined || attendees.length === 0)) {
    throw new CalcomError('invalid_input', 'Mark no-show needs host (true/false) or at least one attendee { email, absent }.');
  }
  return buildActionRequest({
    instance,
    method: 'POST',
    path: bookingPath(uid, 'mark-absent'),
    apiVersion: ACTION_API_VERSIONS.bookings,
    body: { ...(host === undefined ? {} : { host }), ...(attendees === undefined || attendees.length === 0 ? {} : { attendees }) },
  });
}

export function processMarkNoShowResponse(response: HttpResponse, options: ProcessOptions = {}): Booking {
  return processBookingAnswer(response, { endpoint: MARK_ABSENT, statuses: [200, 201], scope: BOOKING_WRITE }, options)[0] as Booking;
}

/** Marks the host and/or attendees absent. Setting the same marks again changes nothing, so a replay is harmless. */
export async function markNoShow(ctx: ActionContext, input: MarkNoShowInput): Promise<BookingWriteResult> {
  const request = buildMarkNoShowRequest(ctx.instance, input);
  const uid = requireUid(input.uid);
  const body = JSON.parse(request.body ?? '{}') as { host?: boolean; attendees?: Array<{ email: string; absent: boolean }> };
  return runLifecycleWrite(ctx, uid, {
    request,
    endpoint: MARK_ABSENT,
    scope: BOOKING_WRITE,
    operation: `marking the no-shows of booking ${uid}`,
    check: `the no-show marks of booking ${uid}`,
    process: (response, options) => [processMarkNoShowResponse(response, options)],
    applied: async (_ctx, booking) => {
      if (body.host !== undefined && (booking.absentHost === true) !== body.host) return undefined;
      for (const wanted of body.attendees ?? []) {
        const attendee = (booking.attendees ?? []).find((item) => item.email?.toLowerCase() === wanted.email.toLowerCase());
        if (attendee === undefined || (attendee.absent === true) !== wanted.absent) return undefined;
      }
      return [booking];
    },
  });
}

// ---- add guests ----

export interface AddGuestsInput {
  uid: string;
  guests: Array<{ email: string; name?: string }>;
}

/** Describes `POST /v2/bookings/{uid}/guests`; more than {@link MAX_GUESTS_PER_REQUEST} guests are refused before sending. */
export function buildAddGuestsRequest(instance: Pick<CalcomInstance, 'apiUrl'>, input: AddGuestsInput): HttpRequest {
  const given = requireInput(input, 'Add guests');
  const uid = requireUid(given.uid);
  if (!Array.isArray(given.guests) || given.guests.length === 0) throw new CalcomError('invalid_input', 'guests is required: a list of at least one { email, name? }.');
  if (given.guests.length > MAX_GUESTS_PER_REQUEST) {
    throw new CalcomError('invalid_input', `guests has ${given.guests.length} entries; Cal.com accepts at most ${MAX_GUESTS_PER_REQUEST} per request, so split them.`);
  }
  const guests = given.guests.map((item: unknown, index) => {
    const entry = requireInput(item, `guests[${index}]`);
    const name = optionalText(entry.name, `guests[${index}].name`);
    return { email: requireEmail(entry.email, `guests[${index}].email`), ...(name === undefined ? {} : { name }) };
  });
  return buildActionRequest({ instance, method: 'POST', path: bookingPath(uid, 'guests'), apiVersion: ACTION_API_VERSIONS.bookings, body: { guests } });
}

export function processAddGuestsResponse(response: HttpResponse, options: ProcessOptions = {}): Booking {
  return processBookingAnswer(response, { endpoint: ADD_GUESTS, statuses: [200, 201], scope: BOOKING_WRITE }, options)[0] as Booking;
}

function emailsOf(booking: Booking): Set<string> {
  const emails = [...(booking.guests ?? []), ...(booking.attendees ?? []).map((attendee) => attendee.email)];
  return new Set(emails.filter((email): email is string => typeof email === 'string').map((email) => email.toLowerCase()));
}

/** Adds guests (at most 10). When every guest is already on the booking, a replay returns it unchanged. */
export async function addGuests(ctx: ActionContext, input: AddGuestsInput): Promise<BookingWriteResult> {
  const request = buildAddGuestsRequest(ctx.instance, input);
  const uid = requireUid(input.uid);
  const wanted = (JSON.parse(request.body ?? '{}') as { guests: Array<{ email: string }> }).guests.map((guest) => guest.email.toLowerCase());
  return runLifecycleWrite(ctx, uid, {
    request,
    endpoint: ADD_GUESTS,
    scope: BOOKING_WRITE,
    operation: `adding guests to booking ${uid}`,
    check: `the guests of booking ${uid}`,
    process: (response, options) => [processAddGuestsResponse(response, options)],
    applied: async (_ctx, booking) => {
      const present = emailsOf(booking);
      return wanted.every((email) => present.has(email)) ? [booking] : undefined;
    },
  });
}

import { apiVersion, notFound } from './api-routes';
import { authenticateV2 } from './api-auth';
import { optionalAuth, DUPLICATE_RECORD, SLOT_ERRORS } from './booking-create-route';
import { bookingOutput20240415, bookingOutput20240813 } from './booking-output';
import {
  addGuests, cancelBookings, completeReschedule, confirmBookings, declineBookings, idempotencyKeyTaken, initialStatus, insertBookings, markAbsent, seriesOf,
} from './booking-writes';
import { bearerToken, jsonResponse, type EmuRequest, type EmuResponse } from './http';
import type { OAuthService } from './oauth-service';
import { rateLimitHeaders } from './rate-limiter';
import { slotVerdict } from './slots';
import type { EmulatorState } from './state';
import { isIsoDate, jsonObjectBody, unknownProperties, wrongProperty } from './strict-input';
import type { Booking, User } from './types';
import { v2Error, v2ValidationError } from './v2-errors';

/** Actions that exist only on the 2024-08-13 controller: any other version reaches no route (404). */
const V2024_08_13 = '2024-08-13';
const MAX_GUESTS_PER_REQUEST = 10;
const MAX_GUESTS_PER_BOOKING = 30;

const ok = (status: number, data: unknown): EmuResponse => jsonResponse(status, { status: 'success', data });
const bad = (state: EmulatorState, req: EmuRequest, message: string): EmuResponse => v2Error(state, req, 400, 'BadRequestException', message);

/** `BookingUidGuard`: the booking must exist. */
function bookingOr404(state: EmulatorState, req: EmuRequest, uid: string): Booking | EmuResponse {
  return state.store.bookings.get(uid) ?? v2Error(state, req, 404, 'NotFoundException', `Booking with uid=${uid} was not found in the database`);
}

const isResponse = (value: unknown): value is EmuResponse => typeof value === 'object' && value !== null && 'body' in value && 'status' in value && 'headers' in value;

/** One booking in the 2024-08-13 output. */
function printed(state: EmulatorState, booking: Booking): unknown {
  return bookingOutput20240813(state.store, booking);
}

/** `GET /v2/bookings/{uid}` (public; 2024-04-15 has its own `getBookingInfo` shape). */
export function getBookingRoute(state: EmulatorState, oauth: OAuthService, req: EmuRequest, uid = ''): EmuResponse {
  const version = apiVersion(req);
  if (version !== V2024_08_13 && version !== '2024-04-15') return notFound(state, req);
  const auth = optionalAuth(state, oauth, req);
  if (auth && !auth.ok) return auth.response;
  const booking = state.store.bookings.get(uid);
  if (version === '2024-04-15') {
    if (!booking) return v2Error(state, req, 404, 'NotFoundException', `Booking with UID=${uid} does not exist.`);
    return ok(200, bookingOutput20240415(state.store, booking));
  }
  if (booking) return ok(200, printed(state, booking));
  // A recurring series can be fetched by its recurringBookingUid: the occurrences as an array.
  const series = seriesOf(state, uid);
  if (series.length > 0) return ok(200, series.map((b) => printed(state, b)));
  return v2Error(state, req, 404, 'NotFoundException', `Booking with uid=${uid} was not found in the database`);
}

/** `POST /v2/bookings/{uid}/cancel`: 200 on 2024-08-13; the 2024-04-15 controller answers 201 `{bookingId, bookingUid}`. */
export function cancelBookingRoute(state: EmulatorState, oauth: OAuthService, req: EmuRequest, uid = ''): EmuResponse {
  const version = apiVersion(req);
  if (version !== V2024_08_13 && version !== '2024-04-15') return notFound(state, req);
  const auth = optionalAuth(state, oauth, req);
  if (auth && !auth.ok) return auth.response;
  const by = auth?.user ?? null;
  const series = state.store.bookings.has(uid) ? [] : seriesOf(state, uid);
  const found = series.length > 0 ? series[0]! : bookingOr404(state, req, uid);
  if (isResponse(found)) return found;
  if (version === '2024-04-15') {
    if (found.status === 'CANCELLED') return bad(state, req, `Can't cancel booking with uid=${uid} because it has been cancelled already. Please provide uid of a booking that is not cancelled.`);
    cancelBookings(state, [found], null, by);
    return ok(201, { bookingId: found.id, bookingUid: found.uid, onlyRemovedAttendee: false });
  }
  const parsed = jsonObjectBody(req.rawBody);
  if (!parsed.ok) return bad(state, req, parsed.message);
  const body = parsed.body;
  const errors = unknownProperties(Object.keys(body), ['cancellationReason', 'cancelSubsequentBookings', 'seatUid']);
  if (body.cancellationReason !== undefined && typeof body.cancellationReason !== 'string') errors.push(wrongProperty('cancellationReason', 'cancellationReason must be a string'));
  if (body.cancelSubsequentBookings !== undefined && typeof body.cancelSubsequentBookings !== 'boolean') errors.push(wrongProperty('cancelSubsequentBookings', 'cancelSubsequentBookings must be a boolean value'));
  if (errors.length > 0) return bad(state, req, errors.join(', '));
  if (body.seatUid !== undefined) return bad(state, req, 'Invalid seatUid: this seat does not exist or has already been cancelled.');
  const reason = (body.cancellationReason as string | undefined) ?? null;
  // `handleCancelBooking`: a cancelled booking (also one cancelled by a reschedule) is never cancelled twice.
  if (series.length === 0 && found.status === 'CANCELLED') return bad(state, req, 'This booking has already been cancelled.');
  if (series.length > 0) {
    cancelBookings(state, series.filter((b) => b.status !== 'CANCELLED'), reason, by);
    return ok(200, series.map((b) => printed(state, b)));
  }
  if (body.cancelSubsequentBookings === true) {
    if (!found.recurringEventId) return bad(state, req, `Booking with bookingUid=${uid} is not part of a recurring booking.`);
    const all = seriesOf(state, found.recurringEventId);
    cancelBookings(state, all.filter((b) => b.start >= found.start && b.status !== 'CANCELLED'), reason, by);
    return ok(200, all.map((b) => printed(state, b)));
  }
  cancelBookings(state, [found], reason, by);
  return ok(200, printed(state, found));
}

/** `POST /v2/bookings/{uid}/reschedule` (2024-08-13 only): 201 with the NEW booking; the old one is cancelled. */
export function rescheduleBookingRoute(state: EmulatorState, oauth: OAuthService, req: EmuRequest, uid = ''): EmuResponse {
  if (apiVersion(req) !== V2024_08_13) return notFound(state, req);
  const auth = optionalAuth(state, oauth, req);
  if (auth && !auth.ok) return auth.response;
  const parsed = jsonObjectBody(req.rawBody);
  if (!parsed.ok) return bad(state, req, parsed.message);
  const body = parsed.body;
  const errors = unknownProperties(Object.keys(body), ['start', 'reschedulingReason', 'rescheduledBy', 'emailVerificationCode', 'seatUid']);
  if (!isIsoDate(body.start)) errors.push(wrongProperty('start', 'start must be a valid ISO 8601 date string'));
  if (body.rescheduledBy !== undefined && typeof body.rescheduledBy !== 'string') errors.push(wrongProperty('rescheduledBy', 'rescheduledBy must be an email'));
  if (body.reschedulingReason !== undefined && typeof body.reschedulingReason !== 'string') errors.push(wrongProperty('reschedulingReason', 'reschedulingReason must be a string'));
  if (errors.length > 0) return bad(state, req, errors.join(', '));
  const original = bookingOr404(state, req, uid);
  if (isResponse(original)) return original;
  // `canRescheduleBooking` in `bookings.service.ts`.
  if (original.status === 'CANCELLED' && original.rescheduledToUid === null) {
    return bad(state, req, `Can't reschedule booking with uid=${uid} because it has been cancelled. Please provide uid of a booking that is not cancelled.`);
  }
  if (original.status === 'CANCELLED') {
    const to = original.rescheduledToUid;
    return bad(state, req, `Can't reschedule booking with uid=${uid} because it has been cancelled and rescheduled already to booking with uid=${to}. You probably want to reschedule ${to} instead by passing it within the request URL.`);
  }
  const eventType = state.store.eventTypes.get(original.eventTypeId);
  if (!eventType) return v2Error(state, req, 404, 'NotFoundException', `Event type with id ${original.eventTypeId} not found.`);
  const duration = Math.round((original.end - original.start) / 60_000);
  const start = Date.parse(body.start as string);
  // The booking being moved does not block its own time.
  const verdict = slotVerdict(state.store, eventType, start, duration, state.clock.now(), original.uid);
  if (verdict !== 'ok') return bad(state, req, SLOT_ERRORS[verdict]);
  if (idempotencyKeyTaken(state, { start, end: start + duration * 60_000, userId: eventType.userId, status: initialStatus(eventType) })) {
    return v2Error(state, req, 409, 'ConflictException', DUPLICATE_RECORD);
  }
  const [attendee] = original.attendees;
  const [replacement] = insertBookings(state, {
    eventType, start, durationMinutes: duration, attendee: attendee ?? { name: 'Guest', email: '', timeZone: 'UTC', language: 'en', absent: false },
    guests: original.guests, location: original.location, metadata: original.metadata, responses: {}, occurrences: 1,
    fromReschedule: { uid: original.uid, reason: (body.reschedulingReason as string | undefined) ?? null, byEmail: (body.rescheduledBy as string | undefined) ?? null },
  });
  replacement!.attendees = original.attendees.map((a) => ({ ...a }));
  replacement!.recurringEventId = original.recurringEventId;
  completeReschedule(state, original, replacement!);
  return ok(201, printed(state, replacement!));
}

/** `ApiAuthGuard` + the class-level `PermissionsGuard` with `@Permissions([BOOKING_WRITE])` (an expired token: 403). */
function writeAuth(state: EmulatorState, oauth: OAuthService, req: EmuRequest): { ok: true; user: User } | { ok: false; response: EmuResponse } {
  const auth = authenticateV2(state, oauth, req, { permissionsGuardFirst: true, requiredScope: 'BOOKING_WRITE' });
  return auth.ok ? { ok: true, user: auth.user } : auth;
}

/**
 * `POST /v2/bookings/{uid}/confirm` and `/decline`: `confirm.handler.ts` lets only the booking's organizer act
 * (401 otherwise) and refuses an accepted booking with "Booking already confirmed". A cancelled or rejected
 * booking is refused as well; Cal.com's handler has no text of its own for that, so the emulator names it.
 */
function decideRoute(decision: 'confirm' | 'decline') {
  return (state: EmulatorState, oauth: OAuthService, req: EmuRequest, uid = ''): EmuResponse => {
    if (apiVersion(req) !== V2024_08_13) return notFound(state, req);
    const auth = writeAuth(state, oauth, req);
    if (!auth.ok) return auth.response;
    const booking = bookingOr404(state, req, uid);
    if (isResponse(booking)) return booking;
    let reason: string | null = null;
    if (decision === 'decline' && req.rawBody.trim().length > 0) {
      const parsed = jsonObjectBody(req.rawBody);
      if (!parsed.ok) return bad(state, req, parsed.message);
      if (parsed.body.reason !== undefined && typeof parsed.body.reason !== 'string') return v2ValidationError(state, req, ['reason must be a string']);
      reason = (parsed.body.reason as string | undefined) ?? null;
    }
    if (booking.userId !== auth.user.id) return v2Error(state, req, 401, 'UnauthorizedException', 'User is not authorized to confirm this booking');
    if (booking.status === 'ACCEPTED') return bad(state, req, 'Booking already confirmed');
    if (booking.status !== 'PENDING') return bad(state, req, `Booking with uid=${uid} is ${booking.status.toLowerCase()}: only pending bookings can be confirmed or declined.`);
    // Confirming or declining one occurrence of a requested series acts on every pending occurrence.
    const targets = booking.recurringEventId ? seriesOf(state, booking.recurringEventId).filter((b) => b.status === 'PENDING') : [booking];
    if (decision === 'confirm') confirmBookings(state, targets);
    else declineBookings(state, targets, reason);
    return ok(200, printed(state, booking));
  };
}

export const confirmBookingRoute = decideRoute('confirm');
export const declineBookingRoute = decideRoute('decline');

/** `POST /v2/bookings/{uid}/mark-absent` (`MarkAbsentBookingInput_2024_08_13`; unknown keys are stripped, not refused). */
export function markAbsentRoute(state: EmulatorState, oauth: OAuthService, req: EmuRequest, uid = ''): EmuResponse {
  if (apiVersion(req) !== V2024_08_13) return notFound(state, req);
  const auth = writeAuth(state, oauth, req);
  if (!auth.ok) return auth.response;
  const parsed = jsonObjectBody(req.rawBody.trim().length === 0 ? '{}' : req.rawBody);
  if (!parsed.ok) return bad(state, req, parsed.message);
  const { host, attendees } = parsed.body;
  const errors: string[] = [];
  if (host !== undefined && typeof host !== 'boolean') errors.push('host must be a boolean value');
  const changes: Array<{ email: string; absent: boolean }> = [];
  if (attendees !== undefined) {
    if (!Array.isArray(attendees) || attendees.length < 1) errors.push('attendees must contain at least 1 elements');
    else {
      for (const a of attendees as Array<Record<string, unknown>>) {
        if (typeof a?.email !== 'string' || typeof a.absent !== 'boolean') errors.push('attendees.email must be an email, attendees.absent must be a boolean value');
        else changes.push({ email: a.email, absent: a.absent });
      }
    }
  }
  if (errors.length > 0) return v2ValidationError(state, req, errors);
  const booking = bookingOr404(state, req, uid);
  if (isResponse(booking)) return booking;
  const now = state.clock.now();
  if (now < booking.start) {
    return bad(state, req, `Bookings can only be marked as absent after their scheduled start time. Current time in UTC+0: ${new Date(now).toISOString()}, Booking start time in UTC+0: ${new Date(booking.start).toISOString()}`);
  }
  markAbsent(state, booking, host as boolean | undefined, changes);
  return ok(200, printed(state, booking));
}

/** `POST /v2/bookings/{uid}/guests`: `@Throttle` 5 per minute per token, at most 10 per request and 30 per booking. */
export function addGuestsRoute(state: EmulatorState, oauth: OAuthService, req: EmuRequest, uid = ''): EmuResponse {
  if (apiVersion(req) !== V2024_08_13) return notFound(state, req);
  const decision = state.guestsRateLimiter.hit(bearerToken(req), req.remoteAddress);
  const headers = rateLimitHeaders(decision);
  if (decision.blocked) {
    const message = 'CustomThrottlerGuard - Too many requests. Please try again later.';
    return v2Error(state, req, 429, 'ThrottlerException', message, message, headers);
  }
  const answer = addGuestsAfterThrottle(state, oauth, req, uid);
  return { ...answer, headers: { ...answer.headers, ...headers } };
}

function addGuestsAfterThrottle(state: EmulatorState, oauth: OAuthService, req: EmuRequest, uid: string): EmuResponse {
  const auth = writeAuth(state, oauth, req);
  if (!auth.ok) return auth.response;
  const parsed = jsonObjectBody(req.rawBody);
  if (!parsed.ok) return bad(state, req, parsed.message);
  const guests = parsed.body.guests;
  if (!Array.isArray(guests) || guests.length < 1) return v2ValidationError(state, req, ['guests must contain at least 1 elements']);
  if (guests.length > MAX_GUESTS_PER_REQUEST) return v2ValidationError(state, req, [`guests must contain no more than ${MAX_GUESTS_PER_REQUEST} elements`]);
  const emails: string[] = [];
  for (const g of guests as Array<Record<string, unknown>>) {
    if (typeof g?.email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(g.email)) return v2ValidationError(state, req, ['guests.email must be an email']);
    emails.push(g.email);
  }
  const booking = bookingOr404(state, req, uid);
  if (isResponse(booking)) return booking;
  const total = new Set([...booking.guests, ...emails]).size;
  if (total > MAX_GUESTS_PER_BOOKING) {
    return bad(state, req, `Cannot add ${emails.length} guests: a booking can have at most ${MAX_GUESTS_PER_BOOKING} guests and this one has ${booking.guests.length}.`);
  }
  addGuests(state, booking, emails);
  return ok(200, printed(state, booking));
}

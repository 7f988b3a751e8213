import type { Booking } from '../api/booking-types';
import { CalcomError } from '../errors';
import type { HttpRequest, HttpResponse } from '../http';
import type { CalcomInstance } from '../instances';
import { failureOf, processBookingAnswer, type ProcessOptions } from './booking-response';
import { attempt, isAmbiguous, secretsOf, type ActionContext } from './context';
import { optionalBoolean, optionalText, requireEmail, requireInput, requireUid, requireUtcTimestamp } from './inputs';
import { USER_INPUT_REJECTED } from './refusals';
import { currentBooking, outcomeUnknown, recoverOrThrow, type BookingWriteResult } from './safe-write';
import { ACTION_API_VERSIONS, bookingPath, buildActionRequest } from './wire';

/** The scope confirm and decline need with an OAuth token (create, cancel and reschedule are public: CALCOM.md §17). */
const BOOKING_WRITE = 'BOOKING_WRITE';

const ENDPOINTS = {
  cancel: 'POST /v2/bookings/{uid}/cancel',
  reschedule: 'POST /v2/bookings/{uid}/reschedule',
  confirm: 'POST /v2/bookings/{uid}/confirm',
  decline: 'POST /v2/bookings/{uid}/decline',
} as const;

function post(instance: Pick<CalcomInstance, 'apiUrl'>, uid: string, action: string, body: Record<string, unknown>): HttpRequest {
  return buildActionRequest({ instance, method: 'POST', path: bookingPath(uid, action), apiVersion: ACTION_API_VERSIONS.bookings, body });
}

// ---- cancel ----

export interface CancelBookingInput {
  uid: string;
  reason?: string;
  /** For a recurring booking: cancel this occurrence and the later ones. */
  cancelSubsequentBookings?: boolean;
}

/** Describes `POST /v2/bookings/{uid}/cancel`: always a JSON body, `{}` when nothing is given (Cal.com's pipe refuses none). */
export function buildCancelBookingRequest(instance: Pick<CalcomInstance, 'apiUrl'>, input: CancelBookingInput): HttpRequest {
  const given = requireInput(input, 'Cancel booking');
  const reason = optionalText(given.reason, 'reason');
  const subsequent = optionalBoolean(given.cancelSubsequentBookings, 'cancelSubsequentBookings');
  return post(instance, requireUid(given.uid), 'cancel', {
    ...(reason === undefined ? {} : { cancellationReason: reason }),
    ...(subsequent === undefined ? {} : { cancelSubsequentBookings: subsequent }),
  });
}

/** Reads the answer to {@link buildCancelBookingRequest} (200; a recurring booking may answer with its occurrences). */
export function processCancelBookingResponse(response: HttpResponse, options: ProcessOptions = {}): Booking[] {
  return processBookingAnswer(response, { endpoint: ENDPOINTS.cancel, statuses: [200, 201], allowList: true }, options);
}

// ---- reschedule ----

export interface RescheduleBookingInput {
  uid: string;
  /** ISO-8601 with Z or an offset; sent as UTC. */
  start: string;
  reason?: string;
  /** Email of who reschedules. */
  rescheduledBy?: string;
}

/** Describes `POST /v2/bookings/{uid}/reschedule` with only the given fields (Cal.com refuses unknown ones). */
export function buildRescheduleBookingRequest(instance: Pick<CalcomInstance, 'apiUrl'>, input: RescheduleBookingInput): HttpRequest {
  const given = requireInput(input, 'Reschedule booking');
  const uid = requireUid(given.uid);
  const start = requireUtcTimestamp(given.start, 'start');
  const reason = optionalText(given.reason, 'reason');
  const by = optionalText(given.rescheduledBy, 'rescheduledBy');
  return post(instance, uid, 'reschedule', {
    start,
    ...(by === undefined ? {} : { rescheduledBy: requireEmail(by, 'rescheduledBy') }),
    ...(reason === undefined ? {} : { reschedulingReason: reason }),
  });
}

/** Reads the answer to {@link buildRescheduleBookingRequest}: the NEW booking (the old one is now cancelled). */
export function processRescheduleBookingResponse(response: HttpResponse, options: ProcessOptions = {}): Booking {
  return processBookingAnswer(response, { endpoint: ENDPOINTS.reschedule, statuses: [201, 200] }, options)[0] as Booking;
}

// ---- confirm / decline ----

/** Describes `POST /v2/bookings/{uid}/confirm` (BOOKING_WRITE; by the booking's owner; Cal.com reads no body). */
export function buildConfirmBookingRequest(instance: Pick<CalcomInstance, 'apiUrl'>, input: { uid: string }): HttpRequest {
  return post(instance, requireUid(requireInput(input, 'Confirm booking').uid), 'confirm', {});
}

export function processConfirmBookingResponse(response: HttpResponse, options: ProcessOptions = {}): Booking {
  return processBookingAnswer(response, { endpoint: ENDPOINTS.confirm, statuses: [200, 201], scope: BOOKING_WRITE }, options)[0] as Booking;
}

/** Describes `POST /v2/bookings/{uid}/decline` (BOOKING_WRITE) with `reason` when given. */
export function buildDeclineBookingRequest(instance: Pick<CalcomInstance, 'apiUrl'>, input: { uid: string; reason?: string }): HttpRequest {
  const given = requireInput(input, 'Decline booking');
  const reason = optionalText(given.reason, 'reason');
  return post(instance, requireUid(given.uid), 'decline', reason === undefined ? {} : { reason });
}

export function processDeclineBookingResponse(response: HttpResponse, options: ProcessOptions = {}): Booking {
  return processBookingAnswer(response, { endpoint: ENDPOINTS.decline, statuses: [200, 201], scope: BOOKING_WRITE }, options)[0] as Booking;
}

// ---- the safe sequence every lifecycle write shares ----

interface LifecycleWrite {
  request: HttpRequest;
  endpoint: string;
  scope?: string;
  /** "the cancellation of booking X", for messages. */
  operation: string;
  /** What to look at in Cal.com when the outcome is unknown. */
  check: string;
  process: (response: HttpResponse, options: ProcessOptions) => Booking[];
  /** Whether the write is already visible in Cal.com, given the booking as it is now. */
  applied: (ctx: ActionContext, booking: Booking) => Promise<Booking[] | undefined>;
}

/**
 * One request; after a time-out, reset or 5xx, a look at the booking decides (applied → recovered,
 * else `write_outcome_unknown`); after a 4xx refusal, a look decides whether it was a replay of an
 * earlier success (applied → `replay_already_applied`, else the refusal). Token and rate-limit
 * failures are thrown unchanged: Cal.com did not process them, so the platform replays them safely.
 */
async function runLifecycleWrite(ctx: ActionContext, uid: string, write: LifecycleWrite): Promise<BookingWriteResult> {
  const knownSecrets = secretsOf(ctx, write.request);
  const result = await attempt(ctx, write.request, write.endpoint);
  const expected = { endpoint: write.endpoint, statuses: [200, 201], ...(write.scope === undefined ? {} : { scope: write.scope }) };
  if (isAmbiguous(result)) {
    const cause = result.answered ? (failureOf(result.response, expected, knownSecrets) as CalcomError) : result.failure;
    const bookings = await recoverOrThrow(
      async () => {
        const now = await currentBooking(ctx, uid);
        return now === undefined ? undefined : write.applied(ctx, now);
      },
      () => outcomeUnknown(write.operation, write.check, cause),
    );
    return { bookings, recovered: 'found_after_ambiguous_failure' };
  }
  const response = (result as { response: HttpResponse }).response;
  if (response.status === 400 || response.status === 409) {
    const now = await currentBooking(ctx, uid);
    const replayed = now === undefined ? undefined : await write.applied(ctx, now).catch(() => undefined);
    if (replayed !== undefined) return { bookings: replayed, recovered: 'replay_already_applied' };
  }
  return { bookings: write.process(response, { knownSecrets }) };
}

const inState = (status: string) => async (_ctx: ActionContext, booking: Booking) => (booking.status === status ? [booking] : undefined);

/** Cancels a booking; an already cancelled one is returned as a replay. */
export async function cancelBooking(ctx: ActionContext, input: CancelBookingInput): Promise<BookingWriteResult> {
  const request = buildCancelBookingRequest(ctx.instance, input);
  const uid = requireUid(input.uid);
  return runLifecycleWrite(ctx, uid, {
    request,
    endpoint: ENDPOINTS.cancel,
    operation: `the cancellation of booking ${uid}`,
    check: `whether booking ${uid} is cancelled`,
    process: processCancelBookingResponse,
    applied: inState('cancelled'),
  });
}

/**
 * Moves a booking to `start`; `bookings[0]` is the NEW booking and `previousUid` the one it replaced.
 * A booking already rescheduled to that same start is a replay: its replacement is returned.
 */
export async function rescheduleBooking(ctx: ActionContext, input: RescheduleBookingInput): Promise<BookingWriteResult & { previousUid: string }> {
  const request = buildRescheduleBookingRequest(ctx.instance, input);
  const uid = requireUid(input.uid);
  const startUtc = requireUtcTimestamp(input.start, 'start');
  let movedElsewhere: Booking | undefined;
  const result = await runLifecycleWrite(ctx, uid, {
    request,
    endpoint: ENDPOINTS.reschedule,
    operation: `the reschedule of booking ${uid} to ${startUtc}`,
    check: `whether booking ${uid} was moved to ${startUtc}`,
    process: (response, options) => [processRescheduleBookingResponse(response, options)],
    applied: async (context, booking) => {
      const next = booking.rescheduledToUid;
      if (typeof next !== 'string' || next === '') return undefined;
      const replacement = await currentBooking(context, next);
      if (replacement === undefined) return undefined;
      if (Date.parse(replacement.start) === Date.parse(startUtc)) return [replacement];
      movedElsewhere = replacement;
      return undefined;
    },
  }).catch((error: unknown) => {
    if (movedElsewhere !== undefined && error instanceof CalcomError && error.kind !== 'write_outcome_unknown') {
      throw new CalcomError(
        USER_INPUT_REJECTED,
        `Booking ${uid} was already rescheduled to booking ${movedElsewhere.uid} at ${movedElsewhere.start}; reschedule ${movedElsewhere.uid} instead.`,
        { ...(error.status === undefined ? {} : { status: error.status }), code: 'already_rescheduled', cause: error },
      );
    }
    throw error;
  });
  return { ...result, previousUid: uid };
}

/** Accepts a pending booking (BOOKING_WRITE); an already accepted one is returned as a replay. */
export async function confirmBooking(ctx: ActionContext, input: { uid: string }): Promise<BookingWriteResult> {
  const request = buildConfirmBookingRequest(ctx.instance, input);
  const uid = requireUid(input.uid);
  return runLifecycleWrite(ctx, uid, {
    request,
    endpoint: ENDPOINTS.confirm,
    scope: BOOKING_WRITE,
    operation: `the confirmation of booking ${uid}`,
    check: `whether booking ${uid} is accepted`,
    process: (response, options) => [processConfirmBookingResponse(response, options)],
    applied: inState('accepted'),
  });
}

/** Declines a pending booking (BOOKING_WRITE); an already declined (rejected) one is returned as a replay. */
export async function declineBooking(ctx: ActionContext, input: { uid: string; reason?: string }): Promise<BookingWriteResult> {
  const request = buildDeclineBookingRequest(ctx.instance, input);
  const uid = requireUid(input.uid);
  return runLifecycleWrite(ctx, uid, {
    request,
    endpoint: ENDPOINTS.decline,
    scope: BOOKING_WRITE,
    operation: `the decline of booking ${uid}`,
    check: `whether booking ${uid} is declined`,
    process: (response, options) => [processDeclineBookingResponse(response, options)],
    applied: inState('rejected'),
  });
}

export { runLifecycleWrite, type LifecycleWrite };

import type { Booking } from '../api/booking-types';
import { CalcomError } from '../errors';
import type { ActionContext } from './context';
import { findBookings, getBooking } from './reads';

/** What a write returns (CALCOM.md §17, "safe writes"). */
export interface BookingWriteResult {
  /** What Cal.com returned: one booking, or every occurrence of a recurring one (create). */
  bookings: Booking[];
  /** Set when the result was found by looking after an ambiguous failure or a replay, not returned by the write itself. */
  recovered?: 'found_after_ambiguous_failure' | 'replay_already_applied';
}

/** `write_outcome_unknown`: the write may or may not have happened, and the user is told what to check. */
export function outcomeUnknown(operation: string, check: string, cause: CalcomError): CalcomError {
  return new CalcomError(
    'write_outcome_unknown',
    `Cal.com did not confirm ${operation}; it may or may not have happened. Check ${check} in Cal.com before running this again.`,
    { ...(cause.status === undefined ? {} : { status: cause.status }), ...(cause.code === undefined ? {} : { code: cause.code }), cause },
  );
}

/** Who a booking was made for, as the caller gave it. */
export interface BookingIdentity {
  eventTypeId: number;
  startUtc: string;
  email?: string;
  phoneNumber?: string;
  /** Widens the lookup window when the booking is longer than a day. */
  lengthInMinutes?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const GONE = new Set(['cancelled', 'rejected']);

function eventTypeOf(booking: Booking): number | undefined {
  return booking.eventType?.id ?? booking.eventTypeId ?? undefined;
}

function isFor(booking: Booking, identity: BookingIdentity): boolean {
  if (Date.parse(booking.start) !== Date.parse(identity.startUtc) || eventTypeOf(booking) !== identity.eventTypeId || GONE.has(booking.status)) return false;
  const email = identity.email?.toLowerCase();
  return (booking.attendees ?? []).some((attendee) =>
    email !== undefined ? attendee.email?.toLowerCase() === email : identity.phoneNumber !== undefined && attendee.phoneNumber === identity.phoneNumber,
  );
}

/**
 * Looks for the caller's own live booking: same event type, start and attendee email (or phone),
 * with `GET /v2/bookings?attendeeEmail=&eventTypeIds=&afterStart=&beforeEnd=`. Every occurrence of a
 * recurring booking that starts there is returned as Cal.com listed them.
 */
export async function findOwnBookings(ctx: ActionContext, identity: BookingIdentity): Promise<Booking[]> {
  const start = Date.parse(identity.startUtc);
  const span = Math.max(DAY_MS, (identity.lengthInMinutes ?? 0) * 60_000);
  const found = await findBookings(
    ctx,
    {
      ...(identity.email === undefined ? {} : { attendeeEmail: identity.email }),
      eventTypeIds: [identity.eventTypeId],
      afterStart: new Date(start).toISOString(),
      beforeEnd: new Date(start + span).toISOString(),
    },
    { limit: 250 },
  );
  return found.filter((booking) => isFor(booking, identity));
}

/** What the user should look for when a create's outcome is unknown. */
export function describeIdentity(identity: BookingIdentity): string {
  const who = identity.email ?? identity.phoneNumber ?? 'the attendee';
  return `the bookings of ${who} at ${identity.startUtc} (event type ${identity.eventTypeId})`;
}

/**
 * After an ambiguous failure: returns what `look` finds, or throws `write_outcome_unknown`. A failure
 * of the look itself (including a platform's refresh error) also ends in `write_outcome_unknown`:
 * running the write again is the one thing that could double it.
 */
export async function recoverOrThrow<T>(look: () => Promise<T | undefined>, unknown: () => CalcomError): Promise<T> {
  let found: T | undefined;
  try {
    found = await look();
  } catch {
    throw unknown();
  }
  if (found === undefined) throw unknown();
  return found;
}

/** The booking now, or undefined when it cannot be read; for replay checks that fall back to the original error. */
export async function currentBooking(ctx: ActionContext, uid: string): Promise<Booking | undefined> {
  try {
    return await getBooking(ctx, uid);
  } catch {
    return undefined;
  }
}

/**
 * Memory of the cancellations and rejections already reported, so that a later edit of such a booking
 * (which moves it in the updatedAt stream again, long after its key left `seen`) is not reported twice.
 *
 * Cal.com sends no cancellation time (the v2 booking output has `status`, `updatedAt`, `createdAt`,
 * `start`, `end`, `cancellationReason`, `cancelledByEmail`; Prisma's `@updatedAt` moves on every
 * write), so the engine cannot tell a first cancellation from a later edit by the booking alone. What
 * bounds the memory is the meeting: Cal.com refuses to reschedule a cancelled booking (apps/api/v2 bookings.service.ts `canRescheduleBooking`), and
 * the writes still possible on one concern its meeting (no-show marks, attendee changes), which happen
 * before or shortly after it ends. A uid is therefore kept until its meeting ended more than
 * {@link REPORTED_RETENTION_MS} ago, whatever the number of other cancellations.
 *
 * Bound: exact while fewer than {@link MAX_REPORTED} reported bookings have a meeting that is still to
 * come or ended within the retention; beyond that the ones with the earliest end are forgotten first.
 * "Ago" is by the server time the bookings read back (clock.ts), so a glitching clock can delay
 * forgetting, never hasten it. Size: about 45 bytes per entry, at most about 22 KB.
 */

/** How long after its meeting ended a reported booking is remembered. */
export const REPORTED_RETENTION_MS = 7 * 24 * 3600_000;
/** Hard cap on remembered uids. */
export const MAX_REPORTED = 500;

/**
 * The entries to store: `[uid, end in epoch ms]`, those whose meeting ended before `horizon` dropped,
 * capped to {@link MAX_REPORTED} by keeping the latest ends; ordered by end.
 */
export function rememberReported(reported: ReadonlyMap<string, number>, horizon: number): Array<[string, number]> {
  const entries = [...reported.entries()].filter(([, end]) => !(end < horizon)).sort((a, b) => a[1] - b[1]);
  return entries.length > MAX_REPORTED ? entries.slice(entries.length - MAX_REPORTED) : entries;
}

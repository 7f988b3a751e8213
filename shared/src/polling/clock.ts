/**
 * How far the engine trusts Cal.com's clock (the `Date` header) when it moves a stream's position.
 *
 * The rule, in one sentence: a read moves the lower bound to its server time minus the overlap, but
 * never past the newest stream timestamp that read actually returned (minus the same overlap while
 * that booking is new to the stream, plus 1 ms) and never backwards.
 *
 * Why: a drained read proves only that every booking stamped at or after its cursor was returned. A
 * `Date` header a year ahead (a proxy, a glitching clock) proves nothing about bookings not yet
 * written, so trusting it alone would skip everything stamped until then. The newest booking read is
 * evidence Cal.com itself wrote; a header behind it is merely conservative (the bound stays put and
 * the overlap keys are remembered), so a clock that jumps back replays and loses nothing either. The
 * overlap is kept below the newest booking too, because a booking stamped by a clock behind (or
 * committed late) may still land below it after the read; once a later poll finds nothing newer,
 * that poll interval has passed and the bound goes to just after the newest booking. The price: the
 * first idle poll after a change re-reads the bookings of that overlap (usually one); later idle
 * polls read an empty page as before.
 *
 * A read stopped at its page cap has no end of stream to prove anything: it continues below its
 * cursor by the overlap while that window is sparse (streams.ts `cappedBound`, bound in the engine
 * notes). A stored position this rule puts "ahead of the clock" is only dropped when a second read
 * agrees (engine.ts), so one misdated answer costs a failed poll, not the state.
 */

/** No Cal.com booking is older than this (Cal.com, then Calendso, started in 2021); a position before it is corrupt. */
export const CALCOM_EPOCH_MS = Date.UTC(2021, 0, 1);

/**
 * How far a stored position may be ahead of the server's clock before it is judged absurd. Since the
 * bound never passes a booking read, only a corrupt or foreign state gets that far ahead; a day of
 * margin keeps a `Date` header that is merely behind (a clock jumped back by hours) from costing a
 * new baseline and the bookings awaiting confirmation with it.
 */
export function futureToleranceMs(overlapMs: number): number {
  return overlapMs + 24 * 3600_000;
}

/**
 * The next lower bound after a read that reached the end of its stream.
 *
 * @param after the bound the read started from
 * @param serverTime the read's `Date` header (smallest over its pages)
 * @param newestRead the newest stream timestamp at or after `after` that the read returned
 * @param newestBefore the newest timestamp the stored state remembered (the previous poll's reads)
 */
export function advanceBound(after: number, serverTime: number, newestRead: number | undefined, newestBefore: number | undefined, overlapMs: number): number {
  if (newestRead === undefined) return after;
  const settled = newestBefore !== undefined && newestRead <= newestBefore;
  return Math.max(after, settled ? Math.min(serverTime - overlapMs, newestRead + 1) : Math.min(serverTime, newestRead + 1) - overlapMs);
}

/**
 * The server time as far as the data backs it: the `Date` header, but no later than the newest
 * booking read (or the bound it started from) plus the overlap. Used where "now" decides what to
 * drop (bookings awaiting confirmation) or where a dependent stream starts.
 */
export function corroboratedTime(serverTime: number | undefined, after: number, newestRead: number | undefined, overlapMs: number): number | undefined {
  if (serverTime === undefined) return undefined;
  return Math.min(serverTime, Math.max(after, newestRead ?? -Infinity) + 1 + overlapMs);
}

/**
 * Why a stored position cannot be right, judged after a read from it, or undefined. A position ahead
 * of both Cal.com's clock and every booking the read returned was written by a clock glitch or is
 * corrupt: keeping it would skip every booking until that date.
 */
export function positionAheadOfClock(after: number, seenNewest: number | undefined, serverTime: number | undefined, newestRead: number | undefined, overlapMs: number): string | undefined {
  if (serverTime === undefined || newestRead !== undefined) return undefined;
  const claimed = Math.max(after, seenNewest ?? -Infinity);
  if (claimed <= serverTime + futureToleranceMs(overlapMs)) return undefined;
  return `the stored polling position (${new Date(claimed).toISOString()}) is ahead of Cal.com's clock (${new Date(serverTime).toISOString()}) and of every booking it returned`;
}

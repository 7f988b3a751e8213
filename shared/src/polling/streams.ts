import type { Booking } from '../api/booking-types';
import { DATE_HEADER_RESOLUTION_MS, MAX_BOOKINGS_PAGE_SIZE } from '../api/bookings';
import { CalcomError } from '../errors';
import type { BookingsPage } from '../api/booking-types';
import type { BookingsReader } from './reader';
import type { StreamState } from './state';
import { streamTimestamp } from './events';
import { advanceBound, CALCOM_EPOCH_MS, corroboratedTime } from './clock';
import { Pager } from './pager';
import type { StreamSpec } from './plan';
import type { ResolvedTuning } from './tuning';

// The test harness and the package index name the tuning types from here.
export { resolveTuning, type BookingPollTuning, type ResolvedTuning } from './tuning';
export { EPOCH_ISO } from './pager';

/** A newest-first read that needs more pages than this is refused rather than left half-done. */
const MAX_DESCENDING_PAGES = 40;
const BASELINE_PAGE_SIZE = 100;
const ENOUGH_FOR_LISTING = 10;

/** A booking a read met that its stream had not processed before, with the clock of its page. */
export interface FreshBooking {
  booking: Booking;
  /** Its stream timestamp (epoch ms). */
  timestamp: number;
  /** The `Date` header of the page it came on (epoch ms). */
  serverTime: number | undefined;
}

export interface StreamRead {
  /** The bookings not processed before, oldest first: what the classifier judges. */
  fresh: FreshBooking[];
  next: StreamState;
  /** The read stopped at its page cap; the rest follows next poll. */
  more: boolean;
  /** Smallest server time of the pages read (epoch ms), as Cal.com's `Date` header said. */
  serverTime: number | undefined;
  /** The server time as far as the bookings read back it (see {@link corroboratedTime}). */
  trustedTime: number | undefined;
  /** Newest stream timestamp at or after the starting bound that the read returned. */
  newest: number | undefined;
}

/** A baseline: where a stream stands, with the clock of its first page. */
export interface BaselineRead {
  next: StreamState;
  /** The first page's `Date` header (epoch ms). */
  serverTime: number | undefined;
  /** The newest stream timestamp the first page held. */
  newest: number | undefined;
}

function newestOf(stream: StreamState): number | undefined {
  return stream.seen.length === 0 ? undefined : Math.max(...stream.seen.map(([, ts]) => ts));
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/**
 * The oldest timestamp on a page of a booking that was skipped as malformed although the engine can
 * identify and order it, and that this stream has not processed, or undefined.
 *
 * The malformation may belong to the answer (a proxy, a glitch) rather than to the booking, so the
 * next bound is held 1 ms below it and the next read meets it again: well-formed by then, it is
 * reported. A booking exactly 1 ms above the bound was therefore already met by the read that held
 * it: still malformed on that second read, it is passed for good (skipped with its warning), so a
 * booking malformed for good costs one extra read of what follows it, never a stalled position. (1 ms
 * rather than the timestamp itself, because a read often starts at a timestamp shared by bookings not
 * yet read: a tie cut by the previous page cap.) The price of the marker: a booking first met exactly
 * 1 ms above a bound, and malformed on that one answer only, is passed at once.
 */
function oldestRetry(page: BookingsPage, spec: StreamSpec, seen: ReadonlyMap<string, number>, after: number): number | undefined {
  let oldest: number | undefined;
  for (const problem of page.problems) {
    if (problem.item === undefined) continue;
    const ts = streamTimestamp(problem.item, spec.field);
    if (ts === null || ts < after || ts === after + 1 || seen.has(spec.keyOf(problem.item))) continue;
    oldest = minDefined(oldest, ts - 1);
  }
  return oldest;
}

/**
 * Drops what the next read cannot return again and caps the rest. Capping raises `after` to the
 * oldest kept timestamp so a dropped key can never come back unrecognised; it only narrows the
 * tolerance to late-committed bookings, and only while more than `maxSeenKeys` bookings changed
 * within one overlap window.
 *
 * `readUpTo` is how far the stream has been read: capping never raises `after` beyond it, because
 * bookings above it may still be unread (a read stopped at its page cap while older keys from the
 * previous poll sit further up). The cap then yields and keeps every key from there on.
 */
export function pruneSeen(seen: Map<string, number>, after: number, maxSeenKeys: number, readUpTo = Infinity): StreamState {
  let entries = [...seen.entries()].filter(([, ts]) => ts >= after).sort((a, b) => a[1] - b[1]);
  let bound = after;
  if (entries.length > maxSeenKeys) {
    const cutoff = Math.max(after, Math.min((entries[entries.length - maxSeenKeys] as [string, number])[1], readUpTo));
    entries = entries.filter(([, ts]) => ts >= cutoff);
    bound = cutoff;
  }
  return { after: new Date(bound).toISOString(), seen: entries };
}

/** The bookings of a page with their stream timestamp, those without one left out. */
function stamped(page: BookingsPage, spec: StreamSpec): Array<{ booking: Booking; ts: number }> {
  return page.bookings
    .map((booking) => ({ booking, ts: streamTimestamp(booking, spec.field) }))
    .filter((entry): entry is { booking: Booking; ts: number } => entry.ts !== null);
}

/**
 * First read of a stream: the newest bookings, to learn the server's clock and which bookings inside
 * the overlap window already exist. Nothing is reported from it. If the window holds more than a page,
 * further pages are read (up to the page cap), because a booking stamped inside the window but not
 * read here would later be reported although it predates the baseline.
 */
export async function baselineStream(reader: BookingsReader, spec: StreamSpec, tuning: ResolvedTuning): Promise<BaselineRead> {
  const pager = new Pager(reader, {
    order: 'descending',
    field: spec.field,
    query: spec.query,
    firstTake: Math.min(tuning.pageSize, BASELINE_PAGE_SIZE),
    take: tuning.pageSize,
    maxPages: tuning.maxPagesPerPoll,
    requiresUpdatedAt: spec.requiresUpdatedAt,
  });
  const seen = new Map<string, number>();
  let first: { serverTime: number | undefined; newest: number | undefined } | undefined;
  let after = CALCOM_EPOCH_MS;
  let oldest: number | undefined;
  for (let page = await pager.next(); page !== undefined; page = await pager.next()) {
    const entries = stamped(page, spec);
    if (first === undefined) {
      // An empty stream has nothing to predate the baseline; otherwise the bound never passes the newest booking (see clock.ts).
      const newest = entries.length === 0 ? undefined : Math.max(...entries.map((entry) => entry.ts));
      first = { serverTime: page.serverTime, newest };
      if (page.serverTime === undefined) reader.warn('Cal.com sent no Date header; the polling baseline was taken from the newest booking instead of the server clock.');
      if (newest === undefined) after = CALCOM_EPOCH_MS;
      // Nothing is reported from a baseline, so the overlap below the newest booking is not kept (it can hold a whole import).
      else after = page.serverTime === undefined ? newest : Math.min(page.serverTime - tuning.overlapMs, newest + 1);
    }
    for (const { booking, ts } of entries) if (ts >= after) seen.set(spec.keyOf(booking), ts);
    oldest = entries.length === 0 ? undefined : Math.min(...entries.map((entry) => entry.ts));
    if (!page.pagination.hasNextPage || oldest === undefined || oldest < after) break;
  }
  if (pager.capped && oldest !== undefined) {
    // The window holds more than the cap: what was not read is declared to predate the baseline.
    after = oldest + 1;
    reader.warn(`More bookings changed within ${tuning.overlapMs / 1000} s before the baseline than one poll reads; the baseline starts after ${new Date(oldest).toISOString()}.`);
  }
  return { next: pruneSeen(seen, after, tuning.maxSeenKeys), serverTime: first?.serverTime, newest: first?.newest };
}

/**
 * Where a read stopped at its page cap continues. From its cursor (the last timestamp it read), but
 * keeping the overlap below the cursor too while that window holds few enough bookings: a booking
 * stamped late just below the cursor then still lands inside the next read even when the `Date`
 * header is ahead (the header alone cannot say whether the cursor is within the overlap of now). A
 * denser window is not kept, so that re-reading it cannot eat the next poll's pages and stall the
 * draining of a backlog: that is the bound stated in the engine notes.
 */
function cappedBound(after: number, cursor: number, serverTime: number, seen: ReadonlyMap<string, number>, tuning: ResolvedTuning): number {
  const windowStart = cursor - tuning.overlapMs;
  let inWindow = 0;
  for (const ts of seen.values()) if (ts >= windowStart && ts <= cursor) inWindow += 1;
  const rereadable = Math.min(tuning.maxSeenKeys, Math.floor(((tuning.maxPagesPerPoll - 1) * tuning.pageSize) / 2));
  const below = inWindow <= rereadable ? windowStart : cursor;
  return Math.max(after, Math.min(below, serverTime - tuning.overlapMs));
}

/**
 * Reads a createdAt or updatedAt stream oldest first from `after` (keyset-paged, see {@link Pager})
 * and returns the bookings it had not processed, with the stream's next position.
 */
export async function readAscending(reader: BookingsReader, spec: StreamSpec, stream: StreamState, tuning: ResolvedTuning): Promise<StreamRead> {
  if (spec.field === 'end') throw new CalcomError('bad_request', 'Cal.com has no afterEnd filter, so the end stream cannot be read oldest first; this is a bug in the integration.');
  const after = Date.parse(stream.after);
  const seen = new Map(stream.seen);
  const newestBefore = newestOf(stream);
  const pager = new Pager(reader, { order: 'ascending', field: spec.field, from: after, query: spec.query, take: tuning.pageSize, maxPages: tuning.maxPagesPerPoll });
  const fresh: FreshBooking[] = [];
  let newest: number | undefined;
  let heldAt: number | undefined;
  for (let page = await pager.next(); page !== undefined; page = await pager.next()) {
    heldAt = minDefined(heldAt, oldestRetry(page, spec, seen, after));
    for (const booking of page.bookings) {
      const ts = streamTimestamp(booking, spec.field);
      if (ts === null) {
        reader.warn(`Skipped booking ${booking.uid}: Cal.com returned it for a ${spec.field} filter although its ${spec.field} is empty.`);
        continue;
      }
      if (ts < after) continue;
      newest = newest === undefined ? ts : Math.max(newest, ts);
      const key = spec.keyOf(booking);
      const known = seen.get(key);
      if (known !== undefined) {
        seen.set(key, Math.max(known, ts));
        continue;
      }
      fresh.push({ booking, timestamp: ts, serverTime: page.serverTime });
      seen.set(key, ts);
    }
  }
  const { drained, cursor, serverTime } = pager;
  const knownNewest = Math.max(newest ?? -Infinity, ...[...seen.values()]);
  if (serverTime === undefined) reader.warn('Cal.com sent no Date header; the polling window was advanced from booking timestamps instead of the server clock.');
  let nextAfter: number;
  if (serverTime === undefined) nextAfter = Math.max(after, Math.min(drained ? Infinity : cursor, Number.isFinite(knownNewest) ? knownNewest - tuning.overlapMs : after));
  else if (drained) nextAfter = advanceBound(after, serverTime, newest, newestBefore, tuning.overlapMs);
  else nextAfter = cappedBound(after, cursor, serverTime, seen, tuning);
  if (heldAt !== undefined) nextAfter = Math.min(nextAfter, heldAt);
  return {
    fresh,
    next: pruneSeen(seen, nextAfter, tuning.maxSeenKeys, drained ? Infinity : cursor),
    more: !drained,
    serverTime,
    trustedTime: corroboratedTime(serverTime, after, newest, tuning.overlapMs),
    newest,
  };
}

/**
 * Reads the `end` stream newest first: Cal.com can filter `past` (end before its own now) but has no
 * `afterEnd`, so the read walks back from the most recently ended booking until it meets one older
 * than `after`. The first page is small, which keeps an idle poll to one request of a few bookings.
 * Pages overlap by one booking, so a list that moves while it is read is noticed (see {@link Pager}).
 */
export async function readDescending(reader: BookingsReader, spec: StreamSpec, stream: StreamState, tuning: ResolvedTuning): Promise<StreamRead> {
  const after = Date.parse(stream.after);
  const seen = new Map(stream.seen);
  const newestBefore = newestOf(stream);
  const pager = new Pager(reader, {
    order: 'descending',
    field: spec.field,
    query: spec.query,
    firstTake: tuning.probeSize,
    take: tuning.pageSize,
    maxPages: MAX_DESCENDING_PAGES,
    requiresUpdatedAt: spec.requiresUpdatedAt,
    overlapOne: true,
  });
  const collected = new Map<string, FreshBooking>();
  const pagesRead: BookingsPage[] = [];
  for (let page = await pager.next(); page !== undefined; page = await pager.next()) {
    pagesRead.push(page);
    let reachedOld = false;
    for (const booking of page.bookings) {
      const ts = streamTimestamp(booking, spec.field) as number;
      if (ts < after) {
        reachedOld = true;
        break;
      }
      if (!collected.has(booking.uid)) collected.set(booking.uid, { booking, timestamp: ts, serverTime: page.serverTime });
    }
    if (reachedOld) break;
  }
  if (pager.capped) {
    throw new CalcomError('malformed_response', `More than ${MAX_DESCENDING_PAGES * tuning.pageSize} bookings ended since the last poll; the poll was stopped without recording progress. Narrow the trigger with event type filters.`);
  }
  let heldAt: number | undefined;
  for (const page of [...pager.discarded, ...pagesRead]) heldAt = minDefined(heldAt, oldestRetry(page, spec, seen, after));
  const ordered = [...collected.values()].sort((a, b) => a.timestamp - b.timestamp || a.booking.id - b.booking.id);
  const fresh: FreshBooking[] = [];
  let newest: number | undefined;
  for (const entry of ordered) {
    // Cal.com's `past` filter uses the clock of the server that ran the query; when the Date header
    // comes from a clock behind it, a meeting can be listed before it has ended by the watermark's
    // clock. It stays unseen (the window starts below it), so a later poll reports it.
    if (entry.serverTime !== undefined && entry.timestamp > entry.serverTime + DATE_HEADER_RESOLUTION_MS) continue;
    newest = newest === undefined ? entry.timestamp : Math.max(newest, entry.timestamp);
    const key = spec.keyOf(entry.booking);
    if (seen.has(key)) continue;
    fresh.push(entry);
    seen.set(key, entry.timestamp);
  }
  const serverTime = pager.serverTime;
  let coverage: number;
  if (serverTime !== undefined) coverage = advanceBound(after, serverTime, newest, newestBefore, tuning.overlapMs);
  else {
    reader.warn('Cal.com sent no Date header; the polling window was advanced from booking end times instead of the server clock.');
    coverage = newest === undefined ? after : newest - tuning.overlapMs;
  }
  return {
    fresh,
    next: pruneSeen(seen, Math.min(Math.max(after, coverage), heldAt ?? Infinity), tuning.maxSeenKeys),
    more: false,
    serverTime,
    trustedTime: corroboratedTime(serverTime, after, newest, tuning.overlapMs),
    newest,
  };
}

/** What a listing makes of one booking: an item to return, and a warning to pass on. */
export interface Listed<T> {
  item?: T;
  warning?: string;
}

/** First page of a bounded listing: enough for an idle poll, small enough to cost a few KB. */
export const RECENT_FIRST_PAGE = 10;

/**
 * Newest-first listing for stateless callers: the items `pick` makes of up to `limit` bookings,
 * newest first, reading at most `maxPages` pages.
 *
 * Without `windowMs` (samples), the first page is sized to the limit and later pages are read only
 * while the rule has kept almost nothing: a few recent events, whatever their age.
 *
 * With `windowMs` (Zapier's polls, see the engine notes), the same bookings are read, but in two
 * steps and only inside the window: first {@link RECENT_FIRST_PAGE} bookings whatever their age
 * (their page's `Date` header is Cal.com's clock); then, only while every page so far was full and
 * inside the window (stream timestamp within `windowMs` of that clock), pages with the window's start
 * as the `after*` filter, up to `limit` bookings read in all, and past that only while the rule has
 * kept almost nothing. An idle poll is one small request; a burst reads what the unbounded listing
 * read, never more.
 */
export async function readNewest<T>(
  reader: BookingsReader,
  spec: StreamSpec,
  pick: (booking: Booking, serverTime: number | undefined) => Listed<T>,
  limit: number,
  maxPages: number,
  windowMs?: number,
): Promise<T[]> {
  const bounded = windowMs !== undefined;
  const firstTake = Math.min(MAX_BOOKINGS_PAGE_SIZE, Math.max(limit, ENOUGH_FOR_LISTING));
  // Unbounded, the first page fits the common case (most bookings qualify); later pages are full,
  // for rules that keep few bookings (rescheduled, requested, rejected).
  const pager = new Pager(reader, {
    order: 'descending',
    field: spec.field,
    query: spec.query,
    firstTake: bounded ? Math.min(RECENT_FIRST_PAGE, firstTake) : firstTake,
    // Bounded, the second page completes the unbounded first one (no more bookings than it read).
    take: bounded ? Math.max(firstTake - RECENT_FIRST_PAGE, RECENT_FIRST_PAGE) : MAX_BOOKINGS_PAGE_SIZE,
    maxPages,
    requiresUpdatedAt: spec.requiresUpdatedAt,
  });
  const items: T[] = [];
  const visited = new Set<string>();
  // Beyond the first `firstTake` bookings, read on only while the rule has kept almost nothing:
  // newest-first callers need the recent events, not a full window of old ones.
  const enough = Math.min(limit, ENOUGH_FOR_LISTING);
  let windowStart: number | undefined;
  let read = 0;
  for (let page = await pager.next(); page !== undefined; page = await pager.next()) {
    read += page.bookings.length + page.problems.length;
    for (const booking of page.bookings) {
      const key = spec.keyOf(booking);
      if (visited.has(key)) continue;
      visited.add(key);
      const listed = pick(booking, page.serverTime);
      if (listed.warning !== undefined) reader.warn(listed.warning);
      if (listed.item !== undefined) items.push(listed.item);
      if (items.length >= limit) break;
    }
    if (items.length >= limit || (read >= firstTake && items.length >= enough)) break;
    if (!bounded) continue;
    const stamps = stamped(page, spec).map((entry) => entry.ts);
    if (stamps.length === 0) break;
    // The window follows Cal.com's clock (never this machine's); without a Date header, the newest booking's.
    windowStart ??= (page.serverTime ?? Math.max(...stamps)) - windowMs;
    if (Math.min(...stamps) < windowStart) break;
    pager.lowerBound = windowStart;
  }
  return items;
}

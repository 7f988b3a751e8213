import type { Booking, BookingsPage, BookingsQuery } from '../api/booking-types';
import { DATE_HEADER_RESOLUTION_MS, MAX_BOOKINGS_PAGE_SIZE } from '../api/bookings';
import { CalcomError } from '../errors';
import { quoteValue } from '../quote-value';
import type { BookingsReader } from './reader';
import type { StreamState } from './state';
import { streamTimestamp, type StreamField } from './events';
import { advanceBound, CALCOM_EPOCH_MS, corroboratedTime } from './clock';

/** Tuning of the engine; every field has a documented default. */
export interface BookingPollTuning {
  /**
   * How far behind the server's clock each read starts again, in seconds (default 120). It absorbs
   * skew between the clock that stamps bookings and the one that writes the `Date` header, commit
   * latency, and the header's 1-second resolution. Idle polls return the bookings changed within
   * this window before the previous poll, so it should stay below the polling interval.
   */
  overlapSeconds?: number;
  /** `take` of each page (default and maximum 250). */
  pageSize?: number;
  /** Pages one poll may read from an ascending stream before it stops and continues next poll (default 8: 2,000 bookings). */
  maxPagesPerPoll?: number;
  /** Cap on remembered keys in the overlap window (default 500). */
  maxSeenKeys?: number;
  /** Size of the first page of the newest-first "meeting ended" read (default 5), so an idle poll is small. */
  probeSize?: number;
}

export interface ResolvedTuning {
  overlapMs: number;
  pageSize: number;
  maxPagesPerPoll: number;
  maxSeenKeys: number;
  probeSize: number;
}

function positiveInteger(value: number | undefined, fallback: number, name: string, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) throw new CalcomError('invalid_input', `Polling option ${name} must be an integer from 1 to ${max}; got ${quoteValue(value)}.`);
  return value;
}

export function resolveTuning(tuning: BookingPollTuning = {}): ResolvedTuning {
  const overlap = tuning.overlapSeconds ?? 120;
  if (!Number.isFinite(overlap) || overlap < 0 || overlap > 86_400) {
    throw new CalcomError('invalid_input', `Polling option overlapSeconds must be between 0 and 86400; got ${String(overlap)}.`);
  }
  return {
    overlapMs: Math.round(overlap * 1000),
    pageSize: positiveInteger(tuning.pageSize, MAX_BOOKINGS_PAGE_SIZE, 'pageSize', MAX_BOOKINGS_PAGE_SIZE),
    maxPagesPerPoll: positiveInteger(tuning.maxPagesPerPoll, 8, 'maxPagesPerPoll', 1000),
    maxSeenKeys: positiveInteger(tuning.maxSeenKeys, 500, 'maxSeenKeys', 100_000),
    probeSize: positiveInteger(tuning.probeSize, 5, 'probeSize', MAX_BOOKINGS_PAGE_SIZE),
  };
}

const AFTER_PARAM = { createdAt: 'afterCreatedAt', updatedAt: 'afterUpdatedAt' } as const;
const SORT_PARAM = { createdAt: 'sortCreated', updatedAt: 'sortUpdatedAt', end: 'sortEnd' } as const;
/** `afterUpdatedAt` at the epoch: matches every booking whose updatedAt is set, and no null one. */
export const EPOCH_ISO = '1970-01-01T00:00:00.000Z';
/** A newest-first read that needs more pages than this is refused rather than left half-done. */
const MAX_DESCENDING_PAGES = 40;
const MAX_RESTARTS = 3;
const BASELINE_PAGE_SIZE = 100;
const ENOUGH_FOR_LISTING = 10;

/** A stream to read: which timestamp, which fixed filters. */
export interface StreamSpec {
  field: StreamField;
  query: BookingsQuery;
  requiresUpdatedAt: boolean;
  /** Dedupe key of a booking within this stream. */
  keyOf(booking: Booking): string;
}

/** Called for each booking not processed before, oldest first. */
export type BookingHandler = (booking: Booking, timestamp: number, page: BookingsPage) => void;

export interface StreamRead {
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

function newestOf(stream: StreamState): number | undefined {
  return stream.seen.length === 0 ? undefined : Math.max(...stream.seen.map(([, ts]) => ts));
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

function refuseUntrustedPage(page: BookingsPage, take: number): void {
  // One booking with a malformed attendee list is skipped like any unusable item. Only a FULL page on
  // which nothing is even recognisable as a booking suggests a format change: a few unidentifiable
  // items at the end of a stream are just bad bookings, and refusing them would fail every poll until
  // a good booking follows. Skipping them loses nothing, since an item without a timestamp never
  // moves the position.
  const items = page.bookings.length + page.problems.length;
  if (page.bookings.length === 0 && items >= take && page.problems.every((problem) => !problem.readable)) {
    const sample = page.problems.slice(0, 3).map((p) => `${p.label}: ${p.problem}`).join('; ');
    throw new CalcomError(
      'malformed_response',
      `Every booking on a page from Cal.com was unusable (${sample}); nothing was processed and the poll will be repeated. If this persists, Cal.com changed its booking format.`,
    );
  }
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

/**
 * First read of a stream: the newest bookings, to learn the server's clock and which bookings inside
 * the overlap window already exist. Nothing is reported from it. If the window holds more than a page,
 * further pages are read (up to the page cap), because a booking stamped inside the window but not
 * read here would later be reported although it predates the baseline.
 */
export async function baselineStream(reader: BookingsReader, spec: StreamSpec, tuning: ResolvedTuning): Promise<StreamState> {
  const take = Math.min(tuning.pageSize, BASELINE_PAGE_SIZE);
  const seen = new Map<string, number>();
  let after: number | undefined;
  let skip = 0;
  for (let pages = 0; ; pages += 1) {
    const query: BookingsQuery = { ...spec.query, [SORT_PARAM[spec.field]]: 'desc', take: pages === 0 ? take : tuning.pageSize, ...(skip > 0 ? { skip } : {}) };
    if (spec.requiresUpdatedAt) query.afterUpdatedAt = EPOCH_ISO;
    const page = await reader.page(query);
    refuseUntrustedPage(page, query.take ?? MAX_BOOKINGS_PAGE_SIZE);
    const stamped = page.bookings
      .map((booking) => ({ booking, ts: streamTimestamp(booking, spec.field) }))
      .filter((entry): entry is { booking: Booking; ts: number } => entry.ts !== null);
    if (after === undefined) {
      // An empty stream has nothing to predate the baseline; otherwise the bound never passes the newest booking (see clock.ts).
      const newest = stamped.length === 0 ? undefined : Math.max(...stamped.map((entry) => entry.ts));
      if (page.serverTime === undefined) reader.warn('Cal.com sent no Date header; the polling baseline was taken from the newest booking instead of the server clock.');
      if (newest === undefined) after = CALCOM_EPOCH_MS;
      // Nothing is reported from a baseline, so the overlap below the newest booking is not kept (it can hold a whole import).
      else after = page.serverTime === undefined ? newest : Math.min(page.serverTime - tuning.overlapMs, newest + 1);
    }
    for (const { booking, ts } of stamped) if (ts >= after) seen.set(spec.keyOf(booking), ts);
    const oldest = stamped.length === 0 ? undefined : Math.min(...stamped.map((entry) => entry.ts));
    if (!page.pagination.hasNextPage || oldest === undefined || oldest < after) break;
    if (pages + 1 >= tuning.maxPagesPerPoll) {
      // The window holds more than the cap: what was not read is declared to predate the baseline.
      after = oldest + 1;
      reader.warn(`More bookings changed within ${tuning.overlapMs / 1000} s before the baseline than one poll reads; the baseline starts after ${new Date(oldest).toISOString()}.`);
      break;
    }
    skip += page.bookings.length + page.problems.length;
  }
  return pruneSeen(seen, after ?? CALCOM_EPOCH_MS, tuning.maxSeenKeys);
}

/**
 * Reads a createdAt or updatedAt stream oldest first from `after`, with keyset paging: each next page
 * starts at the last timestamp read (inclusive), so bookings that move while being read are met again
 * rather than skipped, and ties at a page boundary are re-read and recognised by key. Only a page made
 * entirely of one timestamp falls back to `skip`.
 */
export async function readAscending(
  reader: BookingsReader,
  spec: StreamSpec,
  stream: StreamState,
  tuning: ResolvedTuning,
  handle: BookingHandler,
): Promise<StreamRead> {
  if (spec.field === 'end') throw new Error('readAscending: Cal.com has no afterEnd filter');
  const after = Date.parse(stream.after);
  const seen = new Map(stream.seen);
  const newestBefore = newestOf(stream);
  let cursor = after;
  let skip = 0;
  let serverTime: number | undefined;
  let newest: number | undefined;
  let drained = false;
  let heldAt: number | undefined;
  for (let pages = 0; pages < tuning.maxPagesPerPoll; pages += 1) {
    const page = await reader.page({
      ...spec.query,
      [AFTER_PARAM[spec.field]]: new Date(cursor).toISOString(),
      [SORT_PARAM[spec.field]]: 'asc',
      take: tuning.pageSize,
      ...(skip > 0 ? { skip } : {}),
    });
    serverTime = minDefined(serverTime, page.serverTime);
    refuseUntrustedPage(page, tuning.pageSize);
    heldAt = minDefined(heldAt, oldestRetry(page, spec, seen, after));
    let pageLast: number | undefined;
    for (const booking of page.bookings) {
      const ts = streamTimestamp(booking, spec.field);
      if (ts === null) {
        reader.warn(`Skipped booking ${booking.uid}: Cal.com returned it for a ${spec.field} filter although its ${spec.field} is empty.`);
        continue;
      }
      pageLast = pageLast === undefined ? ts : Math.max(pageLast, ts);
      if (ts < after) continue;
      newest = newest === undefined ? ts : Math.max(newest, ts);
      const key = spec.keyOf(booking);
      const known = seen.get(key);
      if (known !== undefined) {
        seen.set(key, Math.max(known, ts));
        continue;
      }
      handle(booking, ts, page);
      seen.set(key, ts);
    }
    if (!page.pagination.hasNextPage) {
      drained = true;
      break;
    }
    // A page made of one timestamp cannot move the keyset forward: step over it with skip instead.
    if (pageLast === undefined || pageLast <= cursor) skip += page.bookings.length + page.problems.length;
    else {
      cursor = pageLast;
      skip = 0;
    }
  }
  const knownNewest = Math.max(newest ?? -Infinity, ...[...seen.values()]);
  if (serverTime === undefined) reader.warn('Cal.com sent no Date header; the polling window was advanced from booking timestamps instead of the server clock.');
  let nextAfter: number;
  if (serverTime === undefined) nextAfter = Math.max(after, Math.min(drained ? Infinity : cursor, Number.isFinite(knownNewest) ? knownNewest - tuning.overlapMs : after));
  else if (drained) nextAfter = advanceBound(after, serverTime, newest, newestBefore, tuning.overlapMs);
  // A read stopped at its page cap continues from its cursor, the last timestamp it read (keeping the
  // overlap below it too would re-read so much of a backlog that small pages never drain it).
  else nextAfter = Math.max(after, Math.min(cursor, serverTime - tuning.overlapMs));
  if (heldAt !== undefined) nextAfter = Math.min(nextAfter, heldAt);
  return {
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
 * Pages overlap by one booking; if that booking is missing from the next page, something above it
 * disappeared, so the read starts over rather than risk a gap.
 */
export async function readDescending(
  reader: BookingsReader,
  spec: StreamSpec,
  stream: StreamState,
  tuning: ResolvedTuning,
  handle: BookingHandler,
): Promise<StreamRead> {
  const after = Date.parse(stream.after);
  const seen = new Map(stream.seen);
  const newestBefore = newestOf(stream);
  const collected = new Map<string, { booking: Booking; ts: number; page: BookingsPage }>();
  let serverTime: number | undefined;
  let restarts = 0;
  let skip = 0;
  let take = tuning.probeSize;
  let previous: Set<string> | undefined;
  let heldAt: number | undefined;
  for (let pages = 0; ; pages += 1) {
    if (pages >= MAX_DESCENDING_PAGES) {
      throw new CalcomError('malformed_response', `More than ${MAX_DESCENDING_PAGES * tuning.pageSize} bookings ended since the last poll; the poll was stopped without recording progress. Narrow the trigger with event type filters.`);
    }
    const page = await reader.page({ ...spec.query, [SORT_PARAM[spec.field]]: 'desc', take, ...(skip > 0 ? { skip } : {}) });
    serverTime = minDefined(serverTime, page.serverTime);
    refuseUntrustedPage(page, take);
    heldAt = minDefined(heldAt, oldestRetry(page, spec, seen, after));
    const first = page.bookings[0];
    if (previous !== undefined && first !== undefined && !previous.has(first.uid)) {
      restarts += 1;
      if (restarts > MAX_RESTARTS) {
        throw new CalcomError('server_unavailable', 'The bookings list kept changing while it was being read; the poll recorded no progress and will be repeated.');
      }
      skip = 0;
      take = tuning.pageSize;
      previous = undefined;
      continue;
    }
    let reachedOld = false;
    for (const booking of page.bookings) {
      const ts = streamTimestamp(booking, spec.field) as number;
      if (ts < after) {
        reachedOld = true;
        break;
      }
      if (!collected.has(booking.uid)) collected.set(booking.uid, { booking, ts, page });
    }
    if (reachedOld || !page.pagination.hasNextPage) break;
    const length = page.bookings.length + page.problems.length;
    skip += Math.max(1, length - 1);
    take = tuning.pageSize;
    previous = new Set(page.bookings.map((booking) => booking.uid));
  }
  const ordered = [...collected.values()].sort((a, b) => a.ts - b.ts || a.booking.id - b.booking.id);
  let newest: number | undefined;
  for (const { booking, ts, page } of ordered) {
    // Cal.com's `past` filter uses the clock of the server that ran the query; when the Date header
    // comes from a clock behind it, a meeting can be listed before it has ended by the watermark's
    // clock. It stays unseen (the window starts below it), so a later poll reports it.
    if (page.serverTime !== undefined && ts > page.serverTime + DATE_HEADER_RESOLUTION_MS) continue;
    newest = newest === undefined ? ts : Math.max(newest, ts);
    const key = spec.keyOf(booking);
    if (seen.has(key)) continue;
    handle(booking, ts, page);
    seen.set(key, ts);
  }
  let coverage: number;
  if (serverTime !== undefined) coverage = advanceBound(after, serverTime, newest, newestBefore, tuning.overlapMs);
  else {
    reader.warn('Cal.com sent no Date header; the polling window was advanced from booking end times instead of the server clock.');
    coverage = newest === undefined ? after : newest - tuning.overlapMs;
  }
  return {
    next: pruneSeen(seen, Math.min(Math.max(after, coverage), heldAt ?? Infinity), tuning.maxSeenKeys),
    more: false,
    serverTime,
    trustedTime: corroboratedTime(serverTime, after, newest, tuning.overlapMs),
    newest,
  };
}

/**
 * Newest-first listing for stateless callers: up to `limit` items, reading at most `maxPages` pages.
 * Rows are handed over newest first; the caller picks and shapes them.
 */
export async function readNewest(
  reader: BookingsReader,
  spec: StreamSpec,
  wanted: (booking: Booking, page: BookingsPage) => boolean,
  limit: number,
  maxPages: number,
): Promise<void> {
  // The first page fits the common case (most bookings qualify); later pages are full, for rules that
  // keep few bookings (rescheduled, requested, rejected).
  let take = Math.min(MAX_BOOKINGS_PAGE_SIZE, Math.max(limit, 10));
  let skip = 0;
  let found = 0;
  const visited = new Set<string>();
  // Beyond the first page, read on only while the rule has kept almost nothing: newest-first callers
  // (Zapier) need the recent events, not a full window of old ones.
  const enough = Math.min(limit, ENOUGH_FOR_LISTING);
  for (let pages = 0; pages < maxPages && (pages === 0 || found < enough); pages += 1) {
    const query: BookingsQuery = { ...spec.query, [SORT_PARAM[spec.field]]: 'desc', take, ...(skip > 0 ? { skip } : {}) };
    if (spec.requiresUpdatedAt) query.afterUpdatedAt = EPOCH_ISO;
    const page = await reader.page(query);
    refuseUntrustedPage(page, query.take ?? MAX_BOOKINGS_PAGE_SIZE);
    for (const booking of page.bookings) {
      const key = spec.keyOf(booking);
      if (visited.has(key)) continue;
      visited.add(key);
      if (wanted(booking, page)) found += 1;
      if (found >= limit) break;
    }
    if (!page.pagination.hasNextPage) break;
    skip += page.bookings.length + page.problems.length;
    take = MAX_BOOKINGS_PAGE_SIZE;
  }
}

import type { BookingsPage, BookingsQuery } from '../api/booking-types';
import { CalcomError } from '../errors';
import type { BookingsReader } from './reader';
import { streamTimestamp, type StreamField } from './events';

/**
 * The one page loop of the engine: every read of `GET /v2/bookings` walks its pages through a
 * {@link Pager}, so the paging arithmetic (keyset, skip, the shared booking of newest-first pages)
 * lives here once.
 */

const AFTER_PARAM = { createdAt: 'afterCreatedAt', updatedAt: 'afterUpdatedAt' } as const;
const SORT_PARAM = { createdAt: 'sortCreated', updatedAt: 'sortUpdatedAt', end: 'sortEnd' } as const;
/** `afterUpdatedAt` at the epoch: matches every booking whose updatedAt is set, and no null one. */
export const EPOCH_ISO = '1970-01-01T00:00:00.000Z';
/** Times a newest-first walk starts over because the list moved under it, before the poll gives up. */
const MAX_RESTARTS = 3;

/** How a read walks the pages of one stream. */
export type PageWalk =
  /**
   * Oldest first from `from` (inclusive), keyset-paged: each page starts at the newest timestamp of
   * the page before, so bookings that move while being read are met again rather than skipped, and
   * ties at a page boundary are re-read (the caller recognises them by key). Only a page made of one
   * timestamp cannot move the keyset forward; the walk steps over it with `skip`.
   */
  | { order: 'ascending'; field: 'createdAt' | 'updatedAt'; from: number; query: BookingsQuery; take: number; maxPages: number }
  /**
   * Newest first, skip-paged, the first page sized `firstTake`. `requiresUpdatedAt` leaves out
   * never-updated bookings (Postgres sorts their NULL first). With `overlapOne`, consecutive pages
   * share one booking; a page that does not start with a booking of the page before means something
   * above moved, and the walk starts over rather than risk a gap.
   */
  | { order: 'descending'; field: StreamField; query: BookingsQuery; firstTake: number; take: number; maxPages: number; requiresUpdatedAt: boolean; overlapOne?: boolean };

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/** Items on a page, usable or not: what `skip` must step over. */
function itemCount(page: BookingsPage): number {
  return page.bookings.length + page.problems.length;
}

function refuseUntrustedPage(page: BookingsPage, take: number): void {
  // One booking with a malformed attendee list is skipped like any unusable item. Only a FULL page on
  // which nothing is even recognisable as a booking suggests a format change: a few unidentifiable
  // items at the end of a stream are just bad bookings, and refusing them would fail every poll until
  // a good booking follows. Skipping them loses nothing, since an item without a timestamp never
  // moves the position.
  if (page.bookings.length === 0 && itemCount(page) >= take && page.problems.every((problem) => !problem.readable)) {
    const sample = page.problems.slice(0, 3).map((p) => `${p.label}: ${p.problem}`).join('; ');
    throw new CalcomError(
      'malformed_response',
      `Every booking on a page from Cal.com was unusable (${sample}); nothing was processed and the poll will be repeated. If this persists, Cal.com changed its booking format.`,
    );
  }
}

/**
 * Walks the pages of one read. Call {@link next} until it returns undefined, or stop earlier; then
 * {@link drained} says the stream ended and {@link capped} that the walk hit `maxPages`.
 */
export class Pager {
  /** Ascending walks: the timestamp the next page starts at (the newest one read so far). */
  cursor: number;
  /** The stream's last page was read. */
  drained = false;
  /** The walk stopped at `maxPages` with more pages left. */
  capped = false;
  /** Smallest `Date` header of the pages read (epoch ms). */
  serverTime: number | undefined;
  /**
   * Newest-first walks: a lower bound on the stream timestamp (epoch ms) for the pages still to read,
   * sent as `afterCreatedAt`/`afterUpdatedAt` (the `end` stream has no such filter). Set it only to a
   * bound every booking read so far meets: the filtered list is then a prefix of the unfiltered one,
   * so `skip` keeps counting the same bookings.
   */
  lowerBound: number | undefined;
  /** Pages read but dropped because the list moved under a newest-first walk. */
  readonly discarded: BookingsPage[] = [];
  private pagesRead = 0;
  private skip = 0;
  private take: number;
  private restarts = 0;
  private previousUids: Set<string> | undefined;

  constructor(
    private readonly reader: BookingsReader,
    private readonly walk: PageWalk,
  ) {
    this.cursor = walk.order === 'ascending' ? walk.from : -Infinity;
    this.take = walk.order === 'ascending' ? walk.take : walk.firstTake;
  }

  /** The next page, or undefined when the stream is drained or the walk is at its page cap. */
  async next(): Promise<BookingsPage | undefined> {
    for (;;) {
      if (this.drained) return undefined;
      if (this.pagesRead >= this.walk.maxPages) {
        this.capped = true;
        return undefined;
      }
      const take = this.take;
      const page = await this.reader.page(this.query());
      this.pagesRead += 1;
      this.serverTime = minDefined(this.serverTime, page.serverTime);
      refuseUntrustedPage(page, take);
      if (this.listMoved(page)) {
        this.discarded.push(page);
        this.startOver();
        continue;
      }
      this.advance(page);
      return page;
    }
  }

  private query(): BookingsQuery {
    const walk = this.walk;
    const skip = this.skip > 0 ? { skip: this.skip } : {};
    if (walk.order === 'ascending') {
      return { ...walk.query, [AFTER_PARAM[walk.field]]: new Date(this.cursor).toISOString(), [SORT_PARAM[walk.field]]: 'asc', take: this.take, ...skip };
    }
    const query: BookingsQuery = { ...walk.query, [SORT_PARAM[walk.field]]: 'desc', take: this.take, ...skip };
    if (walk.requiresUpdatedAt) query.afterUpdatedAt = EPOCH_ISO;
    if (this.lowerBound !== undefined && walk.field !== 'end') query[AFTER_PARAM[walk.field]] = new Date(this.lowerBound).toISOString();
    return query;
  }

  private listMoved(page: BookingsPage): boolean {
    const first = page.bookings[0];
    return this.previousUids !== undefined && first !== undefined && !this.previousUids.has(first.uid);
  }

  private startOver(): void {
    this.restarts += 1;
    if (this.restarts > MAX_RESTARTS) {
      throw new CalcomError('server_unavailable', 'The bookings list kept changing while it was being read; the poll recorded no progress and will be repeated.');
    }
    this.skip = 0;
    this.take = this.walk.take;
    this.previousUids = undefined;
  }

  private advance(page: BookingsPage): void {
    if (!page.pagination.hasNextPage) {
      this.drained = true;
      return;
    }
    const walk = this.walk;
    if (walk.order === 'ascending') {
      let pageLast: number | undefined;
      for (const booking of page.bookings) {
        const ts = streamTimestamp(booking, walk.field);
        if (ts !== null) pageLast = pageLast === undefined ? ts : Math.max(pageLast, ts);
      }
      // A page made of one timestamp cannot move the keyset forward: step over it with skip instead.
      if (pageLast === undefined || pageLast <= this.cursor) this.skip += itemCount(page);
      else {
        this.cursor = pageLast;
        this.skip = 0;
      }
      return;
    }
    this.skip += walk.overlapOne === true ? Math.max(1, itemCount(page) - 1) : itemCount(page);
    this.take = walk.take;
    if (walk.overlapOne === true) this.previousUids = new Set(page.bookings.map((booking) => booking.uid));
  }
}

/**
 * The booking polling engine: turns `GET /v2/bookings` into booking events, for a stateful caller
 * (n8n keeps a small JSON state and must get every event exactly once) and a stateless one (Zapier
 * dedupes by id and wants the newest items first).
 *
 * ## How a poll runs (one file per stage)
 * 1. Plan (plan.ts): the event's polling rules (events.ts), the checked filters and tuning (tuning.ts),
 *    and the streams to read: the event's own, plus the confirmation stream for created/rescheduled.
 * 2. Read (streams.ts over pager.ts): each stream read walks its pages through the one {@link Pager}
 *    (oldest first by keyset, newest first, newest listing, the previous-booking lookup of
 *    previous.ts) and returns the bookings it had not processed, with the stream's next position.
 * 3. Classify (classify.ts): pure functions from those bookings to events, warnings and the
 *    bookings to remember (awaiting confirmation, reported once).
 * 4. Commit (commit.ts): one function builds the next state from what was read and classified.
 * The stored state is checked by state.ts; the clock rules that move a position are in clock.ts.
 *
 * ## Why it reads what it reads
 * Each event is one ordered stream of bookings: created, rescheduled and requested follow `createdAt`
 * (a booking is created once); cancelled, rejected and updated follow `updatedAt` (Cal.com's Prisma
 * `@updatedAt` moves on every change; the `cancelled` filter narrows the first two and also returns
 * rejected ones, which the rules separate); meeting ended follows `end`. Cal.com filters `after*`
 * inclusively and has no `afterEnd`, so the first two kinds are read oldest first from a lower bound,
 * and the `end` stream newest first under Cal.com's own `past` filter (end before its clock) until a
 * booking older than the bound appears; its first page is small (`probeSize`), so an idle poll costs
 * one request holding a few recently ended meetings.
 *
 * ## Why the lower bound follows the server's clock
 * Watermarks come only from Cal.com: booking timestamps and the `Date` header, never this machine's
 * clock, which may be wrong by minutes. After a read that reached the end of its stream, the next
 * read starts at (server time of the read − overlap), not at the newest booking seen: a booking
 * committed late, or stamped by a clock a little behind the API server's, still lands inside the
 * window, while an idle poll asks only for the last couple of minutes and gets an empty page back.
 * That is what makes "nothing changed" cost one request with no old bookings in it. The header is
 * trusted only as far as the data backs it (clock.ts): the bound never passes the newest booking the
 * read returned (keeping the overlap below it until a later poll finds nothing newer), so a header a
 * year ahead, or one behind, neither skips nor replays a booking. A stored position before Cal.com
 * existed, or ahead of both its clock (by more than a day) and every booking read, starts a new
 * baseline with a warning that says so, but only when the baseline's own read agrees: one answer
 * with a wrong date (an empty page dated years behind) fails the poll instead of discarding a good
 * state and the bookings made since it. Bookings seen
 * inside the window are remembered by key (`uid`, or `uid:updatedAt` for updates) until the window
 * moves past them, so re-reading the overlap reports nothing twice, whatever the ties, skew or page
 * moves. The overlap (default 120 s) bounds the clock skew and commit delay tolerated.
 *
 * ## Why paging is keyset-based
 * With `skip`, a booking updated while the pages are read moves to the end and shifts the next page,
 * hiding one booking. Each page instead starts at the last timestamp read (inclusive), so ties at the
 * boundary are re-read and recognised by key, and moved bookings are met again. Only a page made of a
 * single timestamp steps on with `skip`. A burst larger than `maxPagesPerPoll` pages (default 8 × 250)
 * stops at a page boundary: the state records where, `more` is set, and the next poll continues
 * there, re-reading the overlap below that point while it holds at most min(`maxSeenKeys`,
 * (`maxPagesPerPoll` − 1) × `pageSize` / 2) bookings (default 500), so a booking stamped late just
 * below it is met even when the `Date` header runs ahead. Bound: when more bookings than that share
 * one overlap window, the next poll starts exactly at the point (re-reading them would eat its pages
 * and stall a backlog), and a booking committed after the read but stamped below that point is
 * missed when the `Date` header puts the point more than the overlap in the past although it is not
 * (a header running ahead). The newest-first `end` read has no resumable position, so it drains fully (it
 * stops with an error past 10,000 meetings ended in one interval).
 *
 * ## Why failures commit nothing
 * The state is returned only from a poll that read everything it needed. Any error (token expired,
 * including Cal.com's 403 "no oAuth client found"; 429 with its reset time; 5xx; time-outs; an
 * envelope that cannot be trusted, such as the 2024-04-15 shape served when the version header is
 * lost) throws a `CalcomError`, the caller keeps its previous state, and the next poll repeats the
 * same reads. Errors the executor throws that are not network failures (a platform's own control
 * errors, like Zapier's RefreshAuthError) pass through unchanged. A malformed booking (no uid, bad
 * dates, unknown status) is skipped with a warning that names it and counts as processed; a page of
 * nothing but malformed bookings fails the poll.
 *
 * ## State format ({@link BookingPollState}, JSON)
 * `{v:1, event, main:{after, seen:[[key, ms]...]}, awaiting?, confirm?, reported?}`. `after` is the
 * next lower bound; `seen` the keys processed at or after it. `awaiting`/`confirm` exist only for
 * created or rescheduled without "include unconfirmed": bookings seen while unconfirmed, and the
 * updatedAt stream that reports them once accepted (a second request per poll, only while some are
 * waiting). `reported` (cancelled, rejected) holds `[uid, end]` of the bookings reported until a week
 * after their meeting ended (at most 500, see reported.ts), because a cancelled booking edited again
 * reappears in the updatedAt stream long after its key left `seen`. Size: under 1 KB in normal use
 * (a few KB of `reported`), about 49 KB at every cap; the soak prints the largest it saw.
 *
 * ## What polling cannot see
 * Rules judge a booking as it is when a poll reads it; Cal.com keeps no history of its status. A
 * request confirmed or declined before the next poll is therefore reported as created (or rejected),
 * never as requested.
 *
 * ## What a lost state means
 * A missing or unusable state starts a new baseline: the first poll records where the streams stand
 * (reading every page of the overlap window) and reports nothing, so nothing from before is replayed.
 * Changes made while the state was lost cannot be told apart from older ones and are not reported;
 * an unusable (not missing) state says so in the warnings.
 *
 * ## Stateless mode
 * {@link listBookingEvents} reads the same stream newest first and returns at most `limit` (≤ 100)
 * events; ids are stable because they derive from the booking alone. Zapier's dedupe does the rest; a
 * burst of more than `limit` events between two polls shows only the newest `limit` (Zapier's
 * polling model).
 *
 * ## Why a Zapier poll reads only the recent window
 * Zapier triggers on the ids of a poll's answer it has not seen before (its dedupe keeps the ids it
 * has seen per Zap) and polls every 1 to 15 minutes, so an event older than the previous poll can
 * only be new to it if that poll did not run or failed. Returning older events costs bytes and never
 * triggers anything. A poll therefore reads a first page of 10 bookings (the `Date` header gives
 * Cal.com's clock), and reads on only while that page is full and every booking on it lies within
 * {@link RECENT_WINDOW_HOURS} (24 h) of that clock, with `afterCreatedAt`/`afterUpdatedAt` at the
 * window's start (the `end` stream has no such filter and stops at the first page reaching before
 * it): the next page completes the 100 newest bookings the poll read before, and further pages
 * follow only while the rule has kept fewer than 10 events, as before. An idle poll is one request
 * of 10 bookings instead of 100 (the bench prints both); a busy window or a burst between polls
 * reads the same bookings as before, in one more request.
 * The window is a day, not the polling interval, so polls that Zapier skipped or that failed for
 * hours (a 429, a Cal.com outage, an expired connection reconnected the same day) lose nothing.
 * After a longer pause of a Zap (turned off, or failing for more than a day), events of the gap
 * older than the window are not returned; Zapier itself does not replay a turned-off Zap's gap (it
 * primes its dedupe when the Zap is turned on), and before the window a 100-event answer could not
 * hold a day's backlog of a busy account either. The first page is never filtered, so a booking
 * confirmed more than a day after it was requested is still reported if it is among the 10 newest;
 * beyond them it is reported by the stateful engine (n8n), not by a Zapier poll. A listing of a
 * handful of events ("Test trigger", samples) is not bounded: it returns recent events whatever
 * their age. `recentWindowHours` changes the window or, `null`, removes it.
 */
import type { Booking } from '../api/booking-types';
import { CalcomError } from '../errors';
import type { HttpExecutor } from '../http';
import { CALCOM_CLOUD, type CalcomInstance } from '../instances';
import type { BookingEventKey } from '../events/catalogue';
import type { BookingEventItem } from '../events/item';
import { getBookingEvent, streamTimestamp, type BookingEventFilters } from './events';
import type { KnownSecrets } from '../request-secrets';
import { BookingsReader, type PollStats } from './reader';
import { checkPollState, type BookingPollState } from './state';
import { baselineStream, readAscending, readDescending, readNewest, type BaselineRead, type BookingPollTuning } from './streams';
import { planPoll, type PollPlan } from './plan';
import { classifyConfirmations, classifyListed, classifyMain } from './classify';
import { commitState } from './commit';
import { withPreviousBookings } from './previous';
import { positionAheadOfClock } from './clock';

/** Options shared by both modes. */
export interface BookingEventsCommonOptions {
  /** Cal.com instance; defaults to the US cloud. */
  instance?: Pick<CalcomInstance, 'apiUrl'>;
  /** Omit when the platform's HTTP client adds the Authorization header. */
  accessToken?: string;
  /** Secrets of the connection no message may contain, when the requests do not carry them (the platform adds the token). */
  knownSecrets?: KnownSecrets;
  event: BookingEventKey;
  filters?: BookingEventFilters;
  /** Sends requests (Zapier's `z.request`, n8n's `httpRequestWithAuthentication`, `fetch` in tests). */
  execute: HttpExecutor;
  tuning?: BookingPollTuning;
}

export interface PollBookingEventsOptions extends BookingEventsCommonOptions {
  /** The state returned by the previous poll; undefined or null the first time. */
  state: unknown;
}

export interface PollBookingEventsResult {
  /** New events, oldest first, each exactly once across polls. */
  events: BookingEventItem[];
  /** Store this for the next poll (only when the poll returned; a thrown poll commits nothing). */
  state: BookingPollState;
  /** Skipped bookings and degraded conditions, each naming what it is about. */
  warnings: string[];
  stats: PollStats;
  /** This poll only recorded a baseline (first poll, or the state was unusable). */
  baseline: boolean;
  /** A burst was larger than one poll reads; the rest follows on the next poll. */
  more: boolean;
}

export interface ListBookingEventsOptions extends BookingEventsCommonOptions {
  /** How many events at most (1..100; default 100). Use a handful for samples. */
  limit?: number;
  /**
   * Read beyond the first small page only inside this many hours before Cal.com's clock (1..720;
   * default {@link RECENT_WINDOW_HOURS}); `null` reads without a bound. A listing of at most
   * {@link SAMPLE_LIMIT} events is a sample and unbounded unless this says otherwise. See the engine
   * notes, "Stateless mode".
   */
  recentWindowHours?: number | null;
}

export interface ListBookingEventsResult {
  /** Newest first; ids are stable across calls. */
  events: BookingEventItem[];
  warnings: string[];
  stats: PollStats;
}

/** Zapier's polling limit, and the most a stateless call returns. */
export const MAX_LIST_LIMIT = 100;
/** Default size of a sample ("test" / "load sample data"). */
export const SAMPLE_LIMIT = 3;
const LIST_PAGES = 4;
/** How far back a bounded (Zapier polling) listing reads: a day, against polls every 1 to 15 minutes. */
export const RECENT_WINDOW_HOURS = 24;
const MAX_RECENT_WINDOW_HOURS = 720;

function readerFor(options: BookingEventsCommonOptions): BookingsReader {
  return new BookingsReader(options.instance ?? CALCOM_CLOUD, options.execute, options.accessToken, options.knownSecrets);
}

/** A first poll, or one whose state cannot be used: records where the stream stands and reports nothing. */
async function startBaseline(plan: PollPlan, reader: BookingsReader, reason: string | undefined): Promise<PollBookingEventsResult> {
  if (reason !== undefined) reader.warn(`Started a new polling baseline because ${reason}; changes made before it are not reported.`);
  const baseline = await baselineStream(reader, plan.main, plan.tuning);
  return baselineResult(plan, reader, baseline);
}

function baselineResult(plan: PollPlan, reader: BookingsReader, baseline: BaselineRead): PollBookingEventsResult {
  return { events: [], state: { v: 1, event: plan.definition.key, main: baseline.next }, warnings: reader.warnings, stats: reader.stats, baseline: true, more: false };
}

/**
 * One stateful poll: reports each event exactly once across polls.
 *
 * The first poll (no state, or a state that cannot be used) records a baseline and reports nothing.
 * Idle polls cost one request whose answer holds no old bookings (two while bookings await
 * confirmation for created/rescheduled without "include unconfirmed"; meeting ended returns up to
 * `probeSize` recently ended ones, see {@link readDescending}).
 *
 * @throws CalcomError for every failure (see the module notes); the caller must then keep its previous state.
 */
export async function pollBookingEvents(options: PollBookingEventsOptions): Promise<PollBookingEventsResult> {
  // 1. Plan: which streams this event reads, with the caller's filters and tuning checked.
  const plan = planPoll(options.event, options.filters, options.tuning);
  const { definition, filters, tuning } = plan;
  const reader = readerFor(options);
  const checked = options.state === undefined || options.state === null ? undefined : checkPollState(options.state, definition.key);
  if (checked === undefined || 'reason' in checked) return startBaseline(plan, reader, checked?.reason);
  const previous = checked.state;

  // 2. Read the event's stream from the stored position.
  const mainRead = definition.field === 'end' ? await readDescending(reader, plan.main, previous.main, tuning) : await readAscending(reader, plan.main, previous.main, tuning);
  const after = Date.parse(previous.main.after);
  const seenNewest = previous.main.seen.length === 0 ? undefined : Math.max(...previous.main.seen.map(([, ts]) => ts));
  const ahead = positionAheadOfClock(after, seenNewest, mainRead.serverTime, mainRead.newest, tuning.overlapMs);
  // Nothing was read at or after the stored position, so starting over here drops no event.
  if (ahead !== undefined) return restartAhead(plan, reader, ahead, after, seenNewest);

  // 3. Classify what was read into events, then follow bookings that await confirmation.
  const main = classifyMain(definition, filters, mainRead.fresh, { awaiting: new Map(previous.awaiting ?? []), reported: new Map(definition.oncePerBooking ? previous.reported ?? [] : []) });
  const events = [...main.events];
  for (const warning of main.warnings) reader.warn(warning);
  let awaiting = main.awaiting;
  let confirm = previous.confirm;
  let confirmMore = false;
  if (awaiting.size > 0 && confirm !== undefined && main.newlyAwaiting < awaiting.size) {
    const confirmRead = await readAscending(reader, plan.confirm, confirm, tuning);
    const confirmed = classifyConfirmations(definition, filters, confirmRead.fresh, awaiting);
    events.push(...confirmed.events);
    for (const warning of confirmed.warnings) reader.warn(warning);
    awaiting = confirmed.awaiting;
    confirm = confirmRead.next;
    confirmMore = confirmRead.more;
  }

  // 4. Commit: the next state, from what was read.
  const committed = commitState({ event: definition.key, previous, main: mainRead, confirm, awaiting, reported: main.reported, tuning });
  for (const warning of committed.warnings) reader.warn(warning);
  const reported = definition.key === 'booking_rescheduled' && events.length > 0 ? await withPreviousBookings(reader, events, tuning.overlapMs) : events;
  reported.sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  return { events: reported, state: committed.state, warnings: reader.warnings, stats: reader.stats, baseline: false, more: mainRead.more || confirmMore };
}

/**
 * A stored position that one answer's clock puts far ahead: the baseline that replaces it must see
 * the same. One glitched `Date` header (years behind, on an empty page) would otherwise discard a
 * good state, and with it the bookings made since the last poll, which the baseline's own read then
 * shows as already there. Unconfirmed, the poll fails and commits nothing; the next poll repeats the
 * read from the stored position.
 */
async function restartAhead(plan: PollPlan, reader: BookingsReader, ahead: string, after: number, seenNewest: number | undefined): Promise<PollBookingEventsResult> {
  reader.warn(`Started a new polling baseline because ${ahead}; changes made before it are not reported.`);
  const baseline = await baselineStream(reader, plan.main, plan.tuning);
  const newestAtPosition = baseline.newest !== undefined && baseline.newest >= after ? baseline.newest : undefined;
  if (positionAheadOfClock(after, seenNewest, baseline.serverTime, newestAtPosition, plan.tuning.overlapMs) === undefined) {
    throw new CalcomError(
      'malformed_response',
      `Cal.com's Date header disagreed between two answers of one poll (one said ${ahead}; the next did not), so the stored polling state was kept; nothing was recorded and the poll will be repeated.`,
    );
  }
  return baselineResult(plan, reader, baseline);
}

function checkLimit(limit: number | undefined, fallback: number): number {
  const value = limit ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > MAX_LIST_LIMIT) {
    throw new CalcomError('invalid_input', `limit must be an integer from 1 to ${MAX_LIST_LIMIT}; got ${String(limit)}.`);
  }
  return value;
}

function checkWindow(hours: number | null | undefined, limit: number): number | null {
  if (hours === null) return null;
  if (hours === undefined) return limit <= SAMPLE_LIMIT ? null : RECENT_WINDOW_HOURS;
  if (!Number.isFinite(hours) || hours < 1 || hours > MAX_RECENT_WINDOW_HOURS) {
    throw new CalcomError('invalid_input', `recentWindowHours must be from 1 to ${MAX_RECENT_WINDOW_HOURS}, or null for no bound; got ${String(hours)}.`);
  }
  return hours;
}

/**
 * Stateless listing: the newest `limit` events, newest first, with ids that stay the same across
 * calls (Zapier dedupes on them). Needs no state and changes none, so it also serves as the "test" /
 * sample call of the stateful mode. Created/rescheduled without "include unconfirmed" report a
 * booking once it is confirmed, as long as it is still among the newest bookings read.
 *
 * @throws CalcomError for every failure, like {@link pollBookingEvents}.
 */
export async function listBookingEvents(options: ListBookingEventsOptions): Promise<ListBookingEventsResult> {
  const plan = planPoll(options.event, options.filters, options.tuning);
  const limit = checkLimit(options.limit, MAX_LIST_LIMIT);
  const reader = readerFor(options);
  const { definition, filters } = plan;
  const windowHours = checkWindow(options.recentWindowHours, limit);
  const windowMs = windowHours === null ? undefined : windowHours * 3_600_000;
  const listed = await readNewest(reader, plan.main, (booking, serverTime) => classifyListed(definition, filters, booking, serverTime), limit, LIST_PAGES, windowMs);
  const chosen = listed
    .sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt) || b.booking.id - a.booking.id)
    .slice(0, limit);
  const events = definition.key === 'booking_rescheduled' && chosen.length > 0 ? await withPreviousBookings(reader, chosen, plan.tuning.overlapMs) : chosen;
  return { events, warnings: reader.warnings, stats: reader.stats };
}

/**
 * A few recent real events for a "test" / "load sample" call, without reading or touching any
 * polling state.
 */
export function sampleBookingEvents(options: ListBookingEventsOptions): Promise<ListBookingEventsResult> {
  return listBookingEvents({ ...options, limit: options.limit ?? SAMPLE_LIMIT, recentWindowHours: options.recentWindowHours ?? null });
}

/** The stream timestamp of a booking for an event (exported for adapters that sort or display). */
export function eventTimestamp(booking: Booking, event: BookingEventKey): number | null {
  return streamTimestamp(booking, getBookingEvent(event).field);
}

/**
 * The booking polling engine: turns `GET /v2/bookings` into booking events, for a stateful caller
 * (n8n keeps a small JSON state and must get every event exactly once) and a stateless one (Zapier
 * dedupes by id and wants the newest items first).
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
 * baseline with a warning that says so. Bookings seen
 * inside the window are remembered by key (`uid`, or `uid:updatedAt` for updates) until the window
 * moves past them, so re-reading the overlap reports nothing twice, whatever the ties, skew or page
 * moves. The overlap (default 120 s) bounds the clock skew and commit delay tolerated.
 *
 * ## Why paging is keyset-based
 * With `skip`, a booking updated while the pages are read moves to the end and shifts the next page,
 * hiding one booking. Each page instead starts at the last timestamp read (inclusive), so ties at the
 * boundary are re-read and recognised by key, and moved bookings are met again. Only a page made of a
 * single timestamp steps on with `skip`. A burst larger than `maxPagesPerPoll` pages (default 8 × 250)
 * stops at a page boundary: the state records exactly where, `more` is set, and the next poll
 * continues there. The newest-first `end` read has no resumable position, so it drains fully (it
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
 * {@link listBookingEvents} reads the same stream newest first (one page sized to the limit, more only
 * while fewer than 10 events qualify) and returns at most `limit` (≤ 100) events; ids are stable
 * because they derive from the booking alone. Zapier's dedupe does the rest; a burst of more than
 * `limit` events between two polls shows only the newest `limit` (Zapier's polling model).
 */
import type { Booking, BookingsPage } from '../api/booking-types';
import { CalcomError } from '../errors';
import { parseEventTypeIds } from '../event-type-ids';
import type { HttpExecutor } from '../http';
import { CALCOM_CLOUD, type CalcomInstance } from '../instances';
import type { BookingEventKey } from '../events/catalogue';
import { bookingChangeId, bookingEventId, type BookingEventItem } from '../events/item';
import { getBookingEvent, streamTimestamp, type BookingEventDefinition, type BookingEventFilters, type RuleContext } from './events';
import type { KnownSecrets } from '../request-secrets';
import { BookingsReader, type PollStats } from './reader';
import { checkPollState, type BookingPollState, type StreamState } from './state';
import {
  baselineStream,
  pruneSeen,
  readAscending,
  readDescending,
  readNewest,
  resolveTuning,
  type BookingPollTuning,
  type ResolvedTuning,
  type StreamSpec,
} from './streams';
import { resolvePreviousBookings } from './previous';
import { positionAheadOfClock } from './clock';
import { rememberReported, REPORTED_RETENTION_MS } from './reported';

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
const MAX_AWAITING = 200;
const LIST_PAGES = 4;

function checkFilters(filters: BookingEventFilters | undefined): BookingEventFilters {
  const result: BookingEventFilters = {};
  const eventTypeIds = parseEventTypeIds(filters?.eventTypeIds, 'Event type filter');
  if (eventTypeIds.length > 0) result.eventTypeIds = eventTypeIds;
  if (filters?.includeUnconfirmed === true) result.includeUnconfirmed = true;
  return result;
}

function streamSpec(definition: BookingEventDefinition, filters: BookingEventFilters): StreamSpec {
  return {
    field: definition.field,
    query: { ...definition.baseQuery, ...(filters.eventTypeIds === undefined ? {} : { eventTypeIds: filters.eventTypeIds }) },
    requiresUpdatedAt: definition.requiresUpdatedAt,
    keyOf: (booking) => bookingEventId(definition.key, booking),
  };
}

/** The stream that reports confirmations of bookings seen unconfirmed: every change, by updatedAt. */
function confirmationSpec(filters: BookingEventFilters): StreamSpec {
  return {
    field: 'updatedAt',
    query: filters.eventTypeIds === undefined ? {} : { eventTypeIds: filters.eventTypeIds },
    requiresUpdatedAt: true,
    keyOf: bookingChangeId,
  };
}

function makeItem(definition: BookingEventDefinition, booking: Booking, occurredAt: string): BookingEventItem {
  return { id: bookingEventId(definition.key, booking), event: definition.key, occurredAt, booking };
}

function occurredAt(booking: Booking, definition: BookingEventDefinition): string {
  return (booking[definition.field] as string | null) ?? booking.createdAt;
}

function matchesEventTypes(booking: Booking, filters: BookingEventFilters): boolean {
  if (filters.eventTypeIds === undefined) return true;
  const id = booking.eventType?.id ?? booking.eventTypeId;
  // Cal.com already filtered; a booking without an event type id is trusted to its filter.
  return typeof id !== 'number' || filters.eventTypeIds.includes(id);
}

function contextOf(filters: BookingEventFilters, page: BookingsPage): RuleContext {
  return { filters, serverTime: page.serverTime };
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
  const definition = getBookingEvent(options.event);
  const filters = checkFilters(options.filters);
  const tuning = resolveTuning(options.tuning);
  const reader = new BookingsReader(options.instance ?? CALCOM_CLOUD, options.execute, options.accessToken, options.knownSecrets);
  const spec = streamSpec(definition, filters);

  const startBaseline = async (reason: string | undefined): Promise<PollBookingEventsResult> => {
    if (reason !== undefined) reader.warn(`Started a new polling baseline because ${reason}; changes made before it are not reported.`);
    const main = await baselineStream(reader, spec, tuning);
    return { events: [], state: { v: 1, event: definition.key, main }, warnings: reader.warnings, stats: reader.stats, baseline: true, more: false };
  };
  const checked = options.state === undefined || options.state === null ? undefined : checkPollState(options.state, definition.key);
  if (checked === undefined || 'reason' in checked) return startBaseline(checked?.reason);
  const previous = checked.state;
  const events: BookingEventItem[] = [];
  const awaiting = new Map(previous.awaiting ?? []);
  const newlyAwaiting: string[] = [];

  const reported = new Map(definition.oncePerBooking ? previous.reported ?? [] : []);
  const handleMain = (booking: Booking, _ts: number, page: BookingsPage): void => {
    if (!matchesEventTypes(booking, filters)) return;
    const verdict = definition.rule(booking, contextOf(filters, page));
    if (verdict.emit) {
      if (definition.oncePerBooking) {
        if (reported.has(booking.uid)) return;
        reported.set(booking.uid, Date.parse(booking.end));
      }
      events.push(makeItem(definition, booking, occurredAt(booking, definition)));
    }
    else if ('warning' in verdict) reader.warn(verdict.warning);
    else if ('awaitConfirmation' in verdict && !awaiting.has(booking.uid)) {
      awaiting.set(booking.uid, Date.parse(booking.end));
      newlyAwaiting.push(booking.uid);
    }
  };
  const read = definition.field === 'end' ? readDescending : readAscending;
  const mainRead = await read(reader, spec, previous.main, tuning, handleMain);
  const seenNewest = previous.main.seen.length === 0 ? undefined : Math.max(...previous.main.seen.map(([, ts]) => ts));
  const ahead = positionAheadOfClock(Date.parse(previous.main.after), seenNewest, mainRead.serverTime, mainRead.newest, tuning.overlapMs);
  // Nothing was read at or after the stored position, so starting over here drops no event.
  if (ahead !== undefined) return startBaseline(ahead);

  let confirm: StreamState | undefined = previous.confirm;
  let confirmMore = false;
  if (awaiting.size > 0 && confirm !== undefined && newlyAwaiting.length < awaiting.size) {
    const confirmRead = await readAscending(reader, confirmationSpec(filters), confirm, tuning, (booking, _ts, page) => {
      if (!awaiting.has(booking.uid)) return;
      if (booking.status === 'pending' || booking.status === 'awaiting_host') return;
      awaiting.delete(booking.uid);
      const verdict = definition.rule(booking, contextOf(filters, page));
      if (verdict.emit && booking.status === 'accepted') events.push(makeItem(definition, booking, booking.updatedAt ?? booking.createdAt));
      else if ('warning' in verdict) reader.warn(verdict.warning);
    });
    confirm = confirmRead.next;
    confirmMore = confirmRead.more;
  }
  if (awaiting.size > 0 && confirm === undefined) {
    // Confirmation can only follow the read that saw the booking unconfirmed, so the stream starts there.
    const start = mainRead.trustedTime ?? Date.parse(previous.main.after);
    confirm = pruneSeen(new Map(), start - tuning.overlapMs, tuning.maxSeenKeys);
  }
  const state: BookingPollState = { v: 1, event: definition.key, main: mainRead.next };
  if (reported.size > 0) {
    const now = mainRead.trustedTime ?? Date.parse(mainRead.next.after);
    const kept = rememberReported(reported, now - REPORTED_RETENTION_MS);
    if (kept.length > 0) state.reported = kept;
  }
  const kept = trimAwaiting(awaiting, mainRead.trustedTime, reader);
  if (kept.length > 0 && confirm !== undefined) {
    state.awaiting = kept;
    state.confirm = confirm;
  }
  await attachPrevious(reader, definition, events, tuning);
  events.sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  return { events, state, warnings: reader.warnings, stats: reader.stats, baseline: false, more: mainRead.more || confirmMore };
}

/** Drops bookings whose meeting is long over (they will not be confirmed) and caps the list. */
function trimAwaiting(awaiting: Map<string, number>, serverTime: number | undefined, reader: BookingsReader): Array<[string, number]> {
  const horizon = serverTime === undefined ? -Infinity : serverTime - 24 * 3600 * 1000;
  let entries = [...awaiting.entries()].filter(([, end]) => end >= horizon).sort((a, b) => a[1] - b[1]);
  if (entries.length > MAX_AWAITING) {
    const dropped = entries.slice(0, entries.length - MAX_AWAITING);
    entries = entries.slice(entries.length - MAX_AWAITING);
    reader.warn(`More than ${MAX_AWAITING} bookings await confirmation; stopped watching ${dropped.length} with the earliest end (${dropped.map(([uid]) => uid).slice(0, 5).join(', ')}...). Turn on "include unconfirmed" to report them immediately.`);
  }
  return entries;
}

async function attachPrevious(reader: BookingsReader, definition: BookingEventDefinition, events: BookingEventItem[], tuning: ResolvedTuning): Promise<void> {
  if (definition.key !== 'booking_rescheduled' || events.length === 0) return;
  const previous = await resolvePreviousBookings(reader, events.map((event) => event.booking), tuning.overlapMs);
  for (const event of events) {
    const fromUid = event.booking.rescheduledFromUid;
    if (typeof fromUid !== 'string' || fromUid === '') continue;
    const found = previous.get(fromUid);
    if (found === undefined) reader.warn(`Booking ${event.booking.uid} was rescheduled from ${fromUid}, which Cal.com no longer shows; its previous start is unknown.`);
    event.rescheduledFrom = { uid: fromUid, start: found?.start ?? null, end: found?.end ?? null };
  }
}

function checkLimit(limit: number | undefined, fallback: number): number {
  const value = limit ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > MAX_LIST_LIMIT) {
    throw new CalcomError('invalid_input', `limit must be an integer from 1 to ${MAX_LIST_LIMIT}; got ${String(limit)}.`);
  }
  return value;
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
  const definition = getBookingEvent(options.event);
  const filters = checkFilters(options.filters);
  const limit = checkLimit(options.limit, MAX_LIST_LIMIT);
  const tuning = resolveTuning(options.tuning);
  const reader = new BookingsReader(options.instance ?? CALCOM_CLOUD, options.execute, options.accessToken, options.knownSecrets);
  const events: BookingEventItem[] = [];
  const ids = new Set<string>();
  await readNewest(
    reader,
    streamSpec(definition, filters),
    (booking, page) => {
      if (!matchesEventTypes(booking, filters)) return false;
      const verdict = definition.rule(booking, contextOf(filters, page));
      if ('warning' in verdict) reader.warn(verdict.warning);
      if (!verdict.emit) return false;
      const item = makeItem(definition, booking, occurredAt(booking, definition));
      if (ids.has(item.id)) return false;
      ids.add(item.id);
      events.push(item);
      return true;
    },
    limit,
    LIST_PAGES,
  );
  const chosen = events
    .sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt) || b.booking.id - a.booking.id)
    .slice(0, limit);
  await attachPrevious(reader, definition, chosen, tuning);
  return { events: chosen, warnings: reader.warnings, stats: reader.stats };
}

/**
 * A few recent real events for a "test" / "load sample" call, without reading or touching any
 * polling state.
 */
export function sampleBookingEvents(options: ListBookingEventsOptions): Promise<ListBookingEventsResult> {
  return listBookingEvents({ ...options, limit: options.limit ?? SAMPLE_LIMIT });
}

/** The stream timestamp of a booking for an event (exported for adapters that sort or display). */
export function eventTimestamp(booking: Booking, event: BookingEventKey): number | null {
  return streamTimestamp(booking, getBookingEvent(event).field);
}

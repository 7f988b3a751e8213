import { isRecord, parseJsonBody } from '../body';
import { classifyResponse } from '../classify';
import { CalcomError } from '../errors';
import { isCalcomId, parseEventTypeIds } from '../event-type-ids';
import { getHeader, type HttpRequest, type HttpResponse } from '../http';
import { quoteValue } from '../quote-value';
import type { CalcomInstance } from '../instances';
import { withKnownSecrets, type KnownSecrets } from '../request-secrets';
import { findBookingShapeProblem } from './booking-shape';
import { buildApiRequest, type ApiQueryValue } from './request';
import type {
  Booking,
  BookingProblem,
  BookingsPage,
  BookingsPagination,
  BookingsQuery,
  BookingStatusFilter,
  BookingTimeFilter,
} from './booking-types';

export * from './booking-types';

/** Path of the bookings list, under the API origin. */
export const BOOKINGS_PATH = '/v2/bookings';

/** What error messages call the endpoint. */
export const BOOKINGS_ENDPOINT = `GET ${BOOKINGS_PATH}`;

/** Cal.com's upper bound for `take`. */
export const MAX_BOOKINGS_PAGE_SIZE = 250;

const STATUS_FILTERS: readonly BookingStatusFilter[] = ['upcoming', 'recurring', 'past', 'cancelled', 'unconfirmed'];
const SORT_KEYS = ['sortStart', 'sortEnd', 'sortCreated', 'sortUpdatedAt'] as const;
const TIME_KEYS = ['afterStart', 'beforeEnd', 'afterCreatedAt', 'beforeCreatedAt', 'afterUpdatedAt', 'beforeUpdatedAt'] as const;

/** Epoch milliseconds of a strict ISO-8601 timestamp, or undefined. Cal.com's validator rejects anything looser. */
export function parseIsoTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function toIso(value: BookingTimeFilter, name: string): string {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : parseIsoTimestamp(value);
  if (ms === undefined || !Number.isFinite(ms)) {
    throw new CalcomError('invalid_input', `Bookings filter ${name} must be an ISO-8601 timestamp with a time zone, a Date or epoch milliseconds; got ${quoteValue(value)}.`);
  }
  return new Date(ms).toISOString();
}

function checkInteger(value: number, name: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new CalcomError('invalid_input', `Bookings query ${name} must be an integer from ${min} to ${max}; got ${quoteValue(value)}.`);
  }
  return value;
}

/** Checks a {@link BookingsQuery} and turns it into the query-string values Cal.com validates. */
export function encodeBookingsQuery(query: BookingsQuery): Record<string, ApiQueryValue> {
  const out: Record<string, ApiQueryValue> = {};
  if (query.status !== undefined && query.status.length > 0) {
    for (const status of query.status) {
      if (!STATUS_FILTERS.includes(status)) {
        throw new CalcomError('invalid_input', `Unknown bookings status filter "${String(status)}"; expected one of ${STATUS_FILTERS.join(', ')}.`);
      }
    }
    out.status = [...new Set(query.status)];
  }
  const eventTypeIds = parseEventTypeIds(query.eventTypeIds, 'Bookings query eventTypeIds');
  if (eventTypeIds.length > 0) out.eventTypeIds = eventTypeIds;
  if (query.bookingUid !== undefined) {
    if (query.bookingUid.trim() === '') throw new CalcomError('invalid_input', 'Bookings query bookingUid is empty.');
    out.bookingUid = query.bookingUid;
  }
  if (query.attendeeEmail !== undefined) out.attendeeEmail = query.attendeeEmail;
  for (const key of TIME_KEYS) {
    const value = query[key];
    if (value !== undefined) out[key] = toIso(value, key);
  }
  const sorts = SORT_KEYS.filter((key) => query[key] !== undefined);
  if (sorts.length > 1) {
    // Cal.com silently applies only the first; refusing keeps callers from relying on an order they do not get.
    throw new CalcomError('invalid_input', `Bookings query can sort by one field only; got ${sorts.join(' and ')}.`);
  }
  for (const key of sorts) {
    const order = query[key];
    if (order !== 'asc' && order !== 'desc') throw new CalcomError('invalid_input', `Bookings query ${key} must be "asc" or "desc".`);
    out[key] = order;
  }
  if (query.take !== undefined) out.take = checkInteger(query.take, 'take', 1, MAX_BOOKINGS_PAGE_SIZE);
  if (query.skip !== undefined) out.skip = checkInteger(query.skip, 'skip', 0, Number.MAX_SAFE_INTEGER);
  return out;
}

/** Input of {@link buildBookingsRequest}. */
export interface BookingsRequestOptions {
  instance: Pick<CalcomInstance, 'apiUrl'>;
  /** Omit when the platform adds the Authorization header itself. */
  accessToken?: string;
  query?: BookingsQuery;
}

/**
 * Describes `GET /v2/bookings` with the `cal-api-version: 2024-08-13` header (without it Cal.com
 * silently answers with the older 2024-04-15 shape).
 *
 * @throws CalcomError `invalid_input` for an invalid query (unknown status, take outside 1..250,
 * two sorts, a timestamp that is not ISO-8601).
 */
export function buildBookingsRequest(options: BookingsRequestOptions): HttpRequest {
  return buildApiRequest({
    instance: options.instance,
    path: BOOKINGS_PATH,
    query: encodeBookingsQuery(options.query ?? {}),
    group: 'bookings',
    ...(options.accessToken === undefined ? {} : { accessToken: options.accessToken }),
  });
}

/** The `Date` header counts whole seconds, so the server's clock may be up to this much ahead of it. */
export const DATE_HEADER_RESOLUTION_MS = 1000;

/** The server's clock from the `Date` header (1-second resolution), or undefined. */
export function readServerTime(response: Pick<HttpResponse, 'headers'>): number | undefined {
  const value = getHeader(response, 'date');
  if (value === undefined || value.trim() === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

const PAGINATION_NUMBERS = ['totalItems', 'remainingItems', 'returnedItems', 'itemsPerPage', 'currentPage', 'totalPages'] as const;

function malformed(message: string, status: number): CalcomError {
  return new CalcomError('malformed_response', message, { status });
}

const OLD_SHAPE =
  'Cal.com answered GET /v2/bookings in the old 2024-04-15 shape, which means the "cal-api-version: 2024-08-13" header did not reach it (a proxy or HTTP client dropped it); nothing was processed. Check that requests keep that header.';

function looksLikeOldShape(body: Record<string, unknown>): boolean {
  const data = body.data;
  if (isRecord(data) && (Array.isArray(data.bookings) || 'nextCursor' in data || Array.isArray(data.recurringInfo))) return true;
  if (Array.isArray(data)) {
    const first: unknown = data[0];
    return isRecord(first) && 'startTime' in first && !('start' in first);
  }
  return false;
}

function labelOf(item: unknown, index: number): string {
  if (isRecord(item)) {
    if (typeof item.uid === 'string' && item.uid !== '') return `booking ${item.uid}`;
    if (typeof item.id === 'number') return `booking id ${item.id}`;
  }
  return `item #${index + 1}`;
}

/**
 * Checks the fields the polling engine relies on (identity, status, timestamps). Returns the problem
 * in words, or undefined when the engine can order and recognise the item.
 */
function findEngineProblem(item: unknown): string | undefined {
  if (!isRecord(item)) return 'it is not an object';
  if (typeof item.uid !== 'string' || item.uid.trim() === '') return 'it has no uid';
  if (!isCalcomId(item.id)) return 'its id is not a positive whole number below 2^53';
  if (typeof item.status !== 'string' || item.status.trim() === '') return 'it has no status';
  for (const field of ['createdAt', 'start', 'end'] as const) {
    if (parseIsoTimestamp(item[field]) === undefined) return `its ${field} ${JSON.stringify(item[field] ?? null)} is not an ISO-8601 timestamp`;
  }
  if (item.updatedAt !== null && item.updatedAt !== undefined && parseIsoTimestamp(item.updatedAt) === undefined) {
    return `its updatedAt ${JSON.stringify(item.updatedAt)} is not an ISO-8601 timestamp`;
  }
  for (const field of ['rescheduledFromUid', 'rescheduledToUid'] as const) {
    const value = item[field];
    if (value !== undefined && value !== null && typeof value !== 'string') return `its ${field} is not a string`;
  }
  return undefined;
}

/**
 * Checks a booking before anyone uses it: the fields the polling engine relies on, then the shape of
 * the fields handed to users (hosts, attendees, guests, event type, responses...). Unknown extra
 * fields are passed through untouched. Returns the problem in words, or undefined when it is usable.
 */
export function findBookingProblem(item: unknown): string | undefined {
  return findEngineProblem(item) ?? findBookingShapeProblem(item as Record<string, unknown>);
}

/**
 * The warning an adapter shows when it skips a booking it cannot hand over, naming the booking, or
 * undefined when the booking is usable. Adapters check each booking again before mapping it, so a
 * booking that did not come through {@link processBookingsResponse} cannot crash a mapper either.
 */
export function malformedBookingWarning(item: unknown): string | undefined {
  const problem = findBookingProblem(item);
  return problem === undefined ? undefined : skippedBookingWarning(labelOf(item, 0), problem);
}

/** How a skipped booking is reported, by the engine and by the adapters alike. */
export function skippedBookingWarning(label: string, problem: string): string {
  return `Skipped ${label} from Cal.com: ${problem}.`;
}

/**
 * Parses one page of `GET /v2/bookings` (2024-08-13).
 *
 * The envelope is checked exactly; an envelope Cal.com would not send means nothing in it can be
 * trusted, so the whole page is refused. Items are checked one by one: an unusable item is reported
 * in `problems` (naming the booking) instead of failing the page.
 *
 * @throws CalcomError from {@link classifyResponse} for error statuses (token expired including the
 * 403 quirk, rate limited, server unavailable...), `malformed_response` for a body that is not the
 * 2024-08-13 envelope (including the 2024-04-15 shape served when the version header is lost).
 * `knownSecrets` (the request's {@link requestSecrets} and the connection's tokens) never reach a message.
 */
export function processBookingsResponse(response: HttpResponse, options: { knownSecrets?: KnownSecrets } = {}): BookingsPage {
  return withKnownSecrets(options.knownSecrets, () => readBookingsPage(response, options.knownSecrets ?? []));
}

function readBookingsPage(response: HttpResponse, knownSecrets: KnownSecrets): BookingsPage {
  const failure = classifyResponse(response, { endpoint: BOOKINGS_ENDPOINT, knownSecrets });
  if (failure !== undefined) throw failure;
  const body = parseJsonBody(response, 'the bookings list', knownSecrets);
  if (!isRecord(body)) throw malformed('Cal.com answered GET /v2/bookings with JSON that is not an object; nothing was processed.', response.status);
  if (looksLikeOldShape(body)) throw malformed(OLD_SHAPE, response.status);
  if (body.status !== 'success') {
    throw malformed(`Cal.com answered GET /v2/bookings with status ${JSON.stringify(body.status ?? null)} instead of "success"; nothing was processed.`, response.status);
  }
  if (!Array.isArray(body.data)) throw malformed('Cal.com answered GET /v2/bookings without a "data" list; nothing was processed.', response.status);
  const pagination = body.pagination;
  if (!isRecord(pagination)) {
    throw malformed('Cal.com answered GET /v2/bookings without "pagination"; nothing was processed (an older API version may have answered).', response.status);
  }
  if (typeof pagination.hasNextPage !== 'boolean') {
    throw malformed(`Cal.com answered GET /v2/bookings with pagination.hasNextPage = ${JSON.stringify(pagination.hasNextPage ?? null)}; nothing was processed.`, response.status);
  }
  const counts: Partial<Record<(typeof PAGINATION_NUMBERS)[number], number>> = {};
  for (const field of PAGINATION_NUMBERS) {
    // Some Cal.com versions name the returned count `itemsReturned`.
    const value = field === 'returnedItems' ? pagination.returnedItems ?? pagination.itemsReturned : pagination[field];
    if (value === undefined) continue;
    // Counts are whole numbers; one past 2^53 (JSON allows 1e300) cannot be a count Cal.com keeps.
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw malformed(
        `Cal.com answered GET /v2/bookings with pagination.${field} = ${JSON.stringify(value)} (expected a whole number from 0 to ${Number.MAX_SAFE_INTEGER}); nothing was processed.`,
        response.status,
      );
    }
    counts[field] = value;
  }
  const bookings: Booking[] = [];
  const problems: BookingProblem[] = [];
  body.data.forEach((item: unknown, index: number) => {
    const engineProblem = findEngineProblem(item);
    const problem = engineProblem ?? findBookingShapeProblem(item as Record<string, unknown>);
    if (problem === undefined) bookings.push(item as Booking);
    else if (engineProblem !== undefined) problems.push({ index, label: labelOf(item, index), problem, readable: false });
    else problems.push({ index, label: labelOf(item, index), problem, readable: true, item: item as Booking });
  });
  return {
    bookings,
    problems,
    pagination: {
      totalItems: counts.totalItems ?? body.data.length,
      remainingItems: counts.remainingItems ?? 0,
      // Computed by Cal.com from the total, not from the items sent; the items are what counts here.
      returnedItems: counts.returnedItems ?? body.data.length,
      itemsPerPage: counts.itemsPerPage ?? body.data.length,
      currentPage: counts.currentPage ?? 0,
      totalPages: counts.totalPages ?? 0,
      hasNextPage: pagination.hasNextPage,
      hasPreviousPage: pagination.hasPreviousPage === true,
    },
    serverTime: readServerTime(response),
    bytes: byteLength(response.body ?? ''),
  };
}

/** UTF-8 length without Buffer (the core has no Node imports). */
export function byteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

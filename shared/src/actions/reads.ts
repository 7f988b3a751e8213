import { buildBookingsRequest, parseBookingsPage } from '../api/bookings';
import type { Booking, BookingsQuery, BookingStatusFilter } from '../api/booking-types';
import type { HttpRequest, HttpResponse } from '../http';
import type { CalcomInstance } from '../instances';
import { processBookingAnswer, type ProcessOptions } from './booking-response';
import { read, secretsOf, type ActionContext } from './context';
import { requireEmail, requireId, requireInteger, requireUid, requireUtcTimestamp } from './inputs';
import { ACTION_API_VERSIONS, bookingPath, buildActionRequest } from './wire';

const GET_BOOKING = 'GET /v2/bookings/{uid}';

/** Describes `GET /v2/bookings/{uid}` (2024-08-13; public: anyone holding the uid may read it, CALCOM.md §17). */
export function buildGetBookingRequest(instance: Pick<CalcomInstance, 'apiUrl'>, uid: string): HttpRequest {
  return buildActionRequest({ instance, method: 'GET', path: bookingPath(requireUid(uid)), apiVersion: ACTION_API_VERSIONS.bookings });
}

/**
 * Reads the answer to {@link buildGetBookingRequest}. A recurring booking's uid answers with every
 * occurrence; the one with that uid (else the first) is returned.
 */
export function processGetBookingResponse(response: HttpResponse, uid: string, options: ProcessOptions = {}): Booking {
  const bookings = processBookingAnswer(response, { endpoint: GET_BOOKING, statuses: [200], allowList: true }, options);
  return bookings.find((booking) => booking.uid === uid) ?? (bookings[0] as Booking);
}

/** One booking by uid. */
export async function getBooking(ctx: ActionContext, uid: string): Promise<Booking> {
  const request = buildGetBookingRequest(ctx.instance, uid);
  const response = await read(ctx, request, GET_BOOKING);
  return processGetBookingResponse(response, requireUid(uid), { knownSecrets: secretsOf(ctx, request) });
}

/** Filters of {@link findBookings}. */
export interface FindBookingsFilters {
  attendeeEmail?: string;
  status?: Array<'upcoming' | 'recurring' | 'past' | 'cancelled' | 'unconfirmed'>;
  afterStart?: string;
  beforeEnd?: string;
  eventTypeIds?: number[];
}

/** Most bookings {@link findBookings} returns with `returnAll` (4 pages of 250): a bound on time and memory. */
export const MAX_FIND_BOOKINGS = 1000;

/** Largest `limit` accepted. */
export const MAX_FIND_BOOKINGS_LIMIT = MAX_FIND_BOOKINGS;

const PAGE_SIZE = 250;

function queryOf(filters: FindBookingsFilters): BookingsQuery {
  const query: BookingsQuery = { sortStart: 'desc' };
  if (filters.attendeeEmail !== undefined && filters.attendeeEmail !== '') query.attendeeEmail = requireEmail(filters.attendeeEmail, 'attendeeEmail');
  if (filters.status !== undefined && filters.status.length > 0) query.status = filters.status as BookingStatusFilter[];
  if (filters.afterStart !== undefined && filters.afterStart !== '') query.afterStart = requireUtcTimestamp(filters.afterStart, 'afterStart');
  if (filters.beforeEnd !== undefined && filters.beforeEnd !== '') query.beforeEnd = requireUtcTimestamp(filters.beforeEnd, 'beforeEnd');
  if (filters.eventTypeIds !== undefined && filters.eventTypeIds.length > 0) query.eventTypeIds = filters.eventTypeIds.map((id, index) => requireId(id, `eventTypeIds[${index}]`));
  return query;
}

/**
 * Bookings matching `filters`, newest first (by start), paging for the caller. `returnAll` stops at
 * {@link MAX_FIND_BOOKINGS}; narrow the filters to see older ones. Items Cal.com sends in a shape
 * that cannot be used are left out (the shared parser's rule), never passed on half-read.
 */
export async function findBookings(ctx: ActionContext, filters: FindBookingsFilters, page: { limit: number } | { returnAll: true }): Promise<Booking[]> {
  const wanted = 'returnAll' in page && page.returnAll === true ? MAX_FIND_BOOKINGS : requireInteger((page as { limit: unknown }).limit, 'limit', 1, MAX_FIND_BOOKINGS_LIMIT);
  const query = queryOf(filters ?? {});
  const found: Booking[] = [];
  let skip = 0;
  while (found.length < wanted) {
    const take = Math.min(PAGE_SIZE, wanted - found.length);
    const request = buildBookingsRequest({ instance: ctx.instance, query: { ...query, take, skip } });
    const response = await read(ctx, request, 'GET /v2/bookings');
    const parsed = parseBookingsPage(response, { knownSecrets: secretsOf(ctx, request) });
    found.push(...parsed.bookings);
    skip += take;
    if (!parsed.pagination.hasNextPage || parsed.bookings.length + parsed.problems.length === 0) break;
  }
  return found.slice(0, wanted);
}

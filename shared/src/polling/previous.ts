import type { Booking } from '../api/booking-types';
import { MAX_BOOKINGS_PAGE_SIZE } from '../api/bookings';
import type { BookingEventItem } from '../events/item';
import type { BookingsReader } from './reader';
import { Pager } from './pager';

/** Above this many unknown originals, one listing of recent cancellations is cheaper than one request each. */
const BATCH_THRESHOLD = 3;
const BATCH_PAGES = 4;

/**
 * Finds the bookings that rescheduled bookings replaced, to report their uid and start.
 *
 * Cal.com cancels the original in the same step that creates the replacement, so the originals are
 * among the cancellations updated since shortly before the earliest replacement: one listing usually
 * finds them all. Any still missing are looked up one by one with the `bookingUid` filter.
 */
export async function resolvePreviousBookings(reader: BookingsReader, bookings: readonly Booking[], overlapMs: number): Promise<Map<string, Booking>> {
  const found = new Map<string, Booking>();
  const wanted = new Set<string>();
  let earliest = Infinity;
  for (const booking of bookings) {
    const from = booking.rescheduledFromUid;
    if (typeof from !== 'string' || from === '') continue;
    wanted.add(from);
    earliest = Math.min(earliest, Date.parse(booking.createdAt));
  }
  if (wanted.size > BATCH_THRESHOLD && Number.isFinite(earliest)) {
    const pager = new Pager(reader, { order: 'ascending', field: 'updatedAt', from: earliest - overlapMs, query: { status: ['cancelled'] }, take: MAX_BOOKINGS_PAGE_SIZE, maxPages: BATCH_PAGES });
    while (found.size < wanted.size) {
      const page = await pager.next();
      if (page === undefined) break;
      for (const booking of page.bookings) if (wanted.has(booking.uid)) found.set(booking.uid, booking);
    }
  }
  for (const uid of wanted) {
    if (found.has(uid)) continue;
    // One request, not a walk: the filter matches one booking at most.
    const page = await reader.page({ bookingUid: uid, take: 1 });
    const match = page.bookings.find((booking) => booking.uid === uid);
    if (match !== undefined) found.set(uid, match);
  }
  return found;
}

/** Rescheduled events with the booking each one replaced (`rescheduledFrom`); other events unchanged. */
export async function withPreviousBookings(reader: BookingsReader, events: readonly BookingEventItem[], overlapMs: number): Promise<BookingEventItem[]> {
  const previous = await resolvePreviousBookings(reader, events.map((event) => event.booking), overlapMs);
  return events.map((event) => {
    const fromUid = event.booking.rescheduledFromUid;
    if (typeof fromUid !== 'string' || fromUid === '') return event;
    const found = previous.get(fromUid);
    if (found === undefined) reader.warn(`Booking ${event.booking.uid} was rescheduled from ${fromUid}, which Cal.com no longer shows; its previous start is unknown.`);
    return { ...event, rescheduledFrom: { uid: fromUid, start: found?.start ?? null, end: found?.end ?? null } };
  });
}

import type { Booking } from '../api/booking-types';
import { MAX_BOOKINGS_PAGE_SIZE } from '../api/bookings';
import type { BookingsReader } from './reader';

/** Above this many unknown originals, one listing of recent cancellations is cheaper than one request each. */
const BATCH_THRESHOLD = 3;

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
    let skip = 0;
    for (let pages = 0; pages < 4 && found.size < wanted.size; pages += 1) {
      const page = await reader.page({
        status: ['cancelled'],
        afterUpdatedAt: earliest - overlapMs,
        sortUpdatedAt: 'asc',
        take: MAX_BOOKINGS_PAGE_SIZE,
        ...(skip > 0 ? { skip } : {}),
      });
      for (const booking of page.bookings) if (wanted.has(booking.uid)) found.set(booking.uid, booking);
      if (!page.pagination.hasNextPage) break;
      skip += page.bookings.length + page.problems.length;
    }
  }
  for (const uid of wanted) {
    if (found.has(uid)) continue;
    const page = await reader.page({ bookingUid: uid, take: 1 });
    const match = page.bookings.find((booking) => booking.uid === uid);
    if (match !== undefined) found.set(uid, match);
  }
  return found;
}

import type { Booking } from '../api/booking-types';
import { getBookingEventEntry, type BookingEventKey } from './catalogue';

/**
 * One occurrence of a booking event, as handed to Zapier or n8n. Whatever found it (a poll today, a
 * webhook delivery later) builds the same item, so its id is the same either way.
 */
export interface BookingEventItem {
  /** Stable across polls and deliveries: see {@link bookingEventId}. */
  id: string;
  event: BookingEventKey;
  /** When the event happened: the booking's createdAt, updatedAt or end, depending on the event. */
  occurredAt: string;
  booking: Booking;
  /** Rescheduled only: the booking this one replaced. `start` is null if Cal.com no longer shows it. */
  rescheduledFrom?: { uid: string; start: string | null; end: string | null };
}

/**
 * The stable id of an event: the booking uid for events that happen once per booking, `uid:updatedAt`
 * for one per change ("booking updated"). Zapier dedupes on it; the polling engine dedupes its overlap
 * window with it.
 */
export function bookingEventId(event: BookingEventKey, booking: Pick<Booking, 'uid' | 'updatedAt'>): string {
  return getBookingEventEntry(event).occursOncePer === 'change' ? bookingChangeId(booking) : booking.uid;
}

/** Identifies one version of a booking: its uid and the `updatedAt` that version carries. */
export function bookingChangeId(booking: Pick<Booking, 'uid' | 'updatedAt'>): string {
  return `${booking.uid}:${booking.updatedAt ?? ''}`;
}

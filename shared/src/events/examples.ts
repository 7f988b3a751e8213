import type { Booking } from '../api/booking-types';
import type { BookingEventKey } from './catalogue';
import { bookingEventId, type BookingEventItem } from './item';

/**
 * A realistic booking as Cal.com's `GET /v2/bookings` (2024-08-13) returns it (CALCOM.md §11), for
 * the static samples adapters show before a user has data of their own. Adapters map the example
 * with the same mapper as live items, so a sample cannot drift from what a trigger really returns.
 */
const BASE_BOOKING: Booking = {
  id: 48213,
  uid: 'qA7dFk2mXw9LbNc3RtYv5h',
  title: 'Product Demo between Jordan Rivera and Sam Patel',
  description: 'Walk through the reporting dashboard and the team plan.',
  hosts: [{ id: 311, name: 'Jordan Rivera', email: 'jordan@acme.example', username: 'jordan', timeZone: 'America/New_York' }],
  status: 'accepted',
  cancellationReason: '',
  cancelledByEmail: '',
  reschedulingReason: null,
  rescheduledFromUid: null,
  rescheduledToUid: null,
  rescheduledByEmail: null,
  start: '2026-12-03T15:00:00.000Z',
  end: '2026-12-03T15:30:00.000Z',
  duration: 30,
  eventTypeId: 1204,
  eventType: { id: 1204, slug: 'product-demo' },
  location: 'https://meet.google.com/abc-defg-hij',
  meetingUrl: 'https://meet.google.com/abc-defg-hij',
  absentHost: false,
  createdAt: '2026-11-20T09:12:44.000Z',
  updatedAt: '2026-11-20T09:12:44.000Z',
  metadata: {},
  rating: null,
  icsUid: 'qA7dFk2mXw9LbNc3RtYv5h@cal.com',
  attendees: [{ name: 'Sam Patel', email: 'sam.patel@example.com', timeZone: 'Europe/London', language: 'en', absent: false, phoneNumber: '+44 20 7946 0958' }],
  guests: ['alex.kim@example.com'],
  bookingFieldsResponses: { name: 'Sam Patel', email: 'sam.patel@example.com', notes: 'Interested in the annual plan.' },
};

/** How each event's example differs from the base booking, and which of its timestamps the event happened at. */
const VARIANTS: Record<BookingEventKey, { booking: Partial<Booking>; occurredAt: keyof Pick<Booking, 'createdAt' | 'updatedAt' | 'end'>; rescheduledFrom?: BookingEventItem['rescheduledFrom'] }> = {
  booking_created: { booking: {}, occurredAt: 'createdAt' },
  booking_rescheduled: {
    booking: {
      uid: 'Zp4HsW8tQe1KmVb6YcNx2d',
      id: 48377,
      start: '2026-12-04T16:00:00.000Z',
      end: '2026-12-04T16:30:00.000Z',
      reschedulingReason: 'Conflict with another meeting',
      rescheduledFromUid: 'qA7dFk2mXw9LbNc3RtYv5h',
      rescheduledByEmail: 'sam.patel@example.com',
      createdAt: '2026-11-21T14:03:10.000Z',
      updatedAt: '2026-11-21T14:03:10.000Z',
    },
    occurredAt: 'createdAt',
    rescheduledFrom: { uid: 'qA7dFk2mXw9LbNc3RtYv5h', start: '2026-12-03T15:00:00.000Z', end: '2026-12-03T15:30:00.000Z' },
  },
  booking_cancelled: {
    booking: { status: 'cancelled', cancellationReason: 'Budget review moved to next quarter', cancelledByEmail: 'sam.patel@example.com', updatedAt: '2026-11-22T10:41:05.000Z' },
    occurredAt: 'updatedAt',
  },
  booking_rejected: {
    booking: { status: 'rejected', cancellationReason: 'Fully booked that week', cancelledByEmail: 'jordan@acme.example', updatedAt: '2026-11-20T11:30:00.000Z' },
    occurredAt: 'updatedAt',
  },
  booking_requested: { booking: { status: 'pending' }, occurredAt: 'createdAt' },
  meeting_ended: { booking: { start: '2026-11-18T15:00:00.000Z', end: '2026-11-18T15:30:00.000Z', createdAt: '2026-11-10T08:00:00.000Z', updatedAt: '2026-11-10T08:00:00.000Z' }, occurredAt: 'end' },
  booking_updated: { booking: { location: 'https://zoom.us/j/5551234567', meetingUrl: 'https://zoom.us/j/5551234567', updatedAt: '2026-11-21T08:20:31.000Z' }, occurredAt: 'updatedAt' },
};

/** A complete example of the event, with the id the engine would give it. */
export function exampleBookingEvent(event: BookingEventKey): BookingEventItem {
  const variant = VARIANTS[event];
  // A deep copy: callers may change the example (mappers, tests) without changing the next one.
  const booking = JSON.parse(JSON.stringify({ ...BASE_BOOKING, ...variant.booking })) as Booking;
  const occurredAt = booking[variant.occurredAt] ?? booking.createdAt;
  return {
    id: bookingEventId(event, booking),
    event,
    occurredAt,
    booking,
    ...(variant.rescheduledFrom === undefined ? {} : { rescheduledFrom: { ...variant.rescheduledFrom } }),
  };
}

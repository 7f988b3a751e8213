/**
 * The booking operations both adapters offer, with what their labels, descriptions and scope checks
 * need (like the event catalogue of the triggers). Scopes from CALCOM.md §17: create, cancel,
 * reschedule, slots and reading one booking by uid are public endpoints (a token is accepted, none
 * is needed); confirm, decline, mark-absent and guests need BOOKING_WRITE.
 */
export type OperationKey =
  | 'create_booking'
  | 'cancel_booking'
  | 'reschedule_booking'
  | 'confirm_booking'
  | 'decline_booking'
  | 'mark_no_show'
  | 'add_guests'
  | 'get_booking'
  | 'find_bookings'
  | 'find_available_slots'
  | 'get_event_type'
  | 'list_event_types';

export interface BookingOperation {
  key: OperationKey;
  name: string;
  description: string;
  /** The OAuth scope Cal.com requires, or null for a public endpoint. */
  scope: string | null;
  writes: boolean;
  /** Running it twice with the same input leaves Cal.com as running it once. */
  idempotent: boolean;
}

const op = (key: OperationKey, name: string, description: string, scope: string | null, writes: boolean, idempotent: boolean): BookingOperation =>
  Object.freeze({ key, name, description, scope, writes, idempotent });

export const BOOKING_OPERATIONS: Readonly<Record<OperationKey, BookingOperation>> = Object.freeze({
  create_booking: op(
    'create_booking',
    'Create Booking',
    'Books an event type at a start time (ISO-8601, sent as UTC) for an attendee. Get a valid start from Find Available Slots first. Not idempotent: running it again books again unless the same attendee already holds that slot.',
    null,
    true,
    false,
  ),
  cancel_booking: op('cancel_booking', 'Cancel Booking', 'Cancels a booking by uid, with an optional reason; for a recurring booking optionally this and all later occurrences.', null, true, true),
  reschedule_booking: op(
    'reschedule_booking',
    'Reschedule Booking',
    'Moves a booking to a new start (ISO-8601, sent as UTC). Returns the NEW booking (new uid); the old one becomes cancelled.',
    null,
    true,
    false,
  ),
  confirm_booking: op('confirm_booking', 'Confirm Booking', 'Accepts a booking that is waiting for confirmation (status pending). Only the booking\'s host can.', 'BOOKING_WRITE', true, true),
  decline_booking: op('decline_booking', 'Decline Booking', 'Declines a booking that is waiting for confirmation, with an optional reason. Only the booking\'s host can.', 'BOOKING_WRITE', true, true),
  mark_no_show: op('mark_no_show', 'Mark No-Show', 'Marks the host and/or attendees of a booking as absent (or present again).', 'BOOKING_WRITE', true, true),
  add_guests: op('add_guests', 'Add Guests', 'Adds up to 10 guests (email, optional name) to a booking.', 'BOOKING_WRITE', true, true),
  get_booking: op('get_booking', 'Get Booking', 'Finds one booking by its uid.', null, false, true),
  find_bookings: op(
    'find_bookings',
    'Find Bookings',
    'Finds bookings by attendee email, status, time range (ISO-8601) and event type, newest first.',
    'BOOKING_READ',
    false,
    true,
  ),
  find_available_slots: op(
    'find_available_slots',
    'Find Available Slots',
    'Finds the free start times of an event type between two times, earliest first, written in an IANA time zone (default UTC) and also in UTC.',
    null,
    false,
    true,
  ),
  get_event_type: op('get_event_type', 'Get Event Type', 'Finds one event type by id, with its lengths, booking questions and locations.', 'EVENT_TYPE_READ', false, true),
  list_event_types: op('list_event_types', 'List Event Types', 'Lists the connected user\'s event types.', 'EVENT_TYPE_READ', false, true),
});

import type { Booking, BookingsQuery } from '../api/booking-types';
import { isKnownBookingStatus } from '../api/booking-types';
import { DATE_HEADER_RESOLUTION_MS } from '../api/bookings';
import { BOOKING_EVENT_KEYS, type BookingEventKey } from '../events/catalogue';

// Polling code and its tests name events by key; the keys themselves are the catalogue's.
export { BOOKING_EVENT_KEYS, type BookingEventKey };

/**
 * Which timestamp orders a stream of bookings, and therefore which Cal.com filter and sort read it.
 * `end` has no `afterEnd` filter in Cal.com, so that stream is read newest first (see the engine).
 */
export type StreamField = 'createdAt' | 'updatedAt' | 'end';

/** Optional filters, the same for every event. */
export interface BookingEventFilters {
  /** Only bookings of these event types (sent to Cal.com as `eventTypeIds`). */
  eventTypeIds?: readonly number[];
  /**
   * Created and rescheduled only: also report bookings still awaiting confirmation (pending or
   * awaiting host) as soon as they appear. When false (the default), such a booking is reported once
   * it is confirmed, as Cal.com's own BOOKING_CREATED webhook does; "Booking requested" reports the request itself.
   */
  includeUnconfirmed?: boolean;
}

/** What a stream definition needs from a booking besides the booking itself. */
export interface RuleContext {
  filters: BookingEventFilters;
  /** Server clock (epoch ms) at the time the page was read. */
  serverTime: number | undefined;
}

/** Outcome of a rule on one booking. */
export type RuleVerdict =
  | { emit: true }
  | { emit: false }
  /** The rule cannot judge the booking (unknown status): skipped with a warning that names it. */
  | { emit: false; warning: string }
  /** Created/rescheduled with includeUnconfirmed off: remember it, report it when confirmed. */
  | { emit: false; awaitConfirmation: true };

/**
 * How polling finds one event: which stream it reads and which bookings in it are occurrences. What
 * the event is (name, scope, webhook triggers, id) is the catalogue's (`events/catalogue.ts`).
 */
export interface BookingEventDefinition {
  /** The catalogue entry this definition finds. */
  key: BookingEventKey;
  /** Timestamp the event is ordered and watermarked by. */
  field: StreamField;
  /** Fixed part of the query (status filter); time filter, sort and paging are added by the engine. */
  baseQuery: Pick<BookingsQuery, 'status'>;
  /**
   * Excludes bookings whose `updatedAt` is null from newest-first listings (Postgres sorts NULLs
   * first in descending order, which would bury every real change).
   */
  requiresUpdatedAt: boolean;
  /**
   * The event can happen once per booking although the stream can show the booking again later
   * (cancelled, rejected: a later edit moves it in the updatedAt stream), so reported uids are remembered.
   */
  oncePerBooking: boolean;
  /** Whether this booking, as seen now, is an occurrence of the event. */
  rule(booking: Booking, context: RuleContext): RuleVerdict;
}

const EMIT: RuleVerdict = { emit: true };
const SKIP: RuleVerdict = { emit: false };

function unknownStatus(booking: Booking): RuleVerdict {
  return {
    emit: false,
    warning: `Skipped booking ${booking.uid}: its status "${booking.status}" is not one this integration knows, so it cannot tell which event it is; update the integration.`,
  };
}

function isUnconfirmed(booking: Booking): boolean {
  return booking.status === 'pending' || booking.status === 'awaiting_host';
}

function hasText(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * Created and rescheduled share this: a new booking counts when it is confirmed, or unconfirmed with
 * includeUnconfirmed. A booking first seen already cancelled was still created (the cancellation is
 * a separate event); one first seen rejected never was (it was only ever requested).
 */
function newBookingVerdict(booking: Booking, context: RuleContext): RuleVerdict {
  if (!isKnownBookingStatus(booking.status)) return unknownStatus(booking);
  if (booking.status === 'accepted' || booking.status === 'cancelled') return EMIT;
  if (isUnconfirmed(booking)) return context.filters.includeUnconfirmed === true ? EMIT : { emit: false, awaitConfirmation: true };
  return SKIP;
}

type StreamPart = Pick<BookingEventDefinition, 'field' | 'baseQuery' | 'requiresUpdatedAt' | 'oncePerBooking'>;

/** New bookings, by createdAt: created, rescheduled and requested read this one stream with different rules. */
const NEW_BOOKINGS: StreamPart = { field: 'createdAt', baseQuery: {}, requiresUpdatedAt: false, oncePerBooking: false };

/**
 * Cancellations and rejections, by updatedAt. Cal.com's `cancelled` filter returns both (the rules
 * tell them apart), and a later edit moves such a booking again, so reported uids are remembered.
 */
const CLOSED_BOOKINGS: StreamPart = { field: 'updatedAt', baseQuery: { status: ['cancelled'] }, requiresUpdatedAt: true, oncePerBooking: true };

/** The polling rules of every event, keyed. */
export const BOOKING_EVENTS: Readonly<Record<BookingEventKey, BookingEventDefinition>> = Object.freeze({
  booking_created: {
    key: 'booking_created',
    ...NEW_BOOKINGS,
    rule: (booking, context) => (hasText(booking.rescheduledFromUid) ? SKIP : newBookingVerdict(booking, context)),
  },
  booking_rescheduled: {
    key: 'booking_rescheduled',
    ...NEW_BOOKINGS,
    rule: (booking, context) => (hasText(booking.rescheduledFromUid) ? newBookingVerdict(booking, context) : SKIP),
  },
  booking_cancelled: {
    key: 'booking_cancelled',
    ...CLOSED_BOOKINGS,
    rule: (booking) => {
      if (!isKnownBookingStatus(booking.status)) return unknownStatus(booking);
      return booking.status === 'cancelled' && !hasText(booking.rescheduledToUid) ? EMIT : SKIP;
    },
  },
  booking_rejected: {
    key: 'booking_rejected',
    ...CLOSED_BOOKINGS,
    rule: (booking) => {
      if (!isKnownBookingStatus(booking.status)) return unknownStatus(booking);
      return booking.status === 'rejected' ? EMIT : SKIP;
    },
  },
  booking_requested: {
    key: 'booking_requested',
    ...NEW_BOOKINGS,
    rule: (booking) => {
      if (!isKnownBookingStatus(booking.status)) return unknownStatus(booking);
      return isUnconfirmed(booking) ? EMIT : SKIP;
    },
  },
  meeting_ended: {
    key: 'meeting_ended',
    field: 'end',
    // `past`: end <= Cal.com's now, not cancelled or rejected; pending ones are filtered by the rule.
    baseQuery: { status: ['past'] },
    requiresUpdatedAt: false,
    oncePerBooking: false,
    rule: (booking, context) => {
      if (!isKnownBookingStatus(booking.status)) return unknownStatus(booking);
      if (booking.status !== 'accepted') return SKIP;
      // Cal.com's `past` filter already used its own clock; the Date header re-checks it when present.
      if (context.serverTime !== undefined && Date.parse(booking.end) > context.serverTime + DATE_HEADER_RESOLUTION_MS) return SKIP;
      return EMIT;
    },
  },
  booking_updated: {
    key: 'booking_updated',
    field: 'updatedAt',
    baseQuery: {},
    requiresUpdatedAt: true,
    oncePerBooking: false,
    rule: () => EMIT,
  },
});

/**
 * The polling rules for a key.
 *
 * @throws Error for an unknown key (a programming error in an adapter, not a user error).
 */
export function getBookingEvent(key: BookingEventKey): BookingEventDefinition {
  const definition = (BOOKING_EVENTS as Record<string, BookingEventDefinition | undefined>)[key];
  if (definition === undefined) throw new Error(`Unknown booking event "${String(key)}"; expected one of ${BOOKING_EVENT_KEYS.join(', ')}.`);
  return definition;
}

/** The timestamp a stream orders a booking by (epoch ms); null for a never-updated booking. */
export function streamTimestamp(booking: Booking, field: StreamField): number | null {
  const value = booking[field];
  if (value === null || value === undefined) return null;
  return Date.parse(value);
}

/**
 * The booking object of `GET /v2/bookings` at `cal-api-version: 2024-08-13` (CALCOM.md §11).
 *
 * Bookings are handed to users unchanged (Zapier and n8n users map any field they like), so the
 * types describe what Cal.com sends without narrowing it: every field the engine does not rely on
 * is optional, and unknown extra fields are kept. The parser checks the type of every field declared
 * here (`booking-shape.ts`), so a booking that does not match these types never reaches an adapter.
 */

/** Statuses Cal.com sends today: the Prisma enum lower-cased (`awaiting_host` is missing from Cal.com's DTO but sent). */
export const KNOWN_BOOKING_STATUSES = ['accepted', 'cancelled', 'rejected', 'pending', 'awaiting_host'] as const;

/** A status this package knows the meaning of. */
export type KnownBookingStatus = (typeof KNOWN_BOOKING_STATUSES)[number];

/**
 * A booking status as received. Future Cal.com versions may add values; they are kept as strings so a
 * new status never breaks parsing, and each event rule decides whether it can judge such a booking.
 */
export type BookingStatus = KnownBookingStatus | (string & { readonly unknownStatus?: never });

/** True for the statuses this package understands. */
export function isKnownBookingStatus(status: string): status is KnownBookingStatus {
  return (KNOWN_BOOKING_STATUSES as readonly string[]).includes(status);
}

/** The organizer (Cal.com sends one entry). */
export interface BookingHost {
  id: number;
  name: string;
  email: string;
  username?: string;
  timeZone: string;
  [field: string]: unknown;
}

/** An attendee; seated bookings add `seatUid`, `bookingFieldsResponses` and `metadata` per seat. */
export interface BookingAttendee {
  name: string;
  email: string;
  timeZone: string;
  language?: string;
  absent?: boolean;
  phoneNumber?: string;
  seatUid?: string;
  bookingFieldsResponses?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  [field: string]: unknown;
}

/** A booking as `GET /v2/bookings` (2024-08-13) returns it. Timestamps are ISO-8601 UTC with milliseconds. */
export interface Booking {
  id: number;
  uid: string;
  title?: string;
  description?: string | null;
  hosts?: BookingHost[];
  status: BookingStatus;
  /** `""` when not cancelled. */
  cancellationReason?: string | null;
  cancelledByEmail?: string | null;
  reschedulingReason?: string | null;
  /** Set on the booking created by a reschedule: the uid of the booking it replaced. */
  rescheduledFromUid?: string | null;
  /** Set on the original of a reschedule (which Cal.com marks cancelled): the uid of its replacement. */
  rescheduledToUid?: string | null;
  rescheduledByEmail?: string | null;
  start: string;
  end: string;
  /** Minutes. */
  duration?: number;
  /** Deprecated by Cal.com in favour of `eventType.id`. */
  eventTypeId?: number | null;
  eventType?: { id: number; slug: string; [field: string]: unknown } | null;
  location?: string | null;
  /** Deprecated by Cal.com in favour of `location`. */
  meetingUrl?: string | null;
  absentHost?: boolean;
  createdAt: string;
  /** Null until the booking is first changed; `afterUpdatedAt` never matches such bookings. */
  updatedAt: string | null;
  metadata?: Record<string, unknown>;
  rating?: number | null;
  icsUid?: string | null;
  attendees?: BookingAttendee[];
  guests?: string[];
  bookingFieldsResponses?: Record<string, unknown>;
  /** Present on occurrences of a recurring booking. */
  recurringBookingUid?: string;
  [field: string]: unknown;
}

/** The `pagination` object of list responses (`apps/api/v2/src/lib/pagination/pagination.ts`). */
export interface BookingsPagination {
  totalItems: number;
  remainingItems: number;
  returnedItems: number;
  itemsPerPage: number;
  currentPage: number;
  totalPages: number;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** Status filters of `GET /v2/bookings` (`cancelled` also returns rejected bookings). */
export type BookingStatusFilter = 'upcoming' | 'recurring' | 'past' | 'cancelled' | 'unconfirmed';

export type SortOrder = 'asc' | 'desc';

/** A timestamp filter: an ISO-8601 string, a Date, or epoch milliseconds. */
export type BookingTimeFilter = string | Date | number;

/**
 * Query of `GET /v2/bookings`. The `after*` filters are inclusive (`>=`); `afterUpdatedAt` never
 * matches bookings whose `updatedAt` is null. Cal.com applies only the first sort present (start,
 * end, created, updated), so at most one sort may be given here.
 */
export interface BookingsQuery {
  status?: readonly BookingStatusFilter[];
  eventTypeIds?: readonly number[];
  bookingUid?: string;
  attendeeEmail?: string;
  afterStart?: BookingTimeFilter;
  beforeEnd?: BookingTimeFilter;
  afterCreatedAt?: BookingTimeFilter;
  beforeCreatedAt?: BookingTimeFilter;
  afterUpdatedAt?: BookingTimeFilter;
  beforeUpdatedAt?: BookingTimeFilter;
  sortStart?: SortOrder;
  sortEnd?: SortOrder;
  sortCreated?: SortOrder;
  sortUpdatedAt?: SortOrder;
  /** 1..250; Cal.com's default is 100. */
  take?: number;
  skip?: number;
}

/** Why one item of a page could not be used. */
export interface BookingProblem {
  /** Position in the page. */
  index: number;
  /** The booking's uid or numeric id when it has one, for messages. */
  label: string;
  /** What is wrong, in words. */
  problem: string;
  /**
   * True when the item is a booking the engine can identify and order (uid, id, status and timestamps
   * are fine) and only a field handed to users has the wrong shape. It is skipped all the same, but
   * it proves the page is in the format this package knows.
   */
  readable: boolean;
  /**
   * Readable items only: the item as Cal.com sent it. Its identity and timestamps are checked (the
   * rest is not), so the polling engine can keep its position below it and read it again: the
   * malformation may be a transient fault of the answer, not of the booking.
   */
  item?: Booking;
}

/** One parsed page of `GET /v2/bookings`. */
export interface BookingsPage {
  /** Items that passed validation, in the order Cal.com sent them. */
  bookings: Booking[];
  /** Items that did not, with the reason; never silently dropped. */
  problems: BookingProblem[];
  pagination: BookingsPagination;
  /** The server's clock (epoch ms) from the `Date` response header; undefined when absent or unreadable. */
  serverTime: number | undefined;
  /** Length of the response body in bytes (UTF-8), for cost figures. */
  bytes: number;
}

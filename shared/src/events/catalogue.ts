/**
 * What each booking event IS, apart from how it is found (polling rules live in `polling/events.ts`;
 * a webhook receiver will map Cal.com's trigger names through {@link BookingEventEntry.webhookTriggers}).
 * Adapters show events only through the platform renderings in `platform-wording.ts`.
 */

/**
 * The booking events both adapters offer. The keys are stored in users' Zaps (trigger keys) and n8n
 * workflows (option values): renaming one breaks them.
 */
export const BOOKING_EVENT_KEYS = [
  'booking_created',
  'booking_rescheduled',
  'booking_cancelled',
  'booking_rejected',
  'booking_requested',
  'meeting_ended',
  'booking_updated',
] as const;

export type BookingEventKey = (typeof BOOKING_EVENT_KEYS)[number];

/** Cal.com webhook trigger names (enum `WebhookTriggerEvents`) that correspond to a booking event (CALCOM.md §15). */
export type CalcomBookingWebhookTrigger =
  | 'BOOKING_CREATED'
  | 'BOOKING_RESCHEDULED'
  | 'BOOKING_CANCELLED'
  | 'BOOKING_REJECTED'
  | 'BOOKING_REQUESTED'
  | 'BOOKING_PAID'
  | 'BOOKING_LOCATION_UPDATED'
  | 'BOOKING_REASSIGNED'
  | 'MEETING_ENDED';

export interface BookingEventEntry {
  key: BookingEventKey;
  /** The event's name, title case, past tense: "Booking Created". */
  name: string;
  /** What one item of the event is about, singular, title case (Zapier's `noun`, and its "New …" label). */
  noun: 'Booking' | 'Booking Request' | 'Meeting';
  /** The event announces a new {@link noun}: platforms that label such triggers "New …" do so. */
  announcesNewObject: boolean;
  /**
   * Completes "Triggers when …": lower case, no final period, no product name (Zapier refuses
   * descriptions naming the app), so every platform can use it as it is.
   */
  happensWhen: string;
  /** The Cal.com scope it reads with (legacy clients: `READ_BOOKING`, CALCOM.md §6). */
  scope: 'BOOKING_READ';
  /** Offers "include unconfirmed": report a booking awaiting confirmation as soon as it is requested. */
  offersIncludeUnconfirmed: boolean;
  /**
   * `booking`: one occurrence per booking, identified by its uid. `change`: one per change of the
   * booking, identified by uid and `updatedAt` (see `bookingEventId`).
   */
  occursOncePer: 'booking' | 'change';
  /** The Cal.com webhook triggers whose delivery is an occurrence of this event (CALCOM.md §15). */
  webhookTriggers: readonly CalcomBookingWebhookTrigger[];
}

/** Every event, keyed, in the order trigger pickers list them. */
export const BOOKING_EVENT_CATALOGUE: Readonly<Record<BookingEventKey, BookingEventEntry>> = Object.freeze({
  booking_created: {
    key: 'booking_created',
    name: 'Booking Created',
    noun: 'Booking',
    announcesNewObject: true,
    happensWhen: 'a new booking is made (not a reschedule); one that needs confirmation triggers once confirmed, unless "Include Unconfirmed Bookings" is on',
    scope: 'BOOKING_READ',
    offersIncludeUnconfirmed: true,
    occursOncePer: 'booking',
    // Confirming a requested booking fires BOOKING_CREATED too: the same moment this event reports it.
    webhookTriggers: ['BOOKING_CREATED'],
  },
  booking_rescheduled: {
    key: 'booking_rescheduled',
    name: 'Booking Rescheduled',
    noun: 'Booking',
    announcesNewObject: false,
    happensWhen: "a booking is moved to a new time; the item carries the previous booking's uid and start",
    scope: 'BOOKING_READ',
    offersIncludeUnconfirmed: true,
    occursOncePer: 'booking',
    webhookTriggers: ['BOOKING_RESCHEDULED'],
  },
  booking_cancelled: {
    key: 'booking_cancelled',
    name: 'Booking Cancelled',
    noun: 'Booking',
    announcesNewObject: false,
    happensWhen: 'a booking is cancelled (a reschedule does not count as a cancellation)',
    scope: 'BOOKING_READ',
    offersIncludeUnconfirmed: false,
    occursOncePer: 'booking',
    webhookTriggers: ['BOOKING_CANCELLED'],
  },
  booking_rejected: {
    key: 'booking_rejected',
    name: 'Booking Rejected',
    noun: 'Booking',
    announcesNewObject: false,
    happensWhen: 'the host declines a booking that needed confirmation',
    scope: 'BOOKING_READ',
    offersIncludeUnconfirmed: false,
    occursOncePer: 'booking',
    webhookTriggers: ['BOOKING_REJECTED'],
  },
  booking_requested: {
    key: 'booking_requested',
    name: 'Booking Requested',
    noun: 'Booking Request',
    announcesNewObject: true,
    happensWhen: "a new booking needs the host's confirmation (pending or awaiting host)",
    scope: 'BOOKING_READ',
    offersIncludeUnconfirmed: false,
    occursOncePer: 'booking',
    webhookTriggers: ['BOOKING_REQUESTED'],
  },
  meeting_ended: {
    key: 'meeting_ended',
    name: 'Meeting Ended',
    noun: 'Meeting',
    announcesNewObject: false,
    happensWhen: "a confirmed booking's end time passes",
    scope: 'BOOKING_READ',
    offersIncludeUnconfirmed: false,
    occursOncePer: 'booking',
    webhookTriggers: ['MEETING_ENDED'],
  },
  booking_updated: {
    key: 'booking_updated',
    name: 'Booking Updated',
    noun: 'Booking',
    announcesNewObject: false,
    happensWhen: 'any detail of a booking changes (its creation included), for workflows that want every change',
    scope: 'BOOKING_READ',
    offersIncludeUnconfirmed: false,
    occursOncePer: 'change',
    // The triggers that write the booking row itself, so its updatedAt moves (CALCOM.md §15).
    webhookTriggers: [
      'BOOKING_CREATED',
      'BOOKING_REQUESTED',
      'BOOKING_RESCHEDULED',
      'BOOKING_CANCELLED',
      'BOOKING_REJECTED',
      'BOOKING_PAID',
      'BOOKING_LOCATION_UPDATED',
      'BOOKING_REASSIGNED',
    ],
  },
});

/**
 * The catalogue entry for a key.
 *
 * @throws Error for an unknown key (a programming error in an adapter, not a user error).
 */
export function getBookingEventEntry(key: BookingEventKey): BookingEventEntry {
  const entry = (BOOKING_EVENT_CATALOGUE as Record<string, BookingEventEntry | undefined>)[key];
  if (entry === undefined) throw new Error(`Unknown booking event "${String(key)}"; expected one of ${BOOKING_EVENT_KEYS.join(', ')}.`);
  return entry;
}

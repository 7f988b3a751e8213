import { BOOKING_EVENT_CATALOGUE, BOOKING_EVENT_KEYS, getBookingEventEntry, type BookingEventEntry, type BookingEventKey } from './catalogue';

/**
 * How each platform words an event, written once here so both adapters show the catalogue's events
 * in their platform's style and neither writes a name or description of its own.
 */

/** What a Zapier trigger shows of an event: its key, noun, picker label and description. */
export interface ZapierTriggerWording {
  key: BookingEventKey;
  noun: string;
  label: string;
  description: string;
  /** Offer the "Include Unconfirmed Bookings" input. */
  offersIncludeUnconfirmed: boolean;
}

/**
 * Zapier's convention (its publishing checks D018 and D021): a title-case label, "New …" for a
 * trigger that announces a new object; a description "Triggers when …" ending with a period.
 */
export function zapierTriggerWording(key: BookingEventKey): ZapierTriggerWording {
  const entry = getBookingEventEntry(key);
  return {
    key: entry.key,
    noun: entry.noun,
    label: entry.announcesNewObject ? `New ${entry.noun}` : entry.name,
    description: `Triggers when ${entry.happensWhen}.`,
    offersIncludeUnconfirmed: entry.offersIncludeUnconfirmed,
  };
}

/**
 * The events a Zapier instant (REST hook) trigger is offered for: every event Cal.com pushes except
 * "Meeting Ended", which stays polling only: Cal.com's MEETING_ENDED webhook is scheduled per booking
 * when the booking is made, and API v2 does not schedule it for bookings that existed before the
 * webhook (CALCOM.md §18), so an instant trigger would silently miss those meetings.
 */
export const INSTANT_BOOKING_EVENT_KEYS: readonly BookingEventKey[] = Object.freeze(BOOKING_EVENT_KEYS.filter((key) => key !== 'meeting_ended'));

/** What a Zapier instant trigger shows: the polling wording with its own key and an "(Instant)" label. */
export interface ZapierInstantTriggerWording extends Omit<ZapierTriggerWording, 'key'> {
  /** `<event>_instant`: beside the polling trigger's key, which stays as it is in users' Zaps. */
  key: `${BookingEventKey}_instant`;
  event: BookingEventKey;
}

/**
 * Zapier's wording for the instant trigger of `key`: "New Booking (Instant)", "Booking Cancelled
 * (Instant)", Zapier's own suffix for instant triggers, so the picker shows both variants side by
 * side; the description still starts "Triggers when" (D021), names no product (Zapier refuses that) and says how it differs from polling.
 *
 * @throws Error for "Meeting Ended" (see {@link INSTANT_BOOKING_EVENT_KEYS}), a programming error in an adapter.
 */
export function zapierInstantTriggerWording(key: BookingEventKey): ZapierInstantTriggerWording {
  if (!INSTANT_BOOKING_EVENT_KEYS.includes(key)) throw new Error(`"${key}" has no instant trigger; it is polling only (CALCOM.md §18).`);
  const polling = zapierTriggerWording(key);
  return {
    ...polling,
    key: `${key}_instant`,
    event: key,
    label: `${polling.label} (Instant)`,
    description: `${polling.description} Delivered by a webhook within seconds, but a failed delivery is not sent again; the trigger without "(Instant)" misses nothing.`,
  };
}

/** One choice of the n8n trigger's Event parameter. */
export interface N8nEventOption {
  name: string;
  value: BookingEventKey;
  description: string;
}

/** The event's name as n8n shows it (in the Event parameter and in messages naming the event). */
export function n8nEventName(key: BookingEventKey): string {
  return getBookingEventEntry(key).name;
}

function n8nEventOption(entry: BookingEventEntry): N8nEventOption {
  // n8n's node linter wants a one-sentence option description without a final period.
  return { name: entry.name, value: entry.key, description: `Triggers when ${entry.happensWhen}` };
}

/** n8n's convention: the event's own name, options sorted by name (as n8n's linter requires). */
export function n8nEventOptions(): N8nEventOption[] {
  return BOOKING_EVENT_KEYS.map((key) => n8nEventOption(BOOKING_EVENT_CATALOGUE[key])).sort((a, b) => a.name.localeCompare(b.name));
}

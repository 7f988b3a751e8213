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

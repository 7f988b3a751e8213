import type { Booking } from '../api/booking-types';
import { bookingEventId, type BookingEventItem } from '../events/item';
import type { BookingEventDefinition, BookingEventFilters } from './events';
import type { FreshBooking, Listed } from './streams';

/**
 * From bookings to events: pure functions that apply an event's rules to what a read returned. They
 * neither read nor change anything; the engine commits what they return.
 */

/** What a poll already knows about bookings, besides the stream positions. */
export interface Memory {
  /** Bookings seen unconfirmed: uid → meeting end (epoch ms). */
  awaiting: ReadonlyMap<string, number>;
  /** Bookings reported once for good (cancelled, rejected): uid → meeting end (epoch ms). */
  reported: ReadonlyMap<string, number>;
}

export interface Classified {
  events: BookingEventItem[];
  warnings: string[];
  awaiting: Map<string, number>;
  reported: Map<string, number>;
  /** How many of `awaiting` were added by this classification. */
  newlyAwaiting: number;
}

function makeItem(definition: BookingEventDefinition, booking: Booking, occurredAt: string): BookingEventItem {
  return { id: bookingEventId(definition.key, booking), event: definition.key, occurredAt, booking };
}

function occurredAt(booking: Booking, definition: BookingEventDefinition): string {
  return (booking[definition.field] as string | null) ?? booking.createdAt;
}

function matchesEventTypes(booking: Booking, filters: BookingEventFilters): boolean {
  if (filters.eventTypeIds === undefined) return true;
  const id = booking.eventType?.id ?? booking.eventTypeId;
  // Cal.com already filtered; a booking without an event type id is trusted to its filter.
  return typeof id !== 'number' || filters.eventTypeIds.includes(id);
}

/** The events among the bookings a read of the event's own stream returned, oldest first. */
export function classifyMain(definition: BookingEventDefinition, filters: BookingEventFilters, fresh: readonly FreshBooking[], memory: Memory): Classified {
  const result: Classified = { events: [], warnings: [], awaiting: new Map(memory.awaiting), reported: new Map(memory.reported), newlyAwaiting: 0 };
  for (const { booking, serverTime } of fresh) {
    if (!matchesEventTypes(booking, filters)) continue;
    const verdict = definition.rule(booking, { filters, serverTime });
    if (verdict.emit) {
      if (definition.oncePerBooking) {
        if (result.reported.has(booking.uid)) continue;
        result.reported.set(booking.uid, Date.parse(booking.end));
      }
      result.events.push(makeItem(definition, booking, occurredAt(booking, definition)));
    } else if ('warning' in verdict) result.warnings.push(verdict.warning);
    else if ('awaitConfirmation' in verdict && !result.awaiting.has(booking.uid)) {
      result.awaiting.set(booking.uid, Date.parse(booking.end));
      result.newlyAwaiting += 1;
    }
  }
  return result;
}

/**
 * The bookings awaiting confirmation that the confirmation stream shows decided: accepted ones are
 * events (as of their update), declined or cancelled ones are only no longer awaited.
 */
export function classifyConfirmations(
  definition: BookingEventDefinition,
  filters: BookingEventFilters,
  fresh: readonly FreshBooking[],
  awaiting: ReadonlyMap<string, number>,
): Pick<Classified, 'events' | 'warnings' | 'awaiting'> {
  const result = { events: [] as BookingEventItem[], warnings: [] as string[], awaiting: new Map(awaiting) };
  for (const { booking, serverTime } of fresh) {
    if (!result.awaiting.has(booking.uid)) continue;
    if (booking.status === 'pending' || booking.status === 'awaiting_host') continue;
    result.awaiting.delete(booking.uid);
    const verdict = definition.rule(booking, { filters, serverTime });
    if (verdict.emit && booking.status === 'accepted') result.events.push(makeItem(definition, booking, booking.updatedAt ?? booking.createdAt));
    else if ('warning' in verdict) result.warnings.push(verdict.warning);
  }
  return result;
}

/** What a stateless listing makes of one booking. */
export function classifyListed(definition: BookingEventDefinition, filters: BookingEventFilters, booking: Booking, serverTime: number | undefined): Listed<BookingEventItem> {
  if (!matchesEventTypes(booking, filters)) return {};
  const verdict = definition.rule(booking, { filters, serverTime });
  const warning = 'warning' in verdict ? { warning: verdict.warning } : {};
  return verdict.emit ? { ...warning, item: makeItem(definition, booking, occurredAt(booking, definition)) } : warning;
}

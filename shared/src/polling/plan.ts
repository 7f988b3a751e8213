import type { Booking, BookingsQuery } from '../api/booking-types';
import { parseEventTypeIds } from '../event-type-ids';
import type { BookingEventKey } from '../events/catalogue';
import { bookingChangeId, bookingEventId } from '../events/item';
import { getBookingEvent, type BookingEventDefinition, type BookingEventFilters, type StreamField } from './events';
import { resolveTuning, type BookingPollTuning, type ResolvedTuning } from './tuning';

/** A stream to read: which timestamp, which fixed filters. */
export interface StreamSpec {
  field: StreamField;
  query: BookingsQuery;
  requiresUpdatedAt: boolean;
  /** Dedupe key of a booking within this stream. */
  keyOf(booking: Booking): string;
}

/** What a poll or listing of one event reads, decided before any request. */
export interface PollPlan {
  definition: BookingEventDefinition;
  filters: BookingEventFilters;
  tuning: ResolvedTuning;
  /** The event's own stream. */
  main: StreamSpec;
  /** Created/rescheduled without "include unconfirmed": every change by updatedAt, to see confirmations. */
  confirm: StreamSpec;
}

/** Validates the caller's options and derives the streams (throws CalcomError `invalid_input`). */
export function planPoll(event: BookingEventKey, filters: BookingEventFilters | undefined, tuning: BookingPollTuning | undefined): PollPlan {
  const definition = getBookingEvent(event);
  const checked = checkFilters(filters);
  return { definition, filters: checked, tuning: resolveTuning(tuning), main: streamSpec(definition, checked), confirm: confirmationSpec(checked) };
}

function checkFilters(filters: BookingEventFilters | undefined): BookingEventFilters {
  const result: BookingEventFilters = {};
  const eventTypeIds = parseEventTypeIds(filters?.eventTypeIds, 'Event type filter');
  if (eventTypeIds.length > 0) result.eventTypeIds = eventTypeIds;
  if (filters?.includeUnconfirmed === true) result.includeUnconfirmed = true;
  return result;
}

function streamSpec(definition: BookingEventDefinition, filters: BookingEventFilters): StreamSpec {
  return {
    field: definition.field,
    query: { ...definition.baseQuery, ...(filters.eventTypeIds === undefined ? {} : { eventTypeIds: filters.eventTypeIds }) },
    requiresUpdatedAt: definition.requiresUpdatedAt,
    keyOf: (booking) => bookingEventId(definition.key, booking),
  };
}

function confirmationSpec(filters: BookingEventFilters): StreamSpec {
  return {
    field: 'updatedAt',
    query: filters.eventTypeIds === undefined ? {} : { eventTypeIds: filters.eventTypeIds },
    requiresUpdatedAt: true,
    keyOf: bookingChangeId,
  };
}

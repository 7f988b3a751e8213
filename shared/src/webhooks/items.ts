import type { Booking } from '../api/booking-types';
import type { BookingEventKey } from '../events/catalogue';
import { bookingEventId, type BookingEventItem } from '../events/item';
import { getBookingEvent, type BookingEventFilters } from '../polling/events';
import type { BookingDelivery, OtherDelivery } from './delivery';

/**
 * Which events a trigger can be an occurrence of, before the polling rules judge the booking
 * (CALCOM.md §18). Cal.com's quirks are here:
 * - confirming a requested booking fires BOOKING_CREATED (created; rescheduled when the booking
 *   is the new one of a reschedule);
 * - BOOKING_REQUESTED is a request, and with "include unconfirmed" also a creation or (when the
 *   payload names the old booking, the v2 reschedule of a confirmation-required type, #21169) a reschedule;
 * - "request reschedule" is BOOKING_CANCELLED with `requestReschedule`: the booking IS cancelled
 *   in Cal.com, and polling reports it as cancelled, so it is a cancellation here too, with
 *   `booking.requestReschedule: true` for workflows that tell them apart.
 */
const CANDIDATES: Readonly<Record<BookingDelivery['trigger'], readonly BookingEventKey[]>> = {
  BOOKING_CREATED: ['booking_created', 'booking_rescheduled', 'booking_updated'],
  BOOKING_REQUESTED: ['booking_requested', 'booking_created', 'booking_rescheduled', 'booking_updated'],
  BOOKING_RESCHEDULED: ['booking_rescheduled', 'booking_updated'],
  BOOKING_CANCELLED: ['booking_cancelled', 'booking_updated'],
  BOOKING_REJECTED: ['booking_rejected', 'booking_updated'],
  BOOKING_PAID: ['booking_updated'],
  BOOKING_LOCATION_UPDATED: ['booking_updated'],
  BOOKING_REASSIGNED: ['booking_updated'],
  BOOKING_PAYMENT_INITIATED: [],
  MEETING_ENDED: ['meeting_ended'],
  MEETING_STARTED: [],
};

export interface DeliveryMappingOptions {
  /** The event the trigger node or Zap reports. */
  event: BookingEventKey;
  filters?: BookingEventFilters;
}

function matchesEventTypes(booking: Booking, filters: BookingEventFilters): boolean {
  if (filters.eventTypeIds === undefined || filters.eventTypeIds.length === 0) return true;
  const id = booking.eventType?.id ?? booking.eventTypeId;
  // An event-type webhook fires only for its event type; a payload without the id is trusted to it.
  return typeof id !== 'number' || filters.eventTypeIds.includes(id);
}

/**
 * The items a verified, parsed delivery stands for, for one event: the SAME item polling builds for
 * that change (the id from `bookingEventId`, the event, `occurredAt` by the event's stream field,
 * the booking in the API's shape, `rescheduledFrom` for reschedules). Empty when the delivery is not
 * an occurrence of the event: the polling rules decide (`polling/events.ts`), so a pending booking
 * is "created" only with "include unconfirmed", a reschedule's old booking is never "cancelled", and
 * "meeting ended" counts accepted meetings only.
 *
 * Ids: uid for events that happen once per booking, exactly as polling. "Booking updated" is
 * `uid:updatedAt`; Cal.com's payload has no `updatedAt`, so the delivery's time stands in, which
 * trails the row's by the delivery delay: {@link createEventDedupe} recognises the two as one change.
 */
export function deliveryToEventItems(delivery: BookingDelivery | OtherDelivery, options: DeliveryMappingOptions): BookingEventItem[] {
  if (delivery.kind !== 'booking') return [];
  const definition = getBookingEvent(options.event);
  const filters = options.filters ?? {};
  if (!CANDIDATES[delivery.trigger].includes(definition.key)) return [];
  const { booking } = delivery;
  if (!matchesEventTypes(booking, filters)) return [];
  // A request is reported as created only under "include unconfirmed": the polling rule for a
  // pending booking without it waits for the confirmation, which arrives as BOOKING_CREATED.
  const verdict = definition.rule(booking, { filters, serverTime: undefined });
  if (!verdict.emit) return [];
  const occurredAt = (booking[definition.field] as string | null) ?? booking.createdAt;
  const item: BookingEventItem = { id: bookingEventId(definition.key, booking), event: definition.key, occurredAt, booking };
  if (definition.key === 'booking_rescheduled' && delivery.rescheduledFrom !== undefined) item.rescheduledFrom = { ...delivery.rescheduledFrom };
  return [item];
}

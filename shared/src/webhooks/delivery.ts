import type { Booking } from '../api/booking-types';
import { isKnownBookingStatus } from '../api/booking-types';
import { findBookingProblem, parseIsoTimestamp, skippedBookingWarning } from '../api/bookings';
import { isRecord } from '../body';
import type { CalcomBookingWebhookTrigger } from '../events/catalogue';
import { findPayloadProblem, mapPayloadBooking } from './payload-booking';

/** Triggers whose body is a flat booking row (`{triggerEvent, ...booking}`), sent late by a scheduled job (CALCOM.md §18). */
const FLAT_ROW_TRIGGERS = new Set(['MEETING_STARTED', 'MEETING_ENDED']);

/** Booking triggers whose `payload` is the 2021-10-20 booking payload. */
const BOOKING_PAYLOAD_TRIGGERS = new Set([
  'BOOKING_CREATED',
  'BOOKING_REQUESTED',
  'BOOKING_RESCHEDULED',
  'BOOKING_CANCELLED',
  'BOOKING_REJECTED',
  'BOOKING_PAID',
  'BOOKING_PAYMENT_INITIATED',
  'BOOKING_LOCATION_UPDATED',
  'BOOKING_REASSIGNED',
]);

/** A verified delivery about one booking. */
export interface BookingDelivery {
  kind: 'booking';
  trigger: CalcomBookingWebhookTrigger | 'MEETING_STARTED' | 'BOOKING_PAYMENT_INITIATED';
  /** The envelope's `createdAt` (when Cal.com sent it); undefined for flat meeting rows, which have none. */
  deliveredAt: string | undefined;
  /** The booking in the `GET /v2/bookings` shape. */
  booking: Booking;
  /** Rescheduled only: the old booking, as the payload names it. */
  rescheduledFrom?: { uid: string; start: string | null; end: string | null };
}

/** A well-formed delivery of a trigger that is not about a booking event this package reports (OOO, forms, no-show...). */
export interface OtherDelivery {
  kind: 'other';
  trigger: string;
}

export type WebhookDeliveryParse =
  | { ok: true; delivery: BookingDelivery | OtherDelivery }
  /** Skipped: nothing may be emitted for it; `warning` names what was wrong. */
  | { ok: false; warning: string };

function skip(warning: string): WebhookDeliveryParse {
  return { ok: false, warning };
}

function isoOrNull(value: unknown): string | null {
  const ms = parseIsoTimestamp(value);
  return ms === undefined ? null : new Date(ms).toISOString();
}

function labelOf(payload: Record<string, unknown>): string {
  return typeof payload.uid === 'string' && payload.uid !== '' ? `booking ${payload.uid.slice(0, 60)}` : 'a booking';
}

/**
 * Parses a delivery body (call it only after {@link verifyWebhookSignature} accepted it). Strict like
 * the bookings page parser: the envelope must be Cal.com's (`{triggerEvent, createdAt, payload}`, or
 * the flat row for meetings), and the booking must have a uid, a numeric id, a known status and
 * ISO-8601 `startTime`/`endTime` (UPPERCASE status, as Cal.com writes it in deliveries), and pass the
 * same shape checks as a polled booking. Anything else is skipped with a warning naming it, never a throw.
 */
export function parseWebhookDelivery(rawBody: string | Uint8Array): WebhookDeliveryParse {
  const text = typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return skip('Skipped a Cal.com webhook delivery whose body is not JSON (a webhook with a payload template, or not Cal.com); nothing was emitted.');
  }
  if (!isRecord(body) || typeof body.triggerEvent !== 'string' || body.triggerEvent === '') {
    return skip('Skipped a Cal.com webhook delivery without "triggerEvent" (a payload template replaces the envelope); nothing was emitted.');
  }
  const trigger = body.triggerEvent;
  const flat = FLAT_ROW_TRIGGERS.has(trigger);
  if (!flat && !BOOKING_PAYLOAD_TRIGGERS.has(trigger)) return { ok: true, delivery: { kind: 'other', trigger } };
  const payload = flat ? body : body.payload;
  if (!isRecord(payload)) return skip(`Skipped a Cal.com ${trigger} delivery without a "payload" object; nothing was emitted.`);
  let deliveredAt: string | undefined;
  if (!flat) {
    deliveredAt = isoOrNull(body.createdAt) ?? undefined;
    if (deliveredAt === undefined) return skip(`Skipped a Cal.com ${trigger} delivery whose createdAt ${JSON.stringify(body.createdAt ?? null)} is not an ISO-8601 timestamp; nothing was emitted.`);
  }
  const idField = flat ? 'id' : 'bookingId';
  const problem = findPayloadProblem(payload, idField);
  if (problem !== undefined) return skip(skippedBookingWarning(`${labelOf(payload)} in a ${trigger} delivery`, problem));
  const booking = mapPayloadBooking(payload, idField, deliveredAt);
  if (!isKnownBookingStatus(booking.status)) {
    return skip(`Skipped ${labelOf(payload)} in a ${trigger} delivery: its status "${String(payload.status)}" is not one this integration knows; update the integration.`);
  }
  const shape = findBookingProblem(booking);
  if (shape !== undefined) return skip(skippedBookingWarning(`${labelOf(payload)} in a ${trigger} delivery`, shape));
  const delivery: BookingDelivery = { kind: 'booking', trigger: trigger as BookingDelivery['trigger'], deliveredAt, booking };
  const fromUid = booking.rescheduledFromUid;
  if (typeof fromUid === 'string' && fromUid !== '') {
    delivery.rescheduledFrom = { uid: fromUid, start: isoOrNull(payload.rescheduleStartTime), end: isoOrNull(payload.rescheduleEndTime) };
  }
  return { ok: true, delivery };
}

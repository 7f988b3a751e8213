import type { Booking, BookingAttendee, BookingHost } from '../api/booking-types';
import { parseIsoTimestamp } from '../api/bookings';
import { isRecord } from '../body';
import { isCalcomId } from '../event-type-ids';

/**
 * Turns a delivery's booking (the 2021-10-20 `payload`, or the flat row of MEETING_STARTED/ENDED)
 * into the {@link Booking} shape `GET /v2/bookings` uses, so an item from a delivery is the item
 * polling hands over (CALCOM.md §18). Only fields Cal.com sends are set: nothing is invented, except
 * the two timestamps the payload lacks, which the delivery's time stands in for (see {@link mapPayloadBooking}).
 */

type Payload = Record<string, unknown>;

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Cal.com's API prints timestamps with milliseconds; payloads may not. Undefined for anything not ISO-8601. */
function iso(value: unknown): string | undefined {
  const ms = parseIsoTimestamp(value);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** Payload attendees carry `language: {translate, locale}`; the API's attendee carries the locale as text. */
function locale(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return isRecord(value) ? text(value.locale) : undefined;
}

function person<T extends Record<string, unknown>>(value: unknown, fields: readonly string[]): T | unknown {
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const field of fields) if (value[field] !== undefined) out[field] = value[field];
  const language = locale(value.language);
  if (language !== undefined) out.language = language;
  else delete out.language;
  return out as T;
}

function attendees(value: unknown): BookingAttendee[] | unknown {
  return Array.isArray(value) ? value.map((entry) => person<BookingAttendee>(entry, ['name', 'email', 'timeZone', 'phoneNumber', 'absent', 'noShow'])) : value;
}

function hosts(organizer: unknown): BookingHost[] | undefined {
  if (!isRecord(organizer)) return undefined;
  const host = person<BookingHost>(organizer, ['id', 'name', 'email', 'username', 'timeZone']) as Record<string, unknown>;
  if (!isCalcomId(host.id)) delete host.id;
  return [host as BookingHost];
}

function setIfDefined(target: Record<string, unknown>, field: string, value: unknown): void {
  if (value !== undefined) target[field] = value;
}

/** Why a payload cannot be a booking, in words, or undefined. The caller still runs the shared shape checks. */
export function findPayloadProblem(payload: Payload, idField: 'bookingId' | 'id'): string | undefined {
  if (typeof payload.uid !== 'string' || payload.uid.trim() === '') return 'it has no uid';
  if (!isCalcomId(payload[idField])) return `its ${idField} is not a positive whole number below 2^53`;
  if (typeof payload.status !== 'string' || payload.status.trim() === '') return 'it has no status';
  for (const field of ['startTime', 'endTime'] as const) {
    if (iso(payload[field]) === undefined) return `its ${field} ${JSON.stringify(payload[field] ?? null)} is not an ISO-8601 timestamp`;
  }
  return undefined;
}

/**
 * The booking of a payload already checked by {@link findPayloadProblem}.
 *
 * `createdAt` and `updatedAt`: the 2021-10-20 payload has neither (it spreads Cal.com's
 * `CalendarEvent`, which has no row timestamps). The flat meeting row has both and they are used.
 * Otherwise `deliveredAt` (the envelope's `createdAt`, stamped when Cal.com sent the delivery, right
 * after the write that fired it) stands in for both, so the polling rule "occurred at the stream
 * field" gives the moment of the change within the delivery delay.
 */
export function mapPayloadBooking(payload: Payload, idField: 'bookingId' | 'id', deliveredAt: string | undefined): Booking {
  const start = iso(payload.startTime) as string;
  const end = iso(payload.endTime) as string;
  const stamp = deliveredAt ?? end;
  const booking: Record<string, unknown> = {
    id: payload[idField],
    uid: payload.uid,
    status: (payload.status as string).toLowerCase(),
    start,
    end,
    duration: typeof payload.length === 'number' ? payload.length : Math.round((Date.parse(end) - Date.parse(start)) / 60_000),
    createdAt: iso(payload.createdAt) ?? stamp,
    updatedAt: iso(payload.updatedAt) ?? stamp,
  };
  setIfDefined(booking, 'title', payload.title);
  setIfDefined(booking, 'description', payload.description);
  setIfDefined(booking, 'location', payload.location);
  setIfDefined(booking, 'hosts', hosts(payload.organizer));
  setIfDefined(booking, 'attendees', attendees(payload.attendees));
  setIfDefined(booking, 'bookingFieldsResponses', payload.responses);
  setIfDefined(booking, 'metadata', payload.metadata);
  setIfDefined(booking, 'cancellationReason', payload.cancellationReason);
  setIfDefined(booking, 'cancelledByEmail', payload.cancelledBy);
  setIfDefined(booking, 'rescheduledByEmail', payload.rescheduledBy);
  // The payload of a reschedule names the old booking `rescheduleUid`; the flat row `fromReschedule`.
  setIfDefined(booking, 'rescheduledFromUid', text(payload.rescheduleUid) ?? text(payload.fromReschedule));
  if (payload.requestReschedule === true) booking.requestReschedule = true;
  const videoCallUrl = isRecord(payload.metadata) ? text(payload.metadata.videoCallUrl) : undefined;
  setIfDefined(booking, 'meetingUrl', videoCallUrl);
  if (isCalcomId(payload.eventTypeId)) {
    booking.eventTypeId = payload.eventTypeId;
    // `type` is the event type's slug in the payload.
    if (typeof payload.type === 'string') booking.eventType = { id: payload.eventTypeId, slug: payload.type };
  }
  return booking as Booking;
}

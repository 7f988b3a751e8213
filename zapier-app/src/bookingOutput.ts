import { malformedBookingWarning, type Booking, type BookingEventItem } from '@calcom-oauth/shared';

/**
 * What every booking trigger returns for one event: the booking flattened into fields a Zap builder
 * can map directly (host and first attendee split out, ids next to names), plus the full attendee
 * list as line items. Every key is present on every item (null when Cal.com has no value), so
 * Zaps built on a sample keep working on live data. (A type alias, not an interface, so it is
 * assignable to the plain-object `sample` Zapier's types ask for.)
 */
export type ZapierBookingEvent = {
  /** The engine's event id: the booking uid, or `uid:updatedAt` for "Booking Updated". Zapier dedupes on it. */
  id: string;
  event: string;
  occurredAt: string;
  bookingId: number;
  bookingUid: string;
  title: string | null;
  description: string | null;
  status: string;
  start: string;
  end: string;
  durationMinutes: number | null;
  eventTypeId: number | null;
  eventTypeSlug: string | null;
  location: string | null;
  meetingUrl: string | null;
  hostName: string | null;
  hostEmail: string | null;
  hostUsername: string | null;
  hostTimeZone: string | null;
  attendeeName: string | null;
  attendeeEmail: string | null;
  attendeeTimeZone: string | null;
  attendeePhoneNumber: string | null;
  attendees: { name: string | null; email: string | null; timeZone: string | null; language: string | null; phoneNumber: string | null; absent: boolean }[];
  guests: string[];
  cancellationReason: string | null;
  cancelledByEmail: string | null;
  reschedulingReason: string | null;
  rescheduledByEmail: string | null;
  rescheduledFromUid: string | null;
  rescheduledToUid: string | null;
  previousStart: string | null;
  previousEnd: string | null;
  recurringBookingUid: string | null;
  absentHost: boolean;
  createdAt: string;
  updatedAt: string | null;
  responses: Record<string, unknown>;
  metadata: Record<string, unknown>;
};

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const integer = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * Flattens the engine's events for Zapier. A booking whose shape is not Cal.com's (attendees that is
 * not a list, a host that is not an object...) is skipped with a warning naming it, so one bad
 * booking never fails the poll that also carries the good ones.
 */
export function toZapierBookingEvents(items: readonly BookingEventItem[], warn: (message: string) => void): ZapierBookingEvent[] {
  const events: ZapierBookingEvent[] = [];
  for (const item of items) {
    const warning = malformedBookingWarning(item.booking);
    if (warning === undefined) events.push(toZapierBookingEvent(item));
    else warn(warning);
  }
  return events;
}

/** Flattens one engine event for Zapier; it reads every field defensively, whatever its type. */
export function toZapierBookingEvent(item: BookingEventItem): ZapierBookingEvent {
  const { booking } = item;
  const host = record(list(booking.hosts)[0]);
  const attendees = list(booking.attendees).map(record);
  const first = attendees[0] ?? {};
  const eventType = record(booking.eventType);
  return {
    id: item.id,
    event: item.event,
    occurredAt: item.occurredAt,
    bookingId: booking.id,
    bookingUid: booking.uid,
    title: text(booking.title),
    description: text(booking.description),
    status: booking.status,
    start: booking.start,
    end: booking.end,
    durationMinutes: integer(booking.duration),
    eventTypeId: integer(eventType.id ?? booking.eventTypeId),
    eventTypeSlug: text(eventType.slug),
    location: text(booking.location),
    meetingUrl: text(booking.meetingUrl),
    hostName: text(host.name),
    hostEmail: text(host.email),
    hostUsername: text(host.username),
    hostTimeZone: text(host.timeZone),
    attendeeName: text(first.name),
    attendeeEmail: text(first.email),
    attendeeTimeZone: text(first.timeZone),
    attendeePhoneNumber: text(first.phoneNumber),
    attendees: attendees.map((attendee) => ({
      name: text(attendee.name),
      email: text(attendee.email),
      timeZone: text(attendee.timeZone),
      language: text(attendee.language),
      phoneNumber: text(attendee.phoneNumber),
      absent: attendee.absent === true,
    })),
    guests: list(booking.guests).filter((guest): guest is string => typeof guest === 'string'),
    cancellationReason: text(booking.cancellationReason),
    cancelledByEmail: text(booking.cancelledByEmail),
    reschedulingReason: text(booking.reschedulingReason),
    rescheduledByEmail: text(booking.rescheduledByEmail),
    rescheduledFromUid: text(booking.rescheduledFromUid),
    rescheduledToUid: text(booking.rescheduledToUid),
    previousStart: item.rescheduledFrom?.start ?? null,
    previousEnd: item.rescheduledFrom?.end ?? null,
    recurringBookingUid: text(booking.recurringBookingUid),
    absentHost: booking.absentHost === true,
    createdAt: booking.createdAt,
    updatedAt: booking.updatedAt,
    responses: record(booking.bookingFieldsResponses),
    metadata: record(booking.metadata),
  };
}

type OutputField = { key: string; label: string; type?: 'string' | 'integer' | 'datetime' | 'boolean' };

/** Labels for every field of {@link ZapierBookingEvent}; the publishing test checks samples against them. */
export const BOOKING_OUTPUT_FIELDS: OutputField[] = [
  { key: 'id', label: 'Event ID', type: 'string' },
  { key: 'event', label: 'Event', type: 'string' },
  { key: 'occurredAt', label: 'Occurred At', type: 'datetime' },
  { key: 'bookingId', label: 'Booking ID', type: 'integer' },
  { key: 'bookingUid', label: 'Booking UID', type: 'string' },
  { key: 'title', label: 'Title', type: 'string' },
  { key: 'description', label: 'Description', type: 'string' },
  { key: 'status', label: 'Status', type: 'string' },
  { key: 'start', label: 'Start Time', type: 'datetime' },
  { key: 'end', label: 'End Time', type: 'datetime' },
  { key: 'durationMinutes', label: 'Duration (Minutes)', type: 'integer' },
  { key: 'eventTypeId', label: 'Event Type ID', type: 'integer' },
  { key: 'eventTypeSlug', label: 'Event Type Slug', type: 'string' },
  { key: 'location', label: 'Location', type: 'string' },
  { key: 'meetingUrl', label: 'Meeting URL', type: 'string' },
  { key: 'hostName', label: 'Host Name', type: 'string' },
  { key: 'hostEmail', label: 'Host Email', type: 'string' },
  { key: 'hostUsername', label: 'Host Username', type: 'string' },
  { key: 'hostTimeZone', label: 'Host Time Zone', type: 'string' },
  { key: 'attendeeName', label: 'Attendee Name', type: 'string' },
  { key: 'attendeeEmail', label: 'Attendee Email', type: 'string' },
  { key: 'attendeeTimeZone', label: 'Attendee Time Zone', type: 'string' },
  { key: 'attendeePhoneNumber', label: 'Attendee Phone Number', type: 'string' },
  { key: 'attendees[]name', label: 'Attendees Name', type: 'string' },
  { key: 'attendees[]email', label: 'Attendees Email', type: 'string' },
  { key: 'attendees[]timeZone', label: 'Attendees Time Zone', type: 'string' },
  { key: 'attendees[]language', label: 'Attendees Language', type: 'string' },
  { key: 'attendees[]phoneNumber', label: 'Attendees Phone Number', type: 'string' },
  { key: 'attendees[]absent', label: 'Attendees Absent', type: 'boolean' },
  { key: 'guests', label: 'Guests', type: 'string' },
  { key: 'cancellationReason', label: 'Cancellation Reason', type: 'string' },
  { key: 'cancelledByEmail', label: 'Cancelled By (Email)', type: 'string' },
  { key: 'reschedulingReason', label: 'Rescheduling Reason', type: 'string' },
  { key: 'rescheduledByEmail', label: 'Rescheduled By (Email)', type: 'string' },
  { key: 'rescheduledFromUid', label: 'Rescheduled From (Booking UID)', type: 'string' },
  { key: 'rescheduledToUid', label: 'Rescheduled To (Booking UID)', type: 'string' },
  { key: 'previousStart', label: 'Previous Start Time', type: 'datetime' },
  { key: 'previousEnd', label: 'Previous End Time', type: 'datetime' },
  { key: 'recurringBookingUid', label: 'Recurring Booking UID', type: 'string' },
  { key: 'absentHost', label: 'Host Absent', type: 'boolean' },
  { key: 'createdAt', label: 'Created At', type: 'datetime' },
  { key: 'updatedAt', label: 'Updated At', type: 'datetime' },
];

/**
 * What a create or search returns for one booking: the same flattened fields as a trigger's item,
 * without the event's own keys (which event, when it happened, the previous time), plus how the
 * result was obtained. `id` is the booking uid, Zapier's primary key and what chained steps map.
 */
export type ZapierBooking = Omit<ZapierBookingEvent, 'event' | 'occurredAt' | 'previousStart' | 'previousEnd'> & {
  /**
   * Set when the booking was not returned by the write itself but found afterwards: after Cal.com
   * failed to answer ("found_after_ambiguous_failure") or because an earlier run already did it
   * ("replay_already_applied"). Null on the normal path.
   */
  recovered: string | null;
  /** Every occurrence of a recurring booking Cal.com returned (empty for a single booking). */
  occurrences: { uid: string; start: string; end: string; status: string }[];
};

/** One booking as a create's or search's result, mapped like a trigger's item. */
export function toZapierBooking(booking: Booking, context: { recovered?: string; occurrences?: readonly Booking[]; rescheduledFromUid?: string } = {}): ZapierBooking {
  const { event: _event, occurredAt: _occurredAt, previousStart: _previousStart, previousEnd: _previousEnd, ...fields } = toZapierBookingEvent({
    id: booking.uid,
    event: 'booking_created',
    occurredAt: booking.createdAt,
    booking,
  });
  const occurrences = context.occurrences ?? [];
  return {
    ...fields,
    // Cal.com's reschedule answer names the old booking; the core's previousUid fills in when it does not.
    rescheduledFromUid: fields.rescheduledFromUid ?? context.rescheduledFromUid ?? null,
    recovered: context.recovered ?? null,
    occurrences: occurrences.length > 1 ? occurrences.map((item) => ({ uid: item.uid, start: item.start, end: item.end, status: item.status })) : [],
  };
}

/** Output fields of {@link ZapierBooking}: the trigger fields that apply, and the result's own. */
export const BOOKING_RESULT_OUTPUT_FIELDS: OutputField[] = [
  { key: 'id', label: 'Booking UID', type: 'string' },
  ...BOOKING_OUTPUT_FIELDS.filter((field) => !['id', 'event', 'occurredAt', 'previousStart', 'previousEnd'].includes(field.key)),
  { key: 'recovered', label: 'Recovered', type: 'string' },
  { key: 'occurrences[]uid', label: 'Occurrences Booking UID', type: 'string' },
  { key: 'occurrences[]start', label: 'Occurrences Start Time', type: 'datetime' },
  { key: 'occurrences[]end', label: 'Occurrences End Time', type: 'datetime' },
  { key: 'occurrences[]status', label: 'Occurrences Status', type: 'string' },
];

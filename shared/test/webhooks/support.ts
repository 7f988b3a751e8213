import { createHmac } from 'node:crypto';

/**
 * Deliveries as Cal.com writes them (CALCOM.md §18): the 2021-10-20 envelope built like
 * `BaseBookingPayloadBuilder.buildBasePayload` (the CalendarEvent spread: startTime/endTime without
 * milliseconds, UPPERCASE status, organizer, attendees with `language: {locale}`), and the flat row
 * of the scheduled MEETING_* job. Signed with node:crypto, independently of the code under test.
 */

export const SECRET = 'test-secret-0123456789abcdef';

/** Cal.com's `createHmac("sha256", secret).update(body).digest("hex")`. */
export function sign(body: string, secret = SECRET): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

const noMs = (iso: string): string => iso.replace(/\.\d{3}Z$/, 'Z');

/** A booking of the API's shape (as the polling fakes serialise it) rewritten as Cal.com's webhook payload. */
export function payloadFromApiBooking(api: Record<string, unknown>, status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const eventType = api.eventType as { id: number; slug: string };
  const host = (api.hosts as Array<Record<string, unknown>>)[0] as Record<string, unknown>;
  return {
    type: eventType.slug,
    title: api.title,
    description: api.description,
    additionalNotes: '',
    customInputs: {},
    startTime: noMs(api.start as string),
    endTime: noMs(api.end as string),
    organizer: { id: host.id, name: host.name, email: host.email, username: host.username, timeZone: host.timeZone, language: { locale: 'en' }, timeFormat: 'h:mma', utcOffset: 0 },
    responses: {},
    userFieldsResponses: {},
    attendees: (api.attendees as Array<Record<string, unknown>>).map((a) => ({ name: a.name, email: a.email, timeZone: a.timeZone, language: { translate: {}, locale: 'en' }, utcOffset: 0 })),
    location: api.location,
    uid: api.uid,
    eventTypeId: eventType.id,
    bookingId: api.id,
    metadata: { videoCallUrl: api.location },
    status,
    eventTitle: 'Meeting',
    eventDescription: null,
    requiresConfirmation: false,
    price: 0,
    currency: 'usd',
    length: api.duration,
    ...extra,
  };
}

export function envelope(triggerEvent: string, createdAt: string, payload: Record<string, unknown>): string {
  return JSON.stringify({ triggerEvent, createdAt, payload });
}

/** `JSON.stringify({ triggerEvent, ...bookingRow })` of scheduleTrigger.ts: Prisma's row, Dates as ISO. */
export function flatMeetingRow(triggerEvent: 'MEETING_ENDED' | 'MEETING_STARTED', api: Record<string, unknown>, status = 'ACCEPTED'): string {
  return JSON.stringify({
    triggerEvent,
    id: api.id,
    uid: api.uid,
    userId: 7,
    eventTypeId: (api.eventType as { id: number }).id,
    title: api.title,
    description: api.description,
    customInputs: {},
    responses: {},
    startTime: api.start,
    endTime: api.end,
    location: api.location,
    createdAt: api.createdAt,
    updatedAt: api.updatedAt,
    status,
    paid: false,
    cancellationReason: null,
    rejectionReason: null,
    fromReschedule: api.rescheduledFromUid ?? null,
    rescheduled: null,
    metadata: {},
    attendees: [{ name: 'Guest', email: 'guest@example.com' }],
  });
}

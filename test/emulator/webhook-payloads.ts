import type { Store } from './store';
import type { Booking, User } from './types';

/**
 * The bodies Cal.com POSTs (shared/CALCOM.md §15, §18). Sources: `packages/features/webhooks/lib/sendPayload.ts`
 * (envelope, Zapier body), `packages/features/webhooks/lib/factory/versioned/v2021-10-20/BookingPayloadBuilder.ts`
 * (the booking payload), `packages/features/webhooks/lib/scheduleTrigger.ts` (MEETING_* flat rows).
 */

export function utcOffsetMinutes(timeZone: string, at: number): number {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' })
      .formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const match = /GMT([+-])(\d{1,2})(?::(\d{2}))?/.exec(part);
    if (!match) return 0;
    const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
    return match[1] === '-' ? -minutes : minutes;
  } catch {
    return 0;
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The flat body Zapier subscriptions receive (no `triggerEvent`; `getZapierPayload` in `sendPayload.ts`). */
export function zapierPayload(store: Store, booking: Booking, createdAt: number): Record<string, unknown> {
  const user = store.users.get(booking.userId);
  const eventType = store.eventTypes.get(booking.eventTypeId);
  return {
    uid: booking.uid, title: booking.title, description: booking.description, customInputs: {},
    responses: { ...booking.bookingFieldsResponses }, userFieldsResponses: {},
    startTime: iso(booking.start), endTime: iso(booking.end),
    location: booking.location, status: booking.status, cancellationReason: booking.cancellationReason,
    user: user ? { username: user.username, name: user.name, email: user.email, timeZone: user.timeZone, locale: 'en', utcOffset: utcOffsetMinutes(user.timeZone, booking.start) } : null,
    eventType: eventType ? { title: eventType.title, description: eventType.description, requiresConfirmation: eventType.requiresConfirmation, price: 0, currency: 'usd', length: eventType.lengthInMinutes } : null,
    attendees: booking.attendees.map((a) => ({ name: a.name, email: a.email, timeZone: a.timeZone, utcOffset: utcOffsetMinutes(a.timeZone, booking.start) })),
    createdAt: iso(createdAt),
    metadata: { videoCallUrl: booking.location },
  };
}

function organizerOf(user: User | undefined, at: number): Record<string, unknown> | null {
  if (!user) return null;
  return { id: user.id, name: user.name, email: user.email, username: user.username, timeZone: user.timeZone, language: { locale: 'en' }, timeFormat: `h:mma`, utcOffset: utcOffsetMinutes(user.timeZone, at) };
}

/** The 2021-10-20 booking payload: the spread `CalendarEvent` plus the builder's fields, status UPPERCASE. */
export function bookingPayload(store: Store, trigger: string, booking: Booking): Record<string, unknown> {
  const user = store.users.get(booking.userId);
  const eventType = store.eventTypes.get(booking.eventTypeId);
  const base: Record<string, unknown> = {
    bookingId: booking.id, uid: booking.uid, title: booking.title, type: eventType?.slug ?? null, eventTypeId: booking.eventTypeId,
    description: booking.description, additionalNotes: booking.description,
    eventTitle: eventType?.title ?? null, eventDescription: eventType?.description ?? null,
    requiresConfirmation: eventType?.requiresConfirmation ?? false, price: 0, currency: 'usd', length: eventType?.lengthInMinutes ?? null,
    startTime: iso(booking.start), endTime: iso(booking.end),
    organizer: organizerOf(user, booking.start),
    attendees: booking.attendees.map((a) => ({ name: a.name, email: a.email, timeZone: a.timeZone, language: { locale: a.language }, utcOffset: utcOffsetMinutes(a.timeZone, booking.start), ...(a.phoneNumber ? { phoneNumber: a.phoneNumber } : {}) })),
    location: booking.location, responses: { ...booking.bookingFieldsResponses }, userFieldsResponses: {}, customInputs: {},
    metadata: { ...booking.metadata, videoCallUrl: booking.location }, iCalUID: booking.icsUid,
    recurringEventId: booking.recurringEventId, smsReminderNumber: null, status: booking.status,
  };
  if (trigger === 'BOOKING_CANCELLED') {
    // A host's "request reschedule" (`requestReschedule.handler.ts`) arrives as this very trigger (issue #28543).
    Object.assign(base, { cancelledBy: booking.cancelledByEmail, cancellationReason: booking.cancellationReason, requestReschedule: booking.rescheduleRequested === true });
  }
  if (trigger === 'BOOKING_REJECTED') Object.assign(base, { rejectionReason: booking.cancellationReason });
  if (trigger === 'BOOKING_RESCHEDULED' || (trigger === 'BOOKING_REQUESTED' && booking.fromReschedule)) {
    const original = booking.fromReschedule ? store.bookings.get(booking.fromReschedule) : undefined;
    Object.assign(base, {
      rescheduleId: original?.id ?? null, rescheduleUid: booking.fromReschedule,
      rescheduleStartTime: original ? iso(original.start) : null, rescheduleEndTime: original ? iso(original.end) : null,
      rescheduledBy: booking.rescheduledByEmail,
    });
  }
  return base;
}

/** `BOOKING_NO_SHOW_UPDATED` has its own small payload (`handleMarkNoShow.ts`). */
export function noShowPayload(booking: Booking): Record<string, unknown> {
  const absent = booking.attendees.filter((a) => a.absent);
  return {
    bookingUid: booking.uid, bookingId: booking.id,
    attendees: booking.attendees.map((a) => ({ email: a.email, noShow: a.absent })),
    message: absent.length > 0 ? `${absent.map((a) => a.email).join(', ')} marked as no-show` : 'No-show updated',
    ...(booking.absentHost ? { host: { noShow: true } } : {}),
  };
}

/** `{triggerEvent, createdAt, payload}` as `sendPayload.ts` builds it without a `payloadTemplate`. */
export function envelope(store: Store, trigger: string, booking: Booking, createdAt: number): Record<string, unknown> {
  const payload = trigger === 'BOOKING_NO_SHOW_UPDATED' ? noShowPayload(booking) : bookingPayload(store, trigger, booking);
  return { triggerEvent: trigger, createdAt: iso(createdAt), payload };
}

/**
 * MEETING_STARTED / MEETING_ENDED: `JSON.stringify({ triggerEvent, ...booking })` of the booking row the
 * scheduled job stored, so no `payload` wrapper and no `createdAt` of the delivery (`scheduleTrigger.ts`).
 */
export function meetingFlatRow(store: Store, trigger: string, booking: Booking): Record<string, unknown> {
  const user = store.users.get(booking.userId);
  return {
    triggerEvent: trigger,
    id: booking.id, uid: booking.uid, userId: booking.userId, eventTypeId: booking.eventTypeId, title: booking.title,
    description: booking.description, customInputs: {}, responses: { ...booking.bookingFieldsResponses },
    startTime: iso(booking.start), endTime: iso(booking.end), location: booking.location,
    createdAt: iso(booking.createdAt), updatedAt: booking.updatedAt === null ? null : iso(booking.updatedAt),
    status: booking.status, paid: false, cancellationReason: booking.cancellationReason, fromReschedule: booking.fromReschedule,
    recurringEventId: booking.recurringEventId, iCalUID: booking.icsUid, metadata: { ...booking.metadata, videoCallUrl: booking.location },
    attendees: booking.attendees.map((a) => ({ name: a.name, email: a.email, timeZone: a.timeZone, locale: a.language, noShow: a.absent })),
    user: user ? { id: user.id, name: user.name, email: user.email, username: user.username, timeZone: user.timeZone } : null,
  };
}

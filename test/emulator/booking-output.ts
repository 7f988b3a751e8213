import type { Store } from './store';
import type { Booking, User } from './types';

/** Cal.com strips the 25-character `+suffix` it adds to some platform emails. */
function displayEmail(email: string): string {
  return email.replace(/\+[a-zA-Z0-9]{25}/, '');
}

function host(user: User | undefined): Record<string, unknown> {
  if (!user) return { id: 'unknown', name: 'unknown', email: 'unknown', displayEmail: 'unknown', username: 'unknown' };
  return { id: user.id, name: user.name, email: user.email, displayEmail: displayEmail(user.email), username: user.username, timeZone: user.timeZone };
}

/**
 * A booking as `GET /v2/bookings` (cal-api-version 2024-08-13) prints it (shared/CALCOM.md §11 and
 * `OutputBookingsService_2024_08_13`). Keys whose value is undefined are dropped by JSON, as Cal.com's
 * `plainToClass(..., excludeAll)` output is.
 */
export function bookingOutput20240813(store: Store, booking: Booking): Record<string, unknown> {
  const eventType = store.eventTypes.get(booking.eventTypeId);
  const responses: Record<string, unknown> = { ...booking.bookingFieldsResponses };
  if (booking.reschedulingReason) responses.rescheduledReason = booking.reschedulingReason;
  if (booking.guests.length > 0) responses.guests = [...booking.guests];
  if (typeof responses.email === 'string') responses.displayEmail = displayEmail(responses.email);
  if (Array.isArray(responses.guests)) responses.displayGuests = (responses.guests as string[]).map(displayEmail);
  const out: Record<string, unknown> = {
    id: booking.id,
    uid: booking.uid,
    title: booking.title,
    description: booking.description,
    hosts: [host(store.users.get(booking.userId))],
    status: booking.status.toLowerCase(),
    cancellationReason: booking.cancellationReason || '',
    cancelledByEmail: booking.cancelledByEmail || '',
    reschedulingReason: booking.reschedulingReason ?? undefined,
    rescheduledFromUid: booking.fromReschedule || undefined,
    start: new Date(booking.start).toISOString(),
    end: new Date(booking.end).toISOString(),
    duration: Math.round((booking.end - booking.start) / 60_000),
    eventTypeId: booking.eventTypeId,
    eventType: eventType ? { id: eventType.id, slug: eventType.slug } : null,
    attendees: booking.attendees.map((a) => ({
      name: a.name, email: a.email, displayEmail: displayEmail(a.email), timeZone: a.timeZone, language: a.language,
      absent: a.absent, phoneNumber: a.phoneNumber,
    })),
    guests: booking.guests.length > 0 ? [...booking.guests] : undefined,
    location: booking.location,
    meetingUrl: booking.location,
    absentHost: booking.absentHost,
    createdAt: new Date(booking.createdAt).toISOString(),
    updatedAt: booking.updatedAt === null ? null : new Date(booking.updatedAt).toISOString(),
    rating: booking.rating,
    icsUid: booking.icsUid,
    bookingFieldsResponses: responses,
    metadata: { ...booking.metadata },
  };
  if (booking.recurringEventId) {
    out.recurringBookingUid = booking.recurringEventId;
  } else {
    out.rescheduledToUid = booking.rescheduledToUid ?? undefined;
    out.rescheduledByEmail = booking.rescheduledByEmail;
  }
  return out;
}

/**
 * The older 2024-04-15 item served when `cal-api-version` is missing or unknown: Prisma-style names
 * (`startTime`, `endTime`, upper-case `status`, `user`) — a client expecting 2024-08-13 fails loudly.
 */
export function bookingOutput20240415(store: Store, booking: Booking): Record<string, unknown> {
  const user = store.users.get(booking.userId);
  const eventType = store.eventTypes.get(booking.eventTypeId);
  return {
    id: booking.id,
    uid: booking.uid,
    title: booking.title,
    description: booking.description,
    startTime: new Date(booking.start).toISOString(),
    endTime: new Date(booking.end).toISOString(),
    status: booking.status,
    paid: false,
    location: booking.location,
    recurringEventId: booking.recurringEventId,
    rescheduled: booking.rescheduledToUid !== null,
    fromReschedule: booking.fromReschedule,
    attendees: booking.attendees.map((a) => ({ name: a.name, email: a.email, timeZone: a.timeZone, locale: a.language })),
    user: user ? { id: user.id, name: user.name, email: user.email } : null,
    eventType: eventType ? { id: eventType.id, slug: eventType.slug, title: eventType.title, length: eventType.lengthInMinutes } : null,
    eventTypeId: booking.eventTypeId,
    createdAt: new Date(booking.createdAt).toISOString(),
    updatedAt: booking.updatedAt === null ? null : new Date(booking.updatedAt).toISOString(),
  };
}

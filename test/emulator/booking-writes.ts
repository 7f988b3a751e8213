import { randomBytes } from 'node:crypto';
import type { EmulatorState } from './state';
import type { Attendee, Booking, BookingStatus, EventType, User } from './types';

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const WEEK = 7 * 86_400_000;

/** A Cal.com-looking uid from the OS RNG (API writes are not part of the seeded, replayable data). */
export function freshUid(): string {
  return [...randomBytes(22)].map((b) => BASE58[b % BASE58.length]).join('');
}

/**
 * Cal.com's `idempotencyKey`: uuidv5 of `start.end.userId`, set on ACCEPTED bookings only and unique in the
 * schema, so a second accepted booking of the same host and slot cannot be inserted
 * (`packages/prisma/extensions/booking-idempotency-key.ts`).
 */
export function idempotencyKey(booking: Pick<Booking, 'start' | 'end' | 'userId'>): string {
  return `${new Date(booking.start).toISOString()}.${new Date(booking.end).toISOString()}.${booking.userId}`;
}

export function idempotencyKeyTaken(state: EmulatorState, candidate: Pick<Booking, 'start' | 'end' | 'userId' | 'status'>): boolean {
  if (candidate.status !== 'ACCEPTED') return false;
  const key = idempotencyKey(candidate);
  for (const b of state.store.bookings.values()) if (b.status === 'ACCEPTED' && idempotencyKey(b) === key) return true;
  return false;
}

function emit(state: EmulatorState, trigger: string, booking: Booking): Booking {
  state.onBookingChange?.(trigger, booking);
  return booking;
}

function touch(state: EmulatorState, booking: Booking): Booking {
  booking.updatedAt = state.clock.now();
  return booking;
}

export interface NewBooking {
  eventType: EventType;
  start: number;
  durationMinutes: number;
  attendee: Attendee;
  guests: string[];
  location: string | null;
  metadata: Record<string, string>;
  responses: Record<string, unknown>;
  /** Occurrences to book for a recurring event type (1 otherwise). */
  occurrences: number;
  fromReschedule?: { uid: string; reason: string | null; byEmail: string | null };
}

/** The status a new booking gets: PENDING when the event type requires confirmation. */
export function initialStatus(eventType: EventType): BookingStatus {
  return eventType.requiresConfirmation ? 'PENDING' : 'ACCEPTED';
}

/** Inserts the booking (or the weekly series); the caller has checked the slot and the idempotency key. */
export function insertBookings(state: EmulatorState, input: NewBooking): Booking[] {
  const { store, clock } = state;
  const organizer = store.user(input.eventType.userId);
  const recurringEventId = input.occurrences > 1 ? freshUid() : null;
  const status = initialStatus(input.eventType);
  const out: Booking[] = [];
  for (let i = 0; i < input.occurrences; i += 1) {
    const uid = freshUid();
    const start = input.start + i * WEEK * (input.eventType.recurrence?.interval ?? 1);
    const booking: Booking = {
      id: store.takeBookingId(), uid, userId: organizer.id, eventTypeId: input.eventType.id,
      title: `${input.eventType.title} between ${organizer.name} and ${input.attendee.name}`, description: '',
      status, start, end: start + input.durationMinutes * 60_000, attendees: [{ ...input.attendee }], guests: [...input.guests],
      location: input.location ?? `https://app.cal.video/${uid}`,
      cancellationReason: null, cancelledByEmail: null,
      reschedulingReason: input.fromReschedule?.reason ?? null, rescheduledByEmail: input.fromReschedule?.byEmail ?? null,
      fromReschedule: input.fromReschedule?.uid ?? null, rescheduledToUid: null, recurringEventId,
      absentHost: false, rating: null, icsUid: `${uid}@Cal.com`, metadata: { ...input.metadata },
      bookingFieldsResponses: { name: input.attendee.name, email: input.attendee.email, ...input.responses },
      createdAt: clock.now(), updatedAt: null,
    };
    store.addBooking(booking);
    out.push(booking);
  }
  if (!input.fromReschedule) for (const b of out) emit(state, status === 'PENDING' ? 'BOOKING_REQUESTED' : 'BOOKING_CREATED', b);
  return out;
}

export function cancelBookings(state: EmulatorState, bookings: Booking[], reason: string | null, by: User | null): void {
  for (const booking of bookings) {
    booking.status = 'CANCELLED';
    booking.cancellationReason = reason;
    booking.cancelledByEmail = by?.email ?? null;
    emit(state, 'BOOKING_CANCELLED', touch(state, booking));
  }
}

/** The original is cancelled with its `rescheduled` flag (shown as `rescheduledToUid`), the replacement announced. */
export function completeReschedule(state: EmulatorState, original: Booking, replacement: Booking): void {
  original.status = 'CANCELLED';
  original.rescheduledToUid = replacement.uid;
  original.rescheduledByEmail = replacement.rescheduledByEmail;
  touch(state, original);
  emit(state, 'BOOKING_RESCHEDULED', replacement);
}

export function confirmBookings(state: EmulatorState, bookings: Booking[]): void {
  // Cal.com fires BOOKING_CREATED when a requested booking is confirmed (there is no BOOKING_CONFIRMED).
  for (const booking of bookings) {
    booking.status = 'ACCEPTED';
    emit(state, 'BOOKING_CREATED', touch(state, booking));
  }
}

export function declineBookings(state: EmulatorState, bookings: Booking[], reason: string | null): void {
  for (const booking of bookings) {
    booking.status = 'REJECTED';
    booking.cancellationReason = reason;
    emit(state, 'BOOKING_REJECTED', touch(state, booking));
  }
}

export function markAbsent(state: EmulatorState, booking: Booking, host: boolean | undefined, attendees: Array<{ email: string; absent: boolean }>): void {
  if (host !== undefined) booking.absentHost = host;
  for (const change of attendees) {
    const attendee = booking.attendees.find((a) => a.email.toLowerCase() === change.email.toLowerCase());
    if (attendee) attendee.absent = change.absent;
  }
  emit(state, 'BOOKING_NO_SHOW_UPDATED', touch(state, booking));
}

export function addGuests(state: EmulatorState, booking: Booking, emails: string[]): void {
  for (const email of emails) if (!booking.guests.includes(email)) booking.guests.push(email);
  touch(state, booking);
}

/** The occurrences of the series `booking` belongs to, in start order. */
export function seriesOf(state: EmulatorState, recurringEventId: string): Booking[] {
  return [...state.store.bookings.values()].filter((b) => b.recurringEventId === recurringEventId).sort((a, b) => a.start - b.start);
}

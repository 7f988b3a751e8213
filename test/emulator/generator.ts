import type { Clock } from './clock';
import type { Rng } from './rng';
import { bookingUid, randomAttendee } from './seed';
import type { Store } from './store';
import type { Attendee, Booking, BookingStatus } from './types';

export interface CreateBookingInput {
  /** Organizer. Default 1 (alice). */
  userId?: number;
  /** Default: the organizer's first event type (or the first that requires confirmation when asked). */
  eventTypeId?: number;
  /** Default: one day after now, on the hour. */
  start?: Date | string | number;
  /** Default: the event type's length. */
  durationMinutes?: number;
  title?: string;
  attendees?: Array<Partial<Attendee> & { email: string }>;
  guests?: string[];
  /** Force a status. Default ACCEPTED, or PENDING when the event type (or `requiresConfirmation`) says so. */
  status?: BookingStatus;
  requiresConfirmation?: boolean;
  /** Round-robin booking waiting for a host (`awaiting_host`). */
  awaitingHost?: boolean;
  recurringEventId?: string | null;
  /** Default now. Set it to create equal `createdAt` values on purpose. */
  createdAt?: Date | string | number;
  metadata?: Record<string, string>;
  location?: string;
}

const at = (value: Date | string | number): number => {
  const ms = new Date(value).getTime();
  if (Number.isNaN(ms)) throw new Error(`Invalid date: ${String(value)}`);
  return ms;
};

/**
 * Changes bookings the way Cal.com's users do. Every mutation stamps `updatedAt` with the emulator clock,
 * so polling clients see exactly what they would see from Cal.com.
 */
export class Generator {
  /** Told about every change, with Cal.com's webhook trigger name (used for Zapier deliveries). */
  onChange: ((trigger: string, booking: Booking) => void) | null = null;

  constructor(private readonly store: Store, private readonly clock: Clock, private readonly rng: Rng) {}

  private emit(trigger: string, booking: Booking): Booking {
    this.onChange?.(trigger, booking);
    return booking;
  }

  createBooking(input: CreateBookingInput = {}): Booking {
    const userId = input.userId ?? 1;
    const organizer = this.store.user(userId);
    const eventTypes = this.store.eventTypesOf(userId);
    const eventType = input.eventTypeId !== undefined
      ? this.store.eventType(input.eventTypeId)
      : (input.requiresConfirmation ? eventTypes.find((e) => e.requiresConfirmation) : eventTypes.find((e) => !e.requiresConfirmation)) ?? eventTypes[0];
    if (!eventType) throw new Error(`User ${userId} has no event types`);
    const now = this.clock.now();
    const start = input.start !== undefined ? at(input.start) : Math.ceil((now + 86_400_000) / 3_600_000) * 3_600_000;
    const duration = input.durationMinutes ?? eventType.lengthInMinutes;
    const attendees: Attendee[] = input.attendees
      ? input.attendees.map((a) => ({ name: a.name ?? a.email.split('@')[0] ?? 'Guest', email: a.email, timeZone: a.timeZone ?? 'Europe/London', language: a.language ?? 'en', absent: a.absent ?? false, ...(a.phoneNumber ? { phoneNumber: a.phoneNumber } : {}) }))
      : [randomAttendee(this.rng)];
    const needsConfirmation = input.requiresConfirmation ?? eventType.requiresConfirmation;
    const status: BookingStatus = input.status ?? (input.awaitingHost ? 'AWAITING_HOST' : needsConfirmation ? 'PENDING' : 'ACCEPTED');
    const uid = bookingUid(this.rng);
    const first = attendees[0];
    const booking: Booking = {
      id: this.store.takeBookingId(), uid, userId, eventTypeId: eventType.id,
      title: input.title ?? `${eventType.title} between ${organizer.name} and ${first?.name ?? 'Guest'}`,
      description: '', status, start, end: start + duration * 60_000, attendees, guests: [...(input.guests ?? [])],
      location: input.location ?? `https://app.cal.video/${uid}`,
      cancellationReason: null, cancelledByEmail: null, reschedulingReason: null, rescheduledByEmail: null,
      fromReschedule: null, rescheduledToUid: null, recurringEventId: input.recurringEventId ?? null,
      absentHost: false, rating: null, icsUid: `${uid}@Cal.com`, metadata: { ...(input.metadata ?? {}) },
      bookingFieldsResponses: { name: first?.name, email: first?.email },
      createdAt: input.createdAt !== undefined ? at(input.createdAt) : now,
      updatedAt: null,
    };
    this.store.addBooking(booking);
    return this.emit(status === 'PENDING' ? 'BOOKING_REQUESTED' : 'BOOKING_CREATED', booking);
  }

  /** A recurring series of `count` weekly occurrences sharing one `recurringEventId`. */
  createRecurringSeries(count: number, input: CreateBookingInput = {}): Booking[] {
    const recurringEventId = `rec-${bookingUid(this.rng)}`;
    const first = input.start !== undefined ? at(input.start) : Math.ceil((this.clock.now() + 86_400_000) / 3_600_000) * 3_600_000;
    return Array.from({ length: count }, (_, i) => this.createBooking({ ...input, recurringEventId, start: first + i * 7 * 86_400_000 }));
  }

  private touch(booking: Booking): Booking {
    booking.updatedAt = this.clock.now();
    return booking;
  }

  cancelBooking(uid: string, reason?: string, byEmail?: string): Booking {
    const booking = this.store.booking(uid);
    booking.status = 'CANCELLED';
    booking.cancellationReason = reason ?? null;
    booking.cancelledByEmail = byEmail ?? this.store.user(booking.userId).email;
    return this.emit('BOOKING_CANCELLED', this.touch(booking));
  }

  rejectBooking(uid: string, reason?: string): Booking {
    const booking = this.store.booking(uid);
    booking.status = 'REJECTED';
    booking.cancellationReason = reason ?? null;
    return this.emit('BOOKING_REJECTED', this.touch(booking));
  }

  confirmBooking(uid: string): Booking {
    const booking = this.store.booking(uid);
    if (booking.status !== 'PENDING' && booking.status !== 'AWAITING_HOST') {
      throw new Error(`confirmBooking: ${uid} is ${booking.status}, not PENDING`);
    }
    booking.status = 'ACCEPTED';
    // Cal.com fires BOOKING_CREATED when a booking that needed confirmation is confirmed.
    return this.emit('BOOKING_CREATED', this.touch(booking));
  }

  /**
   * Cal.com's reschedule: a new booking with `fromReschedule` (shown as `rescheduledFromUid`), the original
   * cancelled with `rescheduled: true` (shown as `rescheduledToUid`).
   */
  rescheduleBooking(uid: string, newStart: Date | string | number, options: { reason?: string; byEmail?: string } = {}): Booking {
    const original = this.store.booking(uid);
    const duration = (original.end - original.start) / 60_000;
    const listener = this.onChange;
    // The replacement is announced as BOOKING_RESCHEDULED, not BOOKING_CREATED.
    this.onChange = null;
    const replacement = this.createBooking({
      userId: original.userId, eventTypeId: original.eventTypeId, start: newStart, durationMinutes: duration,
      title: original.title, attendees: original.attendees, guests: original.guests, status: 'ACCEPTED', metadata: original.metadata,
    });
    replacement.fromReschedule = original.uid;
    replacement.reschedulingReason = options.reason ?? null;
    replacement.rescheduledByEmail = options.byEmail ?? null;
    original.status = 'CANCELLED';
    original.rescheduledToUid = replacement.uid;
    original.rescheduledByEmail = options.byEmail ?? null;
    this.touch(original);
    this.onChange = listener;
    return this.emit('BOOKING_RESCHEDULED', replacement);
  }

  /**
   * The host's "request reschedule" (`requestReschedule.handler.ts`): the booking is cancelled with Cal.com's
   * `rescheduled` flag but no replacement, and BOOKING_CANCELLED fires with `requestReschedule: true` (issue #28543).
   */
  requestReschedule(uid: string, reason?: string): Booking {
    const booking = this.store.booking(uid);
    booking.status = 'CANCELLED';
    booking.rescheduleRequested = true;
    booking.cancellationReason = reason ?? null;
    booking.cancelledByEmail = this.store.user(booking.userId).email;
    return this.emit('BOOKING_CANCELLED', this.touch(booking));
  }

  /** Moves the clock to the booking's end, so it turns from upcoming to past. */
  endMeeting(uid: string): Booking {
    const booking = this.store.booking(uid);
    if (booking.end > this.clock.now()) this.clock.set(booking.end);
    return this.emit('MEETING_ENDED', booking);
  }

  /** Sets `field` of the given bookings to one instant (default now). */
  setTimestamps(uids: string[], field: 'createdAt' | 'updatedAt', value: Date | string | number = this.clock.now()): void {
    const ms = at(value);
    for (const uid of uids) this.store.booking(uid)[field] = ms;
  }

  /**
   * Makes `count` bookings straddling a page boundary share one `field` value: after sorting the user's
   * bookings by `field` (asc, ties by id), positions `take - count/2 … take + count/2 - 1` get the value of
   * the first of them. Returns the affected uids in the order the API lists them (ties by id).
   */
  equalizeAcrossPageBoundary(options: { field: 'createdAt' | 'updatedAt'; take: number; userId?: number; count?: number }): string[] {
    const count = options.count ?? 2;
    const user = this.store.user(options.userId ?? 1);
    const field = options.field;
    const sorted = this.store.bookingsVisibleTo(user)
      .filter((b) => b[field] !== null)
      .sort((a, b) => ((a[field] as number) - (b[field] as number)) || a.id - b.id);
    const from = Math.max(0, options.take - Math.floor(count / 2));
    const chosen = sorted.slice(from, from + count);
    if (chosen.length < count) throw new Error('equalizeAcrossPageBoundary: not enough bookings');
    const value = chosen[0]?.[field] as number;
    for (const b of chosen) b[field] = value;
    // Ties list by id, so this is the order a client will see them in.
    return chosen.sort((a, b) => a.id - b.id).map((b) => b.uid);
  }

  /** One random realistic change (for soak tests). Returns what it did. */
  randomMutation(rng: Rng = this.rng): { kind: string; uid: string } {
    const all = [...this.store.bookings.values()];
    const upcoming = all.filter((b) => b.end > this.clock.now() && (b.status === 'ACCEPTED' || b.status === 'PENDING'));
    const roll = rng.next();
    if (roll < 0.35 || upcoming.length === 0) {
      const userId = rng.chance(0.75) ? 1 : 2;
      const start = Math.ceil(this.clock.now() / 900_000) * 900_000 + rng.int(1, 20 * 24 * 4) * 900_000;
      const booking = this.createBooking({ userId, start, requiresConfirmation: rng.chance(0.15) });
      return { kind: 'create', uid: booking.uid };
    }
    const target = rng.pick(upcoming);
    if (target.status === 'PENDING') {
      return rng.chance(0.7) ? { kind: 'confirm', uid: this.confirmBooking(target.uid).uid } : { kind: 'reject', uid: this.rejectBooking(target.uid, 'Not available').uid };
    }
    if (roll < 0.6) return { kind: 'cancel', uid: this.cancelBooking(target.uid, rng.chance(0.5) ? 'Something came up' : undefined).uid };
    if (roll < 0.85) {
      const replacement = this.rescheduleBooking(target.uid, target.start + rng.int(1, 14) * 86_400_000, { reason: 'Moved' });
      return { kind: 'reschedule', uid: replacement.uid };
    }
    target.metadata = { ...target.metadata, note: `edited-${rng.int(1, 1e6)}` };
    this.touch(target);
    return { kind: 'edit', uid: target.uid };
  }
}

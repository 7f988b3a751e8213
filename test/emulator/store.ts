import { createHash } from 'node:crypto';
import type { AuthorizationCode, Booking, EventType, OAuthClient, RefreshTokenRow, Schedule, User, Webhook } from './types';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Everything the emulated Cal.com database holds. Plain data; the generator and services mutate it. */
export class Store {
  readonly users = new Map<number, User>();
  readonly clients = new Map<string, OAuthClient>();
  readonly eventTypes = new Map<number, EventType>();
  readonly schedules = new Map<number, Schedule>();
  /** Keyed by uid, in creation (id) order. */
  readonly bookings = new Map<string, Booking>();
  readonly codes = new Map<string, AuthorizationCode>();
  readonly refreshTokens: RefreshTokenRow[] = [];
  /** Zapier subscriptions, by id. */
  readonly webhooks = new Map<string, Webhook>();
  private nextBookingId = 1;

  takeBookingId(): number {
    const id = this.nextBookingId;
    this.nextBookingId += 1;
    return id;
  }

  addBooking(booking: Booking): Booking {
    this.bookings.set(booking.uid, booking);
    if (booking.id >= this.nextBookingId) this.nextBookingId = booking.id + 1;
    return booking;
  }

  booking(uid: string): Booking {
    const found = this.bookings.get(uid);
    if (!found) throw new Error(`No booking with uid ${uid}`);
    return found;
  }

  user(id: number): User {
    const found = this.users.get(id);
    if (!found) throw new Error(`No user with id ${id}`);
    return found;
  }

  userByLogin(login: string): User | undefined {
    const wanted = login.trim().toLowerCase();
    for (const user of this.users.values()) {
      if (user.email.toLowerCase() === wanted || user.username.toLowerCase() === wanted) return user;
    }
    return undefined;
  }

  eventType(id: number): EventType {
    const found = this.eventTypes.get(id);
    if (!found) throw new Error(`No event type with id ${id}`);
    return found;
  }

  eventTypesOf(userId: number): EventType[] {
    return [...this.eventTypes.values()].filter((e) => e.userId === userId);
  }

  /** Bookings a user sees on `GET /v2/bookings`: as organizer or as an attendee (by email). */
  bookingsVisibleTo(user: User): Booking[] {
    const email = user.email.toLowerCase();
    const out: Booking[] = [];
    for (const booking of this.bookings.values()) {
      if (booking.userId === user.id || booking.attendees.some((a) => a.email.toLowerCase() === email)) out.push(booking);
    }
    return out;
  }
}

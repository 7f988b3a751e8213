import type { Store } from './store';
import { localParts, zonedToUtc } from './time-zones';
import type { Booking, EventType, Schedule } from './types';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Statuses that no longer hold their time: Cal.com's busy times skip cancelled and rejected bookings. */
const FREE_AGAIN = new Set(['CANCELLED', 'REJECTED']);

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export function scheduleOf(store: Store, eventType: EventType): Schedule | undefined {
  if (eventType.scheduleId !== null) {
    const chosen = store.schedules.get(eventType.scheduleId);
    if (chosen) return chosen;
  }
  return [...store.schedules.values()].find((s) => s.ownerId === eventType.userId && s.isDefault);
}

/** Bookings that block the organizer's time (as organizer; Cal.com's `getBusyTimes`). */
function busyBookings(store: Store, userId: number, ignoreUid?: string): Booking[] {
  return [...store.bookings.values()].filter((b) => b.userId === userId && !FREE_AGAIN.has(b.status) && b.uid !== ignoreUid);
}

export interface SlotQuery {
  /** Inclusive range of slot starts, epoch ms. */
  from: number;
  to: number;
  durationMinutes: number;
  now: number;
  /** A booking being rescheduled does not block its own slot (`bookingUidToReschedule`). */
  ignoreUid?: string;
}

/**
 * Available slot starts of an event type, the way Cal.com's slots service builds them: the owner's schedule
 * windows in the schedule's time zone, stepped by the slot interval (default: the length), each slot fitting
 * its window, at least `minimumBookingNotice` from now, inside the booking window, and free of the
 * organizer's other accepted or pending bookings (`packages/features/availability`, `packages/lib/slots.ts`).
 */
export function availableSlots(store: Store, eventType: EventType, query: SlotQuery): number[] {
  const schedule = scheduleOf(store, eventType);
  if (!schedule) return [];
  const step = (eventType.slotInterval ?? query.durationMinutes) * MINUTE;
  const length = query.durationMinutes * MINUTE;
  const earliest = query.now + eventType.minimumBookingNotice * MINUTE;
  const latest = eventType.bookingWindowDays === null ? Infinity : query.now + eventType.bookingWindowDays * DAY;
  const busy = busyBookings(store, eventType.userId, query.ignoreUid);
  const out: number[] = [];
  // Walk the schedule's local days that can hold a slot of the range (one day of margin each side for offsets).
  for (let day = query.from - DAY; day <= query.to + DAY; day += DAY) {
    const local = localParts(day, schedule.timeZone);
    for (const window of schedule.availability) {
      if (!window.days.includes(local.weekday)) continue;
      const windowStart = zonedToUtc(local.year, local.month, local.day, minutesOf(window.startTime), schedule.timeZone);
      const windowEnd = zonedToUtc(local.year, local.month, local.day, minutesOf(window.endTime), schedule.timeZone);
      for (let start = windowStart; start + length <= windowEnd; start += step) {
        if (start < query.from || start > query.to || start < earliest || start > latest) continue;
        if (busy.some((b) => b.start < start + length && start < b.end)) continue;
        out.push(start);
      }
    }
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

export type SlotVerdict = 'ok' | 'past' | 'out-of-bounds' | 'unavailable';

/**
 * Why `start` cannot be booked, in the order Cal.com's booking service checks: in the past, outside the
 * minimum notice or the booking window (`booking_time_out_of_bounds_error`), then not an available slot of
 * the owner (`no_available_users_found_error`).
 */
export function slotVerdict(store: Store, eventType: EventType, start: number, durationMinutes: number, now: number, ignoreUid?: string): SlotVerdict {
  if (start < now) return 'past';
  const latest = eventType.bookingWindowDays === null ? Infinity : now + eventType.bookingWindowDays * DAY;
  if (start < now + eventType.minimumBookingNotice * MINUTE || start > latest) return 'out-of-bounds';
  const slots = availableSlots(store, eventType, { from: start, to: start, durationMinutes, now, ...(ignoreUid ? { ignoreUid } : {}) });
  return slots.includes(start) ? 'ok' : 'unavailable';
}

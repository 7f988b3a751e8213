/**
 * What the soak's reports say the bookings are, checked against the emulator's own store (its field
 * names and upper-case statuses, never the adapters' output): duplicate bookings and lost actions.
 */
import type { Emulator, Booking as StoreBooking } from '../emulator';
import type { Action, ActionReport } from './actors';

interface Expected {
  email: string;
  eventTypeId: number;
  start: number;
}

export interface OracleCounts {
  /** Live bookings beyond the first for one attendee, start and event type. */
  duplicates: number;
  /** Reported done but not in the store, or in the store but in no report. */
  lost: number;
  /** One line per problem, for the output. */
  problems: string[];
}

const LIVE = new Set(['ACCEPTED', 'PENDING', 'AWAITING_HOST']);

export class ActionOracle {
  /** Bookings the reports say are live, by uid. */
  private readonly live = new Map<string, Expected>();
  /** Bookings the reports say are cancelled (directly or by a reschedule). */
  private readonly cancelled = new Set<string>();
  /** Every uid any report mentioned. */
  private readonly mentioned = new Set<string>();

  constructor(private readonly attendeeDomain: string) {}

  /** The live bookings the reports know of (what the soak can act on next). */
  liveUids(): string[] {
    return [...this.live.keys()];
  }

  expected(uid: string): Expected | undefined {
    return this.live.get(uid);
  }

  record(action: Action, report: ActionReport): void {
    if (!report.ok || report.uid === undefined) return;
    this.mentioned.add(report.uid);
    if (action.kind === 'create') {
      this.live.set(report.uid, { email: action.attendeeEmail.toLowerCase(), eventTypeId: action.eventTypeId, start: Date.parse(action.start) });
    } else if (action.kind === 'cancel') {
      this.mentioned.add(action.uid);
      this.live.delete(action.uid);
      this.cancelled.add(action.uid);
    } else {
      const before = this.live.get(action.uid);
      this.mentioned.add(action.uid);
      this.live.delete(action.uid);
      this.cancelled.add(action.uid);
      if (before !== undefined) this.live.set(report.uid, { ...before, start: Date.parse(action.start) });
    }
  }

  check(emulator: Emulator): OracleCounts {
    const problems: string[] = [];
    const ours = [...emulator.store.bookings.values()].filter((booking) => booking.attendees.some((attendee) => attendee.email.toLowerCase().endsWith(`@${this.attendeeDomain}`)));
    const emailOf = (booking: StoreBooking) => booking.attendees[0]?.email.toLowerCase() ?? '';

    const groups = new Map<string, StoreBooking[]>();
    for (const booking of ours.filter((candidate) => LIVE.has(candidate.status))) {
      const key = `${emailOf(booking)} ${booking.start} ${booking.eventTypeId}`;
      groups.set(key, [...(groups.get(key) ?? []), booking]);
    }
    let duplicates = 0;
    for (const [key, group] of groups) {
      if (group.length < 2) continue;
      duplicates += group.length - 1;
      problems.push(`duplicate: ${group.length} live bookings for ${key} (${group.map((booking) => booking.uid).join(', ')})`);
    }

    let lost = 0;
    const lose = (problem: string) => {
      lost += 1;
      problems.push(`lost: ${problem}`);
    };
    for (const [uid, expected] of this.live) {
      const stored = emulator.store.bookings.get(uid);
      if (stored === undefined) lose(`${uid} reported booked, not in Cal.com`);
      else if (!LIVE.has(stored.status) || stored.start !== expected.start || emailOf(stored) !== expected.email) {
        lose(`${uid} reported live at ${new Date(expected.start).toISOString()}, Cal.com has it ${stored.status} at ${new Date(stored.start).toISOString()}`);
      }
    }
    for (const uid of this.cancelled) {
      const status = emulator.store.bookings.get(uid)?.status;
      if (status !== 'CANCELLED') lose(`${uid} reported cancelled, Cal.com has it ${status ?? 'missing'}`);
    }
    for (const booking of ours) {
      if (!this.mentioned.has(booking.uid)) lose(`${booking.uid} (${emailOf(booking)}, ${booking.status}) is in Cal.com but no report mentions it`);
      else if (LIVE.has(booking.status) && !this.live.has(booking.uid)) lose(`${booking.uid} is live in Cal.com but the reports say it is gone`);
    }
    return { duplicates, lost, problems };
  }
}

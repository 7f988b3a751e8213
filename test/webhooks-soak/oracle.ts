/**
 * What the webhook soak must have emitted, computed from the emulator alone (its change log, its store
 * with its own field names and upper-case statuses, and its delivery log), never from the shared code
 * under test.
 *
 * An occurrence is one event of one change: created/rescheduled/requested/cancelled/rejected once per
 * booking, updated once per change of the row. It is REQUIRED when some path had to see it:
 * - instant: a genuine copy of its delivery reached the subscriber and was answered (not dropped,
 *   not sent with a wrong signature);
 * - reconciliation: at a successful reconciliation poll after it, the store still showed it (a
 *   request still pending, a cancelled booking still cancelled, the row's updatedAt still the
 *   change's), because a poll reads bookings as they are now, never their history (engine notes,
 *   "What polling cannot see").
 * An occurrence neither path could see (its delivery dropped, superseded before the next poll) is
 * counted as `unseeable`, not lost. Each emitted item must match an occurrence (else it is spurious),
 * and no occurrence may be emitted twice.
 */
import type { BookingEventItem, BookingEventKey } from '@calcom-oauth/shared';
import type { Booking as EmuBooking, Emulator, WebhookDelivery } from '../emulator/index';

/** Two changes of one booking this close count as one (the shared dedupe's documented tolerance). */
export const SAME_CHANGE_MS = 10_000;

export type SoakEvent = Extract<BookingEventKey, 'booking_created' | 'booking_rescheduled' | 'booking_requested' | 'booking_cancelled' | 'booking_rejected' | 'booking_updated'>;

interface Change {
  /** Cal.com's trigger, or `silent` for a write that fires no webhook (an edit, a reschedule's old booking). */
  trigger: string;
  uid: string;
  at: number;
  /** A confirmation: the booking was requested first. */
  confirms?: boolean;
}

interface Occurrence {
  key: string;
  event: SoakEvent;
  change: Change;
  required: 'instant' | 'reconciliation' | undefined;
  emitted: number;
}

const UNCONFIRMED = new Set(['PENDING', 'AWAITING_HOST']);

/** Which events a change is an occurrence of (the same change is "updated" too: it wrote the row). */
function eventsOf(change: Change, booking: EmuBooking): SoakEvent[] {
  const events: SoakEvent[] = ['booking_updated'];
  if (change.trigger === 'BOOKING_CREATED') events.push(booking.fromReschedule === null ? 'booking_created' : 'booking_rescheduled');
  if (change.trigger === 'BOOKING_RESCHEDULED') events.push('booking_rescheduled');
  if (change.trigger === 'BOOKING_REQUESTED') events.push('booking_requested');
  if (change.trigger === 'BOOKING_CANCELLED') events.push('booking_cancelled');
  if (change.trigger === 'BOOKING_REJECTED') events.push('booking_rejected');
  return events;
}

/**
 * Whether a poll reading the store now must report the occurrence (the polling rules, restated on the
 * emulator's fields). New-booking events only for bookings created after the baseline: a request made
 * before it and confirmed later is the instant path's alone (polling never saw it waiting).
 */
function pollSees(occurrence: Occurrence, booking: EmuBooking, baselineAt: number): boolean {
  const isNew = booking.createdAt > baselineAt;
  switch (occurrence.event) {
    case 'booking_created':
      // A confirmed request cancelled before the poll reads as a request withdrawn: polling cannot tell them apart.
      if (occurrence.change.confirms === true) return isNew && booking.fromReschedule === null && booking.status === 'ACCEPTED';
      return isNew && booking.fromReschedule === null && (booking.status === 'ACCEPTED' || booking.status === 'CANCELLED');
    case 'booking_rescheduled':
      return isNew && booking.fromReschedule !== null && (booking.status === 'ACCEPTED' || booking.status === 'CANCELLED');
    case 'booking_requested':
      return isNew && UNCONFIRMED.has(booking.status);
    case 'booking_cancelled':
      return booking.status === 'CANCELLED' && booking.rescheduledToUid === null;
    case 'booking_rejected':
      return booking.status === 'REJECTED';
    case 'booking_updated':
      return booking.updatedAt === occurrence.change.at;
  }
}

export interface OracleVerdict {
  expected: number;
  emitted: number;
  lost: string[];
  duplicated: string[];
  spurious: string[];
  unseeable: number;
  byPath: { instant: number; reconciliation: number };
  byEvent: Map<SoakEvent, { required: number; instant: number; reconciliation: number }>;
}

export class WebhookOracle {
  private readonly occurrences = new Map<string, Occurrence>();
  /** Occurrences no path has had to see yet: what each poll re-checks (a large run holds tens of thousands). */
  private readonly unrequired = new Set<Occurrence>();
  private readonly byUid = new Map<string, Occurrence[]>();

  constructor(
    private readonly emulator: Emulator,
    private readonly events: readonly SoakEvent[],
    /** Emulator time of the subscribers' baseline polls. */
    private readonly baselineAt: number,
  ) {
    const chained = emulator.generator.onChange;
    emulator.generator.onChange = (trigger, booking) => {
      this.record({ trigger, uid: booking.uid, at: emulator.clock.now() });
      chained?.(trigger, booking);
    };
  }

  /** A write that fires no webhook, for "booking updated". */
  recordSilent(uid: string): void {
    this.record({ trigger: 'silent', uid, at: this.emulator.clock.now() });
  }

  private record(change: Change): void {
    const booking = this.emulator.store.bookings.get(change.uid);
    if (booking === undefined) return;
    if (change.trigger === 'BOOKING_CREATED' && this.occurrences.has(`booking_requested|${change.uid}`)) change.confirms = true;
    for (const event of eventsOf(change, booking)) {
      if (!this.events.includes(event)) continue;
      const key = event === 'booking_updated' ? `${event}|${change.uid}|${change.at}` : `${event}|${change.uid}`;
      if (this.occurrences.has(key)) continue;
      const occurrence: Occurrence = { key, event, change, required: undefined, emitted: 0 };
      this.occurrences.set(key, occurrence);
      this.unrequired.add(occurrence);
      this.byUid.set(change.uid, [...(this.byUid.get(change.uid) ?? []), occurrence]);
    }
  }

  /** Call right before each successful, non-baseline reconciliation poll (the store does not change during it). */
  notePoll(): void {
    for (const occurrence of this.unrequired) {
      const booking = this.emulator.store.bookings.get(occurrence.change.uid);
      if (booking === undefined || !pollSees(occurrence, booking, this.baselineAt)) continue;
      occurrence.required = 'reconciliation';
      this.unrequired.delete(occurrence);
    }
  }

  /** After every delivery settled: the changes whose genuine delivery a subscriber answered. */
  noteDeliveries(deliveries: readonly WebhookDelivery[], subscriberOf: (url: string) => SoakEvent | undefined): void {
    for (const delivery of deliveries) {
      if (typeof delivery.outcome !== 'number' || delivery.outcome >= 300 || delivery.fault === 'wrong-signature') continue;
      const event = subscriberOf(delivery.subscriberUrl);
      if (event === undefined) continue;
      const at = Date.parse(delivery.at);
      for (const occurrence of this.byUid.get(delivery.bookingUid) ?? []) {
        if (occurrence.event !== event || occurrence.change.trigger !== delivery.trigger || occurrence.change.at !== at) continue;
        occurrence.required ??= 'instant';
        this.unrequired.delete(occurrence);
      }
    }
  }

  /** The occurrence an emitted item stands for: same event and booking, and for updates the change within the tolerance. */
  private match(item: BookingEventItem): Occurrence | undefined {
    const candidates = (this.byUid.get(item.booking.uid) ?? []).filter((occurrence) => occurrence.event === item.event);
    if (item.event !== 'booking_updated') return candidates[0];
    const at = Date.parse(item.occurredAt);
    return candidates
      .filter((occurrence) => Math.abs(occurrence.change.at - at) <= SAME_CHANGE_MS)
      .sort((a, b) => Math.abs(a.change.at - at) - Math.abs(b.change.at - at))[0];
  }

  judge(emitted: ReadonlyArray<{ item: BookingEventItem; path: 'instant' | 'reconciliation' }>): OracleVerdict {
    const verdict: OracleVerdict = { expected: 0, emitted: emitted.length, lost: [], duplicated: [], spurious: [], unseeable: 0, byPath: { instant: 0, reconciliation: 0 }, byEvent: new Map() };
    for (const { item, path } of emitted) {
      verdict.byPath[path] += 1;
      const occurrence = this.match(item);
      if (occurrence === undefined) {
        verdict.spurious.push(`${path} ${item.event} ${item.id}`);
        continue;
      }
      occurrence.emitted += 1;
      const row = verdict.byEvent.get(occurrence.event) ?? { required: 0, instant: 0, reconciliation: 0 };
      row[path] += 1;
      verdict.byEvent.set(occurrence.event, row);
    }
    for (const occurrence of this.occurrences.values()) {
      if (occurrence.emitted > 1) verdict.duplicated.push(`${occurrence.key} ×${occurrence.emitted}`);
      if (occurrence.required === undefined) {
        if (occurrence.emitted === 0) verdict.unseeable += 1;
        continue;
      }
      verdict.expected += 1;
      const row = verdict.byEvent.get(occurrence.event) ?? { required: 0, instant: 0, reconciliation: 0 };
      row.required += 1;
      verdict.byEvent.set(occurrence.event, row);
      if (occurrence.emitted === 0) verdict.lost.push(`${occurrence.key} (seeable by ${occurrence.required}, change ${occurrence.change.trigger} at ${new Date(occurrence.change.at).toISOString()})`);
    }
    return verdict;
  }
}

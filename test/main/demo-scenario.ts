/**
 * The demo's Cal.com: the embedded emulator with seeded data, one OAuth client per platform (because
 * rotation revokes sibling refresh tokens of one client and user, shared/CALCOM.md §5), and the booking
 * changes people make — booked, needing confirmation, rejected, cancelled, rescheduled, meetings ending.
 *
 * The script runs in acts so each change is seen by a poll before the next one touches the same
 * booking, the way changes spread out in a real calendar.
 */
import { startEmulator, type Booking, type ClientCredentials, type Emulator } from '../emulator';

export interface DemoEmulatorOptions {
  /** Live demo: the emulator's clock follows real time. `--once`: frozen, moved by the script. */
  followRealTime: boolean;
  /** Access-token lifetime, short so a refresh shows up. */
  accessTokenTtlSeconds: number;
}

export interface DemoCalcom {
  emulator: Emulator;
  /** The signed-in person on the consent page. */
  user: { email: string; password: string };
  /** Scopes each demo client is registered with (and the adapters request). */
  scopes: string[];
  /** Registers the OAuth client of one platform with the loopback redirect URI the flow listens on. */
  registerClient(platform: 'Zapier' | 'n8n', redirectUri: string): ClientCredentials;
}

// The adapters' default scopes (shared/src/default-scopes.ts): the Zapier app asks for all of them.
export const DEMO_SCOPES = ['BOOKING_READ', 'EVENT_TYPE_READ', 'PROFILE_READ', 'BOOKING_WRITE', 'WEBHOOK_READ', 'WEBHOOK_WRITE', 'EVENT_TYPE_WRITE'];

export async function startDemoCalcom(options: DemoEmulatorOptions): Promise<DemoCalcom> {
  const emulator = await startEmulator({
    era: '2026',
    seed: 7,
    // Cal.com's clock starts at the real time, so token expiry computed by the platforms from their
    // own clocks agrees with the emulator's.
    startAt: Date.now(),
    bookings: 40,
    followRealTime: options.followRealTime,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
    // The instant triggers' hook and webhook URLs are loopback listeners of this process.
    allowLoopbackWebhooks: true,
  });
  const alice = emulator.seeded.users.alice;
  return {
    emulator,
    user: { email: alice.email, password: alice.password },
    scopes: DEMO_SCOPES,
    registerClient(platform, redirectUri) {
      return emulator.registerClient({ name: `${platform} (demo)`, redirectUris: [redirectUri], scopes: DEMO_SCOPES });
    },
  };
}

/** One change made in the emulated Cal.com, described for the log. */
export interface BookingChange {
  kind: 'created' | 'requested' | 'rejected' | 'confirmed' | 'cancelled' | 'rescheduled' | 'meeting ends' | 'clock';
  text: string;
}

const MINUTE = 60_000;

function who(booking: Booking): string {
  return booking.attendees[0]?.name ?? 'a guest';
}

function when(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * The booking changes of the demo, in acts. Act 1 books; act 2 reacts to those bookings (reject,
 * confirm, cancel, reschedule) and lets the first meeting end. Acts repeat forever in the live demo.
 */
export class BookingScript {
  private pending: Booking[] = [];
  private accepted: Booking[] = [];
  private endingSoon: Booking | undefined;

  constructor(private readonly emulator: Emulator) {}

  /** Act 1: new bookings, two of them needing confirmation, one short meeting that starts now. */
  book(): BookingChange[] {
    const { generator, clock } = this.emulator;
    const now = clock.now();
    const slot = (hours: number): number => Math.ceil((now + hours * 3_600_000) / (15 * MINUTE)) * 15 * MINUTE;
    const changes: BookingChange[] = [];
    const quick = generator.createBooking({ start: now - MINUTE, durationMinutes: 2, title: 'Quick sync' });
    this.endingSoon = quick;
    changes.push({ kind: 'created', text: `${who(quick)} booked "${quick.title}" now (ends ${when(quick.end)} UTC)` });
    for (const hours of [26, 50]) {
      const booking = generator.createBooking({ start: slot(hours) });
      this.accepted.push(booking);
      changes.push({ kind: 'created', text: `${who(booking)} booked "${booking.title}" for ${when(booking.start)} UTC` });
    }
    for (const hours of [30, 54]) {
      const booking = generator.createBooking({ start: slot(hours), requiresConfirmation: true });
      this.pending.push(booking);
      changes.push({ kind: 'requested', text: `${who(booking)} requested "${booking.title}" for ${when(booking.start)} UTC (needs confirmation)` });
    }
    return changes;
  }

  /** Act 2: the host answers the requests, one guest cancels, one reschedules. */
  react(): BookingChange[] {
    const { generator } = this.emulator;
    const changes: BookingChange[] = [];
    const toReject = this.pending.shift();
    if (toReject !== undefined) {
      generator.rejectBooking(toReject.uid, 'Fully booked that day');
      changes.push({ kind: 'rejected', text: `Alice rejected "${toReject.title}"` });
    }
    const toConfirm = this.pending.shift();
    if (toConfirm !== undefined) {
      generator.confirmBooking(toConfirm.uid);
      changes.push({ kind: 'confirmed', text: `Alice confirmed "${toConfirm.title}"` });
    }
    const toCancel = this.accepted.shift();
    if (toCancel !== undefined) {
      generator.cancelBooking(toCancel.uid, 'Something came up', toCancel.attendees[0]?.email);
      changes.push({ kind: 'cancelled', text: `${who(toCancel)} cancelled "${toCancel.title}": "Something came up"` });
    }
    const toMove = this.accepted.shift();
    if (toMove !== undefined) {
      const moved = generator.rescheduleBooking(toMove.uid, toMove.start + 24 * 3_600_000, { reason: 'Clash with a flight', byEmail: toMove.attendees[0]?.email });
      changes.push({ kind: 'rescheduled', text: `${who(toMove)} moved "${toMove.title}" to ${when(moved.start)} UTC` });
    }
    return changes;
  }

  /** The short meeting of act 1 is over once the emulator's clock passes its end. */
  get meetingEndsAt(): number | undefined {
    return this.endingSoon?.end;
  }

  /** `--once`: jump the frozen clock past the short meeting's end (and, by design, past the access token's expiry). */
  advancePast(ms: number): BookingChange {
    const { clock } = this.emulator;
    const target = Math.max(clock.now(), ms);
    clock.set(target);
    return { kind: 'clock', text: `the emulator's clock moves to ${when(target)} UTC` };
  }
}

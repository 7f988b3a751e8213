/**
 * Webhook soak (issue 12): booking changes pushed by the emulator as signed Cal.com deliveries, with
 * the delivery faults Cal.com has (10% dropped, 5% duplicated, reordered, delayed, a wrong signature)
 * and deliveries forged by the soak itself (another key, `no-secret-provided`, no header, a tampered
 * body). One subscriber per event kind of the instant path, each a local HTTP receiver running the
 * shared `receiveDelivery` next to a reconciliation poll (the stateful engine) every few simulated
 * minutes, both through `reconcileEvents` into one dedupe. The oracle (oracle.ts) reads only the
 * emulator: every event a path could see is emitted exactly once, by either path; no forgery is
 * accepted.
 *
 *   npx tsx test/webhooks-soak/soak.ts [--changes N] [--seed S]     (default 2,000 changes, seed 12;
 *   WEBHOOK_SOAK_SEED overrides the seed; --large runs 20,000; WEBHOOK_SOAK_TRACE=1 prints the
 *   deliveries and emissions of each lost or spurious booking)
 */
import { setMaxListeners } from 'node:events';
import { isCalcomError, subscribeWebhooks, type HttpExecutor } from '@calcom-oauth/shared';
import { startEmulator, type Booking as EmuBooking, type Emulator } from '../emulator/index';
import { Rng } from '../emulator/rng';
import { fetchExecutor } from '../polling/support/connection';
import { FORGERY_KINDS, sendForgery, type ForgeryKind } from './forgeries';
import { WebhookOracle, SAME_CHANGE_MS, type SoakEvent } from './oracle';
import { Subscriber } from './receiver';

const EVENTS: readonly SoakEvent[] = ['booking_created', 'booking_rescheduled', 'booking_requested', 'booking_cancelled', 'booking_rejected', 'booking_updated'];
const DEFAULT_SEED = 12;
const DEFAULT_CHANGES = 2_000;
const LARGE_CHANGES = 20_000;
/** Simulated minutes between two reconciliation polls of a subscriber (n8n's default is 5). */
const RECONCILE_EVERY_MS = 5 * 60_000;
/** Alice's personal event types: two that book at once, one that needs confirmation (seed.ts). */
const INSTANT_TYPES = [1, 2];
const CONFIRMATION_TYPE = 3;

export interface WebhookSoakOptions {
  changes: number;
  seed: number;
  log?: (line: string) => void;
}

export interface WebhookSoakReport {
  changes: number;
  events: number;
  lost: string[];
  duplicated: string[];
  spurious: string[];
  forgedRefused: number;
  forgedAccepted: string[];
  /** Wrong-signature deliveries of the emulator that a subscriber accepted (must be none). */
  wrongSignatureAccepted: number;
  unseeable: number;
  durationMs: number;
}

function arm(emulator: Emulator): void {
  const faults = emulator.deliveryFaults;
  // One fault per delivery, the oldest armed first: the later probabilities are scaled so that each
  // kind hits about its share of ALL deliveries.
  faults.inject({ kind: 'drop', probability: 0.10, times: Infinity });
  faults.inject({ kind: 'duplicate', probability: 0.05 / 0.9, times: Infinity });
  faults.inject({ kind: 'reorder', probability: 0.05 / 0.85, times: Infinity });
  faults.inject({ kind: 'delay', probability: 0.05 / 0.8, delayMs: 40, times: Infinity });
  faults.inject({ kind: 'delay', probability: 0.03 / 0.75, delayMs: 400, times: Infinity });
  faults.inject({ kind: 'wrong-signature', probability: 0.02 / 0.72, times: Infinity });
}

/**
 * Bookings the changes act on: alice's, on her personal event types, so her user webhooks fire and her
 * token lists them. Not recurring occurrences: Cal.com prints no `rescheduledToUid` for them, so a poll
 * reads their reschedule as a cancellation (a documented limit of polling, not of the instant path).
 */
function alicesUpcoming(emulator: Emulator, status: string, quietSince: Map<string, number>): EmuBooking[] {
  const now = emulator.clock.now();
  return [...emulator.store.bookings.values()].filter(
    (b) => b.userId === 1 && b.recurringEventId === null && b.status === status && b.end > now && (quietSince.get(b.uid) ?? -Infinity) < now - SAME_CHANGE_MS,
  );
}

/** One booking change through the emulator's generator; returns false when nothing fit (try again). */
function change(emulator: Emulator, oracle: WebhookOracle, rng: Rng, lastChange: Map<string, number>): boolean {
  const { generator, clock } = emulator;
  const now = clock.now();
  const roll = rng.next();
  const mark = (b: EmuBooking): void => void lastChange.set(b.uid, clock.now());
  const start = Math.ceil(now / 900_000) * 900_000 + rng.int(8, 20 * 24 * 4) * 900_000;
  if (roll < 0.3) {
    mark(generator.createBooking({ userId: 1, eventTypeId: rng.pick(INSTANT_TYPES), start }));
    return true;
  }
  if (roll < 0.42) {
    mark(generator.createBooking({ userId: 1, eventTypeId: CONFIRMATION_TYPE, start }));
    return true;
  }
  const pending = alicesUpcoming(emulator, 'PENDING', lastChange);
  const accepted = alicesUpcoming(emulator, 'ACCEPTED', lastChange);
  if (roll < 0.54) {
    if (pending.length === 0) return false;
    const target = rng.pick(pending);
    mark(rng.chance(0.7) ? generator.confirmBooking(target.uid) : generator.rejectBooking(target.uid, 'Not available'));
    return true;
  }
  if (accepted.length === 0) return false;
  const target = rng.pick(accepted);
  if (roll < 0.68) {
    mark(generator.cancelBooking(target.uid, rng.chance(0.5) ? 'Something came up' : undefined));
  } else if (roll < 0.72) {
    mark(generator.requestReschedule(target.uid, 'Please pick another time'));
  } else if (roll < 0.86) {
    const replacement = generator.rescheduleBooking(target.uid, target.start + rng.int(1, 14) * 86_400_000, { reason: 'Moved' });
    mark(replacement);
    mark(target);
    // The old booking's row is written too (cancelled, rescheduledToUid): "booking updated" by polling only.
    oracle.recordSilent(target.uid);
  } else {
    // An edit Cal.com fires no webhook for: only the reconciliation poll can report it.
    target.metadata = { ...target.metadata, note: `edited-${rng.int(1, 1e6)}` };
    target.updatedAt = clock.now();
    mark(target);
    oracle.recordSilent(target.uid);
  }
  return true;
}

function seedOf(argv: string[]): number {
  const index = argv.indexOf('--seed');
  const raw = index >= 0 ? argv[index + 1] : process.env.WEBHOOK_SOAK_SEED;
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`--seed (or WEBHOOK_SOAK_SEED) takes a whole number; got ${raw}`);
  return seed;
}

function changesOf(argv: string[]): number {
  if (argv.includes('--large')) return LARGE_CHANGES;
  const index = argv.indexOf('--changes');
  if (index < 0) return DEFAULT_CHANGES;
  const value = Number(argv[index + 1]);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error('--changes takes a positive whole number, e.g. --changes 5000');
  return value;
}

export async function runWebhookSoak(options: WebhookSoakOptions): Promise<WebhookSoakReport> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const started = Date.now();
  const rng = new Rng(options.seed);
  // The emulator's deliveries share one AbortSignal (to abort them all on close); thousands of them
  // in flight over a run trip Node's listener-leak warning, which says nothing about the soak.
  setMaxListeners(0);
  const emulator = await startEmulator({
    era: '2026', bookings: 40, seed: options.seed, startAt: '2026-03-02T09:00:00Z', allowLoopbackWebhooks: true,
    accessTokenTtlSeconds: 365 * 86_400, rateLimit: { accessToken: 1_000_000 },
  });
  const subscribers = EVENTS.map((event) => new Subscriber(event));
  try {
    const scoped = emulator.seeded.clients.scoped;
    const accessToken = emulator.mintTokens({ clientId: scoped.clientId, scopes: ['BOOKING_READ', 'WEBHOOK_READ', 'WEBHOOK_WRITE', 'PROFILE_READ'] }).access_token;
    const instance = { kind: 'self-hosted' as const, appUrl: emulator.appUrl, apiUrl: emulator.apiUrl };
    const bare = fetchExecutor(10_000);
    const execute: HttpExecutor = (request) => bare({ ...request, headers: { ...request.headers, authorization: `Bearer ${accessToken}` } });
    const byUrl = new Map<string, SoakEvent>();
    for (const subscriber of subscribers) {
      await subscriber.start();
      subscriber.subscription = await subscribeWebhooks({ execute, instance }, { subscriberUrl: subscriber.url, event: subscriber.event });
      byUrl.set(subscriber.url, subscriber.event);
    }
    const oracle = new WebhookOracle(emulator, EVENTS, emulator.clock.now());
    const reconcileAll = async (final: boolean): Promise<void> => {
      oracle.notePoll();
      for (const subscriber of subscribers) {
        try {
          await subscriber.reconcile({ execute, instance, accessToken });
        } catch (error) {
          if (final || !isCalcomError(error)) throw error;
          log(`  reconciliation of ${subscriber.event} failed (${error.kind}); the next one repeats it`);
        }
      }
    };
    // The first reconciliation records each subscriber's baseline; every change after it is the soak's.
    for (const subscriber of subscribers) await subscriber.reconcile({ execute, instance, accessToken });
    arm(emulator);

    const lastChange = new Map<string, number>();
    let changes = 0;
    let lastLogged = 0;
    let forged = 0;
    let nextReconcile = emulator.clock.now() + RECONCILE_EVERY_MS;
    while (changes < options.changes) {
      emulator.clock.advance(rng.int(2, 40));
      if (change(emulator, oracle, rng, lastChange)) changes += 1;
      // Let deliveries run between changes, as Cal.com's happen while its users keep working.
      if (changes % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (rng.chance(0.03)) {
        const subscriber = rng.pick(subscribers);
        const kind: ForgeryKind = rng.pick(FORGERY_KINDS);
        forged += 1;
        const status = await sendForgery(kind, subscriber.url, subscriber.lastGenuine, new Date(emulator.clock.now()).toISOString(), forged, rng);
        if (status !== 401) log(`  forged ${kind} delivery to ${subscriber.event} answered ${status}`);
      }
      if (emulator.clock.now() >= nextReconcile) {
        // Reconciliations run while deliveries are still in flight, as they do on a platform.
        nextReconcile = emulator.clock.now() + RECONCILE_EVERY_MS;
        await reconcileAll(false);
      }
      if (changes % 500 === 0 && changes > 0 && lastLogged !== changes) {
        lastLogged = changes;
        log(`  … ${changes} changes, ${emulator.webhookDeliveries().length} deliveries, ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
    }
    // Drain: every delivery arrives (held ones last), then two reconciliations past the overlap.
    await emulator.settleWebhooks(30_000);
    for (let round = 0; round < 2; round += 1) {
      emulator.clock.advance(RECONCILE_EVERY_MS / 1000);
      await reconcileAll(true);
    }
    await emulator.settleWebhooks(30_000);

    const deliveries = emulator.webhookDeliveries();
    oracle.noteDeliveries(deliveries, (url) => byUrl.get(url));
    const verdict = oracle.judge(subscribers.flatMap((subscriber) => subscriber.emitted));
    const refusedSignatures = new Set(subscribers.flatMap((subscriber) => subscriber.refused.map((refusal) => refusal.signature)));
    const wrongSignature = deliveries.filter((d) => d.fault === 'wrong-signature' && typeof d.outcome === 'number');
    const report: WebhookSoakReport = {
      changes,
      events: verdict.expected,
      lost: verdict.lost,
      duplicated: verdict.duplicated,
      spurious: verdict.spurious,
      forgedRefused: subscribers.reduce((sum, subscriber) => sum + subscriber.refused.length, 0),
      forgedAccepted: subscribers.flatMap((subscriber) => subscriber.forgedAccepted),
      wrongSignatureAccepted: wrongSignature.filter((d) => d.outcome !== 401 || !refusedSignatures.has(d.signature)).length,
      unseeable: verdict.unseeable,
      durationMs: Date.now() - started,
    };
    const faultCounts = new Map<string, number>();
    for (const d of deliveries) faultCounts.set(d.fault ?? 'none', (faultCounts.get(d.fault ?? 'none') ?? 0) + 1);
    // A duplicated delivery is logged twice (the copy too); shares are of the deliveries Cal.com dispatched.
    const dispatched = deliveries.length - (faultCounts.get('duplicate') ?? 0) / 2;
    const share = (kind: string) => {
      const count = (faultCounts.get(kind) ?? 0) / (kind === 'duplicate' ? 2 : 1);
      return `${kind} ${count} (${((count / dispatched) * 100).toFixed(1)}%)`;
    };
    log(`webhook soak: seed ${options.seed}, ${changes} changes over ${((emulator.clock.now() - Date.parse('2026-03-02T09:00:00Z')) / 3_600_000).toFixed(1)} simulated hours, ${(report.durationMs / 1000).toFixed(1)} s`);
    log(`deliveries: ${dispatched} dispatched; ${['drop', 'duplicate', 'reorder', 'delay', 'wrong-signature'].map(share).join(', ')}; ${forged} forged by the soak`);
    log(`${'subscriber'.padEnd(22)}${'required'.padStart(9)}${'instant'.padStart(9)}${'reconciled'.padStart(11)}${'polls'.padStart(7)}${'poll req'.padStart(10)}${'refused'.padStart(9)}`);
    for (const subscriber of subscribers) {
      const row = verdict.byEvent.get(subscriber.event) ?? { required: 0, instant: 0, reconciliation: 0 };
      log(`${subscriber.event.padEnd(22)}${String(row.required).padStart(9)}${String(row.instant).padStart(9)}${String(row.reconciliation).padStart(11)}${String(subscriber.polls).padStart(7)}${String(subscriber.pollRequests).padStart(10)}${String(subscriber.refused.length).padStart(9)}`);
    }
    log(`(required: a path had to see it; instant/reconciled: which path emitted it; ${report.unseeable} no path could see are not counted: a dropped delivery of a change superseded before the next poll, or of a new booking, which the emulator leaves without updatedAt)`);
    for (const line of [...report.lost.slice(0, 10).map((l) => `LOST ${l}`), ...report.duplicated.slice(0, 10).map((l) => `DUPLICATED ${l}`), ...report.spurious.slice(0, 10).map((l) => `SPURIOUS ${l}`), ...report.forgedAccepted.slice(0, 5).map((l) => `FORGED ACCEPTED ${l}`)]) log(`  ${line}`);
    if (process.env.WEBHOOK_SOAK_TRACE !== undefined) {
      for (const line of [...report.lost, ...report.spurious].slice(0, 6)) {
        const uid = /([A-Za-z0-9]{20,})/.exec(line)?.[1] ?? '';
        const b = emulator.store.bookings.get(uid);
        log(`    ${uid}: ${JSON.stringify(b === undefined ? null : { status: b.status, createdAt: new Date(b.createdAt).toISOString(), updatedAt: b.updatedAt === null ? null : new Date(b.updatedAt).toISOString(), from: b.fromReschedule, to: b.rescheduledToUid, userId: b.userId, eventTypeId: b.eventTypeId })}`);
        for (const d of deliveries.filter((x) => x.bookingUid === uid)) log(`      delivery #${d.seq} ${d.trigger} → ${byUrl.get(d.subscriberUrl)} at ${d.at}: ${String(d.outcome)} fault ${String(d.fault)}`);
        for (const s of subscribers) for (const e of s.emitted.filter((x) => x.item.booking.uid === uid)) log(`      emitted ${e.path} ${e.item.event} ${e.item.id} ${e.item.occurredAt}`);
      }
    }
    if (report.wrongSignatureAccepted > 0) log(`  ${report.wrongSignatureAccepted} wrong-signature deliveries were not refused`);
    log(`webhook soak: ${report.events} events, ${report.lost.length} lost, ${report.duplicated.length} duplicated, ${report.forgedRefused} forged refused`);
    return report;
  } finally {
    await emulator.close();
    for (const subscriber of subscribers) await subscriber.stop();
  }
}
/** Whether the soak passed: nothing lost, nothing twice, nothing invented, no forgery accepted. */
export function soakPassed(report: WebhookSoakReport): boolean {
  return report.lost.length === 0 && report.duplicated.length === 0 && report.spurious.length === 0 && report.forgedAccepted.length === 0 && report.wrongSignatureAccepted === 0 && report.forgedRefused > 0;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  runWebhookSoak({ changes: changesOf(argv), seed: seedOf(argv) }).then(
    (report) => {
      process.exitCode = soakPassed(report) ? 0 : 1;
    },
    (error: unknown) => {
      process.stderr.write(`webhook soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

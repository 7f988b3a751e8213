/**
 * Soak of the booking polling engine against the emulator: thousands of randomized booking changes
 * with faults on the wire (429, 5xx, time-outs, HTML, truncated and malformed bodies, data changing
 * between pages), clock jumps of the Date header (a year ahead or a day back on one answer, minutes
 * ahead or an hour back for several rounds), malformed bookings (attendees/hosts/guests not lists or
 * holding nulls, bad dates, null items), more than 200 cancellations followed by edits of the
 * cancelled bookings, expiring tokens refreshed through the core, equal timestamps, clock skew and a
 * state loss midway.
 *
 * The oracle is independent of the engine: it reads the emulator's store (its own field names and
 * upper-case statuses) at the start of every poll round. Whatever qualified for an event then must
 * have been reported by the end (stateful), exactly once; whatever was reported must have happened
 * (checked against the emulator's own change log). Stateless listings must keep their ids stable.
 *
 *   npx tsx test/polling/soak.ts [mutations]     (the jest test runs it with 10,000)
 */
import {
  isCalcomError,
  listBookingEvents,
  pollBookingEvents,
  pollStateSize,
  type BookingEventFilters,
  type BookingEventKey,
  type BookingPollState,
  type BookingPollTuning,
} from '@calcom-oauth/shared';
import { startEmulator, type Booking as EmuBooking, type Emulator, type FaultSpec } from '../emulator/index';
import { Rng } from '../emulator/rng';
import { EmulatorConnection, fetchExecutor } from './support/connection';
import { pickWireFault, WireFaults } from './support/wire-faults';

const OVERLAP_SECONDS = 120;
const ROUND_SECONDS = 60;

interface StatefulConsumer {
  name: string;
  event: BookingEventKey;
  filters: BookingEventFilters;
  tuning: BookingPollTuning;
  state: BookingPollState | undefined;
  epoch: number;
  base: BaseSnapshot | undefined;
  /** Event id → number of times reported. */
  reported: Map<string, number>;
  /** Ids that had to be reported (from snapshots of successful polls). */
  required: Set<string>;
  polls: number;
  failures: Map<string, number>;
  requests: number;
  bytes: number;
  maxStateBytes: number;
  idleRequests: number[];
  warnings: number;
  /** Changes made while the state was lost (between the last poll before the loss and the new baseline): not replayed by design. */
  outage: Set<string>;
  baseBeforeLoss: BaseSnapshot | undefined;
  /** Per poll: round, clock, lower bound before → after, outcome (printed for lost events). */
  trace: string[];
}

interface StatelessConsumer {
  name: string;
  event: BookingEventKey;
  /** Id → the identity it stood for the first time. */
  identities: Map<string, string>;
  unstable: number;
  calls: number;
  failures: number;
}

interface BaseSnapshot {
  time: number;
  uids: Set<string>;
  status: Map<string, string>;
  versions: Set<string>;
}

export interface SoakReport {
  mutations: number;
  rounds: number;
  bookingsAtEnd: number;
  faultsInjected: number;
  refreshes: number;
  wallSeconds: number;
  stateful: Array<{
    name: string;
    reported: number;
    required: number;
    lost: number;
    duplicated: number;
    spurious: number;
    outageNotReplayed: number;
    polls: number;
    failures: Record<string, number>;
    requests: number;
    bytes: number;
    maxStateBytes: number;
    idlePollsOneRequest: string;
  }>;
  stateless: Array<{ name: string; calls: number; ids: number; unstable: number; failures: number }>;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const version = (b: EmuBooking): string => `${b.uid}:${b.updatedAt === null ? '' : iso(b.updatedAt)}`;
const UNCONFIRMED = new Set(['PENDING', 'AWAITING_HOST']);

/** What the emulator's data says must have been reported for an event, as of `now`. */
function qualifies(event: BookingEventKey, filters: BookingEventFilters, b: EmuBooking, base: BaseSnapshot, now: number): string | undefined {
  const isNew = !base.uids.has(b.uid);
  switch (event) {
    case 'booking_created':
      if (!isNew || b.fromReschedule !== null) return undefined;
      if (b.status === 'ACCEPTED' || (filters.includeUnconfirmed === true && UNCONFIRMED.has(b.status))) return b.uid;
      return undefined;
    case 'booking_rescheduled':
      return isNew && b.fromReschedule !== null && b.status === 'ACCEPTED' ? b.uid : undefined;
    case 'booking_requested':
      return isNew && UNCONFIRMED.has(b.status) ? b.uid : undefined;
    case 'booking_cancelled':
      return b.status === 'CANCELLED' && b.rescheduledToUid === null && base.status.get(b.uid) !== 'CANCELLED' ? b.uid : undefined;
    case 'booking_rejected':
      return b.status === 'REJECTED' && base.status.get(b.uid) !== 'REJECTED' ? b.uid : undefined;
    case 'meeting_ended':
      return b.status === 'ACCEPTED' && b.end <= now && b.end > base.time ? b.uid : undefined;
    case 'booking_updated':
      return b.updatedAt !== null && !base.versions.has(version(b)) ? version(b) : undefined;
  }
}

function snapshot(emulator: Emulator): BaseSnapshot {
  const uids = new Set<string>();
  const status = new Map<string, string>();
  const versions = new Set<string>();
  for (const b of emulator.store.bookings.values()) {
    uids.add(b.uid);
    status.set(b.uid, b.status);
    if (b.updatedAt !== null) versions.add(version(b));
  }
  return { time: emulator.clock.now(), uids, status, versions };
}

/** Checks a reported id against the emulator's change log: did such a change ever happen? */
function plausible(event: BookingEventKey, id: string, triggers: Map<string, Set<string>>, emulator: Emulator, base: BaseSnapshot): boolean {
  const has = (trigger: string) => triggers.get(trigger)?.has(id) === true;
  switch (event) {
    case 'booking_created':
      return has('BOOKING_CREATED') || has('BOOKING_REQUESTED');
    case 'booking_rescheduled':
      return has('BOOKING_RESCHEDULED');
    case 'booking_requested':
      return has('BOOKING_REQUESTED');
    case 'booking_cancelled': {
      // Cal.com prints no rescheduledToUid for recurring occurrences, so their reschedules read as cancellations.
      const b = emulator.store.bookings.get(id);
      return has('BOOKING_CANCELLED') || (b !== undefined && b.status === 'CANCELLED' && b.recurringEventId !== null);
    }
    case 'booking_rejected':
      return has('BOOKING_REJECTED');
    case 'meeting_ended': {
      const b = emulator.store.bookings.get(id);
      return b !== undefined && b.end > base.time - OVERLAP_SECONDS * 1000 && b.end <= emulator.clock.now();
    }
    case 'booking_updated': {
      const split = id.lastIndexOf(':', id.length - 20);
      const b = emulator.store.bookings.get(id.slice(0, split));
      const at = Date.parse(id.slice(split + 1));
      return b !== undefined && b.updatedAt !== null && at <= b.updatedAt && at >= base.time - OVERLAP_SECONDS * 1000;
    }
  }
}

function mutate(emulator: Emulator, rng: Rng): number {
  const { generator, clock } = emulator;
  const roll = rng.next();
  if (roll < 0.65) {
    generator.randomMutation(rng);
    return 1;
  }
  if (roll < 0.72) {
    // Hosts act on requests: confirm (or decline) the oldest one waiting, as a real calendar drains them.
    const pending = [...emulator.store.bookings.values()].find((b) => b.status === 'PENDING' && b.end > clock.now());
    if (pending === undefined) return 0;
    if (rng.chance(0.75)) generator.confirmBooking(pending.uid);
    else generator.rejectBooking(pending.uid, 'Declined');
    return 1;
  }
  if (roll < 0.8) {
    // A meeting soon, so "meeting ended" happens during the run.
    const start = clock.now() + rng.int(1, 90) * 60_000;
    generator.createBooking({ userId: rng.chance(0.8) ? 1 : 2, start, durationMinutes: rng.pick([15, 30, 45, 60]) });
    return 1;
  }
  if (roll < 0.88) {
    // Equal createdAt for a batch (ties inside and across page boundaries).
    const count = rng.int(3, 6);
    const at = clock.now();
    for (let i = 0; i < count; i += 1) generator.createBooking({ createdAt: at, requiresConfirmation: rng.chance(0.2) });
    return count;
  }
  if (roll < 0.95) {
    // Stamped by a clock up to 90 s behind the API server's Date header (overlap is 120 s).
    generator.createBooking({ createdAt: clock.now() - rng.int(1_000, 90_000) });
    return 1;
  }
  // Several edits with one updatedAt.
  const upcoming = [...emulator.store.bookings.values()].filter((b) => b.status === 'ACCEPTED' && b.end > clock.now());
  const chosen = Array.from({ length: Math.min(upcoming.length, rng.int(2, 4)) }, () => rng.pick(upcoming));
  for (const b of chosen) b.metadata = { ...b.metadata, bulk: String(rng.int(1, 1e9)) };
  generator.setTimestamps([...new Set(chosen.map((b) => b.uid))], 'updatedAt', clock.now());
  return chosen.length;
}

const FAULTS: Array<(rng: Rng) => FaultSpec> = [
  () => ({ kind: 'status', status: 429, match: '/v2/bookings' }),
  (rng) => ({ kind: 'status', status: rng.pick([500, 502, 503] as const), match: '/v2/bookings' }),
  () => ({ kind: 'timeout', match: '/v2/bookings' }),
  () => ({ kind: 'html-error', match: '/v2/bookings' }),
  () => ({ kind: 'truncated', match: '/v2/bookings' }),
  () => ({ kind: 'malformed-json', match: '/v2/bookings' }),
  () => ({ kind: 'mutate-between-pages', match: '/v2/bookings' }),
];

export async function runSoak(options: { mutations?: number; seed?: number; log?: (line: string) => void; faults?: boolean; stateLoss?: boolean; only?: string[] } = {}): Promise<SoakReport> {
  const targetMutations = options.mutations ?? 10_000;
  const log = options.log ?? ((line: string) => console.log(line));
  const started = performance.now();
  const rng = new Rng(options.seed ?? 20260302);
  const emulator = await startEmulator({ bookings: 300, seed: options.seed ?? 7, rateLimit: undefined });
  const wire = new WireFaults(fetchExecutor(250));
  const execute = wire.execute;
  const connection = new EmulatorConnection(emulator, execute);
  const triggers = new Map<string, Set<string>>();
  const chained = emulator.generator.onChange;
  emulator.generator.onChange = (trigger, booking) => {
    if (!triggers.has(trigger)) triggers.set(trigger, new Set());
    triggers.get(trigger)?.add(booking.uid);
    chained?.(trigger, booking);
  };

  const overlap: BookingPollTuning = { overlapSeconds: OVERLAP_SECONDS };
  const stateful: StatefulConsumer[] = (
    [
      ['created', 'booking_created', {}, { ...overlap, pageSize: 20 }],
      ['created+unconfirmed', 'booking_created', { includeUnconfirmed: true }, { ...overlap, pageSize: 9, maxPagesPerPoll: 6 }],
      ['rescheduled', 'booking_rescheduled', {}, overlap],
      ['cancelled', 'booking_cancelled', {}, overlap],
      ['rejected', 'booking_rejected', {}, overlap],
      ['requested', 'booking_requested', {}, overlap],
      ['meeting ended', 'meeting_ended', {}, { ...overlap, probeSize: 3, pageSize: 10 }],
      ['updated', 'booking_updated', {}, { ...overlap, pageSize: 15 }],
    ] as Array<[string, BookingEventKey, BookingEventFilters, BookingPollTuning]>
  )
    .filter(([name]) => options.only === undefined || options.only.includes(name))
    .map(([name, event, filters, tuning]) => ({
    name, event, filters, tuning, state: undefined, epoch: 0, base: undefined, reported: new Map(), required: new Set(), polls: 0,
    failures: new Map(), requests: 0, bytes: 0, maxStateBytes: 0, idleRequests: [], warnings: 0, outage: new Set(), baseBeforeLoss: undefined, trace: [],
  }));
  const stateless: StatelessConsumer[] = (['booking_created', 'booking_cancelled', 'booking_updated'] as BookingEventKey[]).map((event) => ({
    name: event, event, identities: new Map(), unstable: 0, calls: 0, failures: 0,
  }));
  const bases: BaseSnapshot[] = [];

  let mutations = 0;
  let rounds = 0;
  let faultsInjected = 0;
  let lostStateAt = -1;
  let massCancelledAt = -1;
  let massCancelled: string[] = [];
  let lastProgress = 0;
  while (mutations < targetMutations) {
    rounds += 1;
    emulator.clock.advance(ROUND_SECONDS);
    const perRound = rng.int(10, 50);
    for (let i = 0; i < perRound && mutations < targetMutations; i += 1) {
      mutations += mutate(emulator, rng);
      if (rng.chance(0.5)) emulator.clock.advance(rng.int(1, 400) / 1000);
    }
    // A fault armed just before one consumer's poll hits that consumer's first matching request.
    const faultBefore = options.faults !== false && rng.chance(0.35) ? rng.int(0, stateful.length + stateless.length - 1) : -1;
    const armFault = (index: number): void => {
      if (index !== faultBefore) return;
      if (rng.chance(0.3)) pickWireFault(rng, wire);
      else emulator.faults.inject(rng.pick(FAULTS)(rng));
      faultsInjected += 1;
    };
    // A skewed clock for a few rounds: the Date header ahead (by less than the overlap, the skew the engine
    // tolerates while it drains a backlog; single answers above jump by a year), or an hour behind.
    if (options.faults !== false && rounds % 40 === 10) wire.skewMs = rng.chance(0.5) ? 25_000 : -60 * 60_000;
    if (rounds % 40 === 15) wire.skewMs = 0;
    // More than 200 cancellations in one interval, then edits of the first of them (a cancelled booking moves again).
    if (massCancelledAt < 0 && mutations >= targetMutations / 4) {
      massCancelledAt = rounds;
      const upcoming = emulator.store.bookingsVisibleTo(emulator.store.user(1)).filter((b) => b.status === 'ACCEPTED' && b.end > emulator.clock.now());
      massCancelled = upcoming.slice(0, 250).map((b) => emulator.generator.cancelBooking(b.uid, 'Mass cancellation').uid);
      log(`  ${massCancelled.length} bookings cancelled at round ${rounds}`);
    } else if (massCancelledAt > 0 && rounds - massCancelledAt >= 3 && rounds - massCancelledAt <= 5) {
      emulator.generator.setTimestamps(massCancelled.slice((rounds - massCancelledAt - 3) * 10, (rounds - massCancelledAt - 2) * 10), 'updatedAt', emulator.clock.now());
    }
    if (options.stateLoss !== false && lostStateAt < 0 && mutations >= targetMutations / 2) {
      lostStateAt = rounds;
      for (const consumer of stateful) {
        consumer.state = undefined;
        consumer.baseBeforeLoss = consumer.base;
        consumer.base = undefined;
        consumer.epoch += 1;
      }
      log(`  state lost for every stateful consumer at round ${rounds} (mutation ${mutations})`);
    }
    // The token is alice's: Cal.com shows her the bookings she organizes or attends, nothing else.
    const visible = emulator.store.bookingsVisibleTo(emulator.store.user(1));
    const qualifying = (consumer: StatefulConsumer, base: BaseSnapshot): Set<string> => {
      const ids = new Set<string>();
      const time = emulator.clock.now();
      for (const b of visible) {
        const id = qualifies(consumer.event, consumer.filters, b, base, time);
        if (id !== undefined) ids.add(id);
      }
      return ids;
    };
    let refreshedThisRound = false;
    for (const [index, consumer] of stateful.entries()) {
      const isBaseline = consumer.state === undefined;
      const now = isBaseline ? snapshot(emulator) : undefined;
      const before = consumer.base === undefined ? undefined : qualifying(consumer, consumer.base);
      armFault(index);
      try {
        const result = await pollBookingEvents({
          instance: connection.instance,
          accessToken: connection.accessToken,
          event: consumer.event,
          filters: consumer.filters,
          execute,
          state: consumer.state,
          tuning: consumer.tuning,
        });
        consumer.polls += 1;
        consumer.trace.push(`r${rounds} t=${iso(emulator.clock.now())} ${consumer.state?.main.after ?? 'none'} -> ${result.state.main.after} ev=${result.events.length} req=${result.stats.requests} more=${result.more} seen=${result.state.main.seen.length} awaiting=${result.state.awaiting?.length ?? 0}`);
        consumer.requests += result.stats.requests;
        consumer.bytes += result.stats.bytes;
        consumer.warnings += result.warnings.length;
        consumer.state = result.state;
        consumer.maxStateBytes = Math.max(consumer.maxStateBytes, pollStateSize(result.state));
        for (const event of result.events) consumer.reported.set(event.id, (consumer.reported.get(event.id) ?? 0) + 1);
        if (result.events.length === 0 && !result.more) consumer.idleRequests.push(result.stats.requests);
        if (now !== undefined) {
          consumer.base = now;
          bases.push(now);
          if (consumer.baseBeforeLoss !== undefined) {
            for (const id of qualifying(consumer, consumer.baseBeforeLoss)) if (!consumer.reported.has(id)) consumer.outage.add(id);
            consumer.baseBeforeLoss = undefined;
          }
        } else if (!result.more && consumer.base !== undefined && before !== undefined) {
          // Required: what qualified before the poll and still did after it (a mutate-between-pages
          // fault may change a booking during the poll, before the poll reaches it).
          const after = qualifying(consumer, consumer.base);
          for (const id of before) if (after.has(id)) consumer.required.add(id);
        }
      } catch (error) {
        const kind = isCalcomError(error) ? error.kind : 'crash';
        consumer.trace.push(`r${rounds} t=${iso(emulator.clock.now())} failed ${kind}`);
        consumer.failures.set(kind, (consumer.failures.get(kind) ?? 0) + 1);
        if (kind === 'crash') throw error;
        if (kind === 'token_expired' && !refreshedThisRound) {
          await connection.refresh();
          refreshedThisRound = true;
        }
      }
    }
    if (rounds % 2 === 0) {
      for (const [index, consumer] of stateless.entries()) {
        armFault(stateful.length + index);
        try {
          const result = await listBookingEvents({
            instance: connection.instance, accessToken: connection.accessToken, event: consumer.event, execute, limit: 100,
          });
          consumer.calls += 1;
          for (const event of result.events) {
            // An id must always stand for the same event of the same booking (its payload may be newer).
            const identity = `${event.event}|${event.booking.uid}`;
            const known = consumer.identities.get(event.id);
            if (known === undefined) consumer.identities.set(event.id, identity);
            else if (known !== identity) consumer.unstable += 1;
          }
        } catch (error) {
          if (!isCalcomError(error)) throw error;
          consumer.failures += 1;
          if (error.kind === 'token_expired' && !refreshedThisRound) {
            await connection.refresh();
            refreshedThisRound = true;
          }
        }
      }
    }
    if (mutations - lastProgress >= 2500) {
      lastProgress = mutations;
      log(`  … ${mutations} mutations, round ${rounds}, ${emulator.store.bookings.size} bookings, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  // Drain: no more changes, no more faults; a few polls so everything already required is read.
  emulator.faults.clear();
  wire.skewMs = 0;
  for (let i = 0; i < 3; i += 1) {
    emulator.clock.advance(ROUND_SECONDS);
    for (const consumer of stateful) {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        try {
          const result = await pollBookingEvents({
            instance: connection.instance, accessToken: connection.accessToken, event: consumer.event, filters: consumer.filters,
            execute, state: consumer.state, tuning: consumer.tuning,
          });
          consumer.state = result.state;
          for (const event of result.events) consumer.reported.set(event.id, (consumer.reported.get(event.id) ?? 0) + 1);
          break;
        } catch (error) {
          if (isCalcomError(error) && error.kind === 'token_expired') await connection.refresh();
          else throw error;
        }
      }
    }
  }

  const report: SoakReport = {
    mutations, rounds, bookingsAtEnd: emulator.store.bookings.size, faultsInjected, refreshes: connection.refreshes,
    wallSeconds: (performance.now() - started) / 1000, stateful: [], stateless: [],
  };
  for (const consumer of stateful) {
    const lost = [...consumer.required].filter((id) => !consumer.reported.has(id));
    const duplicated = [...consumer.reported.entries()].filter(([, count]) => count > 1);
    const spurious = [...consumer.reported.keys()].filter((id) => !bases.some((base) => plausible(consumer.event, id, triggers, emulator, base)));
    const oneRequest = consumer.idleRequests.filter((n) => n === 1).length;
    report.stateful.push({
      name: consumer.name,
      reported: consumer.reported.size,
      required: consumer.required.size,
      lost: lost.length,
      duplicated: duplicated.length,
      spurious: spurious.length,
      outageNotReplayed: consumer.outage.size,
      polls: consumer.polls,
      failures: Object.fromEntries(consumer.failures),
      requests: consumer.requests,
      bytes: consumer.bytes,
      maxStateBytes: consumer.maxStateBytes,
      idlePollsOneRequest: `${oneRequest}/${consumer.idleRequests.length}`,
    });
    if (lost.length > 0) {
      log(`  LOST (${consumer.name}): ${lost.slice(0, 5).join(', ')}`);
      // SOAK_TRACE=1 prints the polls around each lost booking.
      if (process.env.SOAK_TRACE !== undefined) {
        for (const id of lost.slice(0, 3)) {
          const b = emulator.store.bookings.get(id.split(':')[0] as string);
          if (b === undefined) continue;
          log(`    ${id}: created ${iso(b.createdAt)} updated ${b.updatedAt === null ? 'null' : iso(b.updatedAt)} status ${b.status} from ${String(b.fromReschedule)}`);
          const near = consumer.trace.filter((line) => Math.abs(Date.parse(line.split(' ')[1]?.slice(2) ?? '') - b.createdAt) < 6 * 60_000);
          for (const line of near) log(`      ${line}`);
        }
      }
    }
    if (duplicated.length > 0) log(`  DUPLICATED (${consumer.name}): ${duplicated.slice(0, 5).map(([id]) => id).join(', ')}`);
    if (spurious.length > 0) log(`  SPURIOUS (${consumer.name}): ${spurious.slice(0, 5).join(', ')}`);
  }
  for (const consumer of stateless) {
    report.stateless.push({ name: consumer.name, calls: consumer.calls, ids: consumer.identities.size, unstable: consumer.unstable, failures: consumer.failures });
  }
  await emulator.close();
  printReport(report, log);
  return report;
}

export function printReport(report: SoakReport, log: (line: string) => void): void {
  log(`Soak: ${report.mutations} mutations in ${report.rounds} poll rounds, ${report.bookingsAtEnd} bookings at the end, ${report.faultsInjected} faults injected, ${report.refreshes} token refreshes, ${report.wallSeconds.toFixed(1)} s`);
  log('stateful consumer      reported required lost dup spurious outage polls requests      bytes  max state  idle polls w/ 1 request  failures');
  for (const row of report.stateful) {
    log(
      `${row.name.padEnd(22)} ${String(row.reported).padStart(8)} ${String(row.required).padStart(8)} ${String(row.lost).padStart(4)} ${String(row.duplicated).padStart(3)} ${String(row.spurious).padStart(8)} ${String(row.outageNotReplayed).padStart(6)} ${String(row.polls).padStart(5)} ${String(row.requests).padStart(8)} ${String(row.bytes).padStart(10)} ${`${row.maxStateBytes} B`.padStart(10)}  ${row.idlePollsOneRequest.padStart(23)}  ${JSON.stringify(row.failures)}`,
    );
  }
  log('(outage: changes made while the state was lost, before the new baseline; not replayed by design)');
  log('stateless listing      calls   ids  unstable ids  failures');
  for (const row of report.stateless) {
    log(`${row.name.padEnd(22)} ${String(row.calls).padStart(5)} ${String(row.ids).padStart(5)} ${String(row.unstable).padStart(13)} ${String(row.failures).padStart(9)}`);
  }
}

if (require.main === module) {
  const mutations = Number(process.argv[2] ?? 10_000);
  const flags = process.argv.slice(3);
  runSoak({
    mutations,
    faults: !flags.includes('--no-faults'),
    stateLoss: !flags.includes('--no-state-loss'),
    ...(flags.find((f) => f.startsWith('--only=')) ? { only: (flags.find((f) => f.startsWith('--only=')) as string).slice(7).split(',') } : {}),
  }).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

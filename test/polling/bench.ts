/**
 * Cost of the booking polling engine against the emulator holding 10,000 bookings, next to a naive
 * poller that lists every booking on each poll and diffs it against what it saw before.
 *
 *   npx tsx test/polling/bench.ts
 *
 * Prints requests and response bytes for the baseline, an idle poll (nothing changed) and a poll
 * after a burst of 1,000 changes, for each approach, in one table, and the Zapier idle poll with its
 * recent window next to the same poll unbounded (how it read before). It asserts nothing.
 */
import {
  buildBookingsRequest,
  isCalcomError,
  listBookingEvents,
  processBookingsResponse,
  pollBookingEvents,
  type BookingEventKey,
  type HttpExecutor,
} from '@calcom-oauth/shared';
import { startEmulator, type Emulator } from '../emulator/index';
import { EmulatorConnection, fetchExecutor } from './support/connection';

const STORED = 10_000;
const BURST = 1_000;

interface Cost {
  requests: number;
  bytes: number;
  events: number;
  /** The poll stopped at its cap; the rest follows on the next poll. */
  more?: boolean;
}

interface Approach {
  name: string;
  /** One poll; returns its cost. */
  poll(): Promise<Cost>;
}

/** Runs a poll, refreshing the token once if Cal.com refuses it (the bench moves the clock by hours). */
async function withRefresh(connection: EmulatorConnection, poll: () => Promise<Cost>): Promise<Cost> {
  try {
    return await poll();
  } catch (error) {
    if (!isCalcomError(error) || error.kind !== 'token_expired') throw error;
    await connection.refresh();
    return poll();
  }
}

function stateful(connection: EmulatorConnection, execute: HttpExecutor, event: BookingEventKey): Approach {
  let state: unknown;
  return {
    name: `engine, stateful (${event})`,
    async poll() {
      const result = await pollBookingEvents({ instance: connection.instance, accessToken: connection.accessToken, event, execute, state });
      state = result.state;
      return { requests: result.stats.requests, bytes: result.stats.bytes, events: result.events.length, more: result.more };
    },
  };
}

/** Zapier's polls; `unbounded` is how they read before the recent window (the newest page of 100). */
function stateless(connection: EmulatorConnection, execute: HttpExecutor, event: BookingEventKey, unbounded = false): Approach {
  let seen: Set<string> | undefined;
  return {
    name: `engine, stateless (${event}, 100${unbounded ? ', unbounded' : ''})`,
    async poll() {
      const window = unbounded ? { recentWindowHours: null } : {};
      const result = await listBookingEvents({ instance: connection.instance, accessToken: connection.accessToken, event, execute, limit: 100, ...window });
      // Zapier's dedupe: the first poll only records ids; later, only unseen ids trigger.
      const fresh = seen === undefined ? 0 : result.events.filter((e) => !seen?.has(e.id)).length;
      seen ??= new Set();
      for (const e of result.events) seen.add(e.id);
      return { requests: result.stats.requests, bytes: result.stats.bytes, events: fresh };
    },
  };
}

/** Lists every booking (take 250, all pages) and reports the uids and versions it had not seen. */
function naive(connection: EmulatorConnection, execute: HttpExecutor): Approach {
  let known: Map<string, string> | undefined;
  return {
    name: 'naive: list everything, diff',
    async poll() {
      const cost: Cost = { requests: 0, bytes: 0, events: 0 };
      const current = new Map<string, string>();
      for (let skip = 0; ; skip += 250) {
        const request = buildBookingsRequest({ instance: connection.instance, accessToken: connection.accessToken, query: { take: 250, skip } });
        const page = processBookingsResponse(await execute(request));
        cost.requests += 1;
        cost.bytes += page.bytes;
        for (const b of page.bookings) current.set(b.uid, `${b.status}|${b.updatedAt ?? ''}`);
        if (!page.pagination.hasNextPage) break;
      }
      if (known !== undefined) for (const [uid, v] of current) if (known.get(uid) !== v) cost.events += 1;
      known = current;
      return cost;
    },
  };
}

function kb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

function cell(cost: Cost): string {
  return `${String(cost.requests).padStart(3)} req ${kb(cost.bytes).padStart(9)} ${String(cost.events).padStart(5)} ev`;
}

interface Row {
  name: string;
  baseline: Cost;
  idle: Cost;
  burst: Cost;
}

async function measure(emulator: Emulator, connection: EmulatorConnection, approaches: Approach[], burst: () => void, label: string): Promise<Row[]> {
  const rows: Row[] = [];
  const baselines: Cost[] = [];
  for (const approach of approaches) baselines.push(await withRefresh(connection, () => approach.poll()));
  // Idle: let the overlap window pass with no change, then poll three times and average.
  emulator.clock.advance(300);
  const idle: Cost[][] = approaches.map(() => []);
  for (let round = 0; round < 3; round += 1) {
    emulator.clock.advance(60);
    for (const [index, approach] of approaches.entries()) idle[index]?.push(await withRefresh(connection, () => approach.poll()));
  }
  emulator.clock.advance(60);
  burst();
  emulator.clock.advance(60);
  const bursts: Cost[] = [];
  for (const approach of approaches) {
    // A burst larger than one poll's cap would continue next poll; sum until it is drained.
    const total: Cost = { requests: 0, bytes: 0, events: 0 };
    for (let polls = 0; polls < 10; polls += 1) {
      const cost = await withRefresh(connection, () => approach.poll());
      total.requests += cost.requests;
      total.bytes += cost.bytes;
      total.events += cost.events;
      if (cost.more !== true) break;
    }
    bursts.push(total);
  }
  for (const [index, approach] of approaches.entries()) {
    const samples = idle[index] ?? [];
    const average = (pick: (c: Cost) => number) => Math.round(samples.reduce((sum, c) => sum + pick(c), 0) / samples.length);
    rows.push({
      name: approach.name,
      baseline: baselines[index] as Cost,
      idle: { requests: average((c) => c.requests), bytes: average((c) => c.bytes), events: average((c) => c.events) },
      burst: bursts[index] as Cost,
    });
  }
  console.log(`\n${label}`);
  console.log(`${'approach'.padEnd(54)} ${'first poll (baseline)'.padEnd(29)} ${'idle poll (avg of 3)'.padEnd(29)} poll after the burst`);
  for (const row of rows) console.log(`${row.name.padEnd(54)} ${cell(row.baseline).padEnd(29)} ${cell(row.idle).padEnd(29)} ${cell(row.burst)}`);
  return rows;
}

/** The Zapier idle poll with the recent window, next to the same poll reading the newest page as before. */
function printZapierIdle(rows: Row[], event: BookingEventKey): void {
  const bounded = rows.find((row) => row.name === stateless({} as EmulatorConnection, (() => undefined) as unknown as HttpExecutor, event).name);
  const before = rows.find((row) => row.name === stateless({} as EmulatorConnection, (() => undefined) as unknown as HttpExecutor, event, true).name);
  if (bounded === undefined || before === undefined) return;
  console.log(`zapier idle poll (${event}): ${bounded.idle.requests} request${bounded.idle.requests === 1 ? '' : 's'}, ${kb(bounded.idle.bytes)} (was ${before.idle.requests} request${before.idle.requests === 1 ? '' : 's'}, ${kb(before.idle.bytes)}); after the burst ${bounded.burst.events} events either way`);
}

async function main(): Promise<void> {
  const started = performance.now();
  const emulator = await startEmulator({ bookings: STORED, rateLimit: { accessToken: 100_000 } });
  const execute = fetchExecutor(30_000);
  const connection = new EmulatorConnection(emulator, execute);
  const visible = emulator.store.bookingsVisibleTo(emulator.store.user(1)).length;
  // The seed stamps thousands of its bookings a minute before the start time; let a day pass, so an
  // idle account is one where nothing changed within the Zapier poll's recent window (24 h).
  emulator.clock.advance(25 * 3600);
  console.log(`Emulator: ${emulator.store.bookings.size} bookings stored, ${visible} visible to the polling user; seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const created = await measure(
    emulator,
    connection,
    [stateful(connection, execute, 'booking_created'), stateless(connection, execute, 'booking_created'), stateless(connection, execute, 'booking_created', true), naive(connection, execute)],
    () => {
      for (let i = 0; i < BURST; i += 1) emulator.generator.createBooking({ userId: 1 });
    },
    `Burst: ${BURST} new bookings between two polls (reported as "booking created")`,
  );
  printZapierIdle(created, 'booking_created');

  // Every booking the polling user sees (hers and those she attends), so a burst is exactly what the engine reads.
  const upcoming = () => emulator.store.bookingsVisibleTo(emulator.store.user(1)).filter((b) => b.status === 'ACCEPTED' && b.end > emulator.clock.now());
  const cancelled = await measure(
    emulator,
    connection,
    [
      stateful(connection, execute, 'booking_cancelled'), stateful(connection, execute, 'booking_updated'),
      stateless(connection, execute, 'booking_cancelled'), stateless(connection, execute, 'booking_cancelled', true), naive(connection, execute),
    ],
    () => {
      for (const b of upcoming().slice(0, BURST)) emulator.generator.cancelBooking(b.uid, 'bench');
    },
    `Burst: ${BURST} cancellations between two polls ("booking cancelled" / "booking updated")`,
  );
  printZapierIdle(cancelled, 'booking_cancelled');

  await measure(
    emulator,
    connection,
    [stateful(connection, execute, 'meeting_ended'), naive(connection, execute)],
    () => {
      const soon = upcoming().sort((a, b) => a.end - b.end).slice(0, BURST);
      const last = soon[soon.length - 1];
      // measure() moves the clock on by a minute after the burst: land exactly on the 1000th end then.
      if (last !== undefined) emulator.clock.set(Math.max(emulator.clock.now(), last.end - 60_000));
    },
    `Burst: the clock passes the end of the next ${BURST} meetings, and of those ending at the same time as the last ("meeting ended")`,
  );
  console.log('\nNotes: "ev" is what the approach reported. The stateless listing returns at most 100 per poll (Zapier\'s limit),');
  console.log('so after a burst of 1,000 it reports the newest 100; the stateful engine drains bursts up to 2,000 per poll.');
  console.log('The naive poller cannot see a meeting end: nothing in the booking changes when it passes.');
  console.log('A Zapier poll reads a first page of 10 and pages on only inside the last 24 h of Cal.com\'s clock (engine notes,');
  console.log('"Why a Zapier poll reads only the recent window"); "unbounded" is the newest page of 100 it read before.');
  console.log(`Total ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await emulator.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

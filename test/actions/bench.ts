/**
 * Action benchmark (printed): Cal.com requests per operation through each adapter when its inputs are
 * complete (one each), the Zapier create's dynamic fields (one event-type fetch per refresh), and the
 * adapters' own time per call next to the same request sent bare with fetch, on the emulator.
 *
 *   npx tsx test/actions/bench.ts [--calls N]      (default 60 per measurement)
 */
import '../hosts/zapier-long-run';
import { createAppTester } from 'zapier-platform-core';

import App from '../../zapier-app/src/index';
import { bookingFormFields } from '../../zapier-app/src/creates/bookingForm';
import { startEmulator, type Emulator } from '../emulator';
import { n8nActor, zapierActor, type Action, type Actor } from './actors';

const SCOPES = ['BOOKING_READ', 'BOOKING_WRITE', 'EVENT_TYPE_READ', 'PROFILE_READ'];

export interface ActionBenchReport {
  /** Operation → adapter → Cal.com requests it sent. */
  requests: Record<string, Record<string, number>>;
  /** Requests of one dynamic-fields refresh of Zapier's Create Booking. */
  dynamicFieldRequests: number;
  /** Median milliseconds per create: bare fetch, and each adapter. */
  medianMs: { bare: number; zapier: number; n8n: number };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function freeSlots(emulator: Emulator): Promise<string[]> {
  const response = await fetch(`${emulator.apiUrl}/v2/slots?eventTypeId=1&start=2026-03-16&end=2026-12-31&timeZone=UTC`, { headers: { 'cal-api-version': '2024-09-04' } });
  const body = (await response.json()) as { data: Record<string, Array<{ start: string }>> };
  return Object.values(body.data).flat().map((slot) => slot.start);
}

/** Cal.com requests one action sent, read from the emulator's request log. */
async function requestsOf(emulator: Emulator, actor: Actor, action: Action): Promise<{ count: number; uid: string }> {
  emulator.clearRequestLog();
  const report = await actor.run(action);
  if (!report.ok || report.uid === undefined) throw new Error(`${actor.name} ${action.kind} failed: ${report.message ?? ''}`);
  return { count: emulator.requestLog().length, uid: report.uid };
}

export async function runActionBench(options: { calls: number; log?: (line: string) => void }): Promise<ActionBenchReport> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const emulator = await startEmulator({ era: '2026', bookings: 20, rateLimit: { accessToken: 1_000_000 } });
  try {
    const zapierClient = emulator.seeded.clients.scoped;
    const n8nClient = emulator.registerClient({ name: 'n8n bench', redirectUris: ['https://n8n.example.com/rest/oauth2-credential/callback'], scopes: SCOPES });
    const zapierTokens = emulator.mintTokens({ clientId: zapierClient.clientId, scopes: SCOPES });
    const zapierAuth = { access_token: zapierTokens.access_token, refresh_token: zapierTokens.refresh_token };
    const actors = [zapierActor(emulator, zapierClient, zapierAuth), n8nActor(emulator, n8nClient, emulator.mintTokens({ clientId: n8nClient.clientId, scopes: SCOPES }))];
    const slots = await freeSlots(emulator);
    let attendee = 0;
    const create = (): Action => {
      attendee += 1;
      const start = slots.shift();
      if (start === undefined) throw new Error('The benchmark ran out of free slots.');
      return { kind: 'create', eventTypeId: 1, start, attendeeName: `Bench ${attendee}`, attendeeEmail: `bench-${attendee}@bench.example.org` };
    };

    const requests: Record<'create' | 'reschedule' | 'cancel', Record<string, number>> = { create: {}, reschedule: {}, cancel: {} };
    for (const actor of actors) {
      const created = await requestsOf(emulator, actor, create());
      requests.create[actor.name] = created.count;
      const start = slots.shift() as string;
      const moved = await requestsOf(emulator, actor, { kind: 'reschedule', uid: created.uid, start });
      requests.reschedule[actor.name] = moved.count;
      requests.cancel[actor.name] = (await requestsOf(emulator, actor, { kind: 'cancel', uid: moved.uid, reason: 'bench' })).count;
    }

    // Choosing the event type in the Zap editor refreshes the form: one GET of that event type.
    emulator.clearRequestLog();
    const appTester = createAppTester(App);
    const env = { CALCOM_INSTANCE: 'self-hosted', CALCOM_APP_URL: emulator.appUrl, CALCOM_API_URL: emulator.apiUrl, CALCOM_TOKEN_SURFACE: 'v2', CLIENT_ID: zapierClient.clientId, CLIENT_SECRET: zapierClient.clientSecret ?? '' };
    const savedEnv = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
    Object.assign(process.env, env);
    const fields = (await appTester(bookingFormFields as never, { authData: zapierAuth, inputData: { eventTypeId: 7 } } as never).finally(() => {
      for (const [key, value] of Object.entries(savedEnv)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    })) as unknown[];
    const dynamicFieldRequests = emulator.requestLog().length;
    if (fields.length === 0) throw new Error('The dynamic form of event type 7 came back empty.');

    const bare = async (): Promise<number> => {
      const action = create() as Extract<Action, { kind: 'create' }>;
      const started = performance.now();
      const response = await fetch(`${emulator.apiUrl}/v2/bookings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${zapierAuth.access_token}`, 'content-type': 'application/json', 'cal-api-version': '2024-08-13' },
        body: JSON.stringify({ eventTypeId: 1, start: action.start, attendee: { name: action.attendeeName, email: action.attendeeEmail, timeZone: 'UTC' } }),
      });
      await response.text();
      if (response.status !== 201) throw new Error(`bare POST /v2/bookings answered ${response.status}`);
      return performance.now() - started;
    };
    const through = (actor: Actor) => async (): Promise<number> => {
      const action = create();
      const started = performance.now();
      const report = await actor.run(action);
      if (!report.ok) throw new Error(`${actor.name} create failed: ${report.message ?? ''}`);
      return performance.now() - started;
    };
    const measure = async (call: () => Promise<number>): Promise<number> => {
      for (let warm = 0; warm < 5; warm += 1) await call();
      const times: number[] = [];
      for (let index = 0; index < options.calls; index += 1) times.push(await call());
      return median(times);
    };
    const medianMs = { bare: await measure(bare), zapier: await measure(through(actors[0] as Actor)), n8n: await measure(through(actors[1] as Actor)) };

    log(`${'operation'.padEnd(12)}${'zapier'.padStart(8)}${'n8n'.padStart(8)}   Cal.com requests per call, inputs complete`);
    for (const [operation, byAdapter] of Object.entries(requests)) log(`${operation.padEnd(12)}${String(byAdapter.zapier).padStart(8)}${String(byAdapter.n8n).padStart(8)}`);
    log(`dynamic fields of Zapier's Create Booking (event type chosen): ${dynamicFieldRequests} request(s) per refresh; n8n has none (booking questions are one JSON field)`);
    log(`create, median of ${options.calls}: bare fetch ${medianMs.bare.toFixed(2)} ms · Zapier app via zapier-platform-core ${medianMs.zapier.toFixed(2)} ms (overhead ${(medianMs.zapier - medianMs.bare).toFixed(2)} ms) · n8n node via the n8n host ${medianMs.n8n.toFixed(2)} ms (overhead ${(medianMs.n8n - medianMs.bare).toFixed(2)} ms)`);
    return { requests, dynamicFieldRequests, medianMs };
  } finally {
    await emulator.close();
  }
}

if (require.main === module) {
  const index = process.argv.indexOf('--calls');
  const calls = index >= 0 ? Number(process.argv[index + 1]) : 60;
  // zapier-platform-core's Lambda memory line (see test/main/cli.ts) is not part of the figures.
  const original = console.log.bind(console);
  console.log = (...args: unknown[]) => {
    if (args[0] !== 'ZID:') original(...args);
  };
  runActionBench({ calls: Number.isSafeInteger(calls) && calls > 0 ? calls : 60 }).then(
    (report) => {
      const oneEach = Object.values(report.requests).every((byAdapter) => Object.values(byAdapter).every((count) => count === 1));
      process.exitCode = oneEach && report.dynamicFieldRequests === 1 ? 0 : 1;
    },
    (error: unknown) => {
      process.stderr.write(`action bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

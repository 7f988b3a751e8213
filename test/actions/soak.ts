/**
 * Action soak: create, cancel and reschedule bookings through both adapters (the Zapier app's creates
 * through zapier-platform-core, the n8n "Cal.com" node through the n8n host) against the emulator, with a
 * failure injected before a third of the actions: answers lost after the write committed (time-out,
 * reset, 502), 5xx before the commit, 429s, expired tokens, and a lost answer whose look-up fails too.
 * Each platform replays only as it does in production (see actors.ts). The emulator's store is the
 * oracle: no attendee may hold two live bookings at one start, every action reported done must show
 * in the store, and every booking in the store must be in some report.
 *
 *   npx tsx test/actions/soak.ts [--actions N]      (default 1,000; the jest test runs 100)
 */
import { REQUEST_TIME_OUT as ZAPIER_TIME_OUT } from '../../zapier-app/src/transport';
import { REQUEST_TIME_OUT as N8N_TIME_OUT } from '../../n8n-node/nodes/CalCom/transport/httpExecutor';
import { startEmulator, type Emulator } from '../emulator';
import { Rng } from '../emulator/rng';
import { n8nActor, zapierActor, type Action, type ActionKind, type ActionReport, type Actor } from './actors';
import { arm, pickFailure, type InjectedFailure } from './faults';
import { ActionOracle } from './oracle';

const ATTENDEE_DOMAIN = 'soak.example.org';
/**
 * alice's own "30 min meeting". Not bob's: the look after an ambiguous failure reads `GET /v2/bookings`,
 * which lists only the connected user's bookings, so a booking made on another user's event type cannot
 * be found again (the core then says write_outcome_unknown, as it must).
 */
const EVENT_TYPES = [1];
const ACCESS_TOKEN_SECONDS = 1800;
/** Lost answers end in the adapters' time-out; short, so the soak stays under two minutes. */
const SOAK_TIME_OUT_MS = 200;

export interface ActionSoakOptions {
  actions: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface ActionSoakReport {
  actions: number;
  byKind: Record<ActionKind, number>;
  byAdapter: Record<Actor['name'], number>;
  duplicates: number;
  lost: number;
  /** Actions whose final report was a failure (after the platform's and the user's replays). */
  failed: number;
  /** One line per failed action: adapter, action, injected failure, what the user read. */
  failures: string[];
  problems: string[];
  /** Injected failure → adapter → how it was reported → count. */
  outcomes: Map<InjectedFailure, Map<string, Map<string, number>>>;
  durationMs: number;
}

/** Free starts of each event type, from a bare `GET /v2/slots` (the soak never books a start twice). */
async function slotPool(emulator: Emulator, eventTypeId: number): Promise<string[]> {
  const response = await fetch(`${emulator.apiUrl}/v2/slots?eventTypeId=${eventTypeId}&start=2026-03-16&end=2026-12-31&timeZone=UTC`, { headers: { 'cal-api-version': '2024-09-04' } });
  const body = (await response.json()) as { data?: Record<string, Array<{ start: string }>> };
  if (response.status !== 200 || body.data === undefined) throw new Error(`GET /v2/slots answered ${response.status}`);
  return Object.values(body.data).flat().map((slot) => slot.start);
}

function describeReport(report: ActionReport): string {
  const end = report.ok ? (report.recovered ?? 'done') : `FAILED ${report.failure ?? ''}`;
  return [...report.steps, end].join(' → ');
}

export async function runActionSoak(options: ActionSoakOptions): Promise<ActionSoakReport> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const started = Date.now();
  const rng = new Rng(options.seed ?? 11);
  const savedTimeOuts = [ZAPIER_TIME_OUT.ms, N8N_TIME_OUT.ms];
  ZAPIER_TIME_OUT.ms = SOAK_TIME_OUT_MS;
  N8N_TIME_OUT.ms = SOAK_TIME_OUT_MS;
  // A high limit: the soak's 429s are injected; the throttler still runs on every request.
  const emulator = await startEmulator({ era: '2026', bookings: 20, accessTokenTtlSeconds: ACCESS_TOKEN_SECONDS, rateLimit: { accessToken: 100_000 } });
  try {
    // One OAuth client per product, as the README says: Cal.com keeps one live refresh token per client and user.
    const zapierClient = emulator.seeded.clients.scoped;
    const n8nClient = emulator.registerClient({ name: 'n8n soak', redirectUris: ['https://n8n.example.com/rest/oauth2-credential/callback'], scopes: ['BOOKING_READ', 'BOOKING_WRITE', 'EVENT_TYPE_READ', 'PROFILE_READ'] });
    const scopes = ['BOOKING_READ', 'BOOKING_WRITE', 'EVENT_TYPE_READ', 'PROFILE_READ'];
    const zapierTokens = emulator.mintTokens({ clientId: zapierClient.clientId, scopes });
    const actors: Actor[] = [
      zapierActor(emulator, zapierClient, {
        access_token: zapierTokens.access_token,
        refresh_token: zapierTokens.refresh_token,
        expires_at: new Date(emulator.clock.now() + zapierTokens.expires_in * 1000).toISOString(),
      }),
      n8nActor(emulator, n8nClient, emulator.mintTokens({ clientId: n8nClient.clientId, scopes })),
    ];
    const pools = new Map<number, string[]>();
    for (const eventTypeId of EVENT_TYPES) pools.set(eventTypeId, await slotPool(emulator, eventTypeId));
    const takeSlot = (eventTypeId: number): string => {
      const pool = pools.get(eventTypeId) ?? [];
      const slot = pool.splice(rng.int(0, pool.length - 1), 1)[0];
      if (slot === undefined) throw new Error(`The soak ran out of free slots of event type ${eventTypeId}.`);
      return slot;
    };

    const oracle = new ActionOracle(ATTENDEE_DOMAIN);
    const report: ActionSoakReport = {
      actions: 0, byKind: { create: 0, cancel: 0, reschedule: 0 }, byAdapter: { zapier: 0, n8n: 0 },
      duplicates: 0, lost: 0, failed: 0, failures: [], problems: [], outcomes: new Map(), durationMs: 0,
    };
    let attendees = 0;
    const nextAction = (): Action => {
      const live = oracle.liveUids();
      const roll = rng.int(0, 99);
      if (live.length < 5 || roll < 45) {
        attendees += 1;
        const eventTypeId = EVENT_TYPES[rng.int(0, EVENT_TYPES.length - 1)] as number;
        return { kind: 'create', eventTypeId, start: takeSlot(eventTypeId), attendeeName: `Soak Attendee ${attendees}`, attendeeEmail: `attendee-${attendees}@${ATTENDEE_DOMAIN}` };
      }
      const uid = live[rng.int(0, live.length - 1)] as string;
      if (roll < 72) return { kind: 'reschedule', uid, start: takeSlot(oracle.expected(uid)?.eventTypeId ?? EVENT_TYPES[0] as number) };
      return { kind: 'cancel', uid, reason: 'Soak: no longer needed' };
    };

    for (let index = 0; index < options.actions; index += 1) {
      const action = nextAction();
      const actor = actors[rng.int(0, actors.length - 1)] as Actor;
      const failure = pickFailure(rng);
      const armed = arm(emulator, failure, ACCESS_TOKEN_SECONDS);
      const result = await actor.run(action);
      // A fault the action never reached (it failed before writing) must not hit the next one.
      for (const fault of armed) fault.remove();
      oracle.record(action, result);
      report.actions += 1;
      report.byKind[action.kind] += 1;
      report.byAdapter[actor.name] += 1;
      if (!result.ok) {
        report.failed += 1;
        report.failures.push(`${actor.name} ${action.kind}${action.kind === 'create' ? '' : ` ${action.uid}`} under ${failure}: ${result.failure ?? ''}: ${result.message ?? ''}`);
      }
      const byAdapter = report.outcomes.get(failure) ?? new Map<string, Map<string, number>>();
      const byOutcome = byAdapter.get(actor.name) ?? new Map<string, number>();
      const outcome = describeReport(result);
      byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
      byAdapter.set(actor.name, byOutcome);
      report.outcomes.set(failure, byAdapter);
    }

    const counts = oracle.check(emulator);
    report.duplicates = counts.duplicates;
    report.lost = counts.lost;
    report.problems = counts.problems;
    report.durationMs = Date.now() - started;
    printReport(report, log);
    return report;
  } finally {
    ZAPIER_TIME_OUT.ms = savedTimeOuts[0] as number;
    N8N_TIME_OUT.ms = savedTimeOuts[1] as number;
    await emulator.close();
  }
}

function printReport(report: ActionSoakReport, log: (line: string) => void): void {
  log(`actions: ${report.byKind.create} create, ${report.byKind.reschedule} reschedule, ${report.byKind.cancel} cancel; zapier ${report.byAdapter.zapier}, n8n ${report.byAdapter.n8n}; ${report.failed} ended failed after the replays; ${(report.durationMs / 1000).toFixed(1)} s`);
  log('');
  log(`${'injected failure'.padEnd(26)}${'adapter'.padEnd(8)}${'count'.padStart(6)}  how it was reported`);
  const order: InjectedFailure[] = ['none', 'timeout-after-commit', 'reset-after-commit', 'status-after-commit', '5xx before commit', '429', 'token expiry', 'answer lost, look fails'];
  for (const failure of order) {
    const byAdapter = report.outcomes.get(failure);
    if (byAdapter === undefined) continue;
    for (const adapter of ['zapier', 'n8n']) {
      const byOutcome = [...(byAdapter.get(adapter) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]);
      for (const [outcome, count] of byOutcome) log(`${failure.padEnd(26)}${adapter.padEnd(8)}${String(count).padStart(6)}  ${outcome}`);
    }
  }
  log('');
  for (const failure of report.failures.slice(0, 10)) log(`  failed: ${failure}`);
  for (const problem of report.problems.slice(0, 20)) log(`  ${problem}`);
  log(`action soak: ${report.actions} actions, ${report.duplicates} duplicate bookings, ${report.lost} lost`);
}

function actionsArgument(argv: string[]): number {
  const index = argv.indexOf('--actions');
  const value = index >= 0 ? Number(argv[index + 1]) : 1000;
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error('--actions takes a positive whole number, e.g. --actions 5000');
  return value;
}

/**
 * zapier-platform-core prints a Lambda memory line ("ZID: … RSSMEM: …") on every call outside test
 * runners (see test/main/cli.ts); it is Zapier's telemetry, not what a Zap sees.
 */
function silenceZapierMemoryLines(): void {
  const original = console.log.bind(console);
  console.log = (...args: unknown[]) => {
    if (args[0] !== 'ZID:') original(...args);
  };
}

if (require.main === module) {
  silenceZapierMemoryLines();
  runActionSoak({ actions: actionsArgument(process.argv.slice(2)) }).then(
    (report) => {
      process.exitCode = report.duplicates === 0 && report.lost === 0 ? 0 : 1;
    },
    (error: unknown) => {
      process.stderr.write(`action soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

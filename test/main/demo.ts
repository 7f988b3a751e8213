/**
 * `npm start` (live, until Ctrl-C) and `npm start -- --once` (one full cycle, for CI): the embedded
 * Cal.com, both platforms connected through OAuth, and booking events streaming through the real
 * Zapier triggers and the real n8n trigger.
 *
 * `--once` is a fixed script on a frozen clock: baseline → bookings made → poll → the host reacts
 * (reject, confirm, cancel, reschedule), the clock passes a meeting's end and the access tokens'
 * expiry, the next bookings request is answered 429 → poll. It succeeds only when both adapters
 * delivered every kind of event, a token was refreshed and the 429 was waited out.
 *
 * Beside the polling, both platforms' instant triggers receive Cal.com's pushes (demo-instant.ts):
 * `--once` also needs both instant paths to deliver, a forged call refused by each, and a delivery
 * Cal.com drops recovered exactly once (n8n: its reconciliation; Zapier: its polling trigger).
 */
import type { DemoOptions } from './args';
import type { AdapterEvent, AdapterSession, SessionHooks, SessionNotice } from './adapter-session';
import { runActionLoop } from './demo-actions';
import { connectPlatform, type DemoConnection } from './demo-connect';
import { BookingScript, startDemoCalcom, type BookingChange, type DemoCalcom } from './demo-scenario';
import { createFetchExecutor } from './fetch-executor';
import { FixableError, fixSentence } from './fixes';
import type { Log } from './log';
import { DROPPED_EVENT, InstantPaths } from './demo-instant';
import type { InstantEvent } from './instant-session';
import { createN8nInstantSession } from './n8n-instant-session';
import { createN8nSession } from './n8n-session';
import { Shutdown, sleep } from './shutdown';
import { emptyCounters, renderLatency, renderStatus, type DemoCounters } from './status';
import { createZapierInstantSession } from './zapier-instant-session';
import { ZapierPlatform } from './zapier-session';

/** Event kinds `--once` must see from both adapters. */
export const ONCE_REQUIRED_EVENTS = [
  'booking_created',
  'booking_requested',
  'booking_rejected',
  'booking_cancelled',
  'booking_rescheduled',
  'meeting_ended',
] as const;

/** Event kinds `--once` must see from both instant paths (meeting ended is polling only). */
export const ONCE_REQUIRED_INSTANT_EVENTS = ['booking_created', 'booking_requested', 'booking_rejected', 'booking_cancelled', 'booking_rescheduled'] as const;

/** Access-token lifetime in the live demo: short, so a refresh shows up within the first minutes. */
const LIVE_TOKEN_SECONDS = 90;
/** In `--once` the clock jumps past it instead. */
const ONCE_TOKEN_SECONDS = 1800;

export interface DemoResult {
  exitCode: number;
  counters: DemoCounters;
  /** Every event printed, in order. */
  events: AdapterEvent[];
  /** Every event the instant triggers emitted (pushed or reconciled), in order. */
  instantEvents: InstantEvent[];
}

class DemoRun {
  readonly counters = emptyCounters();
  readonly events: AdapterEvent[] = [];
  private readonly seen = new Set<string>();
  duplicates = 0;
  /** The instant triggers beside the polling ones, once subscribed. */
  instant: InstantPaths | undefined;

  constructor(
    private readonly calcom: DemoCalcom,
    private readonly sessions: AdapterSession[],
    private readonly log: Log,
    private readonly once: boolean,
    private readonly signal: AbortSignal,
    private readonly pollSeconds: number,
  ) {}

  private hooks(): SessionHooks {
    return {
      notice: (notice: SessionNotice) => {
        if (notice.kind === 'refreshed') {
          this.counters.refreshes += 1;
          this.log.ok(notice.adapter, `access token expired → refreshed: ${notice.detail}`);
        } else {
          this.counters.rateLimitWaits += 1;
          this.log.warn(notice.adapter, `429 on ${notice.trigger}: Cal.com says wait ${notice.waitSeconds} s (X-RateLimit-Reset-Default) → waiting it out, then polling again`);
        }
      },
      waitOut: async (seconds: number) => {
        // The emulator's clock is Cal.com's clock: moving it ends the block exactly as waiting would,
        // without making the viewer sit through a minute of nothing.
        this.calcom.emulator.clock.advance(seconds);
        if (!this.once) await sleep(1000, this.signal);
      },
    };
  }

  async start(): Promise<void> {
    for (const session of this.sessions) {
      await session.start(this.hooks());
      this.log.line(session.name, session.name === 'zapier'
        ? `${session.triggers.length} triggers polled once to fill Zapier's dedupe store (Zapier emits nothing on a Zap's first poll)`
        : `${session.triggers.length} workflows activated; each first poll recorded its baseline and emitted nothing`);
    }
    this.calcom.emulator.clearRequestLog();
  }

  changes(list: BookingChange[]): void {
    this.instant?.markChanges();
    for (const change of list) this.log.line('demo', `Cal.com: ${change.text}`);
  }

  /** Lets Cal.com's pushes of the changes so far reach both instant paths, and says what it dropped. */
  async settleInstant(): Promise<void> {
    if (this.instant === undefined) return;
    await this.instant.settle();
    this.instant.reportDrops();
  }

  /** One poll of every session; returns the events it printed. */
  async round(nextPollSeconds?: number): Promise<AdapterEvent[]> {
    const printed: AdapterEvent[] = [];
    // The pushes are printed as they arrive; settling first keeps them ahead of this poll's lines.
    await this.settleInstant();
    for (const session of this.sessions) {
      if (this.signal.aborted) return printed;
      const events = await session.poll(this.hooks());
      for (const event of events) if (this.print(event)) printed.push(event);
    }
    this.instant?.notePolled(printed);
    this.counters.polls += 1;
    // Counted and cleared every round: the emulator keeps only its last few thousand requests.
    this.counters.requests += this.calcom.emulator.requestLog().length;
    this.calcom.emulator.clearRequestLog();
    this.log.status(renderStatus(this.counters, nextPollSeconds, this.pollSeconds));
    return printed;
  }

  /** Prints an event the first time it is seen; false for a duplicate. */
  private print(event: AdapterEvent): boolean {
    const key = `${event.adapter} ${event.event} ${event.id}`;
    if (this.seen.has(key)) {
      this.duplicates += 1;
      this.log.fail(event.adapter, `DUPLICATE ${event.event} ${event.id}`);
      return false;
    }
    this.seen.add(key);
    this.events.push(event);
    this.counters.events[event.adapter] += 1;
    this.log.line(event.adapter, `${event.event.padEnd(20)} ${event.summary}`);
    return true;
  }

  missingKinds(): string[] {
    const missing: string[] = [];
    for (const adapter of ['zapier', 'n8n'] as const) {
      for (const kind of ONCE_REQUIRED_EVENTS) {
        if (!this.events.some((event) => event.adapter === adapter && event.event === kind)) missing.push(`${adapter} ${kind}`);
      }
    }
    return missing;
  }
}

export async function runDemo(options: DemoOptions, log: Log, shutdown: Shutdown): Promise<DemoResult> {
  const started = Date.now();
  log.line('setup', 'Starting the embedded Cal.com emulator (2026 behaviour: v2 token endpoint, scopes, refresh-token rotation)…');
  const calcom = await startDemoCalcom({ followRealTime: !options.once, accessTokenTtlSeconds: options.once ? ONCE_TOKEN_SECONDS : LIVE_TOKEN_SECONDS });
  shutdown.add(() => calcom.emulator.close());
  const { emulator } = calcom;
  log.ok('setup', `Cal.com emulator: app ${emulator.appUrl}, API ${emulator.apiUrl}; ${emulator.store.bookings.size} bookings; consent-page user ${calcom.user.email}`);

  const executor = createFetchExecutor();
  const zapier = new ZapierPlatform(log);
  await connectPlatform('Zapier', calcom, executor, log, (client, instance) => zapier.flow(client, instance));
  if (shutdown.requested) return { exitCode: 0, counters: emptyCounters(), events: [], instantEvents: [] };
  const n8nConnection: DemoConnection = await connectPlatform('n8n', calcom, executor, log);
  if (shutdown.requested) return { exitCode: 0, counters: emptyCounters(), events: [], instantEvents: [] };
  const sessions: AdapterSession[] = [];
  try {
    sessions.push(zapier.session());
  } catch (error) {
    log.fail('zapier', error instanceof Error ? error.message : String(error));
  }
  const n8nSession = createN8nSession(n8nConnection, calcom, log);
  sessions.push(n8nSession);
  const run = new DemoRun(calcom, sessions, log, options.once, shutdown.signal, options.pollSeconds);
  await run.start();
  const instant = new InstantPaths(
    emulator,
    sessions.some((session) => session.name === 'zapier') ? createZapierInstantSession(zapier.actionHost(), zapier.appEnv(), log) : undefined,
    createN8nInstantSession(n8nSession.credential, emulator, log),
    run.counters,
    log,
  );
  shutdown.add(() => instant.close());
  await instant.start();
  run.instant = instant;
  emulator.clearRequestLog();
  const script = new BookingScript(emulator);
  const actionLoop = async () => {
    log.line('demo', 'Actions: each platform finds a free slot, books it, then reschedules and cancels it, through its real action code');
    const loop = await runActionLoop({ emulator, zapier: zapier.actionHost(), n8nCredential: n8nSession.credential, log, poll: () => run.round() });
    if (loop.missing.length === 0) log.ok('demo', 'Action loop: found slots, booked, "New Booking" fired in both adapters, rescheduled and cancelled, each change seen by both');
    return loop;
  };

  if (options.once) {
    run.changes(script.book());
    await run.round();
    await instant.forge();
    instant.armDrop();
    log.line('demo', `Cal.com: its next ${DROPPED_EVENT} delivery to each platform will be dropped (a delivery fault)`);
    run.changes(script.react());
    await run.settleInstant();
    const meetingEnd = script.meetingEndsAt ?? emulator.clock.now();
    const pastExpiry = emulator.clock.now() + (ONCE_TOKEN_SECONDS + 60) * 1000;
    run.changes([script.advancePast(Math.max(meetingEnd, pastExpiry))]);
    log.line('demo', 'Cal.com: "Quick sync" has ended, and both access tokens have expired');
    emulator.faults.inject({ kind: 'status', status: 429, match: '/v2/bookings', origin: 'api' });
    log.line('demo', 'Cal.com: the next GET /v2/bookings will be answered 429 (rate limit)');
    await run.round();
    log.line('demo', "n8n's reconciliation polls (every 5 min by default; now, in this one cycle), twice");
    for (let pass = 0; pass < 2; pass += 1) {
      await instant.reconcile();
      await instant.settle();
    }
    const loop = await actionLoop();
    await instant.settle();
    const missing = run.missingKinds();
    const problems: string[] = [];
    if (loop.missing.length > 0) problems.push(`the action loop's changes never fired: ${loop.missing.join(', ')}`);
    if (missing.length > 0) problems.push(`events never delivered: ${missing.join(', ')}`);
    if (run.duplicates > 0) problems.push(`${run.duplicates} duplicate events`);
    if (run.counters.refreshes === 0) problems.push('no token refresh happened');
    if (run.counters.rateLimitWaits === 0) problems.push('no 429 was waited out');
    const missingInstant = ONCE_REQUIRED_INSTANT_EVENTS.flatMap((kind) =>
      (['zapier', 'n8n'] as const).filter((adapter) => !instant.events.some((event) => event.adapter === adapter && event.via === 'webhook' && event.event === kind)).map((adapter) => `${adapter} ⚡ ${kind}`),
    );
    if (missingInstant.length > 0) problems.push(`instant events never delivered: ${missingInstant.join(', ')}`);
    if (run.counters.forgedRefused !== 2) problems.push(`${run.counters.forgedRefused} forged calls refused, not one per platform`);
    problems.push(...instant.dropProblems(), ...instant.problems);
    if (instant.duplicates > 0) problems.push(`${instant.duplicates} duplicate instant events`);
    if (problems.length > 0) {
      throw new FixableError(`The one-cycle demo did not show everything (${problems.join('; ')}); this is a bug in the adapters or the demo script.`);
    }
    const { instant: pushed } = run.counters;
    log.ok('demo', `Instant: ${pushed.zapier} Zapier / ${pushed.n8n} n8n events pushed, ${renderLatency(run.counters, options.pollSeconds)}; ${run.counters.forgedRefused} forged calls refused; the dropped ${DROPPED_EVENT} reconciled once by n8n and reported by Zapier's polling trigger`);
    log.ok('demo', `One full cycle in ${((Date.now() - started) / 1000).toFixed(1)} s: every event kind through both adapters, the action loop through both, ${run.counters.refreshes} refreshes, ${run.counters.rateLimitWaits} rate-limit wait(s), no duplicates`);
    log.close();
    return { exitCode: 0, counters: run.counters, events: run.events, instantEvents: instant.events };
  }

  log.line('demo', `Polling every ${options.pollSeconds} s; Cal.com changes bookings every few polls, access tokens last ${LIVE_TOKEN_SECONDS} s. Ctrl-C stops.`);
  let act = 0;
  let actionsShown = false;
  let forged = false;
  while (!shutdown.requested) {
    if (run.counters.polls > 0) {
      // After the pause, never right after a status line (a stop requested there lands in the pause),
      // and before this round's 429 is armed, which is meant for a poll.
      try {
        if (!forged) {
          forged = true;
          await instant.forge();
        }
        // Every round here, so a dropped change shows up soon; the node's default is every 5 minutes.
        await instant.reconcile();
      } catch (error) {
        log.fail('demo', `instant path failed: ${fixSentence(error)}`);
      }
      if (shutdown.requested) break;
    }
    if (run.counters.polls % 3 === 0) {
      const reacting = act % 2 === 1;
      // Every other reaction act, Cal.com drops one delivery to each platform.
      if (reacting && act % 4 === 1) {
        instant.armDrop();
        log.line('demo', `Cal.com: its next ${DROPPED_EVENT} delivery to each platform will be dropped (a delivery fault)`);
      }
      run.changes(reacting ? script.react() : script.book());
      act += 1;
    }
    if (run.counters.polls > 0 && run.counters.polls % 20 === 5) {
      emulator.faults.inject({ kind: 'status', status: 429, match: '/v2/bookings', origin: 'api' });
      log.line('demo', 'Cal.com: the next GET /v2/bookings will be answered 429 (rate limit)');
    }
    try {
      // Once, after the first live round and its pause: the action loop (with its own polls), then the
      // changes keep streaming. Not right after a status line: a stop requested there lands in the pause.
      if (run.counters.polls === 1 && !actionsShown) {
        actionsShown = true;
        await actionLoop();
      }
      await run.round(options.pollSeconds);
    } catch (error) {
      // Like Zapier and n8n, a failed poll is reported and the next one tries again.
      log.fail('demo', `poll failed: ${fixSentence(error)}`);
    }
    await sleep(options.pollSeconds * 1000, shutdown.signal);
  }
  log.close();
  log.line('setup', `Stopped after ${run.counters.polls} polls; emulator and listeners closed.`);
  return { exitCode: 0, counters: run.counters, events: run.events, instantEvents: instant.events };
}

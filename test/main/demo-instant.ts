/**
 * The demo's instant path next to its polling: both platforms' instant triggers subscribed to the
 * emulator, which pushes a signed delivery on every booking change; each event printed with the
 * platform's label, a ⚡ and the time from the change to the event. Also what the instant path is
 * there to survive: a forged call (refused, nothing runs) and a delivery Cal.com drops (n8n's
 * reconciliation emits it exactly once; a Zapier hook trigger has none, its polling twin reports it).
 */
import type { Emulator } from '../emulator';
import type { AdapterEvent, AdapterName } from './adapter-session';
import type { InstantCall, InstantEvent, InstantSession, InstantSink } from './instant-session';
import type { Log } from './log';
import type { N8nInstantSession } from './n8n-instant-session';
import type { DemoCounters } from './status';

/** The event whose delivery the demo has Cal.com drop. */
export const DROPPED_EVENT = 'booking_cancelled';

/** A delivery Cal.com dropped, and what became of its change on that platform. */
interface Dropped {
  adapter: AdapterName;
  bookingUid: string;
  trigger: string;
  /** n8n: reconciled events for it; Zapier: polling events that reported it. */
  recovered: number;
}

const short = (uid: string) => `${uid.slice(0, 8)}…`;
const mentions = (event: AdapterEvent, uid: string) => event.id === uid || event.summary.includes(`uid ${short(uid)}`);

export class InstantPaths implements InstantSink {
  readonly events: InstantEvent[] = [];
  readonly dropped: Dropped[] = [];
  /** Calls a platform failed on (not refusals): each one is a bug. */
  readonly problems: string[] = [];
  duplicates = 0;
  private readonly seen = new Set<string>();
  /** Delivery seq → wall-clock time of the change that caused it. */
  private readonly changedAt = new Map<number, number>();
  private markedSeq = 0;
  private droppedSeq = 0;

  constructor(
    private readonly emulator: Emulator,
    private readonly zapier: InstantSession | undefined,
    private readonly n8n: N8nInstantSession,
    private readonly counters: DemoCounters,
    private readonly log: Log,
  ) {}

  private get sessions(): InstantSession[] {
    return this.zapier === undefined ? [this.n8n] : [this.zapier, this.n8n];
  }

  async start(): Promise<void> {
    if (this.zapier !== undefined) {
      await this.zapier.start(this);
      this.log.line('zapier', `⚡ ${this.zapier.triggers.length} instant Zaps turned on: performSubscribe gave Cal.com a hook URL each (${this.zapier.triggers.join(', ')})`);
    }
    await this.n8n.start(this);
    this.log.line('n8n', `⚡ ${this.n8n.triggers.length} instant workflows activated: webhookMethods created a Cal.com webhook each, and each reconciliation poll recorded its baseline`);
  }

  /**
   * Called right after the demo changed bookings: Cal.com sends its deliveries within the write, so
   * now is when the change happened for every delivery not yet timed.
   */
  markChanges(): void {
    const now = Date.now();
    for (const delivery of this.emulator.webhookDeliveries()) {
      if (delivery.seq > this.markedSeq) this.changedAt.set(delivery.seq, now);
    }
    this.markedSeq = Math.max(this.markedSeq, this.emulator.webhookDeliveries().length);
  }

  /** Waits until Cal.com has sent everything and each platform has handled what it received. */
  async settle(): Promise<void> {
    await this.emulator.settleWebhooks();
    for (const session of this.sessions) await session.idle();
  }

  private changeTime(call: InstantCall): number {
    const delivery = this.emulator.webhookDeliveries().find((candidate) => candidate.subscriberUrl === call.subscriberUrl && candidate.body === call.body);
    // A change the demo did not time (an action step's booking): Cal.com sent it within that write,
    // so its arrival on loopback is the change's time to within a millisecond or two.
    return (delivery === undefined ? undefined : this.changedAt.get(delivery.seq)) ?? call.receivedAt;
  }

  emitted(call: InstantCall, events: InstantEvent[]): void {
    const latencyMs = Date.now() - this.changeTime(call);
    for (const event of events) {
      const key = `${event.adapter} ${event.event} ${event.id}`;
      if (this.seen.has(key)) {
        this.duplicates += 1;
        this.log.fail(event.adapter, `⚡ DUPLICATE ${event.event} ${event.id}`);
        continue;
      }
      this.seen.add(key);
      this.events.push(event);
      if (event.via === 'reconciled') {
        this.counters.reconciled += 1;
        const dropped = this.dropped.find((candidate) => candidate.adapter === event.adapter && event.event === DROPPED_EVENT && mentions(event, candidate.bookingUid));
        if (dropped !== undefined) dropped.recovered += 1;
        this.log.line(event.adapter, `⚡ ${event.event.padEnd(18)} ${event.summary} · reconciled: Cal.com never delivered it, the reconciliation poll handed it to webhook()`);
      } else {
        this.counters.instant[event.adapter] += 1;
        this.counters.instantLatenciesMs.push(latencyMs);
        this.log.line(event.adapter, `⚡ ${event.event.padEnd(18)} ${event.summary} · ${latencyMs} ms after the change`);
      }
    }
  }

  refused(call: InstantCall, message: string): void {
    this.counters.forgedRefused += 1;
    this.log.ok(call.adapter, `⚡ forged call refused (401), nothing ran: ${message}`);
  }

  failed(call: InstantCall, message: string): void {
    this.problems.push(`${call.adapter}: ${message}`);
    this.log.fail(call.adapter, `⚡ ${message}`);
  }

  /** Sends each platform one call that reuses a genuine delivery's signature on an altered body. */
  async forge(): Promise<void> {
    this.log.line('demo', 'A forger replays a genuine Cal.com signature with an altered body to one hook URL of each platform');
    for (const session of this.sessions) {
      const url = session.urlOf('booking_created');
      const genuine = this.emulator.webhookDeliveries().find((delivery) => delivery.subscriberUrl === url && typeof delivery.outcome === 'number');
      if (genuine === undefined) {
        this.problems.push(`${session.name}: no genuine delivery to copy for the forged call`);
        continue;
      }
      const body = genuine.body.replace(/"title":"[^"]*"/, '"title":"Free money"');
      await session.forge({ event: 'booking_created', body: body === genuine.body ? `${body} ` : body, signature: genuine.signature });
      await session.idle();
    }
  }

  /** Has Cal.com drop its next delivery of {@link DROPPED_EVENT} to each platform. */
  armDrop(): void {
    this.droppedSeq = this.emulator.webhookDeliveries().length;
    for (const session of this.sessions) this.emulator.deliveryFaults.inject({ kind: 'drop', subscriberUrl: session.urlOf(DROPPED_EVENT) });
  }

  /** Prints the deliveries Cal.com dropped since {@link armDrop}; call after {@link settle}. */
  reportDrops(): void {
    const fresh = this.emulator.webhookDeliveries().filter((delivery) => delivery.seq > this.droppedSeq && delivery.outcome === 'dropped');
    this.droppedSeq = this.emulator.webhookDeliveries().length;
    for (const delivery of fresh) {
      const session = this.sessions.find((candidate) => delivery.subscriberUrl === candidate.urlOf(DROPPED_EVENT));
      if (session === undefined) continue;
      this.dropped.push({ adapter: session.name, bookingUid: delivery.bookingUid, trigger: delivery.trigger, recovered: 0 });
      this.log.warn('demo', `Cal.com dropped its ${delivery.trigger} delivery for booking ${short(delivery.bookingUid)} to ${session.name === 'zapier' ? 'Zapier' : 'n8n'} (never sent, and Cal.com does not retry)`);
      if (session.name === 'zapier') {
        this.log.line('zapier', `⚡ a Zapier hook trigger has no reconciliation: the instant Zap never sees this change; the polling "${DROPPED_EVENT}" Zap reports it at its next poll`);
      }
    }
  }

  /** After a poll round: the Zapier drops its polling trigger has now reported. */
  notePolled(events: readonly AdapterEvent[]): void {
    for (const dropped of this.dropped.filter((candidate) => candidate.adapter === 'zapier')) {
      const reported = events.filter((event) => event.adapter === 'zapier' && event.event === DROPPED_EVENT && mentions(event, dropped.bookingUid));
      if (reported.length === 0) continue;
      dropped.recovered += reported.length;
      this.log.ok('zapier', `the polling "${DROPPED_EVENT}" trigger reported booking ${short(dropped.bookingUid)}, whose instant delivery Cal.com dropped`);
    }
  }

  /** One reconciliation poll of every n8n instant workflow. */
  async reconcile(): Promise<void> {
    for (const problem of await this.n8n.reconcile()) this.log.warn('n8n', `⚡ ${problem}`);
  }

  /** What `--once` requires of the drop: each dropped change recovered exactly once, on both platforms. */
  dropProblems(): string[] {
    const problems: string[] = [];
    for (const adapter of this.sessions.map((session) => session.name)) {
      const drops = this.dropped.filter((candidate) => candidate.adapter === adapter);
      if (drops.length === 0) problems.push(`Cal.com dropped no ${DROPPED_EVENT} delivery to ${adapter}`);
      for (const drop of drops) {
        if (drop.recovered !== 1) problems.push(`the ${adapter} drop of ${short(drop.bookingUid)} was ${adapter === 'n8n' ? 'reconciled' : 'reported by polling'} ${drop.recovered} times, not once`);
      }
    }
    return problems;
  }

  async close(): Promise<void> {
    for (const session of this.sessions) await session.close();
  }
}

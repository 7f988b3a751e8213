/**
 * One instant-trigger subscriber of the webhook soak: a local HTTP server that does what the Zapier
 * hook and the n8n webhook node do with a POST (the shared `receiveDelivery`: verify the signature on
 * the raw body, parse, map onto the polling items, pass them through the dedupe), next to a
 * reconciliation poll with the stateful engine feeding the SAME dedupe (`reconcileEvents`). Both keep
 * their state as JSON, read and written around each use, as a platform stores it.
 */
import { createServer, type Server } from 'node:http';
import {
  createEventDedupe,
  pollBookingEvents,
  receiveDelivery,
  reconcileEvents,
  SIGNATURE_HEADER,
  type BookingEventItem,
  type BookingPollState,
  type EventDedupe,
  type EventDedupeState,
  type HttpExecutor,
  type WebhookSubscription,
} from '@calcom-oauth/shared';
import type { SoakEvent } from './oracle';

/** Requests the soak forges carry this header; the receiver never reads it, only the bookkeeping does. */
export const FORGED_MARK = 'x-soak-forged';

export interface Emitted {
  item: BookingEventItem;
  path: 'instant' | 'reconciliation';
}

export class Subscriber {
  readonly emitted: Emitted[] = [];
  /** Refused requests: the signature each carried (to match the emulator's wrong-signature deliveries), and whether the soak forged it. */
  readonly refused: Array<{ signature: string; forged: boolean; reason: string }> = [];
  /** Forged requests that passed verification: must stay empty. */
  readonly forgedAccepted: string[] = [];
  readonly warnings: string[] = [];
  /** The last genuine delivery, for the soak to forge from (a tampered copy, or its body unsigned). */
  lastGenuine: { body: string; signature: string } | undefined;
  subscription: WebhookSubscription | undefined;
  url = '';
  polls = 0;
  pollRequests = 0;
  private pollState: BookingPollState | undefined;
  private dedupeState: EventDedupeState | undefined;
  private server: Server | undefined;

  constructor(readonly event: SoakEvent) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const forged = req.headers[FORGED_MARK] !== undefined;
        const header = req.headers[SIGNATURE_HEADER];
        void this.receive(raw, header, forged).then(
          (status) => res.writeHead(status).end(),
          (error: unknown) => res.writeHead(500).end(String(error)),
        );
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/hook/${this.event}`;
  }

  private async receive(raw: string, header: string | string[] | undefined, forged: boolean): Promise<number> {
    // The verdict is awaited before the dedupe is read, and the dedupe is read, used and written in
    // one synchronous step: a platform's stored state, never two writers interleaved.
    const received = await receiveDelivery(raw, header, this.subscription?.secret, { event: this.event }, this.storedDedupe());
    if (received.outcome === 'refused') {
      this.refused.push({ signature: typeof header === 'string' ? header : '', forged, reason: received.reason });
      return 401;
    }
    if (forged) this.forgedAccepted.push(raw.slice(0, 120));
    else if (typeof header === 'string') this.lastGenuine = { body: raw, signature: header };
    if (received.warning !== undefined) this.warnings.push(received.warning);
    for (const item of received.items) this.emitted.push({ item, path: 'instant' });
    return 200;
  }

  /** One reconciliation poll; a failed poll keeps both states, as the platforms do. */
  async reconcile(options: { execute: HttpExecutor; instance: { apiUrl: string }; accessToken: string }): Promise<{ baseline: boolean; emitted: number }> {
    const result = await pollBookingEvents({ ...options, event: this.event, state: this.pollState });
    this.polls += 1;
    this.pollRequests += result.stats.requests;
    const dedupe = createEventDedupe(this.dedupeState);
    const fresh = reconcileEvents(result, dedupe);
    for (const item of fresh) this.emitted.push({ item, path: 'reconciliation' });
    this.pollState = result.state;
    this.dedupeState = dedupe.state();
    return { baseline: result.baseline, emitted: fresh.length };
  }

  /**
   * The dedupe as a platform stores it: each admit reads the JSON state written last (by either
   * path) and writes it back, so a poll that finished while a signature was being checked is seen.
   */
  private storedDedupe(): EventDedupe {
    return {
      admit: (item) => {
        const dedupe = createEventDedupe(this.dedupeState);
        const admitted = dedupe.admit(item);
        this.dedupeState = JSON.parse(JSON.stringify(dedupe.state())) as EventDedupeState;
        return admitted;
      },
      state: () => this.dedupeState ?? createEventDedupe().state(),
    };
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server === undefined ? resolve() : this.server.close(() => resolve())));
  }
}

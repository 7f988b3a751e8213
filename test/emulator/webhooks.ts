import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from './clock';
import type { DeliveryFaultKind, DeliveryFaults } from './delivery-faults';
import type { Store } from './store';
import type { Booking, Webhook } from './types';
import { envelope, meetingFlatRow, zapierPayload } from './webhook-payloads';
import { isLoopbackHost } from './webhook-rules';

export { zapierPayload } from './webhook-payloads';

/** One delivery, for tests to inspect. */
export interface WebhookDelivery {
  /** Dispatch order, from 1. */
  seq: number;
  webhookId: string;
  trigger: string;
  /** The booking the change was about. */
  bookingUid: string;
  subscriberUrl: string;
  /**
   * HTTP status of the subscriber's answer (a 3xx is not followed), or: `pending` (held, delayed or in flight),
   * `skipped` (not a loopback URL: the emulator never calls out), `failed` (network error), `dropped` (fault),
   * `aborted` (the emulator closed first).
   */
  outcome: number | 'pending' | 'skipped' | 'failed' | 'dropped' | 'aborted';
  /** Emulator time of the change. */
  at: string;
  /** The exact bytes sent (or that would have been sent). */
  body: string;
  /** The `X-Cal-Signature-256` value sent. */
  signature: string;
  /** The delivery fault applied, if any. */
  fault: DeliveryFaultKind | null;
}

const MEETING_TRIGGERS = ['MEETING_STARTED', 'MEETING_ENDED'];
const DEFAULT_DELAY_MS = 1000;
const DEFAULT_LATE_MEETING_MS = 2000;
/** How long `close()` waits for aborted deliveries to unwind; Cal.com has no time-out, the emulator's shutdown must. */
const CLOSE_BOUND_MS = 1000;

/** `createWebhookSignature` (`sendPayload.ts`): lowercase hex HMAC-SHA256 of the raw body, or the literal. */
export function calSignature(secret: string | null, body: string): string {
  return secret ? createHmac('sha256', secret).update(body).digest('hex') : 'no-secret-provided';
}

/** `{{a.b}}` substitution: enough of Handlebars for a `payloadTemplate` over `{...payload, triggerEvent, createdAt}`. */
function renderTemplate(template: string, context: Record<string, unknown>): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, path: string) => {
    let value: unknown = context;
    for (const key of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    return value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

interface Outgoing {
  record: WebhookDelivery;
  headers: Record<string, string>;
  blocksWrite: boolean;
}

/**
 * Cal.com's webhook delivery (shared/CALCOM.md §18): on every booking change, one signed POST to each matching
 * active webhook, never retried, redirects not followed, no time-out. Only loopback subscriber URLs are called,
 * so a test can never reach the internet.
 */
export class WebhookDispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timers = new Map<NodeJS.Timeout, Outgoing>();
  /** `reorder` holds, by subscriber URL, released after the next delivery there. */
  private readonly held = new Map<string, Outgoing[]>();
  private readonly controller = new AbortController();
  private readonly log: WebhookDelivery[] = [];
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly faults: DeliveryFaults,
    /** Where `slow-subscriber` deliveries are registered, so the write that caused them waits. */
    private readonly blockingWrites: Set<Promise<void>>,
  ) {}

  /** The webhooks a change reaches (`getWebhooks` with `{userId, eventTypeId, teamId}`, `RegularBookingService.ts`). */
  private subscribers(trigger: string, booking: Booking): Webhook[] {
    const eventType = this.store.eventTypes.get(booking.eventTypeId);
    // User-level webhooks are looked up only when the event type is not a team one.
    const personal = (eventType?.teamId ?? null) === null;
    return [...this.store.webhooks.values()].filter((w) => {
      if (!w.active || !w.eventTriggers.includes(trigger)) return false;
      const reaches = w.eventTypeId !== null ? w.eventTypeId === booking.eventTypeId : personal && w.userId === booking.userId;
      if (!reaches) return false;
      // API v2 does not call `updateTriggerForExistingBookings`: meeting jobs exist only for bookings made later.
      if (MEETING_TRIGGERS.includes(trigger) && w.appId === null && booking.createdAt < w.createdAt) return false;
      return true;
    });
  }

  private bodyFor(webhook: Webhook, trigger: string, booking: Booking, now: number): { body: string; contentType: string } {
    if (webhook.appId === 'zapier') return { body: JSON.stringify(zapierPayload(this.store, booking, now)), contentType: 'application/json' };
    if (MEETING_TRIGGERS.includes(trigger)) return { body: JSON.stringify(meetingFlatRow(this.store, trigger, booking)), contentType: 'application/json' };
    const standard = envelope(this.store, trigger, booking, now);
    if (webhook.payloadTemplate === null) return { body: JSON.stringify(standard), contentType: 'application/json' };
    const { payload, ...rest } = standard;
    const body = renderTemplate(webhook.payloadTemplate, { ...(payload as Record<string, unknown>), ...rest });
    return { body, contentType: isJson(body) ? 'application/json' : 'application/x-www-form-urlencoded' };
  }

  dispatch(trigger: string, booking: Booking): void {
    if (this.closed) return;
    for (const webhook of this.subscribers(trigger, booking)) {
      const now = this.clock.now();
      const { body, contentType } = this.bodyFor(webhook, trigger, booking, now);
      const fault = this.faults.take(trigger, webhook.subscriberUrl);
      const signature = fault?.kind === 'wrong-signature' ? calSignature(randomBytes(16).toString('hex'), body) : calSignature(webhook.secret, body);
      const record: WebhookDelivery = {
        seq: this.log.length + 1, webhookId: webhook.id, trigger, bookingUid: booking.uid, subscriberUrl: webhook.subscriberUrl,
        outcome: 'pending', at: new Date(now).toISOString(), body, signature, fault: fault?.kind ?? null,
      };
      this.log.push(record);
      let loopback = false;
      try {
        loopback = isLoopbackHost(new URL(webhook.subscriberUrl).hostname);
      } catch {
        record.outcome = 'failed';
        continue;
      }
      if (!loopback) {
        record.outcome = 'skipped';
        continue;
      }
      const headers = { 'content-type': contentType, 'x-cal-signature-256': signature, 'x-cal-webhook-version': webhook.version };
      const outgoing: Outgoing = { record, headers, blocksWrite: fault?.kind === 'slow-subscriber' };
      switch (fault?.kind) {
        case 'drop':
          record.outcome = 'dropped';
          break;
        case 'duplicate': {
          const twin: WebhookDelivery = { ...record, seq: this.log.length + 1 };
          this.log.push(twin);
          this.send(outgoing);
          this.send({ ...outgoing, record: twin });
          break;
        }
        case 'delay':
        case 'late-meeting-ended':
          this.later(outgoing, fault.delayMs ?? (fault.kind === 'delay' ? DEFAULT_DELAY_MS : DEFAULT_LATE_MEETING_MS));
          break;
        case 'reorder': {
          const queue = this.held.get(webhook.subscriberUrl) ?? [];
          queue.push(outgoing);
          this.held.set(webhook.subscriberUrl, queue);
          break;
        }
        default:
          this.send(outgoing);
      }
    }
  }

  private later(outgoing: Outgoing, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.send(outgoing);
    }, delayMs);
    this.timers.set(timer, outgoing);
  }

  private send(outgoing: Outgoing): void {
    const { record, headers } = outgoing;
    const delivery = fetch(record.subscriberUrl, { method: 'POST', redirect: 'manual', signal: this.controller.signal, headers, body: record.body })
      .then(async (res) => {
        await res.arrayBuffer().catch(() => undefined);
        record.outcome = res.status;
      }, () => {
        record.outcome = this.closed ? 'aborted' : 'failed';
      })
      .then(() => this.releaseHeld(record.subscriberUrl, record));
    this.inFlight.add(delivery);
    if (outgoing.blocksWrite) this.blockingWrites.add(delivery);
    void delivery.finally(() => {
      this.inFlight.delete(delivery);
      this.blockingWrites.delete(delivery);
    });
  }

  /** Sends what `reorder` held for this subscriber, now that a later delivery got there first. */
  private releaseHeld(subscriberUrl: string, after: WebhookDelivery): void {
    const queue = this.held.get(subscriberUrl);
    if (!queue || this.closed) return;
    const due = queue.filter((o) => o.record.seq < after.seq);
    if (due.length === 0) return;
    this.held.set(subscriberUrl, queue.filter((o) => !due.includes(o)));
    for (const o of due) this.send(o);
  }

  private releaseAllHeld(): void {
    const all = [...this.held.values()].flat();
    this.held.clear();
    for (const o of all) this.send(o);
  }

  /** Deliveries not yet finished, for the time-out message. */
  private pendingSummary(): string {
    return this.log.filter((d) => d.outcome === 'pending').map((d) => `#${d.seq} ${d.trigger} → ${d.subscriberUrl}`).join(', ');
  }

  private async waitInFlight(timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0 || this.timers.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what}: deliveries still pending after ${timeoutMs} ms (a subscriber that never answers?): ${this.pendingSummary()}`);
      let bound: NodeJS.Timeout | undefined;
      const tick = new Promise<void>((resolve) => { bound = setTimeout(resolve, Math.min(left, 25)); });
      // Only a macrotask lets due timers fire, so never spin on an already-settled (empty) set alone.
      await Promise.race(this.inFlight.size > 0 ? [Promise.all([...this.inFlight]), tick] : [tick]);
      clearTimeout(bound);
    }
  }

  /** Resolves when every delivery so far has finished: delayed ones when due, held (`reorder`) ones last. */
  async settle(timeoutMs = 30_000): Promise<void> {
    await this.waitForTimersThenInFlight(timeoutMs, 'settleWebhooks');
  }

  private async waitForTimersThenInFlight(timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // Held deliveries go out only once nothing else is on its way, so they still arrive after what overtook them.
    for (;;) {
      await this.waitInFlight(Math.max(0, deadline - Date.now()), what);
      if (this.held.size === 0) return;
      this.releaseAllHeld();
    }
  }

  /** Sends every delayed or held delivery now, then waits for all of them to finish. */
  async flush(timeoutMs = 30_000): Promise<void> {
    for (const [timer, outgoing] of this.timers) {
      clearTimeout(timer);
      this.timers.delete(timer);
      this.send(outgoing);
    }
    await this.waitForTimersThenInFlight(timeoutMs, 'flushWebhooks');
  }

  deliveries(): WebhookDelivery[] {
    return this.log.map((d) => ({ ...d }));
  }

  /** Stops delivering: timers cleared, held and in-flight deliveries aborted, within a bound. */
  async close(): Promise<void> {
    this.closed = true;
    for (const [timer, outgoing] of this.timers) {
      clearTimeout(timer);
      outgoing.record.outcome = 'aborted';
    }
    this.timers.clear();
    for (const o of [...this.held.values()].flat()) o.record.outcome = 'aborted';
    this.held.clear();
    this.controller.abort();
    if (this.inFlight.size === 0) return;
    let bound: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise<void>((resolve) => { bound = setTimeout(resolve, CLOSE_BOUND_MS); })]);
    clearTimeout(bound);
    for (const d of this.log) if (d.outcome === 'pending') d.outcome = 'aborted';
  }
}

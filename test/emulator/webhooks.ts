import type { Clock } from './clock';
import type { Store } from './store';
import type { Booking } from './types';

/** One delivery attempt, for tests to inspect. */
export interface WebhookDelivery {
  webhookId: string;
  trigger: string;
  subscriberUrl: string;
  /** HTTP status, or `skipped` (not a loopback URL) / `failed` (network error). */
  outcome: number | 'skipped' | 'failed';
  at: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function utcOffsetMinutes(timeZone: string, at: number): number {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' })
      .formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const match = /GMT([+-])(\d{1,2})(?::(\d{2}))?/.exec(part);
    if (!match) return 0;
    const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
    return match[1] === '-' ? -minutes : minutes;
  } catch {
    return 0;
  }
}

/** The flat body Zapier subscriptions receive (no `triggerEvent`; shared/CALCOM.md §15, `sendPayload.ts`). */
export function zapierPayload(store: Store, booking: Booking, createdAt: number): Record<string, unknown> {
  const user = store.users.get(booking.userId);
  const eventType = store.eventTypes.get(booking.eventTypeId);
  return {
    uid: booking.uid, title: booking.title, description: booking.description, customInputs: {},
    responses: { ...booking.bookingFieldsResponses }, userFieldsResponses: {},
    startTime: new Date(booking.start).toISOString(), endTime: new Date(booking.end).toISOString(),
    location: booking.location, status: booking.status, cancellationReason: booking.cancellationReason,
    user: user ? { username: user.username, name: user.name, email: user.email, timeZone: user.timeZone, locale: 'en', utcOffset: utcOffsetMinutes(user.timeZone, booking.start) } : null,
    eventType: eventType ? { title: eventType.title, description: eventType.description, requiresConfirmation: eventType.requiresConfirmation, price: 0, currency: 'usd', length: eventType.lengthInMinutes } : null,
    attendees: booking.attendees.map((a) => ({ name: a.name, email: a.email, timeZone: a.timeZone, utcOffset: utcOffsetMinutes(a.timeZone, booking.start) })),
    createdAt: new Date(createdAt).toISOString(),
    metadata: { videoCallUrl: booking.location },
  };
}

/**
 * Delivers booking events to Zapier subscriptions made through `/api/integrations/zapier/addSubscription`.
 * Only loopback subscriber URLs are called, so a test can never reach the internet.
 */
export class WebhookDispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly controller = new AbortController();
  private readonly log: WebhookDelivery[] = [];

  constructor(private readonly store: Store, private readonly clock: Clock) {}

  dispatch(trigger: string, booking: Booking): void {
    for (const webhook of this.store.webhooks.values()) {
      if (!webhook.active || webhook.userId !== booking.userId || !webhook.eventTriggers.includes(trigger)) continue;
      const at = this.clock.iso();
      const record = (outcome: WebhookDelivery['outcome']): void => {
        this.log.push({ webhookId: webhook.id, trigger, subscriberUrl: webhook.subscriberUrl, outcome, at });
      };
      let url: URL;
      try {
        url = new URL(webhook.subscriberUrl);
      } catch {
        record('failed');
        continue;
      }
      if (!LOOPBACK.has(url.hostname)) {
        record('skipped');
        continue;
      }
      const body = JSON.stringify(zapierPayload(this.store, booking, this.clock.now()));
      const delivery = fetch(url, {
        method: 'POST', redirect: 'manual', signal: this.controller.signal,
        headers: { 'content-type': 'application/json', 'x-cal-signature-256': 'no-secret-provided' }, body,
      }).then(async (res) => {
        await res.arrayBuffer().catch(() => undefined);
        record(res.status);
      }, () => record('failed'));
      this.inFlight.add(delivery);
      void delivery.finally(() => this.inFlight.delete(delivery));
    }
  }

  /** Resolves when every delivery started so far has finished. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  deliveries(): WebhookDelivery[] {
    return this.log.map((d) => ({ ...d }));
  }

  close(): void {
    this.controller.abort();
  }
}

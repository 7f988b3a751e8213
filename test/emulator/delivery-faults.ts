import type { Rng } from './rng';

/**
 * What can go wrong between Cal.com and a subscriber (shared/CALCOM.md §18):
 * - `drop`: never sent (Cal.com does not retry a failed delivery).
 * - `duplicate`: sent twice, the same bytes (a task-level retry re-sends to every subscriber).
 * - `delay`: sent `delayMs` later (default 1000 ms).
 * - `reorder`: held back until the next delivery to the same subscriber has been sent (or until a flush).
 * - `wrong-signature`: `X-Cal-Signature-256` is the HMAC under another key (a forged or corrupted call).
 * - `slow-subscriber`: the booking write that caused it answers only after the subscriber has answered,
 *   as Cal.com's in-process path awaits delivery without a time-out (`handleWebhookTrigger.ts`).
 * - `late-meeting-ended`: a MEETING_ENDED flat row arrives `delayMs` later (default 2000 ms), as the cron's would.
 */
export type DeliveryFaultKind = 'drop' | 'duplicate' | 'delay' | 'reorder' | 'wrong-signature' | 'slow-subscriber' | 'late-meeting-ended';

export interface DeliveryFaultSpec {
  kind: DeliveryFaultKind;
  /** Only deliveries of this trigger. Default: any (MEETING_ENDED only for `late-meeting-ended`). */
  trigger?: string;
  /** Only deliveries to URLs starting with this. Default: any. */
  subscriberUrl?: string;
  /** How many deliveries it affects. Default 1; `Infinity` for all. */
  times?: number;
  /** Affect a matching delivery with this probability, drawn from the emulator's seeded RNG. Default 1. */
  probability?: number;
  /** For `delay` and `late-meeting-ended`. */
  delayMs?: number;
}

export interface ActiveDeliveryFault {
  readonly id: number;
  readonly spec: Readonly<DeliveryFaultSpec>;
  readonly remaining: number;
  readonly hits: number;
  remove(): void;
}

interface Record_ {
  id: number;
  spec: DeliveryFaultSpec;
  remaining: number;
  hits: number;
}

/** Delivery faults on demand; a delivery gets at most one (the oldest that matches and whose dice roll hits). */
export class DeliveryFaults {
  private readonly records: Record_[] = [];
  private nextId = 1;

  constructor(private readonly rng: Rng) {}

  inject(spec: DeliveryFaultSpec): ActiveDeliveryFault {
    const times = spec.times ?? 1;
    if (!(times > 0)) throw new Error('deliveryFaults.inject: times must be > 0');
    const probability = spec.probability ?? 1;
    if (!(probability > 0 && probability <= 1)) throw new Error('deliveryFaults.inject: probability must be in (0, 1]');
    const record: Record_ = { id: this.nextId, spec: { ...spec }, remaining: times, hits: 0 };
    this.nextId += 1;
    this.records.push(record);
    const records = this.records;
    return {
      id: record.id,
      spec: record.spec,
      get remaining() { return record.remaining; },
      get hits() { return record.hits; },
      remove() {
        const index = records.indexOf(record);
        if (index >= 0) records.splice(index, 1);
      },
    };
  }

  clear(): void {
    this.records.length = 0;
  }

  list(): Array<{ id: number; spec: DeliveryFaultSpec; remaining: number; hits: number }> {
    return this.records.map((r) => ({ id: r.id, spec: { ...r.spec }, remaining: r.remaining, hits: r.hits }));
  }

  /** The fault this delivery gets, if any (consumed). */
  take(trigger: string, subscriberUrl: string): DeliveryFaultSpec | undefined {
    for (const record of this.records) {
      const { spec } = record;
      const wantedTrigger = spec.trigger ?? (spec.kind === 'late-meeting-ended' ? 'MEETING_ENDED' : undefined);
      if (wantedTrigger !== undefined && wantedTrigger !== trigger) continue;
      if (spec.subscriberUrl !== undefined && !subscriberUrl.startsWith(spec.subscriberUrl)) continue;
      // The dice are the emulator's seeded RNG, so one seed replays the same faults.
      if (spec.probability !== undefined && !this.rng.chance(spec.probability)) continue;
      record.remaining -= 1;
      record.hits += 1;
      if (record.remaining <= 0) this.records.splice(this.records.indexOf(record), 1);
      return spec;
    }
    return undefined;
  }
}

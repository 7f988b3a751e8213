import { FaultBook } from './fault-book';
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

/** Delivery faults on demand; a delivery gets at most one (the oldest that matches and whose dice roll hits). */
export class DeliveryFaults {
  private readonly book = new FaultBook<DeliveryFaultSpec>('deliveryFaults');

  constructor(private readonly rng: Rng) {}

  inject(spec: DeliveryFaultSpec): ActiveDeliveryFault {
    const probability = spec.probability ?? 1;
    if (!(probability > 0 && probability <= 1)) throw new Error('deliveryFaults.inject: probability must be in (0, 1]');
    return this.book.arm(spec);
  }

  clear(): void {
    this.book.clear();
  }

  list(): Array<{ id: number; spec: DeliveryFaultSpec; remaining: number; hits: number }> {
    return this.book.list();
  }

  /** The fault this delivery gets, if any (consumed). */
  take(trigger: string, subscriberUrl: string): DeliveryFaultSpec | undefined {
    return this.book.take((spec) => {
      const wantedTrigger = spec.trigger ?? (spec.kind === 'late-meeting-ended' ? 'MEETING_ENDED' : undefined);
      if (wantedTrigger !== undefined && wantedTrigger !== trigger) return false;
      if (spec.subscriberUrl !== undefined && !subscriberUrl.startsWith(spec.subscriberUrl)) return false;
      // The dice are the emulator's seeded RNG, so one seed replays the same faults.
      return spec.probability === undefined || this.rng.chance(spec.probability);
    });
  }
}

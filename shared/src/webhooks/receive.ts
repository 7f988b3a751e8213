import type { BookingEventItem } from '../events/item';
import type { EventDedupe } from './dedupe';
import { parseWebhookDelivery } from './delivery';
import { deliveryToEventItems, type DeliveryMappingOptions } from './items';
import { verifyWebhookSignature, type ForgedDeliveryReason } from './signature';

/** What became of one POST to an instant trigger's URL. */
export type ReceivedDelivery =
  /** Not from Cal.com (or altered): answer 401 with `message`; nothing may be emitted. */
  | { outcome: 'refused'; reason: ForgedDeliveryReason; message: string }
  /**
   * Genuine. `items` are the events to emit now: empty when the delivery is not an occurrence of the
   * event, a repeat of what either path already emitted, or malformed (then `warning` says why).
   * Answer 2xx either way: Cal.com never retries, so an error status gains nothing.
   */
  | { outcome: 'accepted'; items: BookingEventItem[]; warning?: string };

/**
 * The instant half of a trigger in one call: verify the signature on the raw body, parse it, map it
 * onto the polling items, and pass them through the dedupe shared with the reconciliation poll
 * ({@link reconcileEvents}). Store `dedupe.state()` after emitting `items`.
 *
 * Used by the n8n instant node (with the dedupe it shares with its reconciliation) and by the Zapier
 * hook triggers, which have no reconciliation and pass no dedupe: they drop repeats in `z.cache`
 * after mapping. Everything after the signature check is synchronous, so a dedupe that records each
 * admission as it is made sees the admissions of concurrent calls in the same process.
 */
export async function receiveDelivery(
  rawBody: string | Uint8Array,
  signatureHeader: string | readonly string[] | undefined,
  secret: string | undefined,
  mapping: DeliveryMappingOptions,
  dedupe?: EventDedupe,
): Promise<ReceivedDelivery> {
  const verdict = await verifyWebhookSignature(rawBody, signatureHeader, secret);
  if (!verdict.valid) return { outcome: 'refused', reason: verdict.reason, message: verdict.message };
  const parsed = parseWebhookDelivery(rawBody);
  if (!parsed.ok) return { outcome: 'accepted', items: [], warning: parsed.warning };
  const items = deliveryToEventItems(parsed.delivery, mapping);
  return { outcome: 'accepted', items: dedupe === undefined ? items : items.filter((item) => dedupe.admit(item)) };
}

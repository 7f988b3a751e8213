import type { BookingEventItem } from '../events/item';
import type { EventDedupe } from './dedupe';

/**
 * The reconciliation half of an instant trigger: what a stateful poll found that the instant path
 * (webhook deliveries) has not already emitted. Cal.com drops, duplicates and reorders deliveries
 * (CALCOM.md §18), so a poll with the engine runs next to them and both feed ONE dedupe: whichever
 * path sees a change first emits it, the other stays silent.
 *
 * ```ts
 * const result = await pollBookingEvents({ ..., state: stored.poll });        // throws: keep both states
 * const dedupe = createEventDedupe(stored.dedupe);
 * emit(reconcileEvents(result, dedupe));
 * stored.poll = result.state; stored.dedupe = dedupe.state();                 // together, after emitting
 * ```
 *
 * The poll keeps its own exactly-once state, so a poll never reports a change twice; the dedupe only
 * stops the second path. A baseline poll reports nothing and admits nothing. Items keep the engine's
 * order (oldest first). Pure: the caller stores `dedupe.state()` with the poll's state, in the same
 * write, so a crash between them cannot emit a change twice or forget one.
 */
export function reconcileEvents(polled: { readonly events: readonly BookingEventItem[] }, dedupe: EventDedupe): BookingEventItem[] {
  return polled.events.filter((item) => dedupe.admit(item));
}

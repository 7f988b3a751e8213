import type { ZObject } from 'zapier-platform-core';

/**
 * How long an emitted item's id is remembered. Cal.com's repeats of one delivery (a task-level retry
 * re-sends to every subscriber, CALCOM.md §18) come within minutes; a day covers them with margin.
 */
export const REPEAT_MEMORY_SECONDS = 24 * 3600;

/**
 * The z.cache key of one emitted item of one subscription. The subscription id is the Cal.com
 * webhook's UUID, unique to one Zap, so the app-wide default scope of z.cache needs no narrowing.
 */
function cacheKey(subscriptionId: string, itemId: string): string {
  return `calcom-instant:${subscriptionId}:${itemId}`;
}

/**
 * Keeps only the items this Zap has not emitted yet, remembering them in `z.cache`
 * (zapier-platform-core 19: `z.cache.get/set`, a key-value store on Zapier's side with a TTL;
 * `src/tools/create-cache.js`). Zapier's documented deduplication is for polling triggers' primary keys;
 * a hook's items are passed on as they come, so Cal.com's duplicate deliveries would run the Zap
 * twice. The check is a `get`, then a `set` with `nx` (only if absent), so two concurrent copies of
 * one delivery cannot both pass where Zapier honours `nx`.
 *
 * The cache is an optimisation, never a gate: when it fails (Zapier's RPC unreachable) the items
 * pass, because a missed event is worse than a rare repeat, and a warning says so.
 */
export async function dropInstantRepeats<T extends { id: string }>(z: ZObject, subscriptionId: string, items: readonly T[]): Promise<T[]> {
  const fresh: T[] = [];
  for (const item of items) {
    const key = cacheKey(subscriptionId, item.id);
    try {
      if ((await z.cache.get(key)) !== null) {
        z.console.log(`Dropped a repeated Cal.com delivery of ${item.id}: this Zap already ran for it.`);
        continue;
      }
      if ((await z.cache.set(key, 1, REPEAT_MEMORY_SECONDS, undefined, true)) === false) continue;
    } catch (error) {
      z.console.warn(`Could not check for a repeated delivery (${error instanceof Error ? error.message : String(error)}); passing ${item.id} on.`);
    }
    fresh.push(item);
  }
  return fresh;
}

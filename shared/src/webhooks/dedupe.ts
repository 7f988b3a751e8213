import { isRecord } from '../body';
import { getBookingEventEntry } from '../events/catalogue';
import type { BookingEventItem } from '../events/item';

/**
 * One memory of the events already emitted, shared by the instant path (webhook deliveries) and the
 * reconciliation poll, so whichever sees a change first emits it and the other one stays silent:
 * nothing twice, and a Zap or workflow can switch between the two paths without duplicates.
 *
 * Keys: an event that happens once per booking is its item id (the uid), equal on both paths. A
 * "booking updated" change is keyed by uid and time, because its id is `uid:updatedAt` on the polling
 * path and `uid:<delivery time>` on the instant path (Cal.com's payload has no `updatedAt`): two
 * changes of one booking whose times are within {@link CHANGE_MATCH_TOLERANCE_MS} are the same change.
 * The delivery is stamped right after the write (CALCOM.md §18), so this matches a change with its own
 * delivery; two real edits of one booking that close together count once, as a poll between them would.
 *
 * Bounds (the reasoning of `polling/reported.ts`): the two paths see one change at most a
 * reconciliation interval plus the polling overlap apart (minutes; a late MEETING_ENDED, minutes
 * more), so a key is kept for {@link DEDUPE_RETENTION_MS} after the change, by the newest change time
 * seen (Cal.com's clock, never this machine's), and at most {@link MAX_DEDUPE_ENTRIES}, the oldest
 * forgotten first. Size: about 60 bytes an entry, at most about 60 KB of JSON.
 */

/** How long after its change a key is remembered. */
export const DEDUPE_RETENTION_MS = 24 * 3600_000;
/** Hard cap on remembered keys. */
export const MAX_DEDUPE_ENTRIES = 1_000;
/** Two "booking updated" changes of one booking this close are one change seen by both paths. */
export const CHANGE_MATCH_TOLERANCE_MS = 10_000;

/** JSON state: `[key, change time in epoch ms]`, oldest first. Change keys are prefixed `~`. */
export interface EventDedupeState {
  v: 1;
  seen: Array<[string, number]>;
}

export interface EventDedupe {
  /** True the first time an event is offered (emit it), false for a repeat from either path (drop it). */
  admit(item: Pick<BookingEventItem, 'id' | 'event' | 'occurredAt' | 'booking'>): boolean;
  /** The state to store after the items were emitted. */
  state(): EventDedupeState;
}

function readState(state: unknown): Array<[string, number]> {
  if (!isRecord(state) || state.v !== 1 || !Array.isArray(state.seen)) return [];
  return state.seen.filter((entry): entry is [string, number] => Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && typeof entry[1] === 'number' && Number.isFinite(entry[1]));
}

/** A dedupe over a stored state (undefined or unusable: an empty memory). */
export function createEventDedupe(state?: unknown): EventDedupe {
  const seen = readState(state);
  let newest = seen.reduce((max, [, ms]) => Math.max(max, ms), -Infinity);
  const changeTimes = new Map<string, number[]>();
  const ids = new Set<string>();
  const index = (key: string, ms: number): void => {
    if (key.startsWith('~')) {
      const uid = key.slice(1);
      changeTimes.set(uid, [...(changeTimes.get(uid) ?? []), ms]);
    } else ids.add(key);
  };
  for (const [key, ms] of seen) index(key, ms);

  return {
    admit(item) {
      const ms = Date.parse(item.occurredAt);
      const time = Number.isNaN(ms) ? newest : ms;
      const perChange = getBookingEventEntry(item.event).occursOncePer === 'change';
      if (perChange) {
        const times = changeTimes.get(item.booking.uid) ?? [];
        if (times.some((seenAt) => Math.abs(seenAt - time) <= CHANGE_MATCH_TOLERANCE_MS)) return false;
      } else if (ids.has(item.id)) return false;
      const key = perChange ? `~${item.booking.uid}` : item.id;
      seen.push([key, time]);
      index(key, time);
      if (time > newest) newest = time;
      return true;
    },
    state() {
      const horizon = newest - DEDUPE_RETENTION_MS;
      const kept = seen.filter(([, ms]) => ms >= horizon).sort((a, b) => a[1] - b[1]);
      return { v: 1, seen: kept.slice(Math.max(0, kept.length - MAX_DEDUPE_ENTRIES)) };
    },
  };
}

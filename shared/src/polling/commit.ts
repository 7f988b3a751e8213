import type { BookingEventKey } from '../events/catalogue';
import type { BookingPollState, StreamState } from './state';
import { pruneSeen, type StreamRead } from './streams';
import { rememberReported, REPORTED_RETENTION_MS } from './reported';
import type { ResolvedTuning } from './tuning';

const MAX_AWAITING = 200;
const AWAITING_GRACE_MS = 24 * 3600 * 1000;

/** Everything a successful poll learnt, from which the next state is built. */
export interface PollOutcome {
  event: BookingEventKey;
  /** The state the poll started from. */
  previous: BookingPollState;
  main: StreamRead;
  /** The confirmation stream's next position: read this poll, or kept from the previous state. */
  confirm: StreamState | undefined;
  awaiting: ReadonlyMap<string, number>;
  reported: ReadonlyMap<string, number>;
  tuning: ResolvedTuning;
}

/** The state to store for the next poll, and what the caller should be told about trimming it. */
export function commitState(outcome: PollOutcome): { state: BookingPollState; warnings: string[] } {
  const { main, tuning } = outcome;
  const warnings: string[] = [];
  let confirm = outcome.confirm;
  if (outcome.awaiting.size > 0 && confirm === undefined) {
    // Confirmation can only follow the read that saw the booking unconfirmed, so the stream starts there.
    const start = main.trustedTime ?? Date.parse(outcome.previous.main.after);
    confirm = pruneSeen(new Map(), start - tuning.overlapMs, tuning.maxSeenKeys);
  }
  const state: BookingPollState = { v: 1, event: outcome.event, main: main.next };
  if (outcome.reported.size > 0) {
    const now = main.trustedTime ?? Date.parse(main.next.after);
    const kept = rememberReported(outcome.reported, now - REPORTED_RETENTION_MS);
    if (kept.length > 0) state.reported = kept;
  }
  const awaiting = trimAwaiting(outcome.awaiting, main.trustedTime, warnings);
  if (awaiting.length > 0 && confirm !== undefined) {
    state.awaiting = awaiting;
    state.confirm = confirm;
  }
  return { state, warnings };
}

/** Drops bookings whose meeting is long over (they will not be confirmed) and caps the list. */
function trimAwaiting(awaiting: ReadonlyMap<string, number>, serverTime: number | undefined, warnings: string[]): Array<[string, number]> {
  const horizon = serverTime === undefined ? -Infinity : serverTime - AWAITING_GRACE_MS;
  let entries = [...awaiting.entries()].filter(([, end]) => end >= horizon).sort((a, b) => a[1] - b[1]);
  if (entries.length > MAX_AWAITING) {
    const dropped = entries.slice(0, entries.length - MAX_AWAITING);
    entries = entries.slice(entries.length - MAX_AWAITING);
    warnings.push(`More than ${MAX_AWAITING} bookings await confirmation; stopped watching ${dropped.length} with the earliest end (${dropped.map(([uid]) => uid).slice(0, 5).join(', ')}...). Turn on "include unconfirmed" to report them immediately.`);
  }
  return entries;
}

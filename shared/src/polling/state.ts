import { isRecord } from '../body';
import { BOOKING_EVENT_KEYS, type BookingEventKey } from './events';

/**
 * Progress through one ordered stream of bookings.
 *
 * `after` is the lower bound of the next read: every booking whose stream timestamp is older has been
 * processed. `seen` holds the keys processed at or after `after`, because the next read starts there
 * again (the overlap) and must not report them twice. Entries older than `after` are dropped, which
 * is what keeps the state small.
 */
export interface StreamState {
  /** ISO-8601 timestamp. */
  after: string;
  /** `[key, stream timestamp in epoch ms]`, oldest first. */
  seen: Array<[string, number]>;
}

/**
 * What a stateful caller (the n8n node) stores between polls. Plain JSON; treat it as opaque.
 *
 * Size: about 60 bytes plus ~40 bytes per `seen` entry, ~35 per `awaiting` entry and ~25 per
 * `reported` uid. `seen` holds only what changed within the overlap window (usually 0-10 entries)
 * and is capped by `maxSeenKeys` (default 500); `awaiting` and `reported` by 200 entries each:
 * about 32 KB at every cap, under 1 KB for most accounts (plus up to 5 KB of `reported` for the
 * cancelled/rejected triggers). The soak test prints the sizes it observed.
 */
export interface BookingPollState {
  v: 1;
  event: BookingEventKey;
  main: StreamState;
  /**
   * Created/rescheduled without "include unconfirmed": bookings seen while awaiting confirmation,
   * `[uid, end in epoch ms]`, reported when a later read shows them accepted.
   */
  awaiting?: Array<[string, number]>;
  /** Progress through the updatedAt stream that detects those confirmations; present while `awaiting` is not empty. */
  confirm?: StreamState;
  /**
   * Cancelled/rejected: the uids reported most recently (at most 200), newest last. A cancelled
   * booking edited again later moves in the updatedAt stream after its key left `seen`; this keeps
   * it from being reported a second time.
   */
  reported?: string[];
}

function isStreamState(value: unknown): value is StreamState {
  if (!isRecord(value) || typeof value.after !== 'string' || Number.isNaN(Date.parse(value.after))) return false;
  return Array.isArray(value.seen) && value.seen.every((entry) => Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && typeof entry[1] === 'number');
}

function isPairs(value: unknown): value is Array<[string, number]> {
  return Array.isArray(value) && value.every((entry) => Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && typeof entry[1] === 'number');
}

/**
 * Checks a stored state. Returns it when usable, or the reason it is not (a caller-side problem: a
 * state from another event, an older format, corrupted storage); the engine then takes a new baseline.
 */
export function checkPollState(value: unknown, event: BookingEventKey): { state: BookingPollState } | { reason: string } {
  if (!isRecord(value)) return { reason: 'the stored polling state is not an object' };
  if (value.v !== 1) return { reason: `the stored polling state has format version ${JSON.stringify(value.v ?? null)}, expected 1` };
  if (typeof value.event !== 'string' || !(BOOKING_EVENT_KEYS as readonly string[]).includes(value.event)) {
    return { reason: 'the stored polling state names no known event' };
  }
  if (value.event !== event) return { reason: `the stored polling state belongs to "${value.event}", not "${event}"` };
  if (!isStreamState(value.main)) return { reason: 'the stored polling state has no valid stream position' };
  if (value.awaiting !== undefined && !isPairs(value.awaiting)) return { reason: 'the stored list of bookings awaiting confirmation is corrupted' };
  if (value.confirm !== undefined && !isStreamState(value.confirm)) return { reason: 'the stored confirmation stream position is corrupted' };
  if (value.reported !== undefined && !(Array.isArray(value.reported) && value.reported.every((uid) => typeof uid === 'string'))) {
    return { reason: 'the stored list of reported bookings is corrupted' };
  }
  return { state: value as unknown as BookingPollState };
}

/** Serialized size of a state in bytes (ASCII JSON), for documentation and the soak figures. */
export function pollStateSize(state: BookingPollState): number {
  return JSON.stringify(state).length;
}

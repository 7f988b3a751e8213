import { isRecord } from '../body';
import { BOOKING_EVENT_KEYS, type BookingEventKey } from './events';
import { CALCOM_EPOCH_MS } from './clock';

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
 * Size: about 60 bytes plus ~40 bytes per `seen` entry, ~35 per `awaiting` entry and ~45 per
 * `reported` entry. `seen` holds only what changed within the overlap window (usually 0-10 entries)
 * and is capped by `maxSeenKeys` (default 500); `awaiting` by 200 entries; `reported` holds the
 * reported cancellations (rejections) whose meeting has not been over for a week, at most 500 (see
 * reported.ts): under 1 KB for most accounts, a few KB for cancelled/rejected, about 49 KB at every
 * cap. The soak test prints the sizes it observed.
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
   * Cancelled/rejected: `[uid, meeting end in epoch ms]` of the bookings reported, kept until a week
   * after the meeting ended (at most 500, see reported.ts). A cancelled booking edited again later
   * moves in the updatedAt stream after its key left `seen`; this keeps it from being reported twice.
   * A state written before this format (plain uids) is read as entries that never expire by time.
   */
  reported?: Array<[string, number]>;
}

/** Why the stream position is unusable, or undefined: corrupt storage or a position no Cal.com poll can write. */
function streamProblem(stream: StreamState, name: string): string | undefined {
  const after = Date.parse(stream.after);
  if (after < CALCOM_EPOCH_MS) return `the stored ${name} (${stream.after}) is before Cal.com existed`;
  const keys = new Set<string>();
  for (const [key, ts] of stream.seen) {
    if (!Number.isFinite(ts) || ts < after) return `the stored ${name} remembers a booking timestamp (${String(ts)}) before the position itself`;
    if (keys.has(key)) return `the stored ${name} remembers booking ${key} twice`;
    keys.add(key);
  }
  return undefined;
}

/** Reads `reported` in either format; undefined when corrupted. */
function readReported(value: unknown): Array<[string, number]> | undefined {
  if (!Array.isArray(value)) return undefined;
  const entries: Array<[string, number]> = [];
  for (const entry of value) {
    if (typeof entry === 'string') entries.push([entry, Number.MAX_SAFE_INTEGER]);
    else if (Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && typeof entry[1] === 'number' && !Number.isNaN(entry[1])) entries.push([entry[0], entry[1]]);
    else return undefined;
  }
  return entries;
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
  const reported = value.reported === undefined ? undefined : readReported(value.reported);
  if (value.reported !== undefined && reported === undefined) return { reason: 'the stored list of reported bookings is corrupted' };
  const problem = streamProblem(value.main, 'polling position') ?? (value.confirm === undefined ? undefined : streamProblem(value.confirm, 'confirmation stream position'));
  if (problem !== undefined) return { reason: problem };
  const state = { ...value } as unknown as BookingPollState;
  if (reported !== undefined) state.reported = reported;
  return { state };
}

/** Serialized size of a state in bytes (ASCII JSON), for documentation and the soak figures. */
export function pollStateSize(state: BookingPollState): number {
  return JSON.stringify(state).length;
}

import { CalcomError } from './errors';
import { quoteValue as quote } from './quote-value';

/**
 * The longest request URL this integration sends. nginx's default `large_client_header_buffers`
 * (8 KB) and Apache's `LimitRequestLine` (8190) answer 414 past about this, and self-hosted Cal.com
 * usually sits behind one of them.
 */
export const MAX_REQUEST_URL_LENGTH = 8000;

/**
 * Room kept for everything in a bookings URL but the ids: a self-hosted API URL (up to ~1,000
 * characters), `/v2/bookings` and the engine's other parameters (a timestamp, a sort, take, status).
 */
const URL_ROOM_FOR_THE_REST = 1200;

/** The widest id: 16 digits (2^53 − 1) plus the comma that separates it (sent literally). */
const WIDEST_ID_LENGTH = String(Number.MAX_SAFE_INTEGER).length + 1;

/**
 * How many event types one request may filter by: (8000 − 1200) / 17 = 400. Refused before sending,
 * because past it Cal.com's proxies answer 414 with nothing a user can act on.
 */
export const MAX_EVENT_TYPE_IDS = Math.floor((MAX_REQUEST_URL_LENGTH - URL_ROOM_FOR_THE_REST) / WIDEST_ID_LENGTH);

const EXPECTED = 'expected positive whole numbers in decimal (like 123), as a list or separated by commas or spaces';

/** True for an id Cal.com can have: a positive integer JavaScript holds exactly (ids past 2^53 − 1 would be rounded). */
export function isCalcomId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

function refuse(label: string, value: unknown, why: string): CalcomError {
  return new CalcomError('invalid_input', `${label}: ${quote(value)} ${why}; ${EXPECTED}. Pick event types from the list, or leave the field empty for all.`);
}

function parseOne(value: unknown, label: string): number {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) throw refuse(label, value, `is larger than any event type ID (at most ${Number.MAX_SAFE_INTEGER})`);
    if (!isCalcomId(value)) throw refuse(label, value, 'is not an event type ID');
    return value;
  }
  if (typeof value === 'string') {
    // Decimal digits only: Number() would also take "0x10", "1e3", "0b1" and " ", none of which a user means as an id.
    if (!/^\d+$/.test(value)) throw refuse(label, value, 'is not an event type ID');
    const id = Number(value);
    if (!Number.isSafeInteger(id)) throw refuse(label, value, `is larger than any event type ID (at most ${Number.MAX_SAFE_INTEGER})`);
    if (id < 1) throw refuse(label, value, 'is not an event type ID');
    return id;
  }
  throw refuse(label, value, 'is not an event type ID');
}

function tokens(value: unknown): unknown[] {
  if (typeof value === 'string') return value.split(/[\s,]+/).filter((part) => part !== '');
  if (value === undefined || value === null) return [];
  return [value];
}

/**
 * The one reader of event-type ids, for both adapters' fields and the engine's filters.
 *
 * Takes what Zapier and n8n deliver: one id as a number or decimal text, text holding several
 * (separated by commas and/or whitespace), or a list of those; empty entries are skipped. Returns
 * the ids deduplicated in first-seen order, an empty list when none are given.
 *
 * @param label what the user calls the field, starting the message ("Event Types").
 * @throws CalcomError `invalid_input` for anything else (hex, exponents, fractions, 0, negatives,
 * ids past 2^53 − 1, booleans, objects, nested lists), quoting the value, and for more than
 * {@link MAX_EVENT_TYPE_IDS} distinct ids, before any request is built.
 */
export function parseEventTypeIds(value: unknown, label = 'Event type IDs'): number[] {
  const entries = Array.isArray(value) ? value.flatMap((entry: unknown) => (Array.isArray(entry) ? [entry] : tokens(entry))) : tokens(value);
  const ids = [...new Set(entries.map((entry) => parseOne(entry, label)))];
  if (ids.length > MAX_EVENT_TYPE_IDS) {
    throw new CalcomError(
      'invalid_input',
      `${label}: ${ids.length} event types is more than the ${MAX_EVENT_TYPE_IDS} one request to Cal.com can carry (its URL would pass ${MAX_REQUEST_URL_LENGTH} characters); choose at most ${MAX_EVENT_TYPE_IDS}, or leave the field empty for all event types.`,
    );
  }
  return ids;
}

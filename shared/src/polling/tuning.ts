import { MAX_BOOKINGS_PAGE_SIZE } from '../api/bookings';
import { CalcomError } from '../errors';
import { quoteValue } from '../quote-value';

/** Tuning of the engine; every field has a documented default. */
export interface BookingPollTuning {
  /**
   * How far behind the server's clock each read starts again, in seconds (default 120). It absorbs
   * skew between the clock that stamps bookings and the one that writes the `Date` header, commit
   * latency, and the header's 1-second resolution. Idle polls return the bookings changed within
   * this window before the previous poll, so it should stay below the polling interval.
   */
  overlapSeconds?: number;
  /** `take` of each page (default and maximum 250). */
  pageSize?: number;
  /** Pages one poll may read from an ascending stream before it stops and continues next poll (default 8: 2,000 bookings). */
  maxPagesPerPoll?: number;
  /** Cap on remembered keys in the overlap window (default 500). */
  maxSeenKeys?: number;
  /** Size of the first page of the newest-first "meeting ended" read (default 5), so an idle poll is small. */
  probeSize?: number;
}

export interface ResolvedTuning {
  overlapMs: number;
  pageSize: number;
  maxPagesPerPoll: number;
  maxSeenKeys: number;
  probeSize: number;
}

function positiveInteger(value: number | undefined, fallback: number, name: string, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) throw new CalcomError('invalid_input', `Polling option ${name} must be an integer from 1 to ${max}; got ${quoteValue(value)}.`);
  return value;
}

export function resolveTuning(tuning: BookingPollTuning = {}): ResolvedTuning {
  const overlap = tuning.overlapSeconds ?? 120;
  if (!Number.isFinite(overlap) || overlap < 0 || overlap > 86_400) {
    throw new CalcomError('invalid_input', `Polling option overlapSeconds must be between 0 and 86400; got ${String(overlap)}.`);
  }
  return {
    overlapMs: Math.round(overlap * 1000),
    pageSize: positiveInteger(tuning.pageSize, MAX_BOOKINGS_PAGE_SIZE, 'pageSize', MAX_BOOKINGS_PAGE_SIZE),
    maxPagesPerPoll: positiveInteger(tuning.maxPagesPerPoll, 8, 'maxPagesPerPoll', 1000),
    maxSeenKeys: positiveInteger(tuning.maxSeenKeys, 500, 'maxSeenKeys', 100_000),
    probeSize: positiveInteger(tuning.probeSize, 5, 'probeSize', MAX_BOOKINGS_PAGE_SIZE),
  };
}

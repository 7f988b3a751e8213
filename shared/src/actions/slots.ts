import { parseIsoTimestamp } from '../api/bookings';
import { isRecord } from '../body';
import { CalcomError } from '../errors';
import type { HttpRequest, HttpResponse } from '../http';
import type { CalcomInstance } from '../instances';
import { withKnownSecrets } from '../request-secrets';
import { successData, type ProcessOptions } from './booking-response';
import { read, secretsOf, type ActionContext } from './context';
import { requireId, requireInput, requireInteger, requireTimeZone } from './inputs';
import { ACTION_API_VERSIONS, buildActionRequest } from './wire';

const ENDPOINT = 'GET /v2/slots';

/** One bookable slot. */
export interface Slot {
  /** As Cal.com sent it: offset-formatted in the requested time zone. */
  start: string;
  /** The same instant in UTC: what `start` of Create Booking / Reschedule expects. */
  startUtc: string;
  end?: string;
  endUtc?: string;
  /** The zone `start` and `end` are written in. */
  timeZone: string;
}

export interface FindSlotsInput {
  eventTypeId: number;
  /** ISO-8601 with Z or an offset, or a date (YYYY-MM-DD: the start of that day). */
  start: string;
  /** ISO-8601 with Z or an offset, or a date (YYYY-MM-DD: the end of that day). */
  end: string;
  /** IANA zone the slots are written in; Cal.com's default is UTC. */
  timeZone?: string;
  /** Minutes, for event types with several lengths. */
  duration?: number;
}

function rangeBound(value: unknown, field: string): { wire: string; ms: number } {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))) {
    // Cal.com reads a bare date as the start (or, for `end`, the end) of that day; sent as given.
    return { wire: value, ms: Date.parse(value) + (field === 'end' ? 86_399_999 : 0) };
  }
  const ms = parseIsoTimestamp(value);
  if (ms === undefined) {
    throw new CalcomError('invalid_input', `${field} must be an ISO-8601 date and time with Z or an offset (for example 2026-05-04T00:00:00Z) or a date (2026-05-04); got ${JSON.stringify(value ?? null)}.`);
  }
  return { wire: new Date(ms).toISOString(), ms };
}

/**
 * Describes `GET /v2/slots` (`cal-api-version: 2024-09-04`; other versions answer 404 there). Only
 * parameters Cal.com's pipe allows are sent (it refuses unknown ones): the given ones, and
 * `format=range` so each slot comes with its end.
 */
export function buildFindSlotsRequest(instance: Pick<CalcomInstance, 'apiUrl'>, input: FindSlotsInput): HttpRequest {
  const given = requireInput(input, 'Find available slots');
  const eventTypeId = requireId(given.eventTypeId, 'eventTypeId');
  const start = rangeBound(given.start, 'start');
  const end = rangeBound(given.end, 'end');
  if (end.ms <= start.ms) throw new CalcomError('invalid_input', `end (${end.wire}) must be after start (${start.wire}).`);
  const timeZone = given.timeZone === undefined || given.timeZone === '' ? undefined : requireTimeZone(given.timeZone, 'timeZone');
  const duration = given.duration === undefined || given.duration === null ? undefined : requireInteger(given.duration, 'duration', 1, 366 * 24 * 60);
  return buildActionRequest({
    instance,
    method: 'GET',
    path: '/v2/slots',
    apiVersion: ACTION_API_VERSIONS.slots,
    query: { eventTypeId, start: start.wire, end: end.wire, timeZone, duration, format: 'range' },
  });
}

function malformed(message: string, status: number): CalcomError {
  return new CalcomError('malformed_response', message, { status });
}

/**
 * Reads the answer to {@link buildFindSlotsRequest}: `data` maps each date to `[{start, end?}]`
 * (no wrapper, `{}` when nothing is free). Returns every slot, earliest first, with its UTC instant.
 */
export function processFindSlotsResponse(response: HttpResponse, timeZone: string = 'UTC', options: ProcessOptions = {}): Slot[] {
  const knownSecrets = options.knownSecrets ?? [];
  return withKnownSecrets(knownSecrets, () => {
    const data = successData(response, { endpoint: ENDPOINT, statuses: [200] }, knownSecrets);
    if (!isRecord(data)) throw malformed(`Cal.com answered ${ENDPOINT} without a map of dates to slots (an older API version may have answered).`, response.status);
    const slots: Array<Slot & { ms: number }> = [];
    for (const [date, list] of Object.entries(data)) {
      if (!Array.isArray(list)) throw malformed(`Cal.com answered ${ENDPOINT} with ${JSON.stringify(date.slice(0, 20))} not mapped to a list of slots.`, response.status);
      list.forEach((item: unknown, index: number) => {
        const where = `${date.slice(0, 20)}[${index}]`;
        const start = isRecord(item) ? item.start : undefined;
        const ms = parseIsoTimestamp(start);
        if (ms === undefined) throw malformed(`Cal.com answered ${ENDPOINT} with slot ${where} whose start ${JSON.stringify(start ?? null)} is not an ISO-8601 timestamp.`, response.status);
        const end = (item as Record<string, unknown>).end;
        const endMs = end === undefined ? undefined : parseIsoTimestamp(end);
        if (end !== undefined && endMs === undefined) throw malformed(`Cal.com answered ${ENDPOINT} with slot ${where} whose end ${JSON.stringify(end)} is not an ISO-8601 timestamp.`, response.status);
        slots.push({
          start: start as string,
          startUtc: new Date(ms).toISOString(),
          ...(endMs === undefined ? {} : { end: end as string, endUtc: new Date(endMs).toISOString() }),
          timeZone,
          ms,
        });
      });
    }
    return slots.sort((a, b) => a.ms - b.ms).map(({ ms: _ms, ...slot }) => slot);
  });
}

/** The free slots of an event type between `start` and `end`, earliest first. */
export async function findAvailableSlots(ctx: ActionContext, input: FindSlotsInput): Promise<Slot[]> {
  const request = buildFindSlotsRequest(ctx.instance, input);
  const response = await read(ctx, request, ENDPOINT);
  const timeZone = input.timeZone === undefined || input.timeZone === '' ? 'UTC' : input.timeZone;
  return processFindSlotsResponse(response, timeZone, { knownSecrets: secretsOf(ctx, request) });
}

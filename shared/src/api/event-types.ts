import { isRecord, parseJsonBody } from '../body';
import { classifyResponse } from '../classify';
import { CalcomError } from '../errors';
import { isCalcomId } from '../event-type-ids';
import type { HttpRequest, HttpResponse } from '../http';
import type { CalcomInstance } from '../instances';
import { withKnownSecrets, type KnownSecrets } from '../request-secrets';
import { buildApiRequest } from './request';

/** What dropdowns and filters need about an event type. */
export interface EventTypeSummary {
  id: number;
  title: string;
  slug: string;
  lengthInMinutes?: number;
}

/** Path of the connected user's event types, under the API origin. */
export const EVENT_TYPES_PATH = '/v2/event-types';

/** What error messages call the endpoint. */
export const EVENT_TYPES_ENDPOINT = `GET ${EVENT_TYPES_PATH}`;

/** Describes `GET /v2/event-types` with `cal-api-version: 2024-06-14` (the connected user's event types). */
export function buildEventTypesRequest(options: { instance: Pick<CalcomInstance, 'apiUrl'>; accessToken?: string }): HttpRequest {
  return buildApiRequest({
    instance: options.instance,
    path: EVENT_TYPES_PATH,
    group: 'eventTypes',
    ...(options.accessToken === undefined ? {} : { accessToken: options.accessToken }),
  });
}

/** The event types of an answer, with the items that could not be read. */
export interface EventTypesList {
  eventTypes: EventTypeSummary[];
  /** One sentence per skipped item, naming it; show or log them, they contain no secret. */
  warnings: string[];
}

/** Code of the error raised when Cal.com listed event types and none of them could be read. */
export const NO_READABLE_EVENT_TYPES = 'no_readable_event_types';

function labelOf(item: unknown, index: number): string {
  if (isRecord(item)) {
    if (isCalcomId(item.id)) return `event type ${item.id}`;
    if (typeof item.slug === 'string' && item.slug.trim() !== '') return `event type /${item.slug}`;
  }
  return `event type #${index + 1}`;
}

function problemOf(item: unknown): string | undefined {
  if (!isRecord(item)) return 'it is not an object';
  if (!isCalcomId(item.id)) return 'its id is not a positive integer';
  if (typeof item.title !== 'string' || item.title.trim() === '') return 'it has no title';
  if (typeof item.slug !== 'string' || item.slug.trim() === '') return 'it has no slug';
  return undefined;
}

/** Cal.com lengths are whole minutes from 1; one past a year is a misread number, not a meeting. */
export const MAX_EVENT_TYPE_LENGTH_MINUTES = 366 * 24 * 60;

function lengthInMinutes(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_EVENT_TYPE_LENGTH_MINUTES ? value : undefined;
}

function minutesOf(item: Record<string, unknown>): number | undefined {
  // Decoration only: a length Cal.com would not send is left out rather than costing the item.
  return lengthInMinutes(item.lengthInMinutes) ?? lengthInMinutes(item.length);
}

function itemsOf(response: HttpResponse, knownSecrets: KnownSecrets): unknown[] {
  const parsed = parseJsonBody(response, EVENT_TYPES_ENDPOINT, knownSecrets);
  const data = isRecord(parsed) ? parsed.data : undefined;
  if (Array.isArray(data)) return data;
  if (isRecord(data) && Array.isArray(data.eventTypeGroups)) {
    return data.eventTypeGroups.flatMap((group: unknown) => (isRecord(group) && Array.isArray(group.eventTypes) ? group.eventTypes : []));
  }
  throw new CalcomError('malformed_response', "Cal.com's answer to GET /v2/event-types has no list of event types; check the API URL.", { status: response.status });
}

/**
 * Validates the answer to {@link buildEventTypesRequest}, item by item.
 *
 * 2024-06-14 answers `{status, data: EventType[]}`; the 2024-04-15 fallback (served when the version
 * header is lost on the way) groups them as `{data: {eventTypeGroups: [{eventTypes: [...]}]}}`; both are
 * read, duplicates removed. Cal.com versions up to late 2025 answer 404 "Event types not found" for a
 * user without event types, which is returned as an empty list. An item without a usable id, title
 * or slug is skipped and named in `warnings`, so one bad event type never empties a dropdown.
 *
 * `knownSecrets` (the request's {@link requestSecrets} and the connection's tokens) never reach a message.
 * @throws CalcomError the classified error for other failures; `malformed_response` for a body with no
 * list of event types, or (code {@link NO_READABLE_EVENT_TYPES}) for a list none of whose items is readable.
 */
export function processEventTypesResponse(response: HttpResponse, options: { knownSecrets?: KnownSecrets } = {}): EventTypesList {
  return withKnownSecrets(options.knownSecrets, () => readEventTypesList(response, options.knownSecrets ?? []));
}

function readEventTypesList(response: HttpResponse, knownSecrets: KnownSecrets): EventTypesList {
  if (response.status === 404 && /event types not found/i.test(response.body ?? '')) return { eventTypes: [], warnings: [] };
  const failure = classifyResponse(response, { endpoint: EVENT_TYPES_ENDPOINT, knownSecrets });
  if (failure !== undefined) throw failure;
  const items = itemsOf(response, knownSecrets);
  const seen = new Set<number>();
  const eventTypes: EventTypeSummary[] = [];
  const warnings: string[] = [];
  items.forEach((item: unknown, index: number) => {
    const problem = problemOf(item);
    if (problem !== undefined) {
      warnings.push(`Skipped ${labelOf(item, index)} from Cal.com's event types: ${problem}.`);
      return;
    }
    const record = item as Record<string, unknown> & { id: number; title: string; slug: string };
    if (seen.has(record.id)) return;
    seen.add(record.id);
    const minutes = minutesOf(record);
    eventTypes.push({ id: record.id, title: record.title, slug: record.slug, ...(minutes === undefined ? {} : { lengthInMinutes: minutes }) });
  });
  if (eventTypes.length === 0 && warnings.length > 0) {
    // A list of nothing but unreadable items is more likely a format change than bad data: say so
    // instead of showing an empty dropdown.
    throw new CalcomError(
      'malformed_response',
      `Every event type in Cal.com's answer to GET /v2/event-types lacks its id, title or slug (${warnings.slice(0, 3).join(' ')}); the integration may not support this Cal.com version yet.`,
      { status: response.status, code: NO_READABLE_EVENT_TYPES },
    );
  }
  return { eventTypes, warnings };
}

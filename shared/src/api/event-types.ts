import { isRecord, parseJsonBody } from '../body';
import { classifyResponse } from '../classify';
import { CalcomError } from '../errors';
import type { HttpRequest, HttpResponse } from '../http';
import type { CalcomInstance } from '../instances';
import { withKnownSecrets, type KnownSecrets } from '../request-secrets';
import { buildApiRequest } from './request';
import { CAL_API_VERSIONS } from './versions';

/** What dropdowns and filters need about an event type. */
export interface EventTypeSummary {
  id: number;
  title: string;
  slug: string;
  lengthInMinutes?: number;
}

/** Describes `GET /v2/event-types` with `cal-api-version: 2024-06-14` (the connected user's event types). */
export function buildEventTypesRequest(options: { instance: Pick<CalcomInstance, 'apiUrl'>; accessToken?: string }): HttpRequest {
  return buildApiRequest({
    instance: options.instance,
    path: '/v2/event-types',
    apiVersion: CAL_API_VERSIONS.eventTypes,
    ...(options.accessToken === undefined ? {} : { accessToken: options.accessToken }),
  });
}

function summarize(item: unknown): EventTypeSummary {
  if (!isRecord(item) || typeof item.id !== 'number' || typeof item.title !== 'string' || typeof item.slug !== 'string') {
    throw new CalcomError('malformed_response', "An event type in Cal.com's answer to GET /v2/event-types lacks its id, title or slug.");
  }
  const length = typeof item.lengthInMinutes === 'number' ? item.lengthInMinutes : typeof item.length === 'number' ? item.length : undefined;
  return { id: item.id, title: item.title, slug: item.slug, ...(length === undefined ? {} : { lengthInMinutes: length }) };
}

/**
 * Validates the answer to {@link buildEventTypesRequest}.
 *
 * 2024-06-14 answers `{status, data: EventType[]}`; the 2024-04-15 fallback (served when the version
 * header is lost on the way) groups them as `{data: {eventTypeGroups: [{eventTypes: [...]}]}}`; both are
 * read, duplicates removed. Cal.com versions up to late 2025 answer 404 "Event types not found" for a
 * user without event types, which is returned as an empty list.
 *
 * `knownSecrets` (the request's {@link requestSecrets} and the connection's tokens) never reach a message.
 * @throws CalcomError the classified error for other failures, `malformed_response` for a wrong shape.
 */
export function parseEventTypesResponse(response: HttpResponse, options: { knownSecrets?: KnownSecrets } = {}): EventTypeSummary[] {
  return withKnownSecrets(options.knownSecrets, () => readEventTypesResponse(response, options.knownSecrets ?? []));
}

function readEventTypesResponse(response: HttpResponse, knownSecrets: KnownSecrets): EventTypeSummary[] {
  if (response.status === 404 && /event types not found/i.test(response.body ?? '')) return [];
  const failure = classifyResponse(response, { endpoint: 'GET /v2/event-types', knownSecrets });
  if (failure !== undefined) throw failure;
  const parsed = parseJsonBody(response, 'GET /v2/event-types', knownSecrets);
  const data = isRecord(parsed) ? parsed.data : undefined;
  let items: unknown[];
  if (Array.isArray(data)) {
    items = data;
  } else if (isRecord(data) && Array.isArray(data.eventTypeGroups)) {
    items = data.eventTypeGroups.flatMap((group: unknown) => (isRecord(group) && Array.isArray(group.eventTypes) ? group.eventTypes : []));
  } else {
    throw new CalcomError('malformed_response', "Cal.com's answer to GET /v2/event-types has no list of event types; check the API URL.");
  }
  const seen = new Set<number>();
  const result: EventTypeSummary[] = [];
  for (const item of items) {
    const summary = summarize(item);
    if (seen.has(summary.id)) continue;
    seen.add(summary.id);
    result.push(summary);
  }
  return result;
}

import { buildApiRequest, type ApiQueryValue } from '../api/request';
import type { HttpRequest } from '../http';
import type { CalcomInstance } from '../instances';

/**
 * `cal-api-version` per endpoint group the operations call (CALCOM.md §7; Cal.com's own MCP server
 * pins the same in `apps/mcp-server/src/config.ts`). A wrong value is not an error at Cal.com: it
 * routes to an older controller (another shape) or answers 404.
 *
 * STOP-GAP until the groundwork branch's version table lands in `api/versions.ts`; then this reads it.
 */
export const ACTION_API_VERSIONS = {
  /** `/v2/bookings` and every `/v2/bookings/{uid}/…` action (`ee/bookings/2024-08-13`). */
  bookings: '2024-08-13',
  /** `GET /v2/slots` (`modules/slots/slots-2024-09-04`); older versions only know `/v2/slots/available`. */
  slots: '2024-09-04',
  /** `GET /v2/event-types[/{id}]` (`ee/event-types/event-types_2024_06_14`). */
  eventTypes: '2024-06-14',
} as const;

/** What one operation sends. */
export interface ActionRequestOptions {
  instance: Pick<CalcomInstance, 'apiUrl'>;
  method: 'GET' | 'POST';
  path: string;
  apiVersion: string;
  query?: Readonly<Record<string, ApiQueryValue>>;
  /** Serialised as JSON; a POST always carries a body (Cal.com's cancel pipe refuses none: "Body is required"). */
  body?: Record<string, unknown>;
}

/**
 * Describes one Cal.com API v2 call of an operation. Authorization is left to the platform
 * (Zapier's middleware, n8n's credential), like every adapter call.
 *
 * STOP-GAP over the GET-only `buildApiRequest`: replaced by its POST/JSON form once it lands.
 */
export function buildActionRequest(options: ActionRequestOptions): HttpRequest {
  const base = buildApiRequest({
    instance: options.instance,
    path: options.path,
    apiVersion: options.apiVersion,
    ...(options.query === undefined ? {} : { query: options.query }),
  });
  if (options.method === 'GET') return base;
  return {
    method: 'POST',
    url: base.url,
    headers: { ...base.headers, 'content-type': 'application/json' },
    body: JSON.stringify(options.body ?? {}),
  };
}

/** A path segment from a booking uid: encoded, so a uid can never change the path or the host. */
export function bookingPath(uid: string, action?: string): string {
  return `/v2/bookings/${encodeURIComponent(uid)}${action === undefined ? '' : `/${action}`}`;
}

import { buildApiRequest, type ApiQueryValue, type JsonValue } from '../api/request';
import type { ApiEndpointGroup } from '../api/versions';
import type { HttpRequest } from '../http';
import type { CalcomInstance } from '../instances';

/** What one operation sends. */
export interface ActionRequestOptions {
  instance: Pick<CalcomInstance, 'apiUrl'>;
  method: 'GET' | 'POST';
  path: string;
  /** Decides `cal-api-version` (CALCOM.md §7): bookings, slots or eventTypes. */
  group: ApiEndpointGroup;
  query?: Readonly<Record<string, ApiQueryValue>>;
  /** Serialised as JSON; a POST always carries a body (Cal.com's cancel pipe refuses none: "Body is required"). */
  body?: Record<string, unknown>;
}

/**
 * Describes one Cal.com API v2 call of an operation. Authorization is left to the platform
 * (Zapier's middleware, n8n's credential), like every adapter call. A POST always carries a JSON body.
 */
export function buildActionRequest(options: ActionRequestOptions): HttpRequest {
  return buildApiRequest({
    instance: options.instance,
    method: options.method,
    path: options.path,
    group: options.group,
    ...(options.query === undefined ? {} : { query: options.query }),
    // Caller input (booking field answers) is only known to be JSON-serialisable; buildApiRequest checks it.
    ...(options.method === 'GET' ? {} : { body: (options.body ?? {}) as JsonValue }),
  });
}

/** A path segment from a booking uid: encoded, so a uid can never change the path or the host. */
export function bookingPath(uid: string, action?: string): string {
  return `/v2/bookings/${encodeURIComponent(uid)}${action === undefined ? '' : `/${action}`}`;
}

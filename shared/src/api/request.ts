import type { HttpRequest } from '../http';
import { CalcomError } from '../errors';
import type { CalcomInstance } from '../instances';

/** Query values; arrays are sent comma-separated (Cal.com's CSV filters), `undefined` is skipped. */
export type ApiQueryValue = string | number | boolean | readonly (string | number)[] | undefined;

/** Input of {@link buildApiRequest}. */
export interface ApiRequestOptions {
  /** The Cal.com instance whose API origin is called. */
  instance: Pick<CalcomInstance, 'apiUrl'>;
  /** Path under the API origin, starting with `/v2/` (for example `/v2/bookings`). */
  path: string;
  /** Query parameters, encoded here. */
  query?: Readonly<Record<string, ApiQueryValue>>;
  /** Value for `cal-api-version`; see {@link CAL_API_VERSIONS}. Omitted when not given. */
  apiVersion?: string;
  /**
   * Adds `Authorization: Bearer <token>`. Adapters that let their platform inject credentials leave
   * this out.
   */
  accessToken?: string;
}

/**
 * Describes a `GET` on the Cal.com API v2 origin.
 *
 * @throws CalcomError `invalid_input` when `path` is not an absolute path (which could otherwise
 * redirect the bearer token to another host).
 */
export function buildApiRequest(options: ApiRequestOptions): HttpRequest {
  const { instance, path, query, apiVersion, accessToken } = options;
  if (!path.startsWith('/') || path.startsWith('//')) {
    throw new CalcomError('invalid_input', `API path "${path}" must start with a single "/", for example "/v2/bookings".`);
  }
  const url = new URL(instance.apiUrl + path);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : String(value);
    url.searchParams.set(name, text);
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (apiVersion !== undefined) headers['cal-api-version'] = apiVersion;
  if (accessToken !== undefined) {
    if (accessToken === '') throw new CalcomError('invalid_input', 'The access token is empty; connect the Cal.com account again.');
    headers.authorization = `Bearer ${accessToken}`;
  }
  // Commas stay literal: Cal.com's CSV filters read them either way, and the URL stays legible in logs.
  return { method: 'GET', url: url.toString().replace(/%2C/gi, ','), headers };
}

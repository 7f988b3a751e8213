import type { HttpMethod, HttpRequest } from '../http';
import { CalcomError } from '../errors';
import type { CalcomInstance } from '../instances';
import { apiVersionFor, type ApiEndpointGroup } from './versions';

/** Query values; arrays are sent comma-separated (Cal.com's CSV filters), `undefined` is skipped. */
export type ApiQueryValue = string | number | boolean | readonly (string | number)[] | undefined;

/** A JSON value a request body may hold. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue | undefined };

/** Input of {@link buildApiRequest}. */
export interface ApiRequestOptions {
  /** The Cal.com instance whose API origin is called. */
  instance: Pick<CalcomInstance, 'apiUrl'>;
  /** `GET` by default. */
  method?: HttpMethod;
  /** Path under the API origin, starting with `/v2/` (for example `/v2/bookings`). */
  path: string;
  /** Decides the `cal-api-version` header (see {@link API_VERSION_BY_GROUP}); callers never give the version. */
  group: ApiEndpointGroup;
  /** Query parameters, encoded here. */
  query?: Readonly<Record<string, ApiQueryValue>>;
  /**
   * JSON body for POST, PATCH and DELETE, serialised here once. Cal.com's booking pipes answer
   * "Body is required" to an empty body, so actions without fields send `{}`.
   */
  body?: JsonValue;
  /**
   * Adds `Authorization: Bearer <token>`. Adapters that let their platform inject credentials leave
   * this out.
   */
  accessToken?: string;
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PATCH', 'DELETE'];

function serialiseBody(method: HttpMethod, body: JsonValue | undefined): string | undefined {
  if (body === undefined) return undefined;
  if (method === 'GET') throw new CalcomError('invalid_input', 'A GET request to Cal.com cannot carry a body; send the values as query parameters.');
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch (cause) {
    throw new CalcomError('invalid_input', `The request body for Cal.com cannot be written as JSON (${cause instanceof Error ? cause.message : 'unknown reason'}).`, { cause });
  }
  if (text === undefined) throw new CalcomError('invalid_input', 'The request body for Cal.com is not a JSON value.');
  return text;
}

/**
 * Describes a request to the Cal.com API v2 origin: `GET` with a query, or `POST`/`PATCH`/`DELETE`
 * with a JSON body (`content-type: application/json`). The `cal-api-version` header comes from the
 * endpoint group.
 *
 * @throws CalcomError `invalid_input` when `path` is not an absolute path (which could otherwise
 * redirect the bearer token to another host), for an unknown method or group, or a body on a GET.
 */
export function buildApiRequest(options: ApiRequestOptions): HttpRequest {
  const { instance, path, query, group, accessToken } = options;
  const method = options.method ?? 'GET';
  if (!METHODS.includes(method)) {
    throw new CalcomError('invalid_input', `HTTP method "${String(method)}" is not one the Cal.com API client sends; use ${METHODS.join(', ')}.`);
  }
  if (!path.startsWith('/') || path.startsWith('//')) {
    throw new CalcomError('invalid_input', `API path "${path}" must start with a single "/", for example "/v2/bookings".`);
  }
  const apiVersion = apiVersionFor(group);
  const body = serialiseBody(method, options.body);
  const url = new URL(instance.apiUrl + path);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : String(value);
    url.searchParams.set(name, text);
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (apiVersion !== undefined) headers['cal-api-version'] = apiVersion;
  if (accessToken !== undefined) {
    if (accessToken === '') throw new CalcomError('invalid_input', 'The access token is empty; connect the Cal.com account again.');
    headers.authorization = `Bearer ${accessToken}`;
  }
  // Commas stay literal: Cal.com's CSV filters read them either way, and the URL stays legible in logs.
  const request: HttpRequest = { method, url: url.toString().replace(/%2C/gi, ','), headers };
  if (body !== undefined) request.body = body;
  return request;
}

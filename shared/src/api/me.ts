import { isRecord, parseJsonBody } from '../body';
import { classifyResponse } from '../classify';
import { CalcomError } from '../errors';
import type { HttpRequest, HttpResponse } from '../http';
import type { CalcomInstance } from '../instances';
import { withKnownSecrets, type KnownSecrets } from '../request-secrets';
import { buildApiRequest } from './request';

/** The connected Cal.com user, as `GET /v2/me` describes it. */
export interface CalcomProfile {
  id: number;
  email: string;
  name: string | null;
  username: string | null;
  timeZone: string;
}

/** Path of the connected user's profile, under the API origin. */
export const ME_PATH = '/v2/me';

/** What error messages call the endpoint. */
export const ME_ENDPOINT = `GET ${ME_PATH}`;

/** Describes `GET /v2/me` (needs `PROFILE_READ` on scoped tokens). Used to test a connection and label it. */
export function buildMeRequest(options: { instance: Pick<CalcomInstance, 'apiUrl'>; accessToken?: string }): HttpRequest {
  return buildApiRequest({
    instance: options.instance,
    path: ME_PATH,
    group: 'me',
    ...(options.accessToken === undefined ? {} : { accessToken: options.accessToken }),
  });
}

function malformed(detail: string): CalcomError {
  return new CalcomError('malformed_response', `Cal.com's answer to ${ME_ENDPOINT} ${detail}; check that the API URL points at Cal.com API v2.`);
}

function nullableString(value: unknown, field: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw malformed(`has a non-text ${field}`);
  return value;
}

/**
 * Validates the answer to {@link buildMeRequest}: `{status:"success", data:{id, email, name, username, timeZone, …}}`.
 * `knownSecrets` (the request's {@link requestSecrets} and the connection's tokens) never reach a message.
 * @throws CalcomError the classified error for non-2xx answers, `malformed_response` for a wrong shape.
 */
export function processMeResponse(response: HttpResponse, options: { knownSecrets?: KnownSecrets } = {}): CalcomProfile {
  return withKnownSecrets(options.knownSecrets, () => readMeResponse(response, options.knownSecrets ?? []));
}

function readMeResponse(response: HttpResponse, knownSecrets: KnownSecrets): CalcomProfile {
  const failure = classifyResponse(response, { endpoint: ME_ENDPOINT, knownSecrets });
  if (failure !== undefined) throw failure;
  const parsed = parseJsonBody(response, ME_ENDPOINT, knownSecrets);
  const data = isRecord(parsed) && isRecord(parsed.data) ? parsed.data : undefined;
  if (data === undefined) throw malformed('has no data object');
  if (typeof data.id !== 'number' || !Number.isInteger(data.id)) throw malformed('has no numeric user id');
  if (typeof data.email !== 'string' || data.email === '') throw malformed('has no email');
  const timeZone = typeof data.timeZone === 'string' && data.timeZone !== '' ? data.timeZone : 'UTC';
  return {
    id: data.id,
    email: data.email,
    name: nullableString(data.name, 'name'),
    username: nullableString(data.username, 'username'),
    timeZone,
  };
}

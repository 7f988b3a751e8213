import nock from 'nock';
import { CLOUD_API, mint } from '../helpers';

/** What one nocked Cal.com call received. */
export interface Received {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * Answers one Cal.com request (`method` `path`, any query) with `status`/`body` and records what was
 * sent, so a test asserts the method, URL, cal-api-version header and body on the wire.
 */
export function calcom(method: 'GET' | 'POST', path: string | RegExp, status: number, body: unknown, headers: Record<string, string> = {}): Received[] {
  const received: Received[] = [];
  const scope = nock(CLOUD_API);
  const interceptor = method === 'GET' ? scope.get(path).query(true) : scope.post(path);
  interceptor.reply(function reply(uri, requestBody) {
    received.push({ method, path: uri, headers: this.req.headers, body: typeof requestBody === 'string' && requestBody !== '' ? JSON.parse(requestBody) : requestBody });
    return [status, body, headers];
  });
  return received;
}

/** A connection's authData with a fresh token. */
export function connection(): { access_token: string } {
  return { access_token: mint('at') };
}

/** Cal.com's 403 for a token without a scope the endpoint needs. */
export function lacksScope(scope: string) {
  return {
    status: 'error',
    error: { code: 'ForbiddenException', message: `insufficient_scope: token does not have the required scopes. Required: ${scope}. Token has: BOOKING_READ, EVENT_TYPE_READ, PROFILE_READ` },
  };
}

/** Cal.com's 400 with `message`. */
export function badRequest(message: string) {
  return { status: 'error', timestamp: '2026-11-23T12:00:00.000Z', path: '/v2/bookings', error: { code: 'BadRequestException', message } };
}

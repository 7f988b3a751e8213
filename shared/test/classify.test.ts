import { classifyNetworkError, classifyResponse, parseRequiredScopes, retryAfterSeconds } from '../src/classify';
import { parseJsonBody, readErrorBody } from '../src/body';
import { CalcomError } from '../src/errors';
import type { HttpResponse } from '../src/http';
import { jsonResponse } from './support/fetch';
import { mintAccessToken } from './support/tokens';

/** API v2's global HttpExceptionFilter envelope. */
function envelope(status: number, code: string, message: string, details?: unknown): HttpResponse {
  return jsonResponse(status, { status: 'error', timestamp: '2026-01-01T00:00:00.000Z', path: '/v2/bookings', error: { code, message, ...(details === undefined ? {} : { details }) } });
}

describe('classifyResponse', () => {
  it('returns undefined for every 2xx', () => {
    for (const status of [200, 201, 204]) expect(classifyResponse({ status, headers: {}, body: '' })).toBeUndefined();
  });

  it("treats API v2's 403 'no oAuth client found for access token' as an expired token, scrubbing the token", () => {
    const token = mintAccessToken();
    const error = classifyResponse(envelope(403, 'ForbiddenException', `PermissionsGuard - no oAuth client found for access token=${token}`), { endpoint: 'GET /v2/bookings' });
    expect(error?.kind).toBe('token_expired');
    expect(error?.status).toBe(403);
    expect(error?.message).toContain('GET /v2/bookings');
    expect(error?.message).not.toContain(token);
    expect(error?.message).not.toContain('eyJ');
  });

  it('treats a 401 on the API as an expired token', () => {
    const error = classifyResponse(envelope(401, 'UnauthorizedException', 'ApiAuthStrategy - Invalid access token'));
    expect(error?.kind).toBe('token_expired');
    expect(error?.code).toBe('UnauthorizedException');
  });

  it('reads the required scopes of a 403 insufficient_scope', () => {
    const message = 'insufficient_scope: token does not have the required scopes. Required: BOOKING_READ, READ_PROFILE. Token has: EVENT_TYPE_READ';
    const error = classifyResponse(envelope(403, 'ForbiddenException', message, { message, error: 'Forbidden', statusCode: 403 }), { endpoint: 'GET /v2/bookings' });
    expect(error?.kind).toBe('insufficient_scope');
    expect(error?.requiredScopes).toEqual(['BOOKING_READ', 'PROFILE_READ']);
    expect(error?.message).toMatch(/lacks BOOKING_READ, PROFILE_READ needed for GET \/v2\/bookings.*reconnect/);
    expect(error?.needsReconnect).toBe(true);
  });

  it('says when an endpoint is closed to OAuth tokens whatever the scopes', () => {
    const error = classifyResponse(envelope(403, 'ForbiddenException', 'insufficient_scope: this endpoint is not available for third-party OAuth tokens'));
    expect(error?.kind).toBe('insufficient_scope');
    expect(error?.requiredScopes).toEqual([]);
    expect(error?.message).toMatch(/does not allow OAuth tokens/);
  });

  it.each([
    ['flat invalid_grant', jsonResponse(400, { error: 'invalid_grant' }), 'reconnect_required', 'invalid_grant', /revoked, expired or already used/],
    ['flat invalid_client', jsonResponse(401, { error: 'invalid_client', error_description: 'invalid_client_credentials' }), 'reconnect_required', 'invalid_client', /client ID and client secret/],
    ['flat unauthorized_client', jsonResponse(401, { error: 'unauthorized_client' }), 'reconnect_required', 'unauthorized_client', /pending approval/],
    ['v2 wrapped invalid_grant', envelope(400, 'HttpException', 'Authorization code is invalid or expired', { error: 'invalid_grant', error_description: 'Authorization code is invalid or expired' }), 'reconnect_required', 'invalid_grant', /Authorization code is invalid or expired/],
    ['reason client_not_approved', jsonResponse(401, { error: 'unauthorized_client', error_description: 'client_not_approved' }), 'client_not_approved', 'unauthorized_client', /Settings → Developer → OAuth clients/],
    ['reason client_rejected', envelope(401, 'HttpException', 'OAuth client has been rejected', { error: 'unauthorized_client', error_description: 'OAuth client has been rejected' }), 'client_not_approved', 'unauthorized_client', /not approved/],
    ['redirect mismatch', jsonResponse(400, { error: 'invalid_grant', error_description: 'redirect_uri_mismatch' }), 'redirect_mismatch', 'invalid_grant', /add the exact redirect URI/],
    ['redirect mismatch as invalid_request', jsonResponse(400, { error: 'invalid_request', error_description: 'redirect_uri_mismatch' }), 'redirect_mismatch', 'invalid_request', /redirect URI/],
  ])('classifies %s', (_label, response, kind, code, message) => {
    const error = classifyResponse(response, { tokenEndpoint: true });
    expect(error?.kind).toBe(kind);
    expect(error?.code).toBe(code);
    expect(error?.message).toMatch(message);
  });

  it('does not take an API error about a pending booking for an unapproved OAuth client', () => {
    const error = classifyResponse(envelope(400, 'BadRequestException', 'Booking is pending confirmation and cannot be marked as absent'), { endpoint: 'POST /v2/bookings/x/mark-absent' });
    expect(error?.kind).toBe('bad_request');
    expect(classifyResponse(jsonResponse(401, { error: 'unauthorized_client', error_description: 'OAuth client is pending approval' }), { tokenEndpoint: true })?.kind).toBe('client_not_approved');
  });

  it('treats a legacy 401 {message:"Unauthorized"} from a token route as reconnect, elsewhere as expiry', () => {
    const response = jsonResponse(401, { message: 'Unauthorized' });
    expect(classifyResponse(response, { tokenEndpoint: true })?.kind).toBe('reconnect_required');
    expect(classifyResponse(response)?.kind).toBe('token_expired');
  });

  it('reads the 429 wait from X-RateLimit-Reset-Default, then Retry-After, else 60 s', () => {
    const body = envelope(429, 'ThrottlerException', 'CustomThrottlerGuard - Too many requests. Please try again later.');
    const limited = classifyResponse({ ...body, headers: { ...body.headers, 'X-RateLimit-Limit-Default': '500', 'X-RateLimit-Remaining-Default': '0', 'X-RateLimit-Reset-Default': '37' } });
    expect(limited?.kind).toBe('rate_limited');
    expect(limited?.retryAfterSeconds).toBe(37);
    expect(limited?.code).toBe('ThrottlerException');
    expect(limited?.isTransient).toBe(true);
    expect(classifyResponse({ status: 429, headers: { 'retry-after': '12' }, body: '' })?.retryAfterSeconds).toBe(12);
    expect(classifyResponse({ status: 429, headers: {}, body: '' })?.retryAfterSeconds).toBe(60);
    expect(retryAfterSeconds({ status: 429, headers: { 'retry-after': new Date(1_000_000 + 30_000).toUTCString() }, body: '' }, 1_000_000)).toBe(30);
    expect(retryAfterSeconds({ status: 429, headers: { 'x-ratelimit-reset-default': '0.2' }, body: '' })).toBe(1);
  });

  it.each([
    [500, jsonResponse(500, { error: 'server_error', error_description: 'An unexpected error occurred' }), 'server_unavailable'],
    [502, { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body>Bad gateway</body></html>' }, 'server_unavailable'],
    [503, { status: 503, headers: {}, body: '' }, 'server_unavailable'],
    [410, envelope(410, 'GoneException', 'This endpoint is no longer available'), 'api_retired'],
    [404, envelope(404, 'NotFoundException', 'Booking with uid=abc not found'), 'not_found'],
    [400, envelope(400, 'BadRequestException', 'take must not be greater than 250', { message: ['take must not be greater than 250'], error: 'Bad Request', statusCode: 400 }), 'bad_request'],
    [422, jsonResponse(422, { message: 'grant type invalid' }), 'bad_request'],
    [403, envelope(403, 'ForbiddenException', 'You are not the owner of this booking'), 'bad_request'],
    [302, { status: 302, headers: { location: '/auth/login' }, body: '' }, 'malformed_response'],
  ] as [number, HttpResponse, string][])('maps HTTP %i to %s', (status, response, kind) => {
    const error = classifyResponse(response, { endpoint: 'GET /v2/bookings' });
    expect(error).toBeInstanceOf(CalcomError);
    expect(error?.kind).toBe(kind);
    expect(error?.status).toBe(status);
  });

  it("quotes Cal.com's own words for bad requests, scrubbed", () => {
    const token = mintAccessToken();
    const error = classifyResponse(envelope(400, 'BadRequestException', `Invalid token ${token} and take must be a number`));
    expect(error?.message).toMatch(/HTTP 400, "BadRequestException: Invalid token \[redacted\] and take must be a number"/);
  });

  it('copes with HTML, empty and truncated bodies', () => {
    expect(classifyResponse({ status: 404, headers: {}, body: '<!DOCTYPE html><html>Not here</html>' })?.message).toMatch(/an HTML page/);
    expect(classifyResponse({ status: 400, headers: {}, body: '' })?.message).toMatch(/no details/);
    expect(classifyResponse({ status: 400, headers: {}, body: '{"error":"invalid_gr' })?.kind).toBe('bad_request');
    expect(classifyResponse({ status: 401, headers: {}, body: '{"error":"invalid_gr' }, { tokenEndpoint: true })?.kind).toBe('reconnect_required');
  });
});

describe('readErrorBody', () => {
  it('prefers details.error on the wrapped token endpoint errors', () => {
    expect(readErrorBody(envelope(400, 'HttpException', 'x', { error: 'invalid_grant', error_description: 'Code expired' }))).toEqual({ html: false, code: 'invalid_grant', message: 'Code expired' });
    expect(readErrorBody(jsonResponse(400, { error: 'invalid_request' }))).toEqual({ html: false, code: 'invalid_request' });
    expect(readErrorBody(jsonResponse(401, { message: 'Unauthorized' }))).toEqual({ html: false, message: 'Unauthorized' });
  });
});

describe('parseRequiredScopes', () => {
  it('reads lists with or without the Token has part', () => {
    expect(parseRequiredScopes('insufficient_scope: token does not have the required scopes. Required: PROFILE_READ. Token has: BOOKING_READ')).toEqual(['PROFILE_READ']);
    expect(parseRequiredScopes('insufficient_scope: token does not have the required scopes. Required: CREDITS_READ.')).toEqual(['CREDITS_READ']);
    expect(parseRequiredScopes('Required: TEAM_BOOKING_READ, ORG_SCHEDULE_READ. Token has: ')).toEqual(['TEAM_BOOKING_READ', 'ORG_SCHEDULE_READ']);
    expect(parseRequiredScopes('nothing here')).toEqual([]);
  });
});

describe('classifyNetworkError', () => {
  it('maps time-outs and connection failures to server_unavailable', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(classifyNetworkError(reset)).toMatchObject({ kind: 'server_unavailable', code: 'ECONNRESET' });
    const fetchFailure = new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    expect(classifyNetworkError(fetchFailure, { endpoint: 'GET /v2/me' })).toMatchObject({ kind: 'server_unavailable', code: 'ECONNREFUSED' });
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    expect(classifyNetworkError(timeout).message).toMatch(/time-out/);
    expect(classifyNetworkError(reset).cause).toBe(reset);
  });

  it('scrubs messages and passes CalcomErrors through', () => {
    const token = mintAccessToken();
    expect(classifyNetworkError(new Error(`failed for Bearer ${token}`)).message).not.toContain(token);
    const original = new CalcomError('rate_limited', 'wait');
    expect(classifyNetworkError(original)).toBe(original);
  });
});

describe('parseJsonBody', () => {
  it('parses JSON and explains empty, HTML and truncated bodies', () => {
    expect(parseJsonBody(jsonResponse(200, { a: 1 }), 'x')).toEqual({ a: 1 });
    expect(() => parseJsonBody({ status: 200, headers: {}, body: ' ' }, 'the token response')).toThrow(/empty answer for the token response/);
    expect(() => parseJsonBody({ status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: 'ok' }, 'x')).toThrow(/HTML page instead of JSON/);
    const error = (() => {
      try {
        parseJsonBody({ status: 200, headers: {}, body: '{"data":[{"id":1' }, 'GET /v2/bookings');
      } catch (e) {
        return e as CalcomError;
      }
      return undefined;
    })();
    expect(error?.kind).toBe('malformed_response');
    expect(error?.message).toMatch(/not valid JSON \(HTTP 200, possibly truncated\)/);
  });
});

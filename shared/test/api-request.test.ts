import { buildApiRequest, type ApiRequestOptions } from '../src/api/request';
import { API_VERSION_BY_GROUP, apiVersionFor, type ApiEndpointGroup } from '../src/api/versions';
import { CALCOM_CLOUD } from '../src/instances';
import { calcomErrorFrom } from './support/errors';

const base = { instance: CALCOM_CLOUD, accessToken: 'token-1' } as const;

describe('cal-api-version per endpoint group', () => {
  it.each<[ApiEndpointGroup, string | undefined]>([
    ['bookings', '2024-08-13'],
    ['slots', '2024-09-04'],
    ['eventTypes', '2024-06-14'],
    ['schedules', '2024-06-11'],
    // Both controllers declare every version: no header is sent rather than a pin nothing depends on.
    ['webhooks', undefined],
    ['me', undefined],
  ])('%s sends %s', (group, version) => {
    expect(apiVersionFor(group)).toBe(version);
    expect(buildApiRequest({ ...base, path: '/v2/x', group }).headers['cal-api-version']).toBe(version);
  });

  it('covers exactly the groups of the table', () => {
    expect(Object.keys(API_VERSION_BY_GROUP).sort()).toEqual(['bookings', 'eventTypes', 'me', 'schedules', 'slots', 'webhooks']);
  });

  it('refuses a group it does not know, naming the known ones', () => {
    const error = calcomErrorFrom(() => buildApiRequest({ ...base, path: '/v2/teams', group: 'teams' as ApiEndpointGroup }));
    expect(error.kind).toBe('invalid_input');
    expect(error.message).toMatch(/Unknown Cal\.com API endpoint group "teams"; expected one of bookings, slots, eventTypes, schedules, webhooks, me/);
    // Inherited names are not groups either.
    expect(calcomErrorFrom(() => apiVersionFor('toString' as ApiEndpointGroup)).kind).toBe('invalid_input');
  });
});

describe('buildApiRequest with a JSON body', () => {
  it.each(['POST', 'PATCH', 'DELETE'] as const)('%s carries the body serialised once, with content-type', (method) => {
    const body = { start: '2026-12-03T15:00:00.000Z', attendee: { name: 'Ada', email: 'ada@example.com', timeZone: 'Europe/London' }, guests: ['b@example.com'] };
    const request = buildApiRequest({ ...base, method, path: '/v2/bookings/abc/cancel', group: 'bookings', body });
    expect(request.method).toBe(method);
    expect(request.url).toBe('https://api.cal.com/v2/bookings/abc/cancel');
    expect(request.headers).toEqual({ accept: 'application/json', 'content-type': 'application/json', 'cal-api-version': '2024-08-13', authorization: 'Bearer token-1' });
    expect(typeof request.body).toBe('string');
    expect(JSON.parse(request.body as string)).toEqual(body);
  });

  it('sends {} as "{}" (Cal.com answers "Body is required" to an empty body) and drops undefined fields', () => {
    expect(buildApiRequest({ ...base, method: 'POST', path: '/v2/bookings/abc/confirm', group: 'bookings', body: {} }).body).toBe('{}');
    expect(buildApiRequest({ ...base, method: 'POST', path: '/v2/webhooks', group: 'webhooks', body: { active: true, secret: undefined } }).body).toBe('{"active":true}');
  });

  it('sends no body and no content-type when none is given', () => {
    const request = buildApiRequest({ ...base, method: 'DELETE', path: '/v2/webhooks/7', group: 'webhooks' });
    expect(request).toEqual({ method: 'DELETE', url: 'https://api.cal.com/v2/webhooks/7', headers: { accept: 'application/json', authorization: 'Bearer token-1' } });
  });

  it('keeps GET the default, and refuses a body on it', () => {
    expect(buildApiRequest({ ...base, path: '/v2/slots', group: 'slots', query: { eventTypeId: 3 } }).method).toBe('GET');
    const error = calcomErrorFrom(() => buildApiRequest({ ...base, path: '/v2/bookings', group: 'bookings', body: { a: 1 } }));
    expect(error.kind).toBe('invalid_input');
    expect(error.message).toMatch(/GET request to Cal\.com cannot carry a body/);
  });

  it('refuses a method it does not send and a body JSON cannot hold', () => {
    expect(calcomErrorFrom(() => buildApiRequest({ ...base, method: 'PUT' as ApiRequestOptions['method'], path: '/v2/me', group: 'me' })).message).toMatch(/HTTP method "PUT"/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(calcomErrorFrom(() => buildApiRequest({ ...base, method: 'POST', path: '/v2/bookings', group: 'bookings', body: cyclic as never })).message).toMatch(/cannot be written as JSON/);
  });
});

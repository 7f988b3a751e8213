import nock from 'nock';
import { buildApiRequest } from '../src/api/request';
import { CAL_API_VERSIONS } from '../src/api/versions';
import { buildMeRequest, processMeResponse } from '../src/api/me';
import { buildEventTypesRequest, processEventTypesResponse } from '../src/api/event-types';
import { CALCOM_CLOUD, resolveInstance } from '../src/instances';
import { execute, jsonResponse } from './support/fetch';
import { mintAccessToken } from './support/tokens';
import { useOfflineNock } from './support/offline-nock';
import { calcomErrorFrom } from './support/errors';

const local = resolveInstance({ kind: 'self-hosted', appUrl: 'http://127.0.0.1:4030', apiUrl: 'http://127.0.0.1:4031/cal' });

useOfflineNock();

describe('CAL_API_VERSIONS', () => {
  it('pins each resource group to its own version', () => {
    expect(CAL_API_VERSIONS).toEqual({ bookings: '2024-08-13', slots: '2024-09-04', eventTypes: '2024-06-14', schedules: '2024-06-11' });
  });
});

describe('buildApiRequest', () => {
  it('builds a GET on the API origin with version header and encoded query', () => {
    expect(
      buildApiRequest({ instance: CALCOM_CLOUD, path: '/v2/bookings', query: { status: ['upcoming', 'past'], take: 100, attendeeEmail: 'a+b@x.com', skip: undefined, sortCreated: 'desc' }, group: 'bookings' }),
    ).toEqual({
      method: 'GET',
      url: 'https://api.cal.com/v2/bookings?status=upcoming,past&take=100&attendeeEmail=a%2Bb%40x.com&sortCreated=desc',
      headers: { accept: 'application/json', 'cal-api-version': '2024-08-13' },
    });
  });

  it('adds Bearer only when an access token is given, and keeps a self-hosted path prefix', () => {
    const token = mintAccessToken();
    const request = buildApiRequest({ instance: local, path: '/v2/me', group: 'me', accessToken: token });
    expect(request.url).toBe('http://127.0.0.1:4031/cal/v2/me');
    expect(request.headers).toEqual({ accept: 'application/json', authorization: `Bearer ${token}` });
    expect(buildApiRequest({ instance: local, path: '/v2/me', group: 'me' }).headers.authorization).toBeUndefined();
  });

  it('refuses paths that could leave the API origin, and empty tokens', () => {
    expect(calcomErrorFrom(() => buildApiRequest({ instance: CALCOM_CLOUD, path: 'v2/me', group: 'me' })).kind).toBe('invalid_input');
    expect(calcomErrorFrom(() => buildApiRequest({ instance: CALCOM_CLOUD, path: '//evil.example/v2/me', group: 'me' })).kind).toBe('invalid_input');
    expect(calcomErrorFrom(() => buildApiRequest({ instance: CALCOM_CLOUD, path: '/v2/me', group: 'me', accessToken: '' })).message).toMatch(/access token is empty/);
  });
});

describe('/v2/me', () => {
  const me = { id: 7, email: 'ada@example.com', name: 'Ada', avatarUrl: null, bio: null, timeFormat: 24, defaultScheduleId: 1, weekStart: 'Monday', timeZone: 'Europe/London', username: 'ada', organizationId: null };

  it('round-trips through fetch and parses the profile', async () => {
    const token = mintAccessToken();
    nock('http://127.0.0.1:4031', { reqheaders: { authorization: `Bearer ${token}` } })
      .get('/cal/v2/me')
      .reply(200, { status: 'success', data: me });
    const profile = processMeResponse(await execute(buildMeRequest({ instance: local, accessToken: token })));
    expect(profile).toEqual({ id: 7, email: 'ada@example.com', name: 'Ada', username: 'ada', timeZone: 'Europe/London' });
  });

  it('accepts null name and username', () => {
    expect(processMeResponse(jsonResponse(200, { status: 'success', data: { ...me, name: null, username: null } }))).toMatchObject({ name: null, username: null });
  });

  it.each([
    ['no data', { status: 'success' }, /no data object/],
    ['a string id', { status: 'success', data: { ...me, id: '7' } }, /numeric user id/],
    ['no email', { status: 'success', data: { ...me, email: '' } }, /no email/],
    ['a numeric name', { status: 'success', data: { ...me, name: 5 } }, /non-text name/],
  ])('rejects %s', (_label, body, message) => {
    const error = calcomErrorFrom(() => processMeResponse(jsonResponse(200, body)));
    expect(error.kind).toBe('malformed_response');
    expect(error.message).toMatch(message);
  });

  it('classifies failures (401 on /v2/me is an expired token; scope errors name the scope)', () => {
    expect(calcomErrorFrom(() => processMeResponse(jsonResponse(401, { status: 'error', error: { code: 'UnauthorizedException', message: 'Invalid token' } }))).kind).toBe('token_expired');
    const scope = calcomErrorFrom(() =>
      processMeResponse(jsonResponse(403, { status: 'error', error: { code: 'ForbiddenException', message: 'insufficient_scope: token does not have the required scopes. Required: PROFILE_READ. Token has: BOOKING_READ' } })),
    );
    expect(scope).toMatchObject({ kind: 'insufficient_scope', requiredScopes: ['PROFILE_READ'] });
    expect(scope.message).toContain('GET /v2/me');
  });
});

describe('/v2/event-types', () => {
  const item = (id: number, extra: Record<string, unknown> = {}) => ({ id, title: `Meeting ${id}`, slug: `meeting-${id}`, lengthInMinutes: 30, hidden: false, bookingFields: [], ...extra });

  it('sends cal-api-version 2024-06-14 and parses the bare array', async () => {
    nock('http://127.0.0.1:4031', { reqheaders: { 'cal-api-version': '2024-06-14' } })
      .get('/cal/v2/event-types')
      .reply(200, { status: 'success', data: [item(1), item(2, { lengthInMinutes: 60 })] });
    const types = processEventTypesResponse(await execute(buildEventTypesRequest({ instance: local }))).eventTypes;
    expect(types).toEqual([
      { id: 1, title: 'Meeting 1', slug: 'meeting-1', lengthInMinutes: 30 },
      { id: 2, title: 'Meeting 2', slug: 'meeting-2', lengthInMinutes: 60 },
    ]);
  });

  it('reads the grouped 2024-04-15 shape, with length and duplicates', () => {
    const body = {
      status: 'success',
      data: {
        eventTypeGroups: [
          { profile: { slug: 'ada' }, eventTypes: [{ id: 1, title: 'A', slug: 'a', length: 15 }] },
          { profile: { slug: 'team' }, eventTypes: [{ id: 1, title: 'A', slug: 'a', length: 15 }, { id: 3, title: 'C', slug: 'c' }] },
        ],
        profiles: [],
      },
    };
    expect(processEventTypesResponse(jsonResponse(200, body)).eventTypes).toEqual([
      { id: 1, title: 'A', slug: 'a', lengthInMinutes: 15 },
      { id: 3, title: 'C', slug: 'c' },
    ]);
  });

  it('turns the old 404 "Event types not found" into an empty list, other 404s into not_found', () => {
    expect(processEventTypesResponse(jsonResponse(404, { status: 'error', error: { code: 'NotFoundException', message: 'Event types not found' } })).eventTypes).toEqual([]);
    expect(processEventTypesResponse(jsonResponse(200, { status: 'success', data: [] })).eventTypes).toEqual([]);
    expect(calcomErrorFrom(() => processEventTypesResponse(jsonResponse(404, { message: 'Cannot GET /v2/event-types' }))).kind).toBe('not_found');
  });

  it('rejects shapes it cannot read', () => {
    expect(calcomErrorFrom(() => processEventTypesResponse(jsonResponse(200, { status: 'success', data: { foo: [] } }))).message).toMatch(/no list of event types/);
    expect(calcomErrorFrom(() => processEventTypesResponse(jsonResponse(200, { status: 'success', data: [{ id: 1, title: 'x' }] }))).message).toMatch(/lacks its id, title or slug/);
  });
});

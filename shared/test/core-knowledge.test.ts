import { BOOKINGS_ENDPOINT } from '../src/api/bookings';
import { EVENT_TYPES_ENDPOINT } from '../src/api/event-types';
import { ME_ENDPOINT, ME_PATH } from '../src/api/me';
import { classifyResponse } from '../src/classify';
import { OAUTH_CLIENT_SETTINGS_HINT } from '../src/client-settings';
import { ENDPOINT_SCOPES, requiredScopeOf } from '../src/endpoint-scopes';
import { CONNECTION_ESSENTIAL_SCOPES } from '../src/scope-advice';
import { getScopeInfo } from '../src/scope-catalogue';
import { DEFAULT_TRIGGER_SCOPES, LEGACY_DEFAULT_TRIGGER_SCOPES, LEGACY_SCOPE_NAMES, defaultTriggerScopes, toLegacyScopes } from '../src/scopes';
import { nextTokenSurface } from '../src/token-surface-fallback';
import { calcomErrorFrom } from './support/errors';
import { jsonResponse } from './support/fetch';

describe('the endpoint → scope table', () => {
  it('gives the scope of each endpoint the integration reads', () => {
    expect(requiredScopeOf(BOOKINGS_ENDPOINT)).toBe('BOOKING_READ');
    expect(requiredScopeOf(EVENT_TYPES_ENDPOINT)).toBe('EVENT_TYPE_READ');
    expect(requiredScopeOf(ME_ENDPOINT)).toBe('PROFILE_READ');
    expect(ME_ENDPOINT).toBe(`GET ${ME_PATH}`);
  });

  it('marks the public booking actions null and the owner actions BOOKING_WRITE', () => {
    expect(requiredScopeOf('POST /v2/bookings')).toBeNull();
    expect(requiredScopeOf('GET /v2/slots')).toBeNull();
    expect(requiredScopeOf('POST /v2/bookings/{bookingUid}/confirm')).toBe('BOOKING_WRITE');
  });

  it('names only scopes of the catalogue', () => {
    for (const scope of Object.values(ENDPOINT_SCOPES)) if (scope !== null) expect(getScopeInfo(scope)).toBeDefined();
  });

  it('refuses to guess for an endpoint it does not list', () => {
    const error = calcomErrorFrom(() => requiredScopeOf('GET /v2/teams'));
    expect(error.kind).toBe('invalid_input');
    expect(error.message).toMatch(/No scope is recorded for GET \/v2\/teams/);
    expect(calcomErrorFrom(() => requiredScopeOf('toString')).kind).toBe('invalid_input');
  });

  it('feeds the scopes a connection cannot do without', () => {
    expect([...CONNECTION_ESSENTIAL_SCOPES].sort()).toEqual(['BOOKING_READ', 'PROFILE_READ']);
  });
});

describe('default scopes per token surface', () => {
  it('asks legacy installations only for what their two legacy scopes can carry', () => {
    expect(defaultTriggerScopes('v2')).toBe(DEFAULT_TRIGGER_SCOPES);
    expect(defaultTriggerScopes('legacy')).toEqual(['BOOKING_READ', 'PROFILE_READ']);
    expect(toLegacyScopes(LEGACY_DEFAULT_TRIGGER_SCOPES)).toEqual(['READ_BOOKING', 'READ_PROFILE']);
    expect(LEGACY_SCOPE_NAMES).toEqual(['READ_BOOKING', 'READ_PROFILE']);
  });
});

describe('nextTokenSurface', () => {
  const html = { status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><html></html>' };
  it.each([
    ['404', jsonResponse(404, { message: 'Cannot POST /v2/auth/oauth2/token' })],
    ['405', jsonResponse(405, { message: 'Method Not Allowed' })],
    ['a redirect', { status: 307, headers: { location: 'https://cal.example.com/auth/login' }, body: '' }],
    ['an HTML page', html],
  ])('falls back from v2 to legacy after %s', (_what, response) => {
    expect(nextTokenSurface('v2', response)).toBe('legacy');
    expect(nextTokenSurface('legacy', response)).toBeUndefined();
  });

  it.each([
    ['a refusal', jsonResponse(400, { error: 'invalid_grant', error_description: 'code_invalid_or_expired' })],
    ['a rate limit', jsonResponse(429, { message: 'Too Many Requests' })],
    ['a server error', jsonResponse(500, { message: 'boom' })],
    ['tokens', jsonResponse(200, { access_token: 'a', token_type: 'bearer' })],
  ])('stays on v2 after %s: the legacy routes would not change it', (_what, response) => {
    expect(nextTokenSurface('v2', response)).toBeUndefined();
  });
});

describe('the OAuth-client settings hint', () => {
  it('is the one spelling core messages use', () => {
    const error = classifyResponse(jsonResponse(401, { error: 'unauthorized_client', error_description: 'client_not_approved' }), { tokenEndpoint: true });
    expect(OAUTH_CLIENT_SETTINGS_HINT).toBe('Cal.com Settings → Developer → OAuth clients');
    expect(error?.message).toContain(OAUTH_CLIENT_SETTINGS_HINT);
  });
});

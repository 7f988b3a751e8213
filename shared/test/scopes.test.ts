import { LEGACY_SCOPE_EQUIVALENTS, SCOPE_CATALOGUE, getScopeInfo } from '../src/scope-catalogue';
import {
  DEFAULT_TRIGGER_SCOPES,
  closestScopeNames,
  formatScopesForWire,
  grantCovers,
  missingScopes,
  parseScopes,
  toLegacyScopes,
} from '../src/scopes';
import { calcomErrorFrom } from './support/errors';

describe('scope catalogue', () => {
  it('has the 30 enum scopes, the 23 later additions and the 2 legacy names, each described once', () => {
    const names = SCOPE_CATALOGUE.map((scope) => scope.name);
    expect(new Set(names).size).toBe(names.length);
    expect(SCOPE_CATALOGUE.filter((s) => s.family === 'legacy').map((s) => s.name)).toEqual(['READ_BOOKING', 'READ_PROFILE']);
    expect(names.length).toBe(30 + 23 + 2);
    for (const scope of SCOPE_CATALOGUE) expect(scope.description.length).toBeGreaterThan(8);
    for (const name of ['EVENT_TYPE_READ', 'APPS_WRITE', 'TEAM_MEMBERSHIP_WRITE', 'ORG_PROFILE_READ', 'WEBHOOK_WRITE', 'CREDITS_READ', 'INSIGHTS_READ', 'TEAM_WORKFLOW_WRITE', 'TEAM_VERIFIED_RESOURCES_READ', 'ORG_ATTRIBUTES_WRITE', 'ORG_ROUTING_FORM_READ', 'ORG_INSIGHTS_READ']) {
      expect(getScopeInfo(name)).toBeDefined();
    }
    expect(getScopeInfo('ORG_APPS_READ')).toBeUndefined();
    expect(getScopeInfo('BOOKING_READ')?.description).toBe('Read your bookings');
    expect(getScopeInfo('TEAM_BOOKING_WRITE')?.description).toBe("Create, change and delete your teams' bookings");
  });

  it('maps legacy names to the current ones', () => {
    expect(LEGACY_SCOPE_EQUIVALENTS).toEqual({ READ_BOOKING: 'BOOKING_READ', READ_PROFILE: 'PROFILE_READ' });
  });
});

describe('parseScopes', () => {
  it('splits on commas and/or whitespace, ignores case, drops duplicates, maps legacy names', () => {
    expect(parseScopes('booking_read, event_type_read  PROFILE_READ,,READ_BOOKING\tread_profile')).toEqual(['BOOKING_READ', 'EVENT_TYPE_READ', 'PROFILE_READ']);
    expect(parseScopes(['READ_PROFILE', 'schedule_read,schedule_write'])).toEqual(['PROFILE_READ', 'SCHEDULE_READ', 'SCHEDULE_WRITE']);
    expect(parseScopes('')).toEqual([]);
  });

  it('names each unknown scope and the closest valid names', () => {
    const error = calcomErrorFrom(() => parseScopes('BOOKING_READ, BOOKINGS_READ, evnt_type_read'));
    expect(error.kind).toBe('invalid_input');
    expect(error.message).toContain('"BOOKINGS_READ" (did you mean BOOKING_READ');
    expect(error.message).toContain('"evnt_type_read" (did you mean EVENT_TYPE_READ');
    expect(error.message).toMatch(/^Unknown Cal.com scopes:/);
  });

  it('ranks suggestions by edit distance', () => {
    expect(closestScopeNames('TEAM_BOKING_READ')[0]).toBe('TEAM_BOOKING_READ');
    expect(closestScopeNames('ORG_WEBHOOK_RAED', 1)).toEqual(['ORG_WEBHOOK_READ']);
  });
});

describe('legacy and wire formats', () => {
  it('converts to legacy names and refuses scopes that have none', () => {
    expect(toLegacyScopes(['BOOKING_READ', 'PROFILE_READ', 'READ_BOOKING'])).toEqual(['READ_BOOKING', 'READ_PROFILE']);
    const error = calcomErrorFrom(() => toLegacyScopes(['BOOKING_READ', 'EVENT_TYPE_READ', 'SCHEDULE_READ']));
    expect(error.kind).toBe('invalid_input');
    expect(error.message).toMatch(/^EVENT_TYPE_READ, SCHEDULE_READ cannot be requested from a legacy Cal.com OAuth client/);
  });

  it('joins with commas, optionally in legacy names', () => {
    expect(formatScopesForWire(DEFAULT_TRIGGER_SCOPES)).toBe('BOOKING_READ,EVENT_TYPE_READ,PROFILE_READ');
    expect(formatScopesForWire(['booking_read', 'profile_read'], { legacy: true })).toBe('READ_BOOKING,READ_PROFILE');
    expect(() => formatScopesForWire(DEFAULT_TRIGGER_SCOPES, { legacy: true })).toThrow(/EVENT_TYPE_READ cannot be requested/);
  });
});

describe('grantCovers / missingScopes', () => {
  it('treats legacy and current names as equal in both directions', () => {
    expect(grantCovers(['READ_BOOKING'], 'BOOKING_READ')).toBe(true);
    expect(grantCovers('BOOKING_READ PROFILE_READ', ['READ_PROFILE', 'READ_BOOKING'])).toBe(true);
    expect(grantCovers(['READ_BOOKING'], ['BOOKING_READ', 'PROFILE_READ'])).toBe(false);
  });

  it('lets an ORG scope cover the matching TEAM scope, never the reverse', () => {
    expect(grantCovers(['ORG_BOOKING_READ'], ['TEAM_BOOKING_READ'])).toBe(true);
    expect(grantCovers(['TEAM_BOOKING_READ'], ['ORG_BOOKING_READ'])).toBe(false);
    expect(grantCovers(['ORG_BOOKING_READ'], ['BOOKING_READ'])).toBe(false);
  });

  it('lists what is missing, normalised, without treating WRITE as READ', () => {
    expect(missingScopes(['BOOKING_WRITE', 'ORG_SCHEDULE_READ'], ['booking_read', 'TEAM_SCHEDULE_READ', 'read_profile'])).toEqual(['BOOKING_READ', 'PROFILE_READ']);
    expect(missingScopes([], [])).toEqual([]);
  });

  it('defaults trigger scopes to bookings, event types and profile reading', () => {
    expect(DEFAULT_TRIGGER_SCOPES).toEqual(['BOOKING_READ', 'EVENT_TYPE_READ', 'PROFILE_READ']);
  });
});

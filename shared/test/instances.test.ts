import { CALCOM_CLOUD, CALCOM_EU, normalizeBaseUrl, parseInstanceArgument, resolveInstance } from '../src/instances';
import { calcomErrorFrom } from './support/errors';

describe('normalizeBaseUrl', () => {
  it.each([
    ['https://cal.example.com/', 'https://cal.example.com'],
    ['  HTTPS://Cal.Example.COM///  ', 'https://cal.example.com'],
    ['https://example.com/cal/', 'https://example.com/cal'],
    ['https://example.com:443/cal', 'https://example.com/cal'],
    ['https://example.com:8443', 'https://example.com:8443'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['http://127.0.0.1:4000', 'http://127.0.0.1:4000'],
    ['http://127.8.9.10', 'http://127.8.9.10'],
    ['http://[::1]:5000/x/', 'http://[::1]:5000/x'],
  ])('accepts %s as %s', (raw, expected) => {
    expect(normalizeBaseUrl(raw, 'App URL')).toBe(expected);
  });

  it.each([
    ['', /App URL is empty/],
    ['cal.example.com', /is not a valid URL; expected an absolute https URL/],
    ['http://cal.example.com', /http on a public host.*use https:\/\/cal\.example\.com/],
    ['http://128.0.0.1', /http on a public host/],
    ['ftp://cal.example.com', /uses ftp/],
    ['https://cal.example.com/?x=1', /query string/],
    ['https://cal.example.com/#top', /#fragment/],
  ])('refuses %j', (raw, message) => {
    const error = calcomErrorFrom(() => normalizeBaseUrl(raw, 'App URL'));
    expect(error.kind).toBe('invalid_input');
    expect(error.message).toMatch(message);
  });

  it('refuses credentials without echoing them', () => {
    const error = calcomErrorFrom(() => normalizeBaseUrl('https://admin:hunter2-secret@cal.example.com', 'App URL'));
    expect(error.kind).toBe('invalid_input');
    expect(error.message).toMatch(/user name or password/);
    expect(error.message).not.toContain('hunter2');
  });

  it('does not echo a token pasted in the query string', () => {
    const error = calcomErrorFrom(() => normalizeBaseUrl('https://cal.example.com/?access_token=abc123secretvalue', 'App URL'));
    expect(error.message).toMatch(/query string/);
    expect(error.message).not.toContain('abc123secretvalue');
  });
});

describe('resolveInstance', () => {
  it('returns the cloud presets', () => {
    expect(resolveInstance({ kind: 'cloud' })).toEqual({ kind: 'cloud', appUrl: 'https://app.cal.com', apiUrl: 'https://api.cal.com' });
    expect(resolveInstance({ kind: 'eu' })).toEqual({ kind: 'eu', appUrl: 'https://app.cal.eu', apiUrl: 'https://api.cal.eu' });
    expect(resolveInstance({ kind: 'cloud', appUrl: 'https://app.cal.com/' }).appUrl).toBe(CALCOM_CLOUD.appUrl);
  });

  it('refuses cloud URLs that differ from the preset instead of ignoring them', () => {
    expect(calcomErrorFrom(() => resolveInstance({ kind: 'cloud', apiUrl: 'https://api.other.com' })).message).toMatch(/always uses https:\/\/api\.cal\.com.*self-hosted/);
  });

  it('resolves self-hosted, with the API defaulting to the app URL', () => {
    expect(resolveInstance({ kind: 'self-hosted', appUrl: 'https://cal.example.com/' })).toEqual({
      kind: 'self-hosted',
      appUrl: 'https://cal.example.com',
      apiUrl: 'https://cal.example.com',
    });
    expect(resolveInstance({ kind: 'self-hosted', appUrl: 'https://cal.example.com', apiUrl: 'https://api.example.com/' }).apiUrl).toBe('https://api.example.com');
  });

  it('needs an app URL for self-hosted and a known kind', () => {
    expect(calcomErrorFrom(() => resolveInstance({ kind: 'self-hosted' })).message).toMatch(/needs its app URL/);
    expect(calcomErrorFrom(() => resolveInstance({ kind: 'moon' as never })).message).toMatch(/Unknown Cal.com instance kind "moon"/);
    expect(calcomErrorFrom(() => resolveInstance({ kind: 'self-hosted', appUrl: 'https://x.example', apiUrl: 'http://x.example' })).message).toMatch(/Cal.com API URL/);
  });
});

describe('parseInstanceArgument', () => {
  it('understands the cloud names, case-insensitively', () => {
    expect(parseInstanceArgument('cal.com')).toEqual(CALCOM_CLOUD);
    expect(parseInstanceArgument('CAL.EU')).toEqual(CALCOM_EU);
    expect(parseInstanceArgument('https://app.cal.eu/')).toEqual(CALCOM_EU);
  });

  it('treats a URL as a self-hosted app URL with the API on the same base unless given', () => {
    expect(parseInstanceArgument('http://127.0.0.1:3999')).toEqual({ kind: 'self-hosted', appUrl: 'http://127.0.0.1:3999', apiUrl: 'http://127.0.0.1:3999' });
    expect(parseInstanceArgument('https://cal.example.com', 'https://api.example.com')).toEqual({
      kind: 'self-hosted',
      appUrl: 'https://cal.example.com',
      apiUrl: 'https://api.example.com',
    });
  });

  it('refuses anything else with the accepted forms', () => {
    const error = calcomErrorFrom(() => parseInstanceArgument('cal.org'));
    expect(error.kind).toBe('invalid_input');
    expect(error.message).toMatch(/"cal.com", "cal.eu" or the https URL/);
  });
});

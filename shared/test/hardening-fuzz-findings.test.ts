import { encodeBookingsQuery, normalizeBaseUrl, parseEventTypeIds, parseInstanceArgument, processTokenResponse, resolveInstance } from '../src';
import { quoteValue } from '../src/quote-value';
import { showTypedUrl } from '../src/typed-url';

/** Defects the fuzz suite (test/fuzz) found in messages about what a user or a caller typed. */

const KEY = 'k3y-9f2b7c1d0e';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('a typed instance URL is quoted without its user info, query or fragment', () => {
  it.each([
    ['a key in the query', `https://cal.example.com/base?token=${KEY}`, 'https://cal.example.com/base?…'],
    ['a key in the fragment', `https://cal.example.com/#${KEY}`, 'https://cal.example.com/#…'],
    ['a password the parser refuses', `https://user:${KEY}%@cal.example.com`, 'https://…@cal.example.com'],
    ['a key in the user info behind a backslash path', `https://${KEY}@cal.example.com\\x`, 'https://…@cal.example.com\\x'],
    ['a key after "?" in text that is no URL', `cal example ?${KEY}`, 'cal example ?…'],
  ])('%s', (_label, typed, shown) => {
    expect(showTypedUrl(typed)).toBe(shown);
  });

  it('keeps everything the user may read back: scheme, host, port and path', () => {
    expect(showTypedUrl('ftp://cal.example.com:8443/base/path')).toBe('ftp://cal.example.com:8443/base/path');
    expect(showTypedUrl('not a url at all')).toBe('not a url at all');
  });

  it.each([
    ['a query', () => normalizeBaseUrl(`https://cal.example.com/?token=${KEY}`, 'Cal.com app URL')],
    ['a fragment', () => normalizeBaseUrl(`https://cal.example.com/#${KEY}`, 'Cal.com app URL')],
    ['an unparseable URL with user info', () => resolveInstance({ kind: 'self-hosted', appUrl: `https://user:${KEY}%@cal.example.com` })],
    ['a bad API URL', () => resolveInstance({ kind: 'self-hosted', appUrl: 'https://cal.example.com', apiUrl: `ftp://cal.example.com/?key=${KEY}` })],
    ['an instance argument that is no URL', () => parseInstanceArgument(`cal.example.com?key=${KEY}`)],
  ])('the core refuses %s without quoting the key', (_label, run) => {
    const message = messageOf(run);
    expect(message).toMatch(/Cal\.com|Instance/);
    expect(message).not.toContain(KEY);
  });

  it('still quotes the path the user typed, so they can see what was refused', () => {
    expect(messageOf(() => normalizeBaseUrl('https://cal.example.com/my-base/?x=1', 'Cal.com app URL'))).toContain('"https://cal.example.com/my-base/?…" has a query string');
  });
});

describe('a value that is not text is described, not printed as NaN, [object Object] or Invalid Date', () => {
  it.each([
    [NaN, 'a value that is not a number'],
    [Infinity, 'an infinite number'],
    [-Infinity, 'an infinite number'],
    [new Date(Number.NaN), 'an invalid date'],
    [undefined, 'no value'],
  ])('%p', (value, described) => {
    const text = quoteValue(value);
    expect(text).toBe(described);
    expect(text).not.toMatch(/\bNaN\b|Infinity|Invalid Date|\[object Object\]|\bundefined\b/);
  });

  it.each([NaN, Infinity])('an event-type id of %p from an expression', (id) => {
    const message = messageOf(() => parseEventTypeIds([7, id], 'Event Types'));
    expect(message).toMatch(/^Event Types: an? [a-z ]+ is not an event type ID/);
    expect(message).not.toMatch(/\bNaN\b|Infinity/);
  });

  it('the user typing "NaN" sees their own text quoted', () => {
    expect(messageOf(() => parseEventTypeIds('NaN', 'Event Types'))).toContain('Event Types: "NaN" is not an event type ID');
  });

  it.each([
    ['a bookings filter of NaN milliseconds', { afterUpdatedAt: Number.NaN }, /Bookings filter afterUpdatedAt must be an ISO-8601 timestamp.*got a value that is not a number/],
    ['a bookings filter of an invalid Date', { afterUpdatedAt: new Date(Number.NaN) }, /Bookings filter afterUpdatedAt must be an ISO-8601 timestamp.*got an invalid date/],
    ['a page size of NaN', { take: Number.NaN }, /Bookings query take must be an integer .*got a value that is not a number/],
  ])('%s', (_label, query, expected) => {
    const message = messageOf(() => encodeBookingsQuery(query as never));
    expect(message).toMatch(expected);
    expect(message).not.toMatch(/\bNaN\b|Invalid Date/);
  });
});

describe('a token answer that cannot be used does not repeat the tokens it carries', () => {
  const issued = 'opaque-at-4f1c9e7a';
  it.each([
    ['truncated, the token repeated under token_type', 500, `{"access_token":"${issued}","refresh_token":null,"token_type":"${issued}","expires_in"`],
    ['whole, the token repeated in an error text', 400, JSON.stringify({ access_token: issued, error: 'invalid_request', error_description: `token ${issued} refused` })],
    ['JSON-escaped', 502, `{"accessToken":"${issued.replace('-', '\\u002d')}","note":"${issued}`],
  ])('%s', (_label, status, body) => {
    let message = '';
    try {
      processTokenResponse({ status, headers: { 'content-type': 'application/json' }, body }, { endpoint: 'the code exchange' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/the code exchange/);
    expect(message).not.toContain(issued);
  });
});

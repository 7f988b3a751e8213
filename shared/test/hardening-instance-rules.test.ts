import fc from 'fast-check';

import {
  BASE_URL_REFUSALS,
  CALCOM_CLOUD,
  CALCOM_EU,
  CalcomError,
  baseUrlCheckerSource,
  instanceResolverSource,
  isRefusedBaseUrl,
  normalizeBaseUrl,
  refusedBaseUrl,
  resolveInstance,
  type BaseUrlRefusal,
} from '../src';

// The generated sources are meant for sandboxes without globals; compiling them here runs the very
// same text the n8n credential embeds.
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const checkApp = new Function(`return (${baseUrlCheckerSource('app')});`)() as (raw: unknown) => string;
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const resolve = new Function(`return (${instanceResolverSource({ cloud: CALCOM_CLOUD, eu: CALCOM_EU })});`)() as (
  kind: unknown,
  appUrl: unknown,
  apiUrl: unknown,
) => [string, string];

function core(raw: string): string | CalcomError {
  try {
    return normalizeBaseUrl(raw, 'Cal.com app URL');
  } catch (error) {
    if (error instanceof CalcomError && error.kind === 'invalid_input') return error;
    throw error;
  }
}

/** The checker either agrees with the core exactly or refuses; it never accepts what the core refuses. */
function expectAgreement(raw: string): void {
  const checked = checkApp(raw);
  const expected = core(raw);
  if (expected instanceof CalcomError) expect({ raw, checked }).toEqual({ raw, checked: expect.stringMatching(/^calcom-app-url-[a-z-]+:$/) });
  else if (!isRefusedBaseUrl(checked)) expect({ raw, checked }).toEqual({ raw, checked: expected });
}

const HOSTILE: Array<[string, BaseUrlRefusal | 'core']> = [
  ['http://evil.com', 'must-be-https'],
  ['HTTP://Evil.COM/', 'must-be-https'],
  ['https://user:pass@cal.example.com', 'has-user-info'],
  ['https://user@cal.example.com', 'has-user-info'],
  ['http://cal.example.com@127.0.0.1', 'has-user-info'],
  ['https://cal.example.com/?token=abc', 'has-query'],
  ['https://cal.example.com?', 'has-query'],
  ['https://cal.example.com/#frag', 'has-fragment'],
  ['https://cal.example.com#', 'has-fragment'],
  ['javascript:alert(1)', 'must-be-https'],
  ['ftp://cal.example.com', 'must-be-https'],
  ['data:text/plain,x', 'must-be-https'],
  ['cal.example.com', 'must-be-https'],
  ['//cal.example.com', 'must-be-https'],
  ['   ', 'is-empty'],
  ['', 'is-empty'],
  ['https://evil.com\\@cal.com', 'has-unsupported-form'],
  ['https://evil.com\\.cal.com', 'has-unsupported-form'],
  ['https://cаl.com', 'has-unsupported-form'], // Cyrillic "а"
  ['https://xn--cl-8kc.com', 'has-unsupported-form'],
  ['https://cal.com．evil.com', 'has-unsupported-form'], // full-width dot, which IDNA maps to "."
  ['https://ca\tl.com', 'has-unsupported-form'],
  ['https://cal.com/a/../../b', 'has-unsupported-form'],
  ['https://cal.com/%2e%2E/b', 'has-unsupported-form'],
  ['https:cal.com', 'has-unsupported-form'],
  ['https:///cal.com', 'has-unsupported-form'],
  ['https://0x7f.1', 'has-unsupported-form'],
  ['http://2130706433', 'must-be-https'],
  ['https://127.1', 'has-unsupported-form'],
  ['https://cal.com:99999', 'has-unsupported-form'],
  ['https://[2001:db8::1]', 'has-unsupported-form'],
  ['https://cal%2ecom', 'has-unsupported-form'],
  ['https://cal.example.com///', 'core'],
  [' https://Cal.Example.COM:443/base/ ', 'core'],
  ['https://cal.example.com:0443', 'core'],
  ['http://localhost:3000/', 'core'],
  ['http://api.localhost', 'core'],
  ['http://127.0.0.1:4100', 'core'],
  ['http://[::1]:8080/', 'core'],
  ['https://cal.example.com/@team/path', 'core'],
];

describe('base URL rules: the generated checker and the core agree', () => {
  it.each(HOSTILE)('%j → %s', (raw, outcome) => {
    const checked = checkApp(raw);
    if (outcome === 'core') expect(checked).toBe(normalizeBaseUrl(raw, 'Cal.com app URL'));
    else expect(checked).toBe(refusedBaseUrl('app', outcome));
    expectAgreement(raw);
  });

  it('refuses values that are not text, as the core does', () => {
    for (const value of [undefined, null, 42, {}, ['https://cal.com'], true]) {
      expect(checkApp(value)).toBe(refusedBaseUrl('app', 'is-empty'));
    }
  });

  it('agrees on random URL-like input (property)', () => {
    const piece = fc.constantFrom(
      'https://', 'http://', 'HTTPS://', 'ftp://', 'javascript:', 'https:', '//', '/', '\\', '@', ':', '?', '#', '.', '..', '%2e',
      'cal.com', 'evil.com', 'localhost', '127.0.0.1', '[::1]', 'xn--', 'а', '．', ' ', '\t', '\n', ':443', ':80', ':0', ':65536',
      'user:pw@', 'a', 'Z', '0', '-', '_', '~', '%41', '0x7f', '.localhost', '999',
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 8 }), (pieces) => {
        expectAgreement(pieces.join(''));
      }),
      { numRuns: 2000 },
    );
  });

  it('every refusal names a fix', () => {
    for (const [reason, fix] of Object.entries(BASE_URL_REFUSALS)) {
      expect(fix.length).toBeGreaterThan(5);
      expect(refusedBaseUrl('api', reason as BaseUrlRefusal)).toMatch(/^calcom-api-url-[a-z-]+:$/);
      expect(new URL(refusedBaseUrl('api', reason as BaseUrlRefusal)).protocol).not.toMatch(/^https?:$/);
    }
  });

  it('embeds in template languages: no "{{", "}}" or ".constructor"', () => {
    const source = instanceResolverSource({ cloud: CALCOM_CLOUD, eu: CALCOM_EU });
    expect(source).not.toMatch(/\{\{|\}\}|\.\s*constructor/);
  });
});

describe('instance resolver source: the same instance as resolveInstance', () => {
  const agreeing: Array<[unknown, unknown, unknown]> = [
    [undefined, undefined, undefined],
    ['', 'https://ignored.example.com', undefined],
    ['cloud', 'http://evil.com', 'http://evil.com'],
    ['eu', undefined, undefined],
    ['self-hosted', 'https://cal.example.com/', undefined],
    ['self-hosted', 'https://cal.example.com', '   '],
    ['self-hosted', 'https://cal.example.com', ''],
    ['self-hosted', 'https://cal.example.com', 'https://api.cal.example.com//'],
    ['self-hosted', 'http://127.0.0.1:4100', 'http://127.0.0.1:4101'],
  ];

  it.each(agreeing)('%j %j %j', (kind, appUrl, apiUrl) => {
    const chosen = typeof kind === 'string' && kind.trim() !== '' ? kind : 'cloud';
    const expected = resolveInstance({
      kind: chosen as 'cloud',
      ...(chosen === 'self-hosted' ? { appUrl: appUrl as string, apiUrl: apiUrl as string } : {}),
    });
    expect(resolve(kind, appUrl, apiUrl)).toEqual([expected.appUrl, expected.apiUrl]);
  });

  it('a blank API URL means the app URL, never a relative URL', () => {
    expect(resolve('self-hosted', 'https://cal.example.com', ' \t ')).toEqual(['https://cal.example.com', 'https://cal.example.com']);
  });

  it.each([
    ['self-hosted', 'http://evil.com', undefined, 'calcom-app-url-must-be-https:'],
    ['self-hosted', '   ', 'https://api.cal.example.com', 'calcom-app-url-is-empty:'],
    ['self-hosted', 'https://cal.example.com', 'http://evil.com', 'calcom-api-url-must-be-https:'],
    ['self-hosted', 'https://cal.example.com', 'https://k:s@api.example.com', 'calcom-api-url-has-user-info:'],
    ['Self-Hosted', 'https://cal.example.com', undefined, 'calcom-instance-unknown:'],
    [' eu', undefined, undefined, 'calcom-instance-unknown:'],
  ])('refuses %j %j %j everywhere with %s', (kind, appUrl, apiUrl, refused) => {
    expect(resolve(kind, appUrl, apiUrl)).toEqual([refused, refused]);
  });
});

import { randomBytes } from 'node:crypto';
import { CalcomError } from '../src/errors';
import type { HttpRequest, HttpResponse } from '../src/http';
import { CALCOM_CLOUD } from '../src/instances';
import { REDACTED, redactSecrets, summarizeForMessage } from '../src/redact';
import { requestSecrets } from '../src/request-secrets';
import { buildCodeExchangeRequest, buildRefreshRequest } from '../src/tokens';
import { processTokenResponse } from '../src/token-response';
import { processMeResponse } from '../src/api/me';
import { processEventTypesResponse } from '../src/api/event-types';
import { processBookingsResponse } from '../src/api/bookings';
import { listBookingEvents } from '../src/polling/engine';
import { mintAccessToken } from './support/tokens';

/**
 * Secrets that match no token shape: short, letters only, or full of symbols. Redaction by shape
 * alone lets every one of them through when Cal.com's error text repeats it.
 */
function opaqueSecrets() {
  const word = randomBytes(4).toString('hex').replace(/\d/g, 'k');
  return {
    clientSecret: `Sx/${word}+"&é=%`,
    code: `cd${word}`,
    codeVerifier: `v~${word}.${word}`,
    refreshToken: `rt ${word}!`,
    accessToken: `at$${word}`,
  };
}

/** The forms an echo takes: raw, URL-encoded (upper and lower hex, form `+`), JSON-escaped, HTML-escaped. */
function echoForms(secret: string): string[] {
  const encoded = encodeURIComponent(secret);
  return [
    secret,
    encoded,
    encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    new URLSearchParams({ v: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1),
    JSON.stringify(secret).slice(1, -1).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    secret.replace(/&/g, '&amp;').replace(/"/g, '&quot;'),
  ];
}

function answer(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CalcomError);
    return (error as CalcomError).message;
  }
  throw new Error('expected a CalcomError');
}

function expectFree(message: string, secrets: readonly string[]): void {
  for (const secret of secrets) for (const form of echoForms(secret)) expect(message).not.toContain(form);
}

describe('redactSecrets with known values', () => {
  it.each(Object.entries(opaqueSecrets()))('removes the %s in every echoed form', (_name, secret) => {
    for (const form of echoForms(secret)) {
      const text = redactSecrets(`Cal.com said: value ${form} is not valid (${form})`, [secret]);
      expect(text).toBe(`Cal.com said: value ${REDACTED} is not valid (${REDACTED})`);
    }
  });

  it('removes a value shorter than four characters only where it stands alone', () => {
    expect(redactSecrets('secret x9 refused; x9y kept', ['x9'])).toBe(`secret ${REDACTED} refused; x9y kept`);
  });

  it('redacts before cutting to length, so no prefix of a secret survives a cut', () => {
    const secret = opaqueSecrets().clientSecret;
    const text = `${'word '.repeat(15)}${secret}`;
    for (let max = 70; max < 90; max += 1) {
      const summary = summarizeForMessage(text, max, [secret]);
      expect(summary).not.toContain(secret.slice(0, 4));
    }
  });
});

describe('the shape patterns keep our own words', () => {
  it.each([
    'Cal.com issued a "mac" token, but only bearer tokens are supported.',
    'Required: BOOKING_READ. Token has: PROFILE_READ',
    'The token: expired, refresh it.',
    'Basic authentication is not accepted; send a Bearer token instead.',
    'The secret: missing from the settings.',
  ])('leaves "%s" as it is', (prose) => {
    expect(redactSecrets(prose)).toBe(prose);
  });

  it('still removes what real echoes carry', () => {
    const jwt = mintAccessToken();
    const cases: [string, string][] = [
      [`Authorization: Bearer abcdefgh`, 'abcdefgh'],
      [`authorization: "Basic dXNlcjpwYXNz"`, 'dXNlcjpwYXNz'],
      [`Bearer opaque-value refused`, 'opaque-value'],
      [`bearer Zk39df refused`, 'Zk39df'],
      [`client_secret=sesame&client_id=abc`, 'sesame'],
      [`{"refresh_token":"sesame"}`, 'sesame'],
      [`{\\"refresh_token\\":\\"sesame\\"}`, 'sesame'],
      [`refresh_token%22%3A%22sesame`, 'sesame'],
      [`accessToken: sesame`, 'sesame'],
      [`token=${jwt}`, jwt],
      [`access token: a1b2c3`, 'a1b2c3'],
      [`password: pw12`, 'pw12'],
    ];
    for (const [text, secret] of cases) expect(redactSecrets(text)).not.toContain(secret);
    expect(redactSecrets('client_secret=sesame&client_id=abc')).toBe(`client_secret=${REDACTED}&client_id=abc`);
  });
});

describe('requestSecrets', () => {
  const instance = CALCOM_CLOUD;
  const secrets = opaqueSecrets();

  it('reads the secrets of a v2 JSON code exchange and of a legacy form exchange', () => {
    const v2 = buildCodeExchangeRequest({ surface: 'v2', instance, clientId: 'client-1', clientSecret: secrets.clientSecret, code: secrets.code, redirectUri: 'https://x.test/cb' });
    expect(requestSecrets(v2)).toEqual(expect.arrayContaining([secrets.clientSecret, secrets.code]));
    const legacy = buildCodeExchangeRequest({
      surface: 'legacy',
      instance,
      clientId: 'client-1',
      clientSecret: secrets.clientSecret,
      code: secrets.code,
      codeVerifier: secrets.codeVerifier,
      redirectUri: 'https://x.test/cb',
    });
    expect(requestSecrets(legacy)).toEqual(expect.arrayContaining([secrets.clientSecret, secrets.code, secrets.codeVerifier]));
    expect(requestSecrets(legacy)).not.toContain('client-1');
    expect(requestSecrets(legacy)).not.toContain('https://x.test/cb');
  });

  it('reads the refresh token from the legacy Authorization header and body, and a bearer token and Basic credentials', () => {
    const refresh = buildRefreshRequest({ surface: 'legacy', instance, clientId: 'client-1', clientSecret: secrets.clientSecret, refreshToken: secrets.refreshToken });
    expect(requestSecrets(refresh)).toEqual(expect.arrayContaining([secrets.refreshToken, secrets.clientSecret]));
    const api: HttpRequest = { method: 'GET', url: 'https://api.cal.com/v2/me?token=q1w2', headers: { Authorization: `Bearer ${secrets.accessToken}` } };
    expect(requestSecrets(api)).toEqual(expect.arrayContaining([secrets.accessToken, 'q1w2']));
    const basic: HttpRequest = { method: 'POST', url: 'https://x.test', headers: { authorization: `Basic ${Buffer.from(`id:${secrets.clientSecret}`).toString('base64')}` } };
    expect(requestSecrets(basic)).toContain(secrets.clientSecret);
  });
});

describe('messages built from an answer never repeat the request’s secrets', () => {
  const secrets = opaqueSecrets();
  const all = Object.values(secrets);
  const echo = all.flatMap(echoForms).join(' ');

  it('code exchange and refresh: 400, 401, 500 and a non-JSON answer echoing the client secret, code, verifier and refresh token', () => {
    const exchange = buildCodeExchangeRequest({
      surface: 'legacy',
      instance: CALCOM_CLOUD,
      clientId: 'client-1',
      clientSecret: secrets.clientSecret,
      code: secrets.code,
      codeVerifier: secrets.codeVerifier,
      redirectUri: 'https://x.test/cb',
    });
    const refresh = buildRefreshRequest({ surface: 'v2', instance: CALCOM_CLOUD, clientId: 'client-1', clientSecret: secrets.clientSecret, refreshToken: secrets.refreshToken });
    const bodies: HttpResponse[] = [
      answer(400, { error: 'invalid_request', error_description: `bad body ${echo}` }),
      answer(401, { status: 'error', error: { code: 'UnauthorizedException', message: echo } }),
      answer(500, `<pre>${echo}</pre>`.replace('<pre>', 'crash ')),
      answer(200, `{"access_token": "${echo}`),
      answer(200, { access_token: 'a', token_type: secrets.clientSecret }),
    ];
    for (const response of bodies) {
      expectFree(messageOf(() => processTokenResponse(response, { endpoint: 'the code exchange', knownSecrets: requestSecrets(exchange) })), [secrets.clientSecret, secrets.code, secrets.codeVerifier]);
      expectFree(
        messageOf(() => processTokenResponse(response, { endpoint: 'the token refresh', previousRefreshToken: secrets.refreshToken, knownSecrets: requestSecrets(refresh) })),
        [secrets.clientSecret, secrets.refreshToken],
      );
    }
  });

  it('GET /v2/me, /v2/event-types and /v2/bookings: a 4xx or a bad body echoing the access token', () => {
    const knownSecrets = [secrets.accessToken];
    const responses = [
      answer(400, { status: 'error', error: { code: 'BadRequestException', message: `token ${echo} rejected` } }),
      answer(404, { status: 'error', error: { code: 'NotFoundException', message: echo } }),
      answer(200, `not json ${echo}`),
    ];
    for (const response of responses) {
      expectFree(messageOf(() => processMeResponse(response, { knownSecrets })), [secrets.accessToken]);
      expectFree(messageOf(() => processEventTypesResponse(response, { knownSecrets })), [secrets.accessToken]);
      expectFree(messageOf(() => processBookingsResponse(response, { knownSecrets })), [secrets.accessToken]);
    }
    expectFree(messageOf(() => processBookingsResponse(answer(200, { status: 'success', data: [], pagination: { hasNextPage: secrets.accessToken } }), { knownSecrets })), [
      secrets.accessToken,
    ]);
  });

  it('the polling engine scrubs the token it sends and the secrets an adapter names', async () => {
    const failWith = (status: number) => async () => answer(status, { status: 'error', error: { code: 'BadRequestException', message: `bad token ${echo}` } });
    for (const options of [{ accessToken: secrets.accessToken }, { knownSecrets: [secrets.accessToken] }]) {
      const error = await listBookingEvents({ event: 'booking_created', execute: failWith(400), limit: 5, ...options }).catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(CalcomError);
      expectFree((error as Error).message, [secrets.accessToken]);
    }
  });
});

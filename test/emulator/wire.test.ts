import { connect } from 'node:net';
import { startEmulator, type Emulator } from './index';
import { BOOKINGS_VERSION, getJson, postForm } from './test-helpers';

let emu: Emulator;
let token: string;
beforeEach(async () => {
  emu = await startEmulator({ bookings: 30, rateLimit: { accessToken: 3, ip: 2 } });
  token = emu.mintTokens({ clientId: emu.seeded.clients.legacy.clientId, scopes: [] }).access_token;
});
afterEach(async () => {
  await emu.close();
});

const bookings = (bearer: string | undefined = token, query = '') => getJson(`${emu.apiUrl}/v2/bookings${query}`, bearer, BOOKINGS_VERSION);

describe('rate limit', () => {
  test('headers on every API response, 429 envelope without Retry-After, reset from the clock', async () => {
    const first = await bookings();
    expect([first.headers.get('x-ratelimit-limit-default'), first.headers.get('x-ratelimit-remaining-default'), first.headers.get('x-ratelimit-reset-default')]).toEqual(['3', '2', '60']);
    emu.clock.advance(20);
    await bookings();
    const third = await bookings();
    expect(third.headers.get('x-ratelimit-remaining-default')).toBe('0');
    expect(third.headers.get('x-ratelimit-reset-default')).toBe('40');
    const blocked = await bookings();
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBeNull();
    expect(blocked.headers.get('x-ratelimit-reset-default')).toBe('60');
    expect(blocked.body).toMatchObject({ status: 'error', error: { code: 'ThrottlerException', message: 'CustomThrottlerGuard - Too many requests. Please try again later.' } });
    // A fresh token has a fresh bucket.
    const other = emu.mintTokens({ clientId: emu.seeded.clients.legacy.clientId, userId: 2, scopes: [] }).access_token;
    expect((await bookings(other)).status).toBe(200);
    emu.clock.advance(60);
    expect((await bookings()).status).toBe(200);
  });

  test('errors count and carry headers; the web routes are not limited', async () => {
    const unauth = await getJson(`${emu.apiUrl}/v2/bookings`, undefined, BOOKINGS_VERSION);
    expect(unauth.status).toBe(401);
    expect(unauth.headers.get('x-ratelimit-limit-default')).toBe('2');
    const me = await getJson(`${emu.appUrl}/api/auth/oauth/me`, token);
    expect(me.headers.get('x-ratelimit-limit-default')).toBeNull();
  });
});

describe('clock', () => {
  test('drives the Date header and is monotonic', async () => {
    const res = await bookings();
    expect(res.headers.get('date')).toBe(emu.clock.date().toUTCString());
    emu.clock.advance(3600);
    expect((await bookings()).headers.get('date')).toBe('Mon, 02 Mar 2026 10:00:00 GMT');
    expect(() => emu.clock.set('2026-01-01T00:00:00Z')).toThrow('monotonic');
    emu.clock.set('2026-04-01T00:00:00Z');
    expect(emu.clock.iso()).toBe('2026-04-01T00:00:00.000Z');
  });

  test('follow mode moves with real time from the emulated instant', async () => {
    const start = emu.clock.now();
    emu.clock.followRealTime(true);
    await new Promise((r) => setTimeout(r, 30));
    expect(emu.clock.now()).toBeGreaterThanOrEqual(start + 25);
    emu.clock.advance(10);
    expect(emu.clock.now()).toBeGreaterThanOrEqual(start + 10_025);
    emu.clock.followRealTime(false);
    const frozen = emu.clock.now();
    await new Promise((r) => setTimeout(r, 20));
    expect(emu.clock.now()).toBe(frozen);
  });
});

describe('faults', () => {
  test('status faults replace the response for `times` requests, then stop', async () => {
    const fault = emu.faults.inject({ kind: 'status', status: 503, match: '/v2/bookings', times: 2 });
    expect((await bookings()).status).toBe(503);
    const second = await bookings();
    expect(second.status).toBe(503);
    expect(second.body.error.code).toBe('ServiceUnavailableException');
    expect(fault.hits).toBe(2);
    expect((await bookings()).status).toBe(200);
    // Unmatched paths are untouched.
    emu.faults.inject({ kind: 'status', status: 500, match: '/v2/event-types' });
    expect((await bookings()).status).toBe(200);
    emu.faults.clear();
  });

  test('429 fault looks like the throttler', async () => {
    emu.faults.inject({ kind: 'status', status: 429, match: /\/v2\/bookings\?.*skip=100/ });
    expect((await bookings(token, '?skip=0')).status).toBe(200);
    const res = await bookings(token, '?take=100&skip=100');
    expect(res.status).toBe(429);
    expect(res.headers.get('x-ratelimit-reset-default')).toBe('60');
    expect(res.headers.get('retry-after')).toBeNull();
    expect(res.body.error.code).toBe('ThrottlerException');
  });

  test('html-error, malformed-json and truncated bodies', async () => {
    emu.faults.inject({ kind: 'html-error', match: '/v2' });
    const html = await bookings();
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(String(html.body)).toContain('<title>502 Bad Gateway</title>');

    emu.faults.inject({ kind: 'malformed-json', match: '/v2/bookings' });
    const broken = await fetch(`${emu.apiUrl}/v2/bookings`, { headers: { authorization: `Bearer ${token}`, ...BOOKINGS_VERSION } });
    expect(broken.status).toBe(200);
    await expect(broken.json()).rejects.toThrow();

    emu.faults.inject({ kind: 'truncated', match: '/v2/bookings' });
    await expect((await fetch(`${emu.apiUrl}/v2/bookings`, { headers: { authorization: `Bearer ${token}`, ...BOOKINGS_VERSION } })).text()).rejects.toThrow();
  });

  test('malformed-json still runs the route: a lost refresh response has rotated the token', async () => {
    const client = emu.seeded.clients.legacy;
    const tokens = emu.mintTokens({ clientId: client.clientId, scopes: [] });
    emu.faults.inject({ kind: 'malformed-json', match: '/api/auth/oauth/refreshToken' });
    const fields = { grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret!, refresh_token: tokens.refresh_token };
    const lost = await postForm(`${emu.appUrl}/api/auth/oauth/refreshToken`, fields);
    await expect(lost.json()).rejects.toThrow();
    const retry = await postForm(`${emu.appUrl}/api/auth/oauth/refreshToken`, fields);
    expect([retry.status, await retry.json()]).toEqual([400, { error: 'invalid_grant' }]);
  });

  test('slow delays; timeout hangs until the client aborts', async () => {
    emu.faults.inject({ kind: 'slow', delayMs: 150, match: '/v2/me' });
    const t0 = Date.now();
    expect((await getJson(`${emu.apiUrl}/v2/me`, token)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    emu.faults.inject({ kind: 'timeout', match: '/v2/me' });
    await expect(fetch(`${emu.apiUrl}/v2/me`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect(emu.requestLog().some((e) => e.fault === 'timeout' && e.status === null)).toBe(true);
  });

  test('mutate-between-pages shifts what the next page returns', async () => {
    const query = '?take=5&skip=0&sortUpdatedAt=asc';
    const before = (await bookings(token, query)).body;
    const servedFirst = before.data[0].uid as string;
    const totalBefore = before.pagination.totalItems as number;
    emu.faults.inject({ kind: 'mutate-between-pages', match: '/v2/bookings' });
    const page1 = (await bookings(token, query)).body;
    expect(page1.data[0].uid).toBe(servedFirst);
    const after = (await bookings(token, query)).body;
    expect(after.pagination.totalItems).toBe(totalBefore + 1);
    expect(after.data.map((b: { uid: string }) => b.uid)).not.toContain(servedFirst);
  });

  test('equal timestamps across a page boundary', async () => {
    const sameAt = emu.generator.equalizeAcrossPageBoundary({ field: 'createdAt', take: 5 });
    expect(sameAt).toHaveLength(2);
    const page1 = (await bookings(token, '?take=5&sortCreated=asc')).body.data;
    const page2 = (await bookings(token, '?take=5&skip=5&sortCreated=asc')).body.data;
    expect(page1[4].uid).toBe(sameAt[0]);
    expect(page2[0].uid).toBe(sameAt[1]);
    expect(page1[4].createdAt).toBe(page2[0].createdAt);
  });
});

describe('request log and close', () => {
  test('masks Authorization, codes, secrets and tokens everywhere', async () => {
    const client = emu.seeded.clients.legacy;
    const location = emu.approveHeadless({ clientId: client.clientId, redirectUri: client.redirectUris[0]!, scopes: [], state: 's' });
    const code = new URL(location).searchParams.get('code')!;
    const res = await postForm(`${emu.appUrl}/api/auth/oauth/token`, { grant_type: 'authorization_code', code, client_id: client.clientId, client_secret: client.clientSecret!, redirect_uri: client.redirectUris[0]! });
    const tokens = (await res.json()) as Record<string, string>;
    await postForm(`${emu.appUrl}/api/auth/oauth/refreshToken`, { grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret!, refresh_token: tokens.refresh_token! }, { authorization: `Bearer ${tokens.refresh_token}` });
    await fetch(`${emu.apiUrl}/v2/bookings?access_token=${tokens.access_token}`, { headers: { authorization: `Bearer ${tokens.access_token}`, 'x-debug': tokens.access_token! } });
    await fetch(`${emu.apiUrl}/v2/me`, { headers: { authorization: tokens.access_token!, 'x-cal-secret-key': client.clientSecret! } });
    const serialized = JSON.stringify(emu.requestLog());
    for (const secret of [code, client.clientSecret!, tokens.access_token!, tokens.refresh_token!]) expect(serialized).not.toContain(secret);
    expect(serialized).toContain('Bearer ***');
    expect(emu.requestLog().map((e) => e.path)).toContain('/api/auth/oauth/token');
    emu.clearRequestLog();
    expect(emu.requestLog()).toEqual([]);
  });

  test('close() ends keep-alive and hung sockets', async () => {
    const other = await startEmulator({ bookings: 0 });
    other.faults.inject({ kind: 'timeout' });
    // A raw socket, not http.request: Jest shares Node's http module across test files, and an
    // interceptor another file's nock left on it must not decide what this test sees.
    const { hostname, port } = new URL(other.apiUrl);
    const hung = new Promise<string>((resolve) => {
      const socket = connect(Number(port), hostname, () => socket.write(`GET /v2/me HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`));
      socket.once('data', () => resolve('answered'));
      // The emulator destroying the socket shows up as a reset or a plain close, depending on timing.
      socket.once('error', () => resolve('closed'));
      socket.once('close', () => resolve('closed'));
    });
    let ended = false;
    void hung.then(() => (ended = true));
    while (!other.requestLog().some((entry) => entry.fault === 'timeout')) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 30));
    expect(ended).toBe(false);
    await other.close();
    expect(await hung).toBe('closed');
  });
});

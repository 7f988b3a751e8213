import { MAX_ACCESS_TOKEN_LIFETIME_SECONDS, processTokenResponse } from '../src/token-response';
import { MAX_RATE_LIMIT_WAIT_SECONDS, readRateLimitWait } from '../src/rate-limit';
import { classifyResponse, retryAfterSeconds } from '../src/classify';
import { findBookingProblem, processBookingsResponse } from '../src/api/bookings';
import { MAX_EVENT_TYPE_LENGTH_MINUTES, processEventTypesResponse } from '../src/api/event-types';
import { jsonResponse } from './support/fetch';
import { mintAccessToken, mintJwt } from './support/tokens';
import { calcomErrorFrom } from './support/errors';

const NOW = 1_800_000_000_000;

describe('token expiry numbers are bounded and never crash', () => {
  const opaque = 'opaque-access-token';
  const jwt30min = mintAccessToken({ nowMs: NOW, ttlSeconds: 1800 });
  const expiry = (body: Record<string, unknown>) => processTokenResponse(jsonResponse(200, body), { now: NOW }).expiresAt;

  it.each([1e20, Number.MAX_VALUE, MAX_ACCESS_TOKEN_LIFETIME_SECONDS + 1])('ignores expires_in %p and falls back to the JWT exp', (expiresIn) => {
    expect(expiry({ access_token: jwt30min, expires_in: expiresIn })).toBe(NOW + 1_800_000);
  });

  it.each([1e20, -5, '1e3', '0x10', 'soon', true, { s: 1 }, null])('leaves expiry unknown for expires_in %p on an opaque token, keeping the tokens', (expiresIn) => {
    const set = processTokenResponse(jsonResponse(200, { access_token: opaque, refresh_token: 'r1', expires_in: expiresIn }), { now: NOW });
    expect(set).toMatchObject({ accessToken: opaque, refreshToken: 'r1' });
    expect(set.expiresAt).toBeUndefined();
  });

  it('keeps ordinary lifetimes, as numbers or decimal text', () => {
    expect(expiry({ access_token: opaque, expires_in: 1800 })).toBe(NOW + 1_800_000);
    expect(expiry({ access_token: opaque, expires_in: '1800' })).toBe(NOW + 1_800_000);
    expect(expiry({ access_token: opaque, expires_in: 0 })).toBe(NOW);
  });

  it('reads accessTokenExpiresAt in milliseconds or seconds, and ignores one out of range', () => {
    expect(expiry({ access_token: opaque, accessTokenExpiresAt: NOW + 60_000 })).toBe(NOW + 60_000);
    expect(expiry({ access_token: opaque, accessTokenExpiresAt: (NOW + 60_000) / 1000 })).toBe(NOW + 60_000);
    expect(expiry({ access_token: opaque, accessTokenExpiresAt: 1e20 })).toBeUndefined();
    expect(expiry({ access_token: jwt30min, accessTokenExpiresAt: 8.64e15 + 1 })).toBe(NOW + 1_800_000);
  });

  it.each([1e20, 1e300, -1, 'soon'])('ignores a JWT exp of %p', (exp) => {
    expect(expiry({ access_token: mintJwt({ exp }) })).toBeUndefined();
  });

  it('always yields an expiry a Date can print', () => {
    for (const expiresIn of [1e20, 1e15, 1e12, 31_622_400]) {
      const at = expiry({ access_token: mintJwt({ exp: 1e20 }), expires_in: expiresIn, accessTokenExpiresAt: 1e19 });
      if (at !== undefined) expect(() => new Date(at).toISOString()).not.toThrow();
    }
  });
});

describe('rate-limit waits: relative seconds, epochs, Retry-After, capped', () => {
  const at = (headers: Record<string, string>) => readRateLimitWait({ headers }, NOW);

  it("reads Cal.com's relative seconds", () => {
    expect(at({ 'x-ratelimit-reset-default': '42' })).toEqual({ seconds: 42, capped: false, header: 'X-RateLimit-Reset-Default' });
  });

  it('recognises an epoch in seconds and in milliseconds', () => {
    expect(at({ 'x-ratelimit-reset-default': String(NOW / 1000 + 30) })?.seconds).toBe(30);
    expect(at({ 'x-ratelimit-reset-default': String(NOW + 30_000) })?.seconds).toBe(30);
    expect(at({ 'X-RateLimit-Reset': String(NOW / 1000 + 45) })?.seconds).toBe(45);
  });

  it('waits 1 second for an epoch already past', () => {
    expect(at({ 'x-ratelimit-reset-default': String(NOW / 1000 - 300) })?.seconds).toBe(1);
    expect(at({ 'retry-after': new Date(NOW - 60_000).toUTCString() })?.seconds).toBe(1);
  });

  it.each([
    ['a relative wait of a day', { 'x-ratelimit-reset-default': '86400' }],
    ['an epoch a year ahead', { 'x-ratelimit-reset-default': String(NOW / 1000 + 31_536_000) }],
    ['a huge number', { 'x-ratelimit-reset-default': '1' + '0'.repeat(400) }],
    ['a Retry-After of a week', { 'retry-after': '604800' }],
    ['a Retry-After date in 2100', { 'retry-after': 'Fri, 01 Jan 2100 00:00:00 GMT' }],
  ])('caps %s at the maximum wait', (_label, headers) => {
    expect(at(headers)).toMatchObject({ seconds: MAX_RATE_LIMIT_WAIT_SECONDS, capped: true });
  });

  it.each(['0x10', '1e3', 'Infinity', '-5', 'soon', ''])('skips a reset of %p for the next usable header', (value) => {
    expect(at({ 'x-ratelimit-reset-default': value, 'retry-after': '7' })).toEqual({ seconds: 7, capped: false, header: 'Retry-After' });
  });

  it('retryAfterSeconds returns the bounded wait, and the 429 message says when it was capped', () => {
    const epoch = { status: 429, headers: { 'x-ratelimit-reset-default': String(Math.round(Date.now() / 1000) + 20) }, body: '' };
    expect(retryAfterSeconds(epoch)).toBeGreaterThanOrEqual(19);
    expect(retryAfterSeconds(epoch)).toBeLessThanOrEqual(21);
    const capped = classifyResponse({ status: 429, headers: { 'x-ratelimit-reset-default': '999999' }, body: '' });
    expect(capped).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: MAX_RATE_LIMIT_WAIT_SECONDS });
    expect(capped?.message).toMatch(/retry in 900 seconds \(X-RateLimit-Reset-Default asked for longer; waits are capped at 900 seconds\)/);
  });
});

describe('pagination numbers and ids in the bookings envelope', () => {
  const booking = { id: 1, uid: 'b1', status: 'accepted', createdAt: '2026-03-02T08:00:00.000Z', start: '2026-03-03T08:00:00.000Z', end: '2026-03-03T08:30:00.000Z' };
  const page = (pagination: Record<string, unknown>) => jsonResponse(200, { status: 'success', data: [booking], pagination: { hasNextPage: false, ...pagination } });

  it.each([['totalItems', 1e300], ['currentPage', 2 ** 53], ['totalPages', -1], ['remainingItems', 1.5]])('refuses pagination.%s = %p, saying what was expected', (field, value) => {
    const error = calcomErrorFrom(() => processBookingsResponse(page({ [field]: value })));
    expect(error.kind).toBe('malformed_response');
    expect(error.message).toContain(`pagination.${field}`);
    expect(error.message).toContain('expected a whole number from 0 to 9007199254740991');
  });

  it('keeps counts up to 2^53 − 1', () => {
    expect(processBookingsResponse(page({ totalItems: Number.MAX_SAFE_INTEGER })).pagination.totalItems).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([0, -4, 1.5, 2 ** 53, 1e300])('skips a booking whose id is %p, naming the problem', (id) => {
    expect(findBookingProblem({ ...booking, id })).toMatch(/its id is not a positive whole number/);
  });
});

describe('event type ids and lengths', () => {
  const answer = (items: unknown[]) => jsonResponse(200, { status: 'success', data: items });

  it.each([1e20, -1, 1.5, Number.MAX_VALUE, MAX_EVENT_TYPE_LENGTH_MINUTES + 1])('leaves out a length of %p minutes', (length) => {
    expect(processEventTypesResponse(answer([{ id: 3, title: 'Intro', slug: 'intro', lengthInMinutes: length }])).eventTypes).toEqual([{ id: 3, title: 'Intro', slug: 'intro' }]);
  });

  it('keeps a real length, from lengthInMinutes or the older length', () => {
    expect(processEventTypesResponse(answer([{ id: 3, title: 'A', slug: 'a', lengthInMinutes: 45 }, { id: 4, title: 'B', slug: 'b', length: 15 }])).eventTypes.map((item) => item.lengthInMinutes)).toEqual([45, 15]);
  });

  it.each([2 ** 53, 0, 1.5])('does not offer an event type whose id is %p', (id) => {
    expect(() => processEventTypesResponse(answer([{ id, title: 'Intro', slug: 'intro' }]))).toThrow(/lacks its id/);
  });
});

import { createAppTester } from 'zapier-platform-core';
import nock from 'nock';
import { MAX_EVENT_TYPE_IDS, MAX_RATE_LIMIT_WAIT_SECONDS } from '@calcom-oauth/shared';
import App from '../src/index';
import { getAccessToken, refreshAccessToken } from '../src/authentication';
import { perform as bookingCreated } from '../src/triggers/bookingCreated';
import { perform as eventTypeList } from '../src/triggers/eventTypeList';
import { CLOUD_API, REDIRECT_URI, THROTTLED_BODY, guardNetwork, mint, rejectionOf, success, useCloudEnv } from './helpers';

const appTester = createAppTester(App);
guardNetwork();
beforeEach(() => useCloudEnv());

describe('token numbers out of range still give a connection', () => {
  it.each([1e20, -5, 'soon'])('the code exchange with expires_in %p stores the tokens, without an expiry it cannot trust', async (expiresIn) => {
    const accessToken = mint('at');
    const refreshToken = mint('rt');
    nock(CLOUD_API).post('/v2/auth/oauth2/token').reply(200, { access_token: accessToken, token_type: 'bearer', refresh_token: refreshToken, expires_in: expiresIn });
    const authData = await appTester(getAccessToken, { inputData: { code: mint('code'), redirect_uri: REDIRECT_URI } });
    expect(authData).toEqual({ access_token: accessToken, refresh_token: refreshToken });
  });

  it('the refresh with expires_in 1e20 stores the rotated tokens', async () => {
    const accessToken = mint('at');
    const refreshToken = mint('rt');
    nock(CLOUD_API).post('/v2/auth/oauth2/token').reply(200, { access_token: accessToken, token_type: 'bearer', refresh_token: refreshToken, expires_in: 1e20 });
    const authData = await appTester(refreshAccessToken, { authData: { access_token: mint('at'), refresh_token: mint('rt') } });
    expect(authData).toEqual({ access_token: accessToken, refresh_token: refreshToken });
  });
});

describe('a 429 with an epoch reset', () => {
  it.each([
    ['epoch seconds', () => String(Math.round(Date.now() / 1000) + 30)],
    ['epoch milliseconds', () => String(Date.now() + 30_000)],
  ])('in %s gives ThrottledError with the real wait', async (_label, reset) => {
    nock(CLOUD_API).get('/v2/bookings').query(true).reply(429, THROTTLED_BODY, { 'X-RateLimit-Reset-Default': reset() });
    const error = await rejectionOf(appTester(bookingCreated, { authData: { access_token: mint('at') }, inputData: {} }));
    expect(error.name).toBe('ThrottledError');
    const { delay } = JSON.parse(error.message) as { delay: number };
    expect(delay).toBeGreaterThanOrEqual(28);
    expect(delay).toBeLessThanOrEqual(31);
  });

  it('far ahead gives the capped wait and says so', async () => {
    nock(CLOUD_API).get('/v2/bookings').query(true).reply(429, THROTTLED_BODY, { 'X-RateLimit-Reset-Default': String(Math.round(Date.now() / 1000) + 10 * 365 * 86400) });
    const error = await rejectionOf(appTester(bookingCreated, { authData: { access_token: mint('at') }, inputData: {} }));
    expect(error.name).toBe('ThrottledError');
    const parsed = JSON.parse(error.message) as { delay: number; message: string };
    expect(parsed.delay).toBe(MAX_RATE_LIMIT_WAIT_SECONDS);
    expect(parsed.message).toMatch(/capped at 900 seconds/);
  });
});

describe('event type ids in a trigger', () => {
  it.each([
    ['hex', '0x10', '"0x10"'],
    ['an exponent', '1e3', '"1e3"'],
    ['a boolean', true, 'true'],
    ['an object', { id: 5 }, 'an object {"id":5}'],
    ['an object in a list', ['12', { value: 3 }], 'an object {"value":3}'],
    ['2^53', String(2 ** 53), '"9007199254740992"'],
  ])('%s is refused clearly, before any request', async (_label, eventTypeIds, quoted) => {
    // guardNetwork allows no request: an error other than ours would mean one was attempted.
    const error = await rejectionOf(appTester(bookingCreated, { authData: { access_token: mint('at') }, inputData: { eventTypeIds } }));
    const { code, message } = JSON.parse(error.message) as { code: string; message: string };
    expect(code).toBe('invalid_input');
    expect(message).toContain(`Event Types: ${quoted} is`);
    expect(message).toMatch(/expected positive whole numbers in decimal/);
    expect(message).not.toContain('[object Object]');
  });

  it('more ids than one request carries are refused with the limit, before any request', async () => {
    const eventTypeIds = Array.from({ length: MAX_EVENT_TYPE_IDS + 1 }, (_unused, index) => String(index + 1));
    const error = await rejectionOf(appTester(bookingCreated, { authData: { access_token: mint('at') }, inputData: { eventTypeIds } }));
    expect(JSON.parse(error.message).message).toMatch(new RegExp(`more than the ${MAX_EVENT_TYPE_IDS} one request`));
  });

  it('duplicates are sent once', async () => {
    let sent: string | undefined;
    nock(CLOUD_API)
      .get('/v2/bookings')
      .query((query) => {
        sent = String(query.eventTypeIds);
        return true;
      })
      .reply(200, { status: 'success', data: [], pagination: { hasNextPage: false } });
    await appTester(bookingCreated, { authData: { access_token: mint('at') }, inputData: { eventTypeIds: ['12', '12, 7', 7] } });
    expect(sent).toBe('12,7');
  });
});

describe('event type lengths in the dropdown', () => {
  it('leaves out a length Cal.com cannot mean', async () => {
    nock(CLOUD_API).get('/v2/event-types').reply(200, success([{ id: 3, title: 'Deep Dive', slug: 'deep-dive', lengthInMinutes: 1e20 }]));
    const choices = await appTester(eventTypeList, { authData: { access_token: mint('at') }, meta: { page: 0, isFillingDynamicDropdown: true } });
    expect(choices).toEqual([{ id: '3', title: 'Deep Dive (/deep-dive)', slug: 'deep-dive' }]);
  });
});

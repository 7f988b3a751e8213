import { createAppTester } from 'zapier-platform-core';
import nock from 'nock';
import App from '../src/index';
import { getAccessToken, refreshAccessToken, testAuth } from '../src/authentication';
import { perform as bookingCreated } from '../src/triggers/bookingCreated';
import { REQUEST_TIME_OUT, toZapierRequest } from '../src/transport';
import { CLOUD_API, REDIRECT_URI, guardNetwork, mint, rejectionOf, useCloudEnv } from './helpers';
import { useSilentServer } from '../../test/hosts/silent-server';

const appTester = createAppTester(App);
guardNetwork();

const EVIL = 'http://evil.example:8080';

describe('redirects are never followed (issue 15, item 1)', () => {
  it.each([307, 308])('a %i on the code exchange sends nothing to the Location host and names it', async (status) => {
    const { clientSecret } = useCloudEnv();
    const code = mint('code');
    nock(CLOUD_API).post('/v2/auth/oauth2/token').reply(status, '', { Location: `${EVIL}/steal?token=${code}` });
    const thief = nock(EVIL).post('/steal').query(true).reply(200, { access_token: mint('stolen'), token_type: 'bearer' });
    const error = await rejectionOf(appTester(getAccessToken, { inputData: { code, state: 's', redirect_uri: REDIRECT_URI } }));
    expect(thief.isDone()).toBe(false);
    nock.cleanAll();
    expect(error.message).toContain('evil.example:8080 over http');
    expect(error.message).toMatch(/redirect \(HTTP 30[78]\).*not followed.*instance URL.*proxy/);
    expect(error.message).not.toContain(code);
    expect(error.message).not.toContain(clientSecret);
    expect(error.message).not.toContain('/steal');
  });

  it('a 308 on the refresh sends the refresh token nowhere else', async () => {
    useCloudEnv();
    const refreshToken = mint('rt');
    nock(CLOUD_API).post('/v2/auth/oauth2/token').reply(308, '', { Location: 'https://collector.example.net/token' });
    const thief = nock('https://collector.example.net').post('/token').reply(200, { access_token: mint('stolen'), refresh_token: mint('rt') });
    const error = await rejectionOf(appTester(refreshAccessToken, { authData: { access_token: mint('at'), refresh_token: refreshToken } }));
    expect(thief.isDone()).toBe(false);
    nock.cleanAll();
    expect(error.message).toContain('collector.example.net');
    expect(error.message).not.toContain(refreshToken);
  });

  it.each([301, 302, 307])('a %i on GET /v2/bookings to another host is not read as bookings', async (status) => {
    useCloudEnv();
    const accessToken = mint('at');
    nock(CLOUD_API).get('/v2/bookings').query(true).reply(status, '', { Location: 'https://mirror.example.org/v2/bookings?x=1' });
    const thief = nock('https://mirror.example.org').get('/v2/bookings').query(true).reply(200, { status: 'success', data: [] });
    const error = await rejectionOf(appTester(bookingCreated, { authData: { access_token: accessToken }, inputData: {} }));
    expect(thief.isDone()).toBe(false);
    nock.cleanAll();
    expect(error.message).toContain('mirror.example.org');
    expect(error.message).not.toContain('x=1');
    expect(error.message).not.toContain(accessToken);
  });

  it('a redirect on the connection test (/v2/me) is an error too, not a followed call', async () => {
    useCloudEnv();
    nock(CLOUD_API).get('/v2/me').reply(302, '', { Location: 'https://login.example.com/' });
    const thief = nock('https://login.example.com').get('/').reply(200, { status: 'success', data: { id: 1, email: 'x@example.com' } });
    const error = await rejectionOf(appTester(testAuth, { authData: { access_token: mint('at') } }));
    expect(thief.isDone()).toBe(false);
    nock.cleanAll();
    expect(error.message).toContain('login.example.com');
  });

  it('refuses to build a request for a host other than the configured instance', () => {
    useCloudEnv();
    const other = { method: 'GET' as const, url: 'https://api.cal.com.evil.example/v2/bookings', headers: {} };
    expect(() => toZapierRequest(other)).toThrow(/api\.cal\.com\.evil\.example.*only api\.cal\.com or app\.cal\.com/);
    const plain = { method: 'POST' as const, url: 'http://api.cal.com/v2/auth/oauth2/token', headers: {} };
    expect(() => toZapierRequest(plain)).toThrow(/uses http/);
  });
});

describe('every request has a time-out (issue 15, item 6)', () => {
  const original = REQUEST_TIME_OUT.ms;
  const silent = useSilentServer(nock, REQUEST_TIME_OUT);
  beforeEach(() => {
    useCloudEnv({ CALCOM_INSTANCE: 'self-hosted', CALCOM_APP_URL: silent.url });
  });

  it('a poll against a Cal.com that never answers ends in the core time-out error', async () => {
    const started = Date.now();
    const error = await rejectionOf(appTester(bookingCreated, { authData: { access_token: mint('at') }, inputData: {} }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.message).toMatch(/Could not reach GET \/v2\/bookings \(time-out\)/);
  });

  it('the code exchange against a Cal.com that never answers ends in the core time-out error', async () => {
    const code = mint('code');
    const error = await rejectionOf(appTester(getAccessToken, { inputData: { code, state: 's', redirect_uri: REDIRECT_URI } }));
    expect(error.message).toMatch(/\(time-out\)/);
    expect(error.message).not.toContain(code);
  });

  it('the default leaves most of Zapier\'s 30 s step for reporting', () => {
    expect(original).toBeGreaterThanOrEqual(5_000);
    expect(original).toBeLessThanOrEqual(20_000);
  });
});

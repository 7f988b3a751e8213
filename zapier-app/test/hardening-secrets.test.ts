import { createAppTester } from 'zapier-platform-core';
import nock from 'nock';
import App from '../src/index';
import { getAccessToken, refreshAccessToken, testAuth } from '../src/authentication';
import { perform as bookingCreated } from '../src/triggers/bookingCreated';
import { perform as eventTypeList } from '../src/triggers/eventTypeList';
import { CLOUD_API, REDIRECT_URI, guardNetwork, rejectionOf, useCloudEnv } from './helpers';
import { echoes, expectNoSecret, opaqueSecret } from '../../test/hosts/secret-echoes';

const appTester = createAppTester(App);
guardNetwork();


describe('Zapier errors never carry the connection’s secrets', () => {
  it('the code exchange: Cal.com echoes the client secret and the code', async () => {
    const clientSecret = opaqueSecret('cs');
    useCloudEnv({ CLIENT_SECRET: clientSecret });
    const code = opaqueSecret('cd');
    for (const [status, body] of [
      [400, { status: 'error', error: { code: 'BadRequestException', message: `client_secret ${echoes(clientSecret)} and code ${echoes(code)} rejected` } }],
      [500, `upstream crashed on ${echoes(clientSecret, code)}`],
    ] as const) {
      nock(CLOUD_API).post('/v2/auth/oauth2/token').reply(status, body);
      const error = await rejectionOf(appTester(getAccessToken, { inputData: { code, redirect_uri: REDIRECT_URI } }));
      expect(error.message).toMatch(/Cal\.com/);
      expectNoSecret(error.message, clientSecret, code);
    }
  });

  it('the refresh: Cal.com echoes the refresh token and the client secret', async () => {
    const clientSecret = opaqueSecret('cs');
    useCloudEnv({ CLIENT_SECRET: clientSecret, CALCOM_TOKEN_SURFACE: 'legacy' });
    const refreshToken = opaqueSecret('rt');
    const accessToken = opaqueSecret('at');
    nock('https://app.cal.com')
      .post('/api/auth/oauth/refreshToken')
      .reply(400, { error: 'invalid_request', error_description: `refresh_token ${echoes(refreshToken)} for ${echoes(clientSecret, accessToken)}` });
    const error = await rejectionOf(appTester(refreshAccessToken, { authData: { access_token: accessToken, refresh_token: refreshToken } }));
    expect(error.message).toMatch(/token refresh/);
    expectNoSecret(error.message, refreshToken, clientSecret, accessToken);
  });

  it('a trigger, the dropdown and the connection test: a 4xx echoes the access token', async () => {
    useCloudEnv();
    const accessToken = opaqueSecret('at');
    const body = { status: 'error', error: { code: 'BadRequestException', message: `token ${echoes(accessToken)} is not valid here` } };
    nock(CLOUD_API).get('/v2/bookings').query(true).reply(400, body);
    const trigger = await rejectionOf(appTester(bookingCreated, { authData: { access_token: accessToken }, inputData: {} }));
    expect(trigger.message).toMatch(/GET \/v2\/bookings/);
    expectNoSecret(trigger.message, accessToken);

    nock(CLOUD_API).get('/v2/event-types').reply(422, body);
    const dropdown = await rejectionOf(appTester(eventTypeList, { authData: { access_token: accessToken }, inputData: {} }));
    expectNoSecret(dropdown.message, accessToken);

    nock(CLOUD_API).get('/v2/me').reply(404, body);
    const test = await rejectionOf(appTester(testAuth, { authData: { access_token: accessToken }, inputData: {} }));
    expectNoSecret(test.message, accessToken);
  });

  it('the middleware’s refresh signal on a 403 that echoes an opaque token', async () => {
    useCloudEnv();
    const accessToken = opaqueSecret('at');
    nock(CLOUD_API)
      .get('/v2/bookings')
      .query(true)
      .reply(403, { status: 'error', error: { code: 'ForbiddenException', message: `PermissionsGuard - no oAuth client found for access token=${accessToken}` } });
    const error = await rejectionOf(appTester(bookingCreated, { authData: { access_token: accessToken }, inputData: {} }));
    expect(error.name).toBe('RefreshAuthError');
    expectNoSecret(error.message, accessToken);
  });
});

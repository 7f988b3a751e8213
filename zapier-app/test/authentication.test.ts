import { createAppTester } from 'zapier-platform-core';
import nock from 'nock';
import App from '../src/index';
import { authorizeUrl, connectionLabel, getAccessToken, refreshAccessToken, testAuth } from '../src/authentication';
import {
  CLOUD_API,
  CLOUD_APP,
  REDIRECT_URI,
  TEST_CLIENT_ID,
  guardNetwork,
  mint,
  rejectionOf,
  success,
  useCloudEnv,
} from './helpers';

const appTester = createAppTester(App);
guardNetwork();

describe('authorizeUrl', () => {
  it('sends client_id, the redirect URI, the state, the default scopes (triggers and actions) and response_type', async () => {
    useCloudEnv();
    const state = mint('state');
    const url = new URL(await appTester(authorizeUrl, { inputData: { state, redirect_uri: REDIRECT_URI } }));
    expect(url.origin + url.pathname).toBe(`${CLOUD_APP}/auth/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: TEST_CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      state,
      scope: 'BOOKING_READ,EVENT_TYPE_READ,PROFILE_READ,BOOKING_WRITE,WEBHOOK_READ,WEBHOOK_WRITE,EVENT_TYPE_WRITE',
      response_type: 'code',
    });
  });

  it('uses the EU cloud and a self-hosted instance read at run time, and maps legacy scope names', async () => {
    useCloudEnv({ CALCOM_INSTANCE: 'eu', CALCOM_SCOPES: 'read_booking, READ_PROFILE' });
    const eu = new URL(await appTester(authorizeUrl, { inputData: { state: 's1', redirect_uri: REDIRECT_URI } }));
    expect(eu.origin).toBe('https://app.cal.eu');
    expect(eu.searchParams.get('scope')).toBe('BOOKING_READ,PROFILE_READ');

    useCloudEnv({ CALCOM_INSTANCE: 'self-hosted', CALCOM_APP_URL: 'https://cal.example.org/', CALCOM_TOKEN_SURFACE: 'legacy' });
    const selfHosted = new URL(await appTester(authorizeUrl, { inputData: { state: 's2', redirect_uri: REDIRECT_URI } }));
    expect(selfHosted.origin + selfHosted.pathname).toBe('https://cal.example.org/auth/oauth2/authorize');
    // Installations that need the legacy token routes predate scopes: legacy names, no EVENT_TYPE_READ.
    expect(selfHosted.searchParams.get('scope')).toBe('READ_BOOKING,READ_PROFILE');
  });

  it('refuses to build a URL without the client id, naming the variable to set', async () => {
    useCloudEnv();
    delete process.env.CLIENT_ID;
    const error = await rejectionOf(appTester(authorizeUrl, { inputData: { state: 's', redirect_uri: REDIRECT_URI } }));
    expect(error.message).toMatch(/CLIENT_ID.*env:set/);
  });

  it('explains a bad instance setting instead of calling a wrong host', async () => {
    useCloudEnv({ CALCOM_INSTANCE: 'self-hosted', CALCOM_APP_URL: 'http://cal.example.org' });
    const error = await rejectionOf(appTester(authorizeUrl, { inputData: { state: 's', redirect_uri: REDIRECT_URI } }));
    expect(error.message).toMatch(/https/);
    useCloudEnv({ CALCOM_SCOPES: 'BOOKING_RAED' });
    const scopeError = await rejectionOf(appTester(authorizeUrl, { inputData: { state: 's', redirect_uri: REDIRECT_URI } }));
    expect(scopeError.message).toMatch(/CALCOM_SCOPES.*BOOKING_RAED.*BOOKING_READ/);
  });
});

describe('getAccessToken', () => {
  it('exchanges the code on the v2 endpoint with exactly the whitelisted JSON fields', async () => {
    const { clientSecret } = useCloudEnv();
    const code = mint('code');
    const accessToken = mint('at');
    const refreshToken = mint('rt');
    const before = Date.now();
    nock(CLOUD_API)
      .post('/v2/auth/oauth2/token', (body) => {
        expect(body).toEqual({ client_id: TEST_CLIENT_ID, grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_secret: clientSecret });
        return true;
      })
      .matchHeader('content-type', /application\/json/)
      .matchHeader('authorization', (value) => value === undefined)
      .reply(200, { access_token: accessToken, token_type: 'bearer', refresh_token: refreshToken, expires_in: 1800 });

    const authData = await appTester(getAccessToken, { inputData: { code, redirect_uri: REDIRECT_URI, state: 's' } });
    expect(authData.access_token).toBe(accessToken);
    expect(authData.refresh_token).toBe(refreshToken);
    const expiresAt = Date.parse(authData.expires_at ?? '');
    expect(expiresAt).toBeGreaterThanOrEqual(before + 1_800_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 1_800_000);
  });

  it('exchanges the code on the legacy route with a form body', async () => {
    const { clientSecret } = useCloudEnv({ CALCOM_TOKEN_SURFACE: 'legacy' });
    const code = mint('code');
    const accessToken = mint('at');
    const refreshToken = mint('rt');
    nock(CLOUD_APP)
      .post('/api/auth/oauth/token', (body) => {
        expect(body).toEqual({ grant_type: 'authorization_code', code, client_id: TEST_CLIENT_ID, redirect_uri: REDIRECT_URI, client_secret: clientSecret });
        return true;
      })
      .matchHeader('content-type', /application\/x-www-form-urlencoded/)
      .reply(200, { access_token: accessToken, token_type: 'bearer', refresh_token: refreshToken, expires_in: 1800, scope: 'READ_BOOKING READ_PROFILE' });

    const authData = await appTester(getAccessToken, { inputData: { code, redirect_uri: REDIRECT_URI } });
    expect(authData).toMatchObject({ access_token: accessToken, refresh_token: refreshToken, scope: 'BOOKING_READ PROFILE_READ' });
  });

  it("turns a refused client (401) into a clear error carrying Cal.com's reason", async () => {
    const { clientSecret } = useCloudEnv();
    nock(CLOUD_API).post('/v2/auth/oauth2/token').reply(401, { error: 'invalid_client', error_description: 'client_secret_mismatch' });
    const error = await rejectionOf(appTester(getAccessToken, { inputData: { code: mint('code'), redirect_uri: REDIRECT_URI } }));
    expect(error.name).not.toBe('RefreshAuthError');
    expect(error.message).toMatch(/invalid_client: client_secret_mismatch/);
    expect(error.message).toMatch(/client ID and client secret/);
    expect(error.message).not.toContain(clientSecret);
  });

  it("keeps the body of a token-endpoint 401: Cal.com's own text reaches the user, scrubbed", async () => {
    const { clientSecret } = useCloudEnv();
    const code = mint('code');
    nock(CLOUD_API)
      .post('/v2/auth/oauth2/token')
      .reply(401, { status: 'error', error: { code: 'UnauthorizedException', message: `Client authentication failed for secret ${clientSecret} and code ${code}` } });
    const error = await rejectionOf(appTester(getAccessToken, { inputData: { code, redirect_uri: REDIRECT_URI } }));
    expect(error.name).toBe('AppError');
    expect(error.message).toMatch(/HTTP 401, .*UnauthorizedException: Client authentication failed for secret \[redacted\] and code \[redacted\]/);
    expect(error.message).not.toContain(clientSecret);
    expect(error.message).not.toContain(code);
  });

  it('explains an expired or reused code', async () => {
    useCloudEnv();
    nock(CLOUD_API).post('/v2/auth/oauth2/token').reply(400, { error: 'invalid_grant', error_description: 'code_invalid_or_expired' });
    const error = await rejectionOf(appTester(getAccessToken, { inputData: { code: mint('code'), redirect_uri: REDIRECT_URI } }));
    expect(error.name).toBe('AppError');
    expect(error.message).toMatch(/invalid_grant.*reconnect/);
  });

  it('rejects a 200 without an access token', async () => {
    useCloudEnv();
    nock(CLOUD_API).post('/v2/auth/oauth2/token').reply(200, { token_type: 'bearer' });
    const error = await rejectionOf(appTester(getAccessToken, { inputData: { code: mint('code'), redirect_uri: REDIRECT_URI } }));
    expect(error.message).toMatch(/no access token/);
  });
});

describe('refreshAccessToken', () => {
  it('legacy: sends the refresh token in the form body AND as Bearer, not clobbered by the old access token; stores the rotated token', async () => {
    const { clientSecret } = useCloudEnv({ CALCOM_TOKEN_SURFACE: 'legacy' });
    const oldAccess = mint('at');
    const oldRefresh = mint('rt');
    const newAccess = mint('at');
    const newRefresh = mint('rt');
    nock(CLOUD_APP, { reqheaders: { authorization: `Bearer ${oldRefresh}` } })
      .post('/api/auth/oauth/refreshToken', (body) => {
        expect(body).toEqual({ grant_type: 'refresh_token', client_id: TEST_CLIENT_ID, client_secret: clientSecret, refresh_token: oldRefresh });
        return true;
      })
      .reply(200, { access_token: newAccess, token_type: 'bearer', refresh_token: newRefresh, expires_in: 1800 });

    const authData = await appTester(refreshAccessToken, { authData: { access_token: oldAccess, refresh_token: oldRefresh } });
    expect(authData).toMatchObject({ access_token: newAccess, refresh_token: newRefresh });
  });

  it('v2: sends only client_id, grant_type, refresh_token and client_secret, with no Authorization header', async () => {
    const { clientSecret } = useCloudEnv();
    const oldRefresh = mint('rt');
    const newRefresh = mint('rt');
    nock(CLOUD_API, { badheaders: ['authorization'] })
      .post('/v2/auth/oauth2/token', (body) => {
        expect(body).toEqual({ client_id: TEST_CLIENT_ID, grant_type: 'refresh_token', refresh_token: oldRefresh, client_secret: clientSecret });
        return true;
      })
      .reply(200, { access_token: mint('at'), token_type: 'bearer', refresh_token: newRefresh, expires_in: 1800 });
    const authData = await appTester(refreshAccessToken, { authData: { access_token: mint('at'), refresh_token: oldRefresh } });
    expect(authData.refresh_token).toBe(newRefresh);
  });

  it('keeps the previous refresh token when an older Cal.com returns only an access token', async () => {
    useCloudEnv({ CALCOM_TOKEN_SURFACE: 'legacy' });
    const oldRefresh = mint('rt');
    const newAccess = mint('at');
    nock(CLOUD_APP).post('/api/auth/oauth/refreshToken').reply(200, { access_token: newAccess });
    const authData = await appTester(refreshAccessToken, { authData: { access_token: mint('at'), refresh_token: oldRefresh } });
    expect(authData).toEqual({ access_token: newAccess, refresh_token: oldRefresh });
  });

  it('sends a revoked or reused refresh token down the reconnect path (ExpiredAuthError) with a clear message', async () => {
    useCloudEnv();
    const oldRefresh = mint('rt');
    nock(CLOUD_API).post('/v2/auth/oauth2/token').reply(400, { error: 'invalid_grant', error_description: 'refresh_token_revoked' });
    const error = await rejectionOf(appTester(refreshAccessToken, { authData: { access_token: mint('at'), refresh_token: oldRefresh } }));
    expect(error.name).toBe('ExpiredAuthError');
    expect(error.message).toMatch(/reconnect the Cal\.com account/);
    expect(error.message).not.toContain(oldRefresh);
  });

  it("a 401 from the refresh keeps Cal.com's reason in the reconnect message, scrubbed of the tokens", async () => {
    const { clientSecret } = useCloudEnv({ CALCOM_TOKEN_SURFACE: 'legacy' });
    const oldRefresh = mint('rt');
    nock(CLOUD_APP).post('/api/auth/oauth/refreshToken').reply(401, { message: `Refresh token ${oldRefresh} was revoked by a newer refresh` });
    const error = await rejectionOf(appTester(refreshAccessToken, { authData: { access_token: mint('at'), refresh_token: oldRefresh } }));
    expect(error.name).toBe('ExpiredAuthError');
    expect(error.message).toMatch(/HTTP 401, "Refresh token .* was revoked by a newer refresh"/);
    expect(error.message).not.toContain(oldRefresh);
    expect(error.message).not.toContain(clientSecret);
  });

  it('asks for a reconnect when no refresh token is stored, without calling Cal.com', async () => {
    useCloudEnv();
    const error = await rejectionOf(appTester(refreshAccessToken, { authData: { access_token: mint('at') } }));
    expect(error.name).toBe('ExpiredAuthError');
  });
});

describe('test and connection label', () => {
  const profile = { id: 7, email: 'ada@example.com', name: 'Ada Lovelace', username: 'ada', timeZone: 'Europe/London' };

  it('calls GET /v2/me with the bearer token and labels the connection with the username', async () => {
    useCloudEnv();
    const accessToken = mint('at');
    nock(CLOUD_API, { reqheaders: { authorization: `Bearer ${accessToken}` } })
      .get('/v2/me')
      .reply(200, success({ ...profile, avatarUrl: null, bio: null, timeFormat: 12, defaultScheduleId: 1, weekStart: 'Monday', organizationId: null }));
    const me = await appTester(testAuth, { authData: { access_token: accessToken } });
    expect(me).toMatchObject({ id: 7, email: 'ada@example.com', username: 'ada' });
    expect(await appTester(connectionLabel, { inputData: { ...me } })).toBe('ada');
    expect(await appTester(connectionLabel, { inputData: { ...me, username: null } })).toBe('ada@example.com');
  });

  it('uses the self-hosted API URL when it differs from the app URL', async () => {
    useCloudEnv({ CALCOM_INSTANCE: 'self-hosted', CALCOM_APP_URL: 'https://cal.example.org', CALCOM_API_URL: 'https://api.cal.example.org' });
    nock('https://api.cal.example.org').get('/v2/me').reply(200, success(profile));
    await expect(appTester(testAuth, { authData: { access_token: mint('at') } })).resolves.toMatchObject({ id: 7 });
  });

  it('a 401 raises RefreshAuthError (Zapier refreshes and retries)', async () => {
    useCloudEnv();
    nock(CLOUD_API).get('/v2/me').reply(401, { status: 'error', error: { code: 'UnauthorizedException', message: 'Invalid Access Token' } });
    const error = await rejectionOf(appTester(testAuth, { authData: { access_token: mint('at') } }));
    expect(error.name).toBe('RefreshAuthError');
  });

  it('a missing scope asks for a reconnect naming the scope', async () => {
    useCloudEnv();
    nock(CLOUD_API)
      .get('/v2/me')
      .reply(403, { status: 'error', error: { code: 'ForbiddenException', message: 'insufficient_scope: Required: PROFILE_READ. Token has: BOOKING_READ' } });
    const error = await rejectionOf(appTester(testAuth, { authData: { access_token: mint('at') } }));
    expect(error.name).toBe('ExpiredAuthError');
    expect(error.message).toMatch(/PROFILE_READ/);
  });

  it('an HTML page instead of JSON gives an actionable error', async () => {
    useCloudEnv();
    nock(CLOUD_API).get('/v2/me').reply(200, '<!DOCTYPE html><html><body>Login</body></html>', { 'content-type': 'text/html' });
    const error = await rejectionOf(appTester(testAuth, { authData: { access_token: mint('at') } }));
    expect(error.message).toMatch(/HTML page instead of JSON.*instance URL/);
  });
});

/**
 * One pushed app, three connections: US cloud, EU cloud and a self-hosted Cal.com, side by side.
 * Each one's authorize URL, code exchange, refresh, connection test, label and booking poll must go to
 * its own hosts with its own client (nock scopes fail the test on any request elsewhere).
 */
import { createAppTester } from 'zapier-platform-core';
import nock from 'nock';
import App from '../../src/index';
import { authorizeUrl, connectionLabel, getAccessToken, refreshAccessToken, testAuth } from '../../src/authentication';
import { booking, bookingsPage } from '../fixtures';
import { REDIRECT_URI, guardNetwork, mint, success } from '../helpers';
import { EU_CLIENT_ID, US_CLIENT_ID, selfHostedFields, usePublicEnv } from './helpers';

const appTester = createAppTester(App);
guardNetwork();

const bookingCreated = (App.triggers?.booking_created as unknown as { operation: { perform: never } }).operation.perform;

interface Side {
  name: string;
  app: string;
  api: string;
  fields: () => Record<string, string>;
  client: (secrets: { usSecret: string; euSecret: string }, fields: Record<string, string>) => { id: string; secret: string };
  label: string;
}

const SIDES: Side[] = [
  { name: 'US cloud', app: 'https://app.cal.com', api: 'https://api.cal.com', fields: () => ({ region: 'cloud' }), client: (s) => ({ id: US_CLIENT_ID, secret: s.usSecret }), label: 'alice' },
  { name: 'EU cloud', app: 'https://app.cal.eu', api: 'https://api.cal.eu', fields: () => ({ region: 'eu' }), client: (s) => ({ id: EU_CLIENT_ID, secret: s.euSecret }), label: 'alice · cal.eu' },
  {
    name: 'self-hosted',
    app: 'https://cal.example.com',
    api: 'https://api.cal.example.com',
    fields: () => selfHostedFields('https://CAL.example.com/', 'https://api.cal.example.com'),
    client: (_s, fields) => ({ id: fields.self_hosted_client_id as string, secret: fields.self_hosted_client_secret as string }),
    label: 'alice · cal.example.com',
  },
];

/** The v2 token endpoint of `api`, answering only requests of `client` for `grant`. */
function tokenEndpoint(api: string, client: { id: string; secret: string }, grant: Record<string, string>, tokens: { access: string; refresh: string }) {
  return nock(api)
    .post('/v2/auth/oauth2/token', (body: Record<string, string>) => body.client_id === client.id && body.client_secret === client.secret && Object.entries(grant).every(([key, value]) => body[key] === value))
    .reply(200, { access_token: tokens.access, refresh_token: tokens.refresh, token_type: 'bearer', expires_in: 1800 });
}

describe('three connections of one app, each on its own Cal.com with its own client', () => {
  it('authorize URL, code exchange, refresh, test, label and a booking poll all go to the connection\'s hosts', async () => {
    const secrets = usePublicEnv();
    const connections: { side: Side; authData: Record<string, string>; client: { id: string; secret: string } }[] = [];

    for (const side of SIDES) {
      const fields = side.fields();
      const client = side.client(secrets, fields);
      const state = mint('state');
      // A self-hosted Cal.com is asked first whether it has the v2 token endpoint (a 400 says it has).
      if (side.name === 'self-hosted') nock(side.api).post('/v2/auth/oauth2/token', {}).reply(400, { error: 'invalid_request', error_description: 'client_id is required' });
      const url = new URL(await appTester(authorizeUrl, { inputData: { ...fields, state, redirect_uri: REDIRECT_URI } }));
      expect(`${side.name}: ${url.origin}${url.pathname}`).toBe(`${side.name}: ${side.app}/auth/oauth2/authorize`);
      expect(url.searchParams.get('client_id')).toBe(client.id);
      expect(url.searchParams.get('scope')).toBe('BOOKING_READ,EVENT_TYPE_READ,PROFILE_READ,BOOKING_WRITE,WEBHOOK_READ,WEBHOOK_WRITE,EVENT_TYPE_WRITE');

      const first = { access: mint('at'), refresh: mint('rt') };
      const code = mint('code');
      tokenEndpoint(side.api, client, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }, first);
      const exchanged = await appTester(getAccessToken, { inputData: { ...fields, code, state, redirect_uri: REDIRECT_URI } });
      // What Zapier keeps: the connect form's fields, then what getAccessToken returned.
      const authData = { ...fields, ...exchanged } as unknown as Record<string, string>;
      expect(authData.access_token).toBe(first.access);
      connections.push({ side, authData, client });
    }

    const selfHosted = connections[2]?.authData ?? {};
    expect(selfHosted).toMatchObject({ region: 'self-hosted', app_url: 'https://cal.example.com', api_url: 'https://api.cal.example.com', token_surface: 'v2' });

    // Interleaved: every connection refreshes, tests and polls after all three connected.
    for (const connection of connections) {
      const { side, client } = connection;
      const next = { access: mint('at'), refresh: mint('rt') };
      tokenEndpoint(side.api, client, { grant_type: 'refresh_token', refresh_token: connection.authData.refresh_token as string }, next);
      connection.authData = { ...connection.authData, ...(await appTester(refreshAccessToken, { authData: connection.authData })) } as Record<string, string>;
      expect(connection.authData.refresh_token).toBe(next.refresh);
    }
    for (const { side, authData } of connections) {
      nock(side.api, { reqheaders: { authorization: `Bearer ${authData.access_token}` } })
        .get('/v2/me')
        .reply(200, success({ id: 7, username: 'alice', email: 'alice@example.com', timeZone: 'Europe/Berlin', weekStart: 'Monday', timeFormat: 24, defaultScheduleId: null, organizationId: null }));
      const profile = await appTester(testAuth, { authData });
      await expect(appTester(connectionLabel, { authData, inputData: profile as never })).resolves.toBe(side.label);

      const fresh = booking();
      nock(side.api, { reqheaders: { authorization: `Bearer ${authData.access_token}` } }).get('/v2/bookings').query(true).reply(200, bookingsPage([fresh]));
      const items = (await appTester(bookingCreated, { authData, inputData: {} })) as { id: string }[];
      expect(`${side.name}: ${items.map((item) => item.id).join()}`).toBe(`${side.name}: ${String(fresh.uid)}`);
    }
  });

  it('a self-hosted Cal.com without the v2 token endpoint gets legacy scope names, the legacy exchange and the legacy Bearer-plus-body refresh', async () => {
    usePublicEnv();
    const fields = selfHostedFields('https://old.example.com');
    const origin = 'https://old.example.com';
    nock(origin).post('/v2/auth/oauth2/token', {}).reply(404, '<!DOCTYPE html><html>Not found</html>', { 'content-type': 'text/html' });
    const url = new URL(await appTester(authorizeUrl, { inputData: { ...fields, state: 's', redirect_uri: REDIRECT_URI } }));
    expect(url.searchParams.get('scope')).toBe('READ_BOOKING,READ_PROFILE');

    const code = mint('code');
    const first = { access: mint('at'), refresh: mint('rt') };
    nock(origin).post('/v2/auth/oauth2/token').reply(404, '<!DOCTYPE html><html>Not found</html>', { 'content-type': 'text/html' });
    nock(origin)
      .post('/api/auth/oauth/token', (body: Record<string, string>) => body.code === code && body.client_id === fields.self_hosted_client_id && body.client_secret === fields.self_hosted_client_secret)
      .reply(200, { access_token: first.access, refresh_token: first.refresh });
    const authData = { ...fields, ...(await appTester(getAccessToken, { inputData: { ...fields, code, state: 's', redirect_uri: REDIRECT_URI } })) } as unknown as Record<string, string>;
    expect(authData.token_surface).toBe('legacy');

    // The remembered surface: the refresh goes straight to the legacy route, token in the header and the body.
    const next = mint('rt');
    nock(origin, { reqheaders: { authorization: `Bearer ${first.refresh}` } })
      .post('/api/auth/oauth/refreshToken', (body: Record<string, string>) => body.refresh_token === first.refresh && body.client_secret === fields.self_hosted_client_secret)
      .reply(200, { access_token: mint('at'), refresh_token: next });
    const refreshed = await appTester(refreshAccessToken, { authData });
    expect(refreshed).toMatchObject({ refresh_token: next, token_surface: 'legacy', app_url: origin });
  });

  it('a connection made before regions existed still serves the environment\'s instance and client', async () => {
    const { clientSecret } = { clientSecret: usePublicEnv({ CALCOM_INSTANCE: 'eu', CLIENT_ID: 'old-eu-client' }).usSecret };
    const authData = { access_token: mint('at'), refresh_token: mint('rt') };
    nock('https://api.cal.eu', { reqheaders: { authorization: `Bearer ${authData.access_token}` } }).get('/v2/bookings').query(true).reply(200, bookingsPage([]));
    await expect(appTester(bookingCreated, { authData, inputData: {} })).resolves.toEqual([]);
    tokenEndpoint('https://api.cal.eu', { id: 'old-eu-client', secret: clientSecret }, { grant_type: 'refresh_token', refresh_token: authData.refresh_token }, { access: mint('at'), refresh: mint('rt') });
    const refreshed = await appTester(refreshAccessToken, { authData });
    // Nothing new is stored for it: it keeps following the environment.
    expect(Object.keys(refreshed).sort()).toEqual(['access_token', 'expires_at', 'refresh_token']);
  });
});

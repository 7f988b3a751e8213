/**
 * What the connect form refuses before Zapier opens any Cal.com page (no interceptor is declared, so
 * any request would fail the test): missing app clients per region, bad self-hosted URLs, URLs on
 * Cal.com's own clouds, a self-hosted connection without its client. A self-hosted client secret is
 * never echoed.
 */
import { createAppTester } from 'zapier-platform-core';
import nock from 'nock';
import App from '../../src/index';
import { authorizeUrl, getAccessToken } from '../../src/authentication';
import { connectionSecrets } from '../../src/errors';
import { REDIRECT_URI, guardNetwork, mint, rejectionOf } from '../helpers';
import { selfHostedFields, usePublicEnv } from './helpers';

const appTester = createAppTester(App);
guardNetwork();

/** The refusal, with the sentence z.errors.Error wraps as JSON unwrapped. */
async function authorize(fields: Record<string, string>): Promise<{ message: string }> {
  const error = await rejectionOf(appTester(authorizeUrl, { inputData: { ...fields, state: 's', redirect_uri: REDIRECT_URI } }));
  const wrapped = JSON.parse(error.message) as { message: string; code: string };
  expect(wrapped.code).toBe('invalid_input');
  return wrapped;
}

describe('refused before the redirect', () => {
  it('a region whose client the developer has not set names the missing settings', async () => {
    usePublicEnv();
    delete process.env.CLIENT_ID_EU;
    expect((await authorize({ region: 'eu' })).message).toMatch(/no CLIENT_ID_EU; its developer must set the credentials of its OAuth client on Cal\.com EU \(app\.cal\.eu\) with zapier-platform env:set/);
    usePublicEnv();
    delete process.env.CLIENT_SECRET;
    expect((await authorize({ region: 'cloud' })).message).toMatch(/no CLIENT_SECRET; .*Cal\.com \(app\.cal\.com\)/);
  });

  it('the US region refuses a CLIENT_ID that serves another instance (a private copy), so it never reaches app.cal.com', async () => {
    usePublicEnv({ CALCOM_INSTANCE: 'self-hosted', CALCOM_APP_URL: 'https://cal.internal.example' });
    expect((await authorize({ region: 'cloud' })).message).toMatch(/no OAuth client for Cal\.com \(app\.cal\.com\): its CLIENT_ID and CLIENT_SECRET serve CALCOM_INSTANCE=self-hosted/);
  });

  it.each([
    ['http on a public host', 'http://cal.example.com', /App URL \(Self-hosted\) "http:\/\/cal\.example\.com" uses http on a public host.*use https:\/\/cal\.example\.com/],
    ['credentials', 'https://admin:hunter2@cal.example.com', /App URL \(Self-hosted\) must not contain a user name or password/],
    ['a query', 'https://cal.example.com/?team=1', /has a query string/],
    ['a fragment', 'https://cal.example.com/#x', /has a #fragment/],
    ['nothing', '', /App URL \(Self-hosted\) is empty/],
    ['not a URL', 'cal example', /is not a valid URL/],
  ])('a self-hosted App URL with %s says what to fix', async (_what, appUrl, message) => {
    usePublicEnv();
    const error = await authorize(selfHostedFields(appUrl));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('hunter2');
  });

  it.each([
    ['https://app.cal.com', '', /App URL \(Self-hosted\) https:\/\/app\.cal\.com is Cal\.com's own cloud.*choose the region Cal\.com \(app\.cal\.com\) instead/],
    ['https://cal.eu', '', /choose the region Cal\.com EU \(app\.cal\.eu\) instead/],
    ['https://cal.example.com', 'https://api.cal.eu', /API URL \(Self-hosted\) https:\/\/api\.cal\.eu is Cal\.com's own cloud/],
  ])('a self-hosted URL on Cal.com\'s cloud (%s %s) is refused: choose the region instead', async (appUrl, apiUrl, message) => {
    usePublicEnv();
    expect((await authorize(selfHostedFields(appUrl, apiUrl))).message).toMatch(message);
  });

  it('a self-hosted connection needs its own client id and secret', async () => {
    usePublicEnv();
    const error = await authorize({ region: 'self-hosted', app_url: 'https://cal.example.com' });
    expect(error.message).toMatch(/needs the Client ID and Client Secret of the OAuth client created on that Cal\.com \(Cal\.com Settings → Developer → OAuth clients\)/);
  });

  it('an unknown region is refused', async () => {
    usePublicEnv();
    expect((await authorize({ region: 'mars' })).message).toMatch(/Cal\.com Region "mars" is not one of/);
  });
});

describe('a self-hosted client secret is never echoed', () => {
  it('is a connection secret, typed (inputData) and stored (authData)', () => {
    const fields = selfHostedFields('https://cal.example.com');
    expect(connectionSecrets({ inputData: fields })).toContain(fields.self_hosted_client_secret);
    expect(connectionSecrets({ authData: fields })).toContain(fields.self_hosted_client_secret);
  });

  it('is scrubbed from an error where the Cal.com echoed it', async () => {
    usePublicEnv();
    const fields = selfHostedFields('https://cal.example.com');
    const secret = fields.self_hosted_client_secret as string;
    nock('https://cal.example.com')
      .post('/v2/auth/oauth2/token')
      .reply(401, { error: 'invalid_client', error_description: `client_secret ${secret} does not match` });
    const error = await rejectionOf(appTester(getAccessToken, { inputData: { ...fields, code: mint('code'), state: 's', redirect_uri: REDIRECT_URI } }));
    expect(error.message).toMatch(/invalid_client|client/i);
    expect(error.message).not.toContain(secret);
  });
});

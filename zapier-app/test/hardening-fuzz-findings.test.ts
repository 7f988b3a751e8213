import { createAppTester } from 'zapier-platform-core';
import nock from 'nock';
import App from '../src/index';
import { getAccessToken } from '../src/authentication';
import { perform as bookingCreated } from '../src/triggers/bookingCreated';
import { CLOUD_API, REDIRECT_URI, guardNetwork, mint, rejectionOf, useCloudEnv } from './helpers';

/** Defects the fuzz suite (test/fuzz) found, through zapier-platform-core's appTester. */

const appTester = createAppTester(App);
guardNetwork();

function appMessage(error: Error): string {
  return (JSON.parse(error.message) as { message: string }).message;
}

describe('a CALCOM_APP_URL carrying a key is refused without quoting the key', () => {
  it.each([
    ['in the query', (key: string) => `https://cal.example.com/base?key=${key}`],
    ['in the fragment', (key: string) => `https://cal.example.com/#${key}`],
    ['in user info of a URL the parser refuses', (key: string) => `https://user:${key}@cal.example.com:99999`],
  ])('%s', async (_label, typed) => {
    const key = mint('key');
    useCloudEnv({ CALCOM_INSTANCE: 'self-hosted', CALCOM_APP_URL: typed(key) });
    // guardNetwork allows no request: the refusal comes before anything is sent.
    const error = await rejectionOf(appTester(bookingCreated, { authData: { access_token: mint('at') }, inputData: {} }));
    const message = appMessage(error);
    expect(message).toMatch(/CALCOM_APP_URL/);
    expect(message).toMatch(/correct CALCOM_APP_URL with zapier-platform env:set/);
    expect(error.message).not.toContain(key);
  });
});

describe('an Event Types value that is not text', () => {
  it.each([
    [Number.NaN, 'a value that is not a number'],
    [Number.POSITIVE_INFINITY, 'an infinite number'],
  ])('%p is described in words, not printed by the app as NaN or Infinity', async (id, described) => {
    useCloudEnv();
    const error = await rejectionOf(appTester(bookingCreated, { authData: { access_token: mint('at') }, inputData: { eventTypeIds: [7, id] } }));
    const message = appMessage(error);
    expect(message).toContain(`Event Types: ${described} is not an event type ID`);
    expect(message).not.toMatch(/\bNaN\b|Infinity/);
  });
});

describe('a code exchange answered with tokens it cannot use', () => {
  it('does not repeat the issued token that Cal.com put under another field of a cut answer', async () => {
    useCloudEnv();
    const issued = mint('at');
    nock(CLOUD_API).post('/v2/auth/oauth2/token').reply(500, `{"access_token":"${issued}","refresh_token":null,"token_type":"${issued}","expires_in"`, { 'content-type': 'application/json' });
    const error = await rejectionOf(appTester(getAccessToken, { inputData: { code: mint('code'), redirect_uri: REDIRECT_URI } }));
    expect(appMessage(error)).toMatch(/Cal\.com could not answer the code exchange \(HTTP 500/);
    expect(error.message).not.toContain(issued);
  });
});

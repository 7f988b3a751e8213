import { createAppTester } from 'zapier-platform-core';
import nock from 'nock';
import App from '../src/index';
import { authorizeUrl } from '../src/authentication';
import { perform as bookingCreated } from '../src/triggers/bookingCreated';
import { perform as eventTypeList } from '../src/triggers/eventTypeList';
import { CLOUD_API, REDIRECT_URI, guardNetwork, mint, rejectionOf, useCloudEnv } from './helpers';

const appTester = createAppTester(App);
guardNetwork();

function lacks(scope: string) {
  return {
    status: 'error',
    error: { code: 'ForbiddenException', message: `insufficient_scope: token does not have the required scopes. Required: ${scope}. Token has: BOOKING_READ, PROFILE_READ` },
  };
}

/** The user-facing text of a z.errors.Error (its message is JSON) or of a control error. */
function textOf(error: Error): string {
  try {
    return (JSON.parse(error.message) as { message: string }).message;
  } catch {
    return error.message;
  }
}

describe('missing scopes on Zapier say who fixes what', () => {
  it('the Event Types dropdown lacking EVENT_TYPE_READ, which CALCOM_SCOPES omits: a plain error naming the scope and the setting, the connection left alone', async () => {
    useCloudEnv({ CALCOM_SCOPES: 'BOOKING_READ,PROFILE_READ' });
    nock(CLOUD_API).get('/v2/event-types').reply(403, lacks('EVENT_TYPE_READ'));
    const error = await rejectionOf(appTester(eventTypeList, { authData: { access_token: mint('at') }, meta: { isFillingDynamicDropdown: true } }));
    expect(error.name).not.toBe('ExpiredAuthError');
    expect(error.name).toBe('AppError');
    expect(JSON.parse(error.message)).toMatchObject({ code: 'insufficient_scope', status: 403 });
    expect(textOf(error)).toMatch(/EVENT_TYPE_READ.*reconnecting cannot help.*OAuth clients and to the app's CALCOM_SCOPES setting/);
  });

  it('the dropdown lacking EVENT_TYPE_READ that the app asks for: reconnect advice, still not an expired connection', async () => {
    useCloudEnv();
    nock(CLOUD_API).get('/v2/event-types').reply(403, lacks('EVENT_TYPE_READ'));
    const error = await rejectionOf(appTester(eventTypeList, { authData: { access_token: mint('at') } }));
    expect(error.name).toBe('AppError');
    expect(textOf(error)).toMatch(/Reconnect the Cal\.com account and allow EVENT_TYPE_READ/);
  });

  it('a trigger lacking BOOKING_READ while CALCOM_SCOPES includes it: ExpiredAuthError, Zapier asks the user to reconnect and allow it', async () => {
    useCloudEnv({ CALCOM_SCOPES: 'BOOKING_READ,EVENT_TYPE_READ,PROFILE_READ' });
    nock(CLOUD_API).get('/v2/bookings').query(true).reply(403, lacks('BOOKING_READ'));
    const error = await rejectionOf(appTester(bookingCreated, { authData: { access_token: mint('at') }, inputData: {} }));
    expect(error.name).toBe('ExpiredAuthError');
    expect(error.message).toMatch(/lacks BOOKING_READ.*Reconnect the Cal\.com account and allow BOOKING_READ/);
    expect(error.message).not.toMatch(/CALCOM_SCOPES/);
  });

  it('a trigger lacking a scope the app never asks for: a plain error for the developer, since reconnecting cannot help', async () => {
    useCloudEnv({ CALCOM_SCOPES: 'EVENT_TYPE_READ,PROFILE_READ' });
    nock(CLOUD_API).get('/v2/bookings').query(true).reply(403, lacks('BOOKING_READ'));
    const error = await rejectionOf(appTester(bookingCreated, { authData: { access_token: mint('at') }, inputData: {} }));
    expect(error.name).toBe('AppError');
    expect(textOf(error)).toMatch(/never asks for BOOKING_READ.*add BOOKING_READ to the OAuth client's scopes in Cal\.com Settings → Developer → OAuth clients and to the app's CALCOM_SCOPES setting/);
  });
});

describe('configuration messages read once and say what to set', () => {
  async function configMessage(env: Record<string, string>): Promise<string> {
    useCloudEnv(env);
    return textOf(await rejectionOf(appTester(authorizeUrl, { inputData: { state: 's', redirect_uri: REDIRECT_URI } })));
  }

  it.each([
    [{ CALCOM_SCOPES: ',' }, /^CALCOM_SCOPES lists no scope; set it to the scopes to ask for, or unset it to ask for BOOKING_READ, EVENT_TYPE_READ, PROFILE_READ, BOOKING_WRITE, WEBHOOK_READ, WEBHOOK_WRITE, EVENT_TYPE_WRITE, with zapier-platform env:set\.$/],
    [{ CALCOM_SCOPES: 'BOOKING_RAED' }, /^CALCOM_SCOPES is not valid: Unknown Cal\.com scope: "BOOKING_RAED" \(did you mean BOOKING_READ.*\); correct it with zapier-platform env:set\.$/],
    [{ CALCOM_INSTANCE: 'mars' }, /^CALCOM_INSTANCE="mars" is not supported; set it to "cloud", "eu" or "self-hosted" with zapier-platform env:set\.$/],
    [{ CALCOM_TOKEN_SURFACE: 'v3' }, /^CALCOM_TOKEN_SURFACE="v3" is not supported; set it to "v2" \(default\) or "legacy".* with zapier-platform env:set\.$/],
    [{ CALCOM_INSTANCE: 'self-hosted', CALCOM_APP_URL: 'http://cal.example.org' }, /^CALCOM_APP_URL "http:\/\/cal\.example\.org" uses http.*; correct CALCOM_APP_URL with zapier-platform env:set\.$/],
    [{ CALCOM_INSTANCE: 'self-hosted', CALCOM_APP_URL: 'https://cal.example.org', CALCOM_API_URL: 'not a url' }, /^CALCOM_API_URL "not a url" is not a valid URL.*; correct CALCOM_API_URL with zapier-platform env:set\.$/],
    [{ CALCOM_APP_URL: 'https://cal.example.org' }, /^CALCOM_INSTANCE=cloud always uses https:\/\/app\.cal\.com, not CALCOM_APP_URL=https:\/\/cal\.example\.org; unset CALCOM_APP_URL, or set CALCOM_INSTANCE=self-hosted/],
  ])('%j', async (env, expected) => {
    const message = await configMessage(env);
    expect(message).toMatch(expected);
    const setting = /^[A-Z_]+/.exec(message)?.[0] ?? '';
    // The setting leads the sentence once; it is never repeated as a prefix ("X: X lists …").
    expect(message.startsWith(`${setting}: ${setting}`)).toBe(false);
    expect(message).not.toMatch(/^(\w+): .*\1 lists/);
  });

  it('a scope the legacy surface cannot ask for names both settings and what to change', async () => {
    const message = await configMessage({ CALCOM_INSTANCE: 'self-hosted', CALCOM_APP_URL: 'https://cal.example.org', CALCOM_TOKEN_SURFACE: 'legacy', CALCOM_SCOPES: 'BOOKING_READ,EVENT_TYPE_READ' });
    expect(message).toBe(
      'CALCOM_SCOPES lists EVENT_TYPE_READ, which CALCOM_TOKEN_SURFACE=legacy cannot ask for (legacy Cal.com OAuth clients only know READ_BOOKING and READ_PROFILE); remove it from CALCOM_SCOPES, or set CALCOM_TOKEN_SURFACE=v2 if this Cal.com has the v2 token endpoint, with zapier-platform env:set.',
    );
  });
});

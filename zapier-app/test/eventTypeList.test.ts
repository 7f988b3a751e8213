import { createServer, type AddressInfo } from 'node:net';
import { createAppTester } from 'zapier-platform-core';
import nock from 'nock';
import App from '../src/index';
import { EVENT_TYPES_PAGE_SIZE, perform } from '../src/triggers/eventTypeList';
import { CLOUD_API, THROTTLED_BODY, expiredTokenForbidden, guardNetwork, mint, rejectionOf, success, useCloudEnv } from './helpers';

const appTester = createAppTester(App);

/** A loopback port nothing listens on (just released by a throwaway server). */
function closedLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
guardNetwork();

const eventType = (id: number, title: string) => ({ id, title, slug: title.toLowerCase().replace(/\s+/g, '-'), lengthInMinutes: 30, hidden: false });

describe('event_type_list (hidden dropdown trigger)', () => {
  it('asks for event types with the pinned cal-api-version and labels them for the dropdown', async () => {
    useCloudEnv();
    const accessToken = mint('at');
    nock(CLOUD_API, { reqheaders: { authorization: `Bearer ${accessToken}`, 'cal-api-version': '2024-06-14' } })
      .get('/v2/event-types')
      .reply(200, success([eventType(12, 'Intro Call'), eventType(3, 'Deep Dive')]));
    const choices = await appTester(perform, { authData: { access_token: accessToken }, meta: { page: 0, isFillingDynamicDropdown: true } });
    expect(choices).toEqual([
      { id: '3', title: 'Deep Dive (30 min, /deep-dive)', slug: 'deep-dive' },
      { id: '12', title: 'Intro Call (30 min, /intro-call)', slug: 'intro-call' },
    ]);
  });

  it('pages through many event types with bundle.meta.page, in a stable order, and ends with an empty page', async () => {
    useCloudEnv();
    const total = EVENT_TYPES_PAGE_SIZE + 7;
    const all = Array.from({ length: total }, (_, index) => eventType(1000 - index, `Type ${String(index).padStart(3, '0')}`));
    nock(CLOUD_API).get('/v2/event-types').times(3).reply(200, success([...all].reverse()));
    const page0 = await appTester(perform, { authData: { access_token: mint('at') }, meta: { page: 0 } });
    const page1 = await appTester(perform, { authData: { access_token: mint('at') }, meta: { page: 1 } });
    const page2 = await appTester(perform, { authData: { access_token: mint('at') }, meta: { page: 2 } });
    expect(page0).toHaveLength(EVENT_TYPES_PAGE_SIZE);
    expect(page1).toHaveLength(7);
    expect(page2).toEqual([]);
    const ids = [...page0, ...page1].map((choice) => choice.id);
    expect(new Set(ids).size).toBe(total);
    expect(ids[0]).toBe('1000');
    expect(ids.at(-1)).toBe(String(1000 - total + 1));
  });

  it('works without bundle.meta (the app tester leaves it undefined)', async () => {
    useCloudEnv();
    nock(CLOUD_API).get('/v2/event-types').reply(200, success([eventType(1, 'One')]));
    await expect(appTester(perform, { authData: { access_token: mint('at') } })).resolves.toHaveLength(1);
  });

  it("turns Cal.com's 403 expiry quirk into RefreshAuthError", async () => {
    useCloudEnv();
    const accessToken = mint('at');
    nock(CLOUD_API).get('/v2/event-types').reply(403, expiredTokenForbidden(accessToken));
    const error = await rejectionOf(appTester(perform, { authData: { access_token: accessToken } }));
    expect(error.name).toBe('RefreshAuthError');
    expect(error.message).not.toContain(accessToken);
  });

  it('turns a 429 into ThrottledError with the wait from X-RateLimit-Reset-Default', async () => {
    useCloudEnv();
    nock(CLOUD_API)
      .get('/v2/event-types')
      .reply(429, THROTTLED_BODY, { 'X-RateLimit-Limit-Default': '500', 'X-RateLimit-Remaining-Default': '0', 'X-RateLimit-Reset-Default': '37' });
    const error = await rejectionOf(appTester(perform, { authData: { access_token: mint('at') } }));
    expect(error.name).toBe('ThrottledError');
    expect(JSON.parse(error.message)).toMatchObject({ delay: 37 });
  });

  it('reports an unexpected shape clearly', async () => {
    useCloudEnv();
    nock(CLOUD_API).get('/v2/event-types').reply(200, { status: 'success', data: { nothing: true } });
    const error = await rejectionOf(appTester(perform, { authData: { access_token: mint('at') } }));
    expect(error.name).toBe('AppError');
    expect(JSON.parse(error.message)).toMatchObject({ code: 'malformed_response', message: expect.stringMatching(/no list of event types/) });
  });

  it('reports a network failure as "could not reach"', async () => {
    // A real refused connection on loopback: nock's replyWithError never settles under core's node-fetch.
    const port = await closedLoopbackPort();
    useCloudEnv({ CALCOM_INSTANCE: 'self-hosted', CALCOM_APP_URL: `http://127.0.0.1:${port}` });
    nock.enableNetConnect('127.0.0.1');
    try {
      const error = await rejectionOf(appTester(perform, { authData: { access_token: mint('at') } }));
      expect(JSON.parse(error.message)).toMatchObject({ code: 'server_unavailable', message: expect.stringMatching(/Could not reach.*ECONNREFUSED/) });
    } finally {
      nock.disableNetConnect();
    }
  });
});

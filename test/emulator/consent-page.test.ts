import { startEmulator, type Emulator } from './index';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ era: '2026', bookings: 0 });
});
afterAll(async () => {
  await emu.close();
});

async function signIn(): Promise<string> {
  const res = await fetch(`${emu.appUrl}/auth/login`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: 'alice@example.com', password: emu.seeded.users.alice.password, callbackUrl: 'auth/oauth2/authorize?x=1' }),
  });
  expect(res.status).toBe(302);
  expect(res.headers.get('location')).toBe('/auth/oauth2/authorize?x=1');
  return (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
}

const get = (url: string, cookie?: string): Promise<Response> => fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });

describe('consent page over HTTP (2026)', () => {
  const legacy = () => emu.seeded.clients.legacy;
  const scoped = () => emu.seeded.clients.scoped;

  test('not signed in → login redirect carrying the original query', async () => {
    const url = emu.authorizeUrl({ client_id: legacy().clientId, redirect_uri: legacy().redirectUris[0]!, state: 's' });
    const res = await get(url);
    expect(res.status).toBe(302);
    const location = res.headers.get('location')!;
    expect(location.startsWith('/auth/login?callbackUrl=')).toBe(true);
    expect(decodeURIComponent(location.split('callbackUrl=')[1]!)).toBe(`auth/oauth2/authorize${new URL(url).search}`);
  });

  test('wrong password stays on the form', async () => {
    const res = await fetch(`${emu.appUrl}/auth/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=alice&password=wrong' });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Email or password is incorrect.');
  });

  test('consent screen, Allow and Go back through the form', async () => {
    const cookie = await signIn();
    const url = emu.authorizeUrl({ client_id: scoped().clientId, redirect_uri: scoped().redirectUris[0]!, state: 'st 1', scope: 'BOOKING_READ PROFILE_READ', response_type: 'code' });
    const page = await get(url, cookie);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Scoped app');
    expect(html).toContain('<li>BOOKING_READ</li>');
    expect(html).toContain('value="allow"');
    const decide = (decision: string) => fetch(url, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: `decision=${decision}` });
    const allowed = new URL((await decide('allow')).headers.get('location')!);
    expect(allowed.origin + allowed.pathname).toBe(scoped().redirectUris[0]);
    expect(allowed.searchParams.get('state')).toBe('st 1');
    expect(allowed.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{50,60}$/);
    const denied = new URL((await decide('deny')).headers.get('location')!);
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('state')).toBe('st 1');
  });

  test('client, redirect and approval problems are page text, never redirects', async () => {
    const cookie = await signIn();
    const cases: Array<[Record<string, string>, string]> = [
      [{ client_id: 'unknown', redirect_uri: legacy().redirectUris[0]!, state: 's' }, 'OAuth client with ID not found'],
      [{ client_id: legacy().clientId, redirect_uri: 'https://attacker.example/cb', state: 's' }, 'redirect_uri does not match any of the OAuth client&#39;s registered redirect URIs'],
      [{ client_id: emu.seeded.clients.rejected.clientId, redirect_uri: legacy().redirectUris[0]!, state: 's', scope: 'BOOKING_READ' }, 'OAuth client has been rejected'],
      [{ client_id: scoped().clientId, redirect_uri: scoped().redirectUris[0]!, state: 's' }, 'scope parameter is required for this OAuth client'],
    ];
    for (const [params, text] of cases) {
      const res = await get(emu.authorizeUrl(params), cookie);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(text);
    }
    // Exact match only: a trailing slash is a different URI.
    const slash = await get(emu.authorizeUrl({ client_id: legacy().clientId, redirect_uri: `${legacy().redirectUris[0]}/`, state: 's' }), cookie);
    expect(await slash.text()).toContain('does not match');
  });

  test('pending client: its owner sees the consent screen', async () => {
    const cookie = await signIn();
    const pending = emu.seeded.clients.pending;
    const res = await get(emu.authorizeUrl({ client_id: pending.clientId, redirect_uri: pending.redirectUris[0]!, state: 's', scope: 'BOOKING_READ' }), cookie);
    expect(await res.text()).toContain('value="allow"');
  });

  test('scope problems redirect with error, description and state', async () => {
    const cookie = await signIn();
    const unknown = await get(emu.authorizeUrl({ client_id: scoped().clientId, redirect_uri: scoped().redirectUris[0]!, state: 'q', scope: 'BOOKING_READ,NOT_A_SCOPE' }), cookie);
    const u = new URL(unknown.headers.get('location')!);
    expect([u.searchParams.get('error'), u.searchParams.get('error_description'), u.searchParams.get('state')])
      .toEqual(['invalid_scope', 'Requested scope is not a recognized scope', 'q']);
    const exceeds = await get(emu.authorizeUrl({ client_id: scoped().clientId, redirect_uri: scoped().redirectUris[0]!, state: 'q', scope: 'APPS_WRITE' }), cookie);
    const e = new URL(exceeds.headers.get('location')!);
    expect([e.searchParams.get('error'), e.searchParams.get('error_description')]).toEqual(['invalid_request', "Requested scope exceeds the client's registered scopes"]);
  });

  test('legacy client accepts any known scope, or none; a missing state fails Allow', async () => {
    expect(emu.approveHeadless({ clientId: legacy().clientId, redirectUri: legacy().redirectUris[0]!, state: 's', scopes: ['BOOKING_READ', 'READ_PROFILE'] })).toContain('code=');
    expect(emu.approveHeadless({ clientId: legacy().clientId, redirectUri: legacy().redirectUris[0]!, state: 's' })).toContain('code=');
    const noState = new URL(emu.approveHeadless({ clientId: legacy().clientId, redirectUri: legacy().redirectUris[0]!, scopes: ['READ_BOOKING'] }));
    expect(noState.searchParams.get('error')).toBe('invalid_request');
    expect(noState.searchParams.has('code')).toBe(false);
  });

  test('registered URIs: up to 10, exact, https or loopback http, and each one works', async () => {
    const uris = Array.from({ length: 10 }, (_, i) => `https://app${i}.example.com/cb`);
    const client = emu.registerClient({ redirectUris: uris, scopes: ['BOOKING_READ'] });
    const location = emu.approveHeadless({ clientId: client.clientId, redirectUri: uris[7]!, state: 's', scopes: ['BOOKING_READ'] });
    expect(location.startsWith(`${uris[7]}?code=`)).toBe(true);
    expect(() => emu.registerClient({ redirectUris: [...uris, 'https://x.example/cb'] })).toThrow('at most 10');
    expect(() => emu.registerClient({ redirectUris: ['http://example.com/cb'] })).toThrow('https');
    expect(() => emu.registerClient({ redirectUris: ['https://example.com/cb#frag'] })).toThrow('fragment');
  });

  test('trusted clients skip the consent screen', async () => {
    const cookie = await signIn();
    const trusted = emu.registerClient({ redirectUris: ['http://localhost:9999/cb'], isTrusted: true });
    const res = await get(emu.authorizeUrl({ client_id: trusted.clientId, redirect_uri: 'http://localhost:9999/cb', state: 't' }), cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^http:\/\/localhost:9999\/cb\?code=.+&state=t$/);
  });

  test('missing redirect_uri leaves the 2026 page blank', async () => {
    const cookie = await signIn();
    const res = await get(emu.authorizeUrl({ client_id: legacy().clientId, state: 's' }), cookie);
    const html = await res.text();
    expect(html).toContain('<main id="oauth-authorize"></main>');
  });

  test('signedInUserId pre-signs in', async () => {
    const pre = await startEmulator({ signedInUserId: 2, bookings: 0 });
    try {
      const c = pre.seeded.clients.legacy;
      const res = await get(pre.authorizeUrl({ client_id: c.clientId, redirect_uri: c.redirectUris[0]!, state: 's' }));
      expect(await res.text()).toContain('bob@example.com');
    } finally {
      await pre.close();
    }
  });
});

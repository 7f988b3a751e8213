import {
  assertRequestTarget,
  CALCOM_CLOUD,
  CalcomError,
  classifyNetworkError,
  classifyResponse,
  describeRedirectTarget,
  processTokenResponse,
  resolveInstance,
  type HttpResponse,
} from '../src';

function redirect(status: number, location?: string, body = ''): HttpResponse {
  return { status, headers: location === undefined ? {} : { location }, body };
}

describe('a 3xx is explained, never followed (issue 15, item 1)', () => {
  it.each([301, 302, 303, 307, 308])('HTTP %i names the Location host and what to check', (status) => {
    const error = classifyResponse(redirect(status, 'http://evil.example:8080/steal?code=abc123&token=xyz'), { endpoint: 'the code exchange', tokenEndpoint: true });
    expect(error).toBeInstanceOf(CalcomError);
    expect(error?.status).toBe(status);
    expect(error?.isTransient).toBe(false);
    expect(error?.message).toContain(`redirect (HTTP ${status}) to evil.example:8080 over http`);
    expect(error?.message).toMatch(/not followed.*instance URL.*proxy in front of Cal\.com/);
    for (const leaked of ['abc123', 'xyz', '/steal', 'code=']) expect(error?.message).not.toContain(leaked);
  });

  it('never shows the user info, path or query of the Location', () => {
    const message = classifyResponse(redirect(307, 'https://user:hunter2@collector.example.net/a/b?refresh_token=rt-1#frag'))?.message ?? '';
    expect(message).toContain('collector.example.net');
    for (const leaked of ['user', 'hunter2', '/a/b', 'rt-1', 'frag']) expect(message).not.toContain(leaked);
  });

  it('scrubs known secrets even from the host', () => {
    const secret = 'sekret-value-123';
    const message = classifyResponse(redirect(302, `https://${secret}.example.com/`), { knownSecrets: [secret] })?.message ?? '';
    expect(message).not.toContain(secret);
  });

  it.each([
    [undefined, /no address \(no Location header\)/],
    ['', /no address/],
    ['/v2/elsewhere?token=t', /another path on the same host/],
    ['//other.example/x?y', /other\.example/],
    ['http://[::1', /another path on the same host|unreadable/],
  ])('Location %p is described without its path or query', (location, expected) => {
    const message = classifyResponse(redirect(308, location))?.message ?? '';
    expect(message).toMatch(expected);
    expect(message).not.toMatch(/token=t|\?y/);
  });

  it('a 307 from a token endpoint stops the exchange: no tokens are stored from it', () => {
    const response = { status: 307, headers: { location: 'https://evil.example/token' }, body: JSON.stringify({ access_token: 'stolen', token_type: 'bearer' }) };
    expect(() => processTokenResponse(response, { surface: 'v2' })).toThrow(/redirect \(HTTP 307\) to evil\.example/);
  });

  it('describeRedirectTarget gives the host alone', () => {
    expect(describeRedirectTarget('https://api.cal.com/v2/bookings?take=1')).toBe('api.cal.com');
    expect(describeRedirectTarget('ftp://files.example')).toBe('files.example over ftp');
  });
});

describe('assertRequestTarget: nothing is sent to a host other than the instance (issue 15, item 1)', () => {
  const selfHosted = resolveInstance({ kind: 'self-hosted', appUrl: 'https://cal.example.com/cal', apiUrl: 'https://api.example.com' });

  it.each([
    'https://api.cal.com/v2/bookings?take=1',
    'https://app.cal.com/api/auth/oauth/token',
    'https://API.CAL.COM:443/v2/me',
  ])('lets %s through for the cloud', (url) => {
    expect(() => assertRequestTarget({ method: 'GET', url }, CALCOM_CLOUD)).not.toThrow();
  });

  it.each([
    ['another host', 'https://evil.example/v2/bookings', /evil\.example: it is not the configured Cal\.com instance/],
    ['a look-alike suffix', 'https://api.cal.com.evil.example/v2/bookings', /api\.cal\.com\.evil\.example/],
    ['a look-alike prefix', 'https://evilapi.cal.com/v2/bookings', /evilapi\.cal\.com/],
    ['another port', 'https://api.cal.com:8443/v2/bookings', /api\.cal\.com:8443/],
    ['plain http to the right host', 'http://api.cal.com/v2/auth/oauth2/token', /uses http, which would send credentials unencrypted/],
    ['user info', 'https://attacker@api.cal.com/v2/me', /user name or password/],
    ['another scheme', 'ftp://api.cal.com/v2/me', /uses ftp/],
    ['a relative URL', '/v2/bookings', /not an absolute URL/],
  ])('refuses %s, naming the hosts only', (_label, url, expected) => {
    let error: unknown;
    try {
      assertRequestTarget({ method: 'POST', url: `${url}${url.includes('?') ? '&' : '?'}client_secret=s3cr3t` }, CALCOM_CLOUD);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CalcomError);
    expect((error as CalcomError).kind).toBe('invalid_input');
    expect((error as CalcomError).message).toMatch(expected);
    expect((error as CalcomError).message).toMatch(/only api\.cal\.com or app\.cal\.com may be called\. Nothing was sent/);
    expect((error as CalcomError).message).not.toContain('s3cr3t');
    expect((error as CalcomError).message).not.toContain('attacker');
  });

  it('keeps a self-hosted app under its sub-path, and allows loopback http', () => {
    expect(() => assertRequestTarget({ method: 'POST', url: 'https://cal.example.com/cal/api/auth/oauth/token' }, selfHosted)).not.toThrow();
    expect(() => assertRequestTarget({ method: 'POST', url: 'https://cal.example.com/api/auth/oauth/token' }, selfHosted)).toThrow(/cal\.example\.com/);
    expect(() => assertRequestTarget({ method: 'POST', url: 'https://cal.example.com/calendar/x' }, selfHosted)).toThrow(CalcomError);
    expect(() => assertRequestTarget({ method: 'GET', url: 'http://127.0.0.1:4000/v2/me' }, { apiUrl: 'http://127.0.0.1:4000' })).not.toThrow();
  });

  it('allows only the bases given: an API-only caller cannot reach the web app', () => {
    expect(() => assertRequestTarget({ method: 'GET', url: 'https://app.cal.com/v2/me' }, { apiUrl: CALCOM_CLOUD.apiUrl })).toThrow(/only api\.cal\.com may/);
    expect(() => assertRequestTarget({ method: 'GET', url: 'https://api.cal.com/v2/me' }, {})).toThrow(/no configured host/);
  });
});

describe('time-outs reach the core as its time-out error (issue 15, item 6)', () => {
  it.each([
    ['AbortSignal.timeout', (() => {
      const signal = AbortSignal.timeout(0);
      return new Promise((resolve) => setTimeout(() => resolve(signal.reason), 5));
    })()],
    ['an AbortError', Promise.resolve(Object.assign(new Error('The user aborted a request.'), { name: 'AbortError' }))],
  ])('%s is server_unavailable with code time-out', async (_label, reason) => {
    const error = classifyNetworkError(await reason, { endpoint: 'GET /v2/bookings' });
    expect(error).toMatchObject({ kind: 'server_unavailable', code: 'time-out' });
    expect(error.message).toBe('Could not reach GET /v2/bookings (time-out); check the connection and try again.');
  });
});

import { buildAuthorizeUrl, parseAuthorizeCallback } from '../src/authorize';
import { CALCOM_CLOUD, resolveInstance } from '../src/instances';
import { calcomErrorFrom } from './support/errors';

const base = {
  instance: CALCOM_CLOUD,
  clientId: 'c0ffee',
  redirectUri: 'https://zapier.com/dashboard/auth/oauth/return/App123CLIAPI/',
  state: 'st-1',
  scopes: ['booking_read', 'EVENT_TYPE_READ', 'READ_PROFILE'],
};

describe('buildAuthorizeUrl', () => {
  it('builds the exact consent URL with comma-joined scopes and response_type=code', () => {
    expect(buildAuthorizeUrl(base)).toBe(
      'https://app.cal.com/auth/oauth2/authorize?client_id=c0ffee&redirect_uri=https%3A%2F%2Fzapier.com%2Fdashboard%2Fauth%2Foauth%2Freturn%2FApp123CLIAPI%2F&state=st-1&scope=BOOKING_READ,EVENT_TYPE_READ,PROFILE_READ&response_type=code',
    );
  });

  it('adds the S256 challenge and legacy names when asked, on a self-hosted path', () => {
    const url = new URL(
      buildAuthorizeUrl({
        ...base,
        instance: resolveInstance({ kind: 'self-hosted', appUrl: 'http://localhost:3000/cal/' }),
        redirectUri: 'http://127.0.0.1:5678/rest/oauth2-credential/callback',
        scopes: 'BOOKING_READ PROFILE_READ',
        legacyScopes: true,
        codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      }),
    );
    expect(url.origin + url.pathname).toBe('http://localhost:3000/cal/auth/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'c0ffee',
      redirect_uri: 'http://127.0.0.1:5678/rest/oauth2-credential/callback',
      state: 'st-1',
      scope: 'READ_BOOKING,READ_PROFILE',
      response_type: 'code',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
  });

  it('omits scope when none is requested (legacy clients)', () => {
    expect(new URL(buildAuthorizeUrl({ ...base, scopes: [] })).searchParams.has('scope')).toBe(false);
  });

  it.each([
    [{ state: '' }, /OAuth state is missing/],
    [{ clientId: ' ' }, /client ID is missing/],
    [{ redirectUri: 'not a url' }, /not an absolute URL/],
    [{ redirectUri: 'http://zapier.com/cb' }, /must use https/],
    [{ redirectUri: 'https://zapier.com/cb#x' }, /#fragment/],
    [{ scopes: ['BOOKING_READS'] }, /did you mean BOOKING_READ/],
    [{ scopes: ['SCHEDULE_READ'], legacyScopes: true }, /cannot be requested from a legacy/],
  ])('refuses %j', (override, message) => {
    const error = calcomErrorFrom(() => buildAuthorizeUrl({ ...base, ...override }));
    expect(error.kind).toBe('invalid_input');
    expect(error.message).toMatch(message);
  });
});

describe('parseAuthorizeCallback', () => {
  const cb = 'https://zapier.com/cb';

  it('returns code and state when the state matches', () => {
    expect(parseAuthorizeCallback(`${cb}?code=abc123&state=st-1`, 'st-1')).toEqual({ code: 'abc123', state: 'st-1' });
    expect(parseAuthorizeCallback(new URL(`${cb}?state=st-1&code=x%2By`), 'st-1')).toEqual({ code: 'x+y', state: 'st-1' });
    expect(parseAuthorizeCallback('?code=q&state=st-1', 'st-1').code).toBe('q');
  });

  it.each([
    [`${cb}?error=access_denied&state=st-1`, 'reconnect_required', 'access_denied', /declined.*choose Allow/],
    [`${cb}?error=invalid_scope&error_description=Requested+scope+is+not+a+recognized+scope&state=st-1`, 'bad_request', 'invalid_scope', /refused the requested scopes/],
    [`${cb}?error=invalid_request&error_description=Requested+scope+exceeds+the+client%27s+registered+scopes&state=st-1`, 'bad_request', 'invalid_request', /registered on the OAuth client/],
    [`${cb}?error=unauthorized_client&error_description=client_not_approved&state=st-1`, 'client_not_approved', 'unauthorized_client', /not approved/],
    [`${cb}?error=invalid_request&error_description=redirect_uri_mismatch&state=st-1`, 'redirect_mismatch', 'invalid_request', /redirect URI/],
    [`${cb}?error=server_error&state=st-1`, 'server_unavailable', 'server_error', /try connecting again/],
    [`${cb}?code=abc&state=other`, 'invalid_input', 'state_mismatch', /does not match/],
    [`${cb}?error=access_denied&state=other`, 'invalid_input', 'state_mismatch', /does not match/],
    [`${cb}?code=abc`, 'invalid_input', 'state_mismatch', /without the OAuth state/],
    [`${cb}?state=st-1`, 'reconnect_required', 'missing_code', /no authorization code/],
    [cb, 'reconnect_required', 'missing_code', /declined/],
  ])('rejects %s', (url, kind, code, message) => {
    const error = calcomErrorFrom(() => parseAuthorizeCallback(url, 'st-1'));
    expect(error.kind).toBe(kind);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('never puts the code into a message', () => {
    const error = calcomErrorFrom(() => parseAuthorizeCallback(`${cb}?code=SECRETCODE123&state=bad`, 'st-1'));
    expect(error.message).not.toContain('SECRETCODE123');
    expect(() => parseAuthorizeCallback(`${cb}?code=a&state=`, '')).toThrow(/expected OAuth state is empty/);
  });
});

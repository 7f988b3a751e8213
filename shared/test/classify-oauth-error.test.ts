import { classifyOAuthError, classifyResponse } from '../src/classify';
import { jsonResponse } from './support/fetch';

const REFRESH = { tokenEndpoint: true, endpoint: 'the token refresh' } as const;

describe('classifyOAuthError: an OAuth error body without its response', () => {
  it('reads a flat body the way classifyResponse reads the same answer', () => {
    const body = { error: 'invalid_grant', error_description: 'refresh_token_revoked' };
    const direct = classifyOAuthError(body, { ...REFRESH, status: 400 });
    const fromResponse = classifyResponse(jsonResponse(400, body), REFRESH);
    expect(direct?.kind).toBe('reconnect_required');
    expect(direct?.message).toBe(fromResponse?.message);
    expect(direct).toMatchObject({ status: 400, code: 'invalid_grant' });
  });

  it("reads the OAuth code inside API v2's error envelope", () => {
    const body = { status: 'error', error: { code: 'HttpException', message: 'Client not approved', details: { error: 'unauthorized_client', error_description: 'client_not_approved' } } };
    expect(classifyOAuthError(body, REFRESH)?.kind).toBe('client_not_approved');
  });

  it('names a redirect URI refusal', () => {
    expect(classifyOAuthError({ error: 'invalid_request', error_description: 'redirect_uri mismatch' }, REFRESH)?.kind).toBe('redirect_mismatch');
  });

  it('claims no status it was not given', () => {
    const error = classifyOAuthError({ error: 'invalid_client' }, REFRESH);
    expect(error?.kind).toBe('reconnect_required');
    expect(error?.status).toBeUndefined();
    expect(error?.message).not.toMatch(/HTTP/);
  });

  it("quotes Cal.com's reason for any other OAuth error, scrubbed of known secrets", () => {
    const secret = 'rt_' + 'x'.repeat(24);
    const error = classifyOAuthError({ error: 'invalid_request', error_description: `unexpected field refresh_token=${secret}` }, { ...REFRESH, knownSecrets: [secret] });
    expect(error?.kind).toBe('bad_request');
    expect(error?.message).toMatch(/Cal\.com rejected the token refresh \("invalid_request: unexpected field/);
    expect(error?.message).not.toContain(secret);
  });

  it('returns undefined for a body that says nothing', () => {
    expect(classifyOAuthError({}, REFRESH)).toBeUndefined();
    expect(classifyOAuthError('not an object', REFRESH)).toBeUndefined();
  });
});

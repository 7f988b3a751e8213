import { CalcomError } from './errors';
import { OAUTH_CLIENT_SETTINGS_HINT } from './client-settings';
import type { CalcomInstance } from './instances';
import { isLoopbackHost } from './instances';
import { summarizeForMessage } from './redact';
import { formatScopesForWire } from './scopes';

/** Input of {@link buildAuthorizeUrl}. */
export interface AuthorizeUrlOptions {
  instance: Pick<CalcomInstance, 'appUrl'>;
  clientId: string;
  /** Must equal, character for character, a redirect URI registered on the OAuth client. */
  redirectUri: string;
  /** Unguessable value bound to the user's session; Cal.com echoes it back. Required. */
  state: string;
  /** Scopes to request; sent comma-joined. An empty list omits `scope` (legacy clients only). */
  scopes: string | readonly string[];
  /** Send legacy names (`READ_BOOKING`, `READ_PROFILE`) for clients registered before scopes existed. */
  legacyScopes?: boolean;
  /** S256 PKCE challenge; adds `code_challenge_method=S256`. Required for PUBLIC clients. */
  codeChallenge?: string;
}

function requireText(value: string | undefined, what: string, hint: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new CalcomError('invalid_input', `${what} is missing; ${hint}.`);
  return value;
}

/** Checks a redirect URI the way Cal.com registers them: absolute, https (http only on loopback), no fragment. */
export function validateRedirectUri(redirectUri: string): string {
  requireText(redirectUri, 'The redirect URI', 'use the callback URL registered on the Cal.com OAuth client');
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    throw new CalcomError('invalid_input', `The redirect URI "${redirectUri}" is not an absolute URL; use the exact callback URL registered on the Cal.com OAuth client.`);
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && (isLoopbackHost(url.hostname) || url.hostname.endsWith('.local')));
  if (!secure) {
    throw new CalcomError('invalid_input', `The redirect URI "${redirectUri}" must use https (http is accepted only for localhost).`);
  }
  if (url.hash !== '' || redirectUri.includes('#')) {
    throw new CalcomError('invalid_input', `The redirect URI "${redirectUri}" must not contain a #fragment.`);
  }
  return redirectUri;
}

/**
 * Builds the URL of Cal.com's consent page (`{appUrl}/auth/oauth2/authorize`).
 *
 * Sends `client_id`, `redirect_uri`, `state`, `scope` (comma-joined, which every page version
 * accepts), `response_type=code` and, with PKCE, `code_challenge` + `code_challenge_method=S256`.
 *
 * @throws CalcomError `invalid_input` for a missing client ID, state or redirect URI, a bad redirect
 * URI, or unknown scopes.
 */
export function buildAuthorizeUrl(options: AuthorizeUrlOptions): string {
  const clientId = requireText(options.clientId, 'The OAuth client ID', `copy it from ${OAUTH_CLIENT_SETTINGS_HINT}`);
  const state = requireText(options.state, 'The OAuth state', 'generate a random state per authorization (see randomUrlSafeString)');
  const redirectUri = validateRedirectUri(options.redirectUri);
  const scopeList = typeof options.scopes === 'string' ? [options.scopes] : options.scopes;
  const scope = formatScopesForWire(scopeList, { legacy: options.legacyScopes === true });
  const params = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, state });
  if (scope !== '') params.set('scope', scope);
  params.set('response_type', 'code');
  if (options.codeChallenge !== undefined) {
    params.set('code_challenge', requireText(options.codeChallenge, 'The PKCE code challenge', 'create one with createPkcePair'));
    params.set('code_challenge_method', 'S256');
  }
  // Commas between scopes stay literal so the URL reads like Cal.com's docs; both forms decode alike.
  return `${options.instance.appUrl}/auth/oauth2/authorize?${params.toString().replace(/%2C/gi, ',')}`;
}

/** What a successful authorization callback carries. */
export interface AuthorizeCallbackResult {
  code: string;
  state: string;
}

function callbackError(error: string, description: string | null): CalcomError {
  const detail = description === null ? error : `${error}: ${summarizeForMessage(description, 200)}`;
  const reason = `${error} ${description ?? ''}`.toLowerCase();
  const settings = OAUTH_CLIENT_SETTINGS_HINT;
  if (error === 'access_denied') {
    return new CalcomError('reconnect_required', 'Access was declined on the Cal.com consent page; connect again and choose Allow.', { code: error });
  }
  if (/not[ _]approved|client_rejected|rejected/.test(reason)) {
    return new CalcomError('client_not_approved', `The Cal.com OAuth client is not approved (${detail}); check its status in ${settings}.`, { code: error });
  }
  if (reason.includes('redirect_uri')) {
    return new CalcomError('redirect_mismatch', `Cal.com does not accept this redirect URI (${detail}); register it exactly in ${settings}.`, { code: error });
  }
  if (error === 'invalid_scope' || reason.includes('scope')) {
    return new CalcomError(
      'bad_request',
      `Cal.com refused the requested scopes (${detail}); request only scopes registered on the OAuth client, or add them in ${settings}.`,
      { code: error },
    );
  }
  if (error === 'server_error' || error === 'temporarily_unavailable') {
    return new CalcomError('server_unavailable', `Cal.com could not complete the authorization (${detail}); try connecting again in a few minutes.`, { code: error });
  }
  return new CalcomError('bad_request', `Cal.com refused the authorization (${detail}); check the OAuth client settings in ${settings} and connect again.`, { code: error });
}

/**
 * Validates the redirect Cal.com sends back to `redirect_uri` after the consent page.
 *
 * @param url - The full callback URL (or just its query string).
 * @param expectedState - The state sent in {@link buildAuthorizeUrl}.
 * @throws CalcomError on `error=…` (access denied, invalid scope, unapproved client…), a state
 * mismatch (possible forgery or a stale tab), or a missing code (older Cal.com versions answer a
 * declined consent with a bare redirect).
 */
export function parseAuthorizeCallback(url: string | URL, expectedState: string): AuthorizeCallbackResult {
  if (typeof expectedState !== 'string' || expectedState === '') {
    throw new CalcomError('invalid_input', 'The expected OAuth state is empty; keep the state sent with the authorize URL and pass it here.');
  }
  const text = String(url);
  const query = text.includes('?') ? text.slice(text.indexOf('?') + 1).split('#')[0] ?? '' : text.replace(/^[?#]/, '');
  const params = new URLSearchParams(query);
  const state = params.get('state');
  const error = params.get('error');
  if (state !== null && state !== expectedState) {
    throw new CalcomError('invalid_input', 'The OAuth state returned by Cal.com does not match the one sent (a stale tab or a forged request); start the connection again.', {
      code: 'state_mismatch',
    });
  }
  if (error !== null) throw callbackError(error, params.get('error_description'));
  const code = params.get('code');
  if (code === null || code === '') {
    throw new CalcomError(
      'reconnect_required',
      'Cal.com returned no authorization code (the consent may have been declined); connect again and choose Allow.',
      { code: 'missing_code' },
    );
  }
  if (state === null) {
    throw new CalcomError('invalid_input', 'Cal.com returned a code without the OAuth state, so it cannot be matched to this connection; start the connection again.', {
      code: 'state_mismatch',
    });
  }
  return { code, state };
}

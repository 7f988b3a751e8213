import type { Authentication, Bundle, ZObject } from 'zapier-platform-core';
import {
  buildAuthorizeUrl,
  buildCodeExchangeRequest,
  buildMeRequest,
  buildRefreshRequest,
  CalcomError,
  processMeResponse,
  processTokenResponse,
  type HttpRequest,
  type HttpResponse,
  requestSecrets,
  type TokenSet,
} from '@calcom-oauth/shared';
import { readConfig, readInstance, type AppConfig } from './config';
import { connectionSecrets, withZapierErrors } from './errors';
import { createExecutor, fromZapierResponse, toZapierRequest } from './transport';

/** What Zapier stores for a connection (`bundle.authData`): flat strings only. */
interface CalcomAuthData {
  access_token: string;
  /** Absent only if Cal.com issued none; the connection then needs reconnecting when the access token expires. */
  refresh_token?: string;
  /** ISO-8601 instant the access token expires, when Cal.com said. Informational: Zapier refreshes on 401/RefreshAuthError. */
  expires_at?: string;
  /** Granted scopes, space-separated, when Cal.com reported them. */
  scope?: string;
}

function requireInput(bundle: Bundle, name: 'state' | 'redirect_uri' | 'code'): string {
  const value = bundle.inputData[name];
  if (typeof value !== 'string' || value === '') {
    throw new CalcomError('invalid_input', `Zapier did not pass "${name}" to the Cal.com authorization step; start connecting again.`);
  }
  return value;
}

/**
 * Sends a token request; every status comes back, body included, for the shared core to explain
 * (core's automatic 401 → RefreshAuthError, which drops the body, is off: see `autoRefresh` below).
 */
async function executeTokenRequest(z: ZObject, request: HttpRequest): Promise<HttpResponse> {
  return fromZapierResponse(await z.request(toZapierRequest(request, { tokenRequest: true, skipBearer: true })));
}

/** What every token request takes from the deployment's settings (never from the user). */
function tokenClient(config: AppConfig): Pick<AppConfig, 'surface' | 'instance' | 'clientId' | 'clientSecret'> {
  return { surface: config.surface, instance: config.instance, clientId: config.clientId, clientSecret: config.clientSecret };
}

function toAuthData(tokens: TokenSet): CalcomAuthData {
  const authData: CalcomAuthData = { access_token: tokens.accessToken };
  if (tokens.refreshToken !== undefined) authData.refresh_token = tokens.refreshToken;
  // The core bounds expiresAt; the check keeps an unrepresentable instant from costing the connection.
  const expiresAt = tokens.expiresAt === undefined ? undefined : new Date(tokens.expiresAt);
  if (expiresAt !== undefined && Number.isFinite(expiresAt.getTime())) authData.expires_at = expiresAt.toISOString();
  if (tokens.scopes.length > 0) authData.scope = tokens.scopes.join(' ');
  return authData;
}

/** The Cal.com authorize page URL; Zapier supplies `state` (which it verifies) and its `redirect_uri`. */
export const authorizeUrl = async (z: ZObject, bundle: Bundle): Promise<string> =>
  withZapierErrors(z, 'connect', async () => {
    const config = readConfig();
    return buildAuthorizeUrl({
      instance: config.instance,
      clientId: config.clientId,
      redirectUri: requireInput(bundle, 'redirect_uri'),
      state: requireInput(bundle, 'state'),
      scopes: config.scopes,
      legacyScopes: config.surface === 'legacy',
    });
  }, bundle);

/** Exchanges the authorization code on the configured token surface. */
export const getAccessToken = async (z: ZObject, bundle: Bundle): Promise<CalcomAuthData> =>
  withZapierErrors(z, 'connect', async () => {
    const config = readConfig();
    const request = buildCodeExchangeRequest({
      ...tokenClient(config),
      code: requireInput(bundle, 'code'),
      redirectUri: requireInput(bundle, 'redirect_uri'),
    });
    const response = await executeTokenRequest(z, request);
    return toAuthData(processTokenResponse(response, { surface: config.surface, endpoint: 'the code exchange', knownSecrets: requestSecrets(request) }));
  }, bundle);

/**
 * Refreshes the access token. Cal.com rotates refresh tokens and revokes the previous one, so the
 * new refresh token is always returned for Zapier to store; a refused refresh (invalid_grant,
 * revoked) becomes ExpiredAuthError, Zapier's "reconnect this account" path.
 */
export const refreshAccessToken = async (z: ZObject, bundle: Bundle): Promise<CalcomAuthData> =>
  withZapierErrors(z, 'refresh', async () => {
    const previousRefreshToken = bundle.authData.refresh_token;
    if (previousRefreshToken === undefined || previousRefreshToken === '') {
      throw new CalcomError('reconnect_required', 'This Cal.com connection has no refresh token stored; reconnect the Cal.com account.');
    }
    const config = readConfig();
    const request = buildRefreshRequest({
      ...tokenClient(config),
      refreshToken: previousRefreshToken,
    });
    const response = await executeTokenRequest(z, request);
    return toAuthData(
      processTokenResponse(response, { previousRefreshToken, surface: config.surface, endpoint: 'the token refresh', knownSecrets: [...requestSecrets(request), ...connectionSecrets(bundle)] }),
    );
  }, bundle);

/** Checks the connection with `GET /v2/me`; the profile it returns feeds the connection label. */
export const testAuth = async (z: ZObject, bundle: Bundle) =>
  withZapierErrors(z, 'run', async () => {
    const response = await createExecutor(z)(buildMeRequest({ instance: readInstance() }));
    return processMeResponse(response, { knownSecrets: connectionSecrets(bundle) });
  }, bundle);

/** "username" when the Cal.com account has one, else its email. */
export const connectionLabel = async (_z: ZObject, bundle: Bundle): Promise<string> => {
  const { username, email } = bundle.inputData as { username?: unknown; email?: unknown };
  if (typeof username === 'string' && username !== '') return username;
  return typeof email === 'string' ? email : '';
};

export const authentication = {
  type: 'oauth2',
  test: testAuth,
  connectionLabel,
  oauth2Config: {
    authorizeUrl,
    getAccessToken,
    refreshAccessToken,
    // Off because zapier-platform-core 19 then throws a bare RefreshAuthError for every 401, token
    // endpoint included, and Cal.com's reason is lost. The app's afterResponse raises RefreshAuthError
    // itself for API calls (any 401, and Cal.com's 403 for an expired token); Zapier refreshes on it.
    autoRefresh: false,
  },
} satisfies Authentication;

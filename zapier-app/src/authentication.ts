import type { AuthField, Authentication, Bundle, ZObject } from 'zapier-platform-core';
import {
  buildAuthorizeUrl,
  buildCodeExchangeRequest,
  buildMeRequest,
  buildRefreshRequest,
  buildTokenSurfaceProbe,
  CalcomError,
  nextTokenSurface,
  processMeResponse,
  processTokenResponse,
  type HttpRequest,
  type HttpResponse,
  requestSecrets,
  type TokenSet,
  type TokenSurface,
} from '@calcom-oauth/shared';
import { authFields } from './authFields';
import { connectionClient, connectionFieldsToStore, instanceLabel, instanceOf, type ConnectionClient } from './connection';
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
  /** The connection's instance and client (`connection.ts`); absent on connections made before the region choice. */
  [connectionField: string]: string | undefined;
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
async function executeTokenRequest(z: ZObject, request: HttpRequest, client: Pick<ConnectionClient, 'instance'>): Promise<HttpResponse> {
  return fromZapierResponse(await z.request(toZapierRequest(request, { tokenRequest: true, skipBearer: true }, client.instance)));
}

/** What a token request takes from the connection's client. */
function tokenClient(client: ConnectionClient, surface: TokenSurface) {
  return { surface, instance: client.instance, clientId: client.clientId, clientSecret: client.clientSecret };
}

/**
 * Sends a token request on the connection's surface or, when that is not known yet (a self-hosted
 * connection), on v2 and then on the legacy routes if the core says v2 is missing there (CALCOM.md §4).
 * Returns the answer and the surface that gave it, for the connection to remember.
 */
async function exchangeOnSurface(
  z: ZObject,
  client: ConnectionClient,
  build: (surface: TokenSurface) => HttpRequest,
): Promise<{ response: HttpResponse; request: HttpRequest; surface: TokenSurface }> {
  let surface: TokenSurface = client.surface ?? 'v2';
  for (;;) {
    const request = build(surface);
    const response = await executeTokenRequest(z, request, client);
    const next = client.surface === undefined ? nextTokenSurface(surface, response) : undefined;
    if (next === undefined) return { response, request, surface };
    surface = next;
  }
}

/**
 * The surface to name scopes for on the consent page. Legacy installations refuse current scope
 * names, so a self-hosted connection asks its Cal.com first, with a request that carries no secret.
 */
async function consentSurface(z: ZObject, client: ConnectionClient): Promise<TokenSurface> {
  if (client.surface !== undefined) return client.surface;
  const response = await executeTokenRequest(z, buildTokenSurfaceProbe(client.instance), client);
  return nextTokenSurface('v2', response) ?? 'v2';
}

/** The connect form's values (inputData) over anything stored, while connecting. */
function connectingFields(bundle: Bundle): Record<string, unknown> {
  return { ...(bundle.authData ?? {}), ...(bundle.inputData ?? {}) };
}

function toAuthData(tokens: TokenSet, connectionFields: Record<string, string> = {}): CalcomAuthData {
  const authData: CalcomAuthData = { ...connectionFields, access_token: tokens.accessToken };
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
    // Every refusal (a region without a client, a bad or cloud URL, a missing self-hosted client) happens here, before the redirect.
    const client = connectionClient(connectingFields(bundle));
    const redirectUri = requireInput(bundle, 'redirect_uri');
    const state = requireInput(bundle, 'state');
    const surface = await consentSurface(z, client);
    return buildAuthorizeUrl({
      instance: client.instance,
      clientId: client.clientId,
      redirectUri,
      state,
      scopes: client.scopesFor(surface),
      legacyScopes: surface === 'legacy',
    });
  }, bundle);

/** Exchanges the authorization code on the connection's token surface (found by trying, for self-hosted). */
export const getAccessToken = async (z: ZObject, bundle: Bundle): Promise<CalcomAuthData> =>
  withZapierErrors(z, 'connect', async () => {
    const fields = connectingFields(bundle);
    const client = connectionClient(fields);
    const code = requireInput(bundle, 'code');
    const redirectUri = requireInput(bundle, 'redirect_uri');
    const { response, request, surface } = await exchangeOnSurface(z, client, (tried) => buildCodeExchangeRequest({ ...tokenClient(client, tried), code, redirectUri }));
    const tokens = processTokenResponse(response, { surface, endpoint: 'the code exchange', knownSecrets: requestSecrets(request) });
    return toAuthData(tokens, connectionFieldsToStore(fields, client, surface));
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
    const fields = bundle.authData as Record<string, unknown>;
    const client = connectionClient(fields);
    const { response, request, surface } = await exchangeOnSurface(z, client, (tried) => buildRefreshRequest({ ...tokenClient(client, tried), refreshToken: previousRefreshToken }));
    return toAuthData(
      processTokenResponse(response, { previousRefreshToken, surface, endpoint: 'the token refresh', knownSecrets: [...requestSecrets(request), ...connectionSecrets(bundle)] }),
      connectionFieldsToStore(fields, client, surface),
    );
  }, bundle);

/** Checks the connection with `GET /v2/me`; the profile it returns feeds the connection label. */
export const testAuth = async (z: ZObject, bundle: Bundle) =>
  withZapierErrors(z, 'run', async () => {
    const instance = instanceOf(bundle);
    const response = await createExecutor(z, instance)(buildMeRequest({ instance }));
    return processMeResponse(response, { knownSecrets: connectionSecrets(bundle) });
  }, bundle);

/**
 * "username" when the Cal.com account has one, else its email; followed by the instance when it is
 * not the US cloud ("alice · cal.eu", "alice · cal.example.com"), so two accounts of the same name
 * on different Cal.coms can be told apart.
 */
export const connectionLabel = async (_z: ZObject, bundle: Bundle): Promise<string> => {
  const { username, email } = bundle.inputData as { username?: unknown; email?: unknown };
  const account = typeof username === 'string' && username !== '' ? username : typeof email === 'string' ? email : '';
  let where = '';
  try {
    where = instanceLabel(bundle);
  } catch {
    // The test that just ran resolved the same instance; a label never fails a connection.
  }
  return where === '' || account === '' ? account : `${account} · ${where}`;
};

export const authentication = {
  type: 'oauth2',
  fields: authFields as unknown as AuthField[],
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

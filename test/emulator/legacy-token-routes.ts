import { bearerToken, formFields, jsonResponse, NO_STORE, type EmuRequest, type EmuResponse } from './http';
import { OAuthFailure, type MintedTokens, type OAuthService } from './oauth-service';
import type { EmulatorState } from './state';

const TOKEN_HEADERS = { ...NO_STORE, 'content-type': 'application/json;charset=UTF-8' };

function failure(state: EmulatorState, err: unknown): EmuResponse {
  if (!state.behaviour.rfcErrors) {
    // Before Nov 2025: every client or code problem was a bare 401 "Unauthorized".
    return jsonResponse(401, { message: 'Unauthorized' }, TOKEN_HEADERS);
  }
  if (err instanceof OAuthFailure) return jsonResponse(err.status, { error: err.error }, TOKEN_HEADERS);
  return jsonResponse(500, { error: 'server_error' }, TOKEN_HEADERS);
}

/**
 * `POST /api/auth/oauth/token` (shared/CALCOM.md §3). The body is read as form data whatever the content type
 * claims, so a JSON body carries no fields and fails with `invalid_request` — exactly like Cal.com.
 */
export function legacyTokenRoute(state: EmulatorState, oauth: OAuthService, req: EmuRequest): EmuResponse {
  const fields = formFields(req);
  if (!state.behaviour.rfcErrors && fields.grant_type !== 'authorization_code') {
    return jsonResponse(400, { message: 'grant_type invalid' }, TOKEN_HEADERS);
  }
  let tokens: MintedTokens;
  try {
    tokens = oauth.exchangeCode({
      grantType: fields.grant_type,
      clientId: fields.client_id,
      code: fields.code,
      redirectUri: fields.redirect_uri,
      clientSecret: fields.client_secret,
      codeVerifier: fields.code_verifier,
    });
  } catch (err) {
    return failure(state, err);
  }
  if (!state.behaviour.tokenExpiry) {
    return jsonResponse(200, { access_token: tokens.accessToken, refresh_token: tokens.refreshToken }, TOKEN_HEADERS);
  }
  return jsonResponse(200, {
    access_token: tokens.accessToken, token_type: 'bearer', refresh_token: tokens.refreshToken, expires_in: tokens.expiresIn,
  }, TOKEN_HEADERS);
}

/** `POST /api/auth/oauth/refreshToken` (shared/CALCOM.md §3), era by era. */
export function legacyRefreshRoute(state: EmulatorState, oauth: OAuthService, req: EmuRequest): EmuResponse {
  const fields = formFields(req);
  const behaviour = state.behaviour;
  if (!behaviour.refreshTokenInBody) {
    // 2023 → Nov 2025: the refresh token comes only from `Authorization: Bearer`.
    if (fields.grant_type !== 'refresh_token') return jsonResponse(400, { message: 'grant type invalid' }, TOKEN_HEADERS);
    if (!fields.client_id || !fields.client_secret) return jsonResponse(400, { message: 'Missing client id or secret' }, TOKEN_HEADERS);
    try {
      const tokens = oauth.refresh({
        grantType: fields.grant_type, clientId: fields.client_id, clientSecret: fields.client_secret, refreshToken: bearerToken(req),
      });
      return jsonResponse(200, { access_token: tokens.accessToken }, TOKEN_HEADERS);
    } catch {
      return jsonResponse(401, { message: 'Unauthorized' }, TOKEN_HEADERS);
    }
  }
  let tokens: MintedTokens;
  try {
    tokens = oauth.refresh({
      grantType: fields.grant_type,
      clientId: fields.client_id,
      clientSecret: fields.client_secret,
      refreshToken: fields.refresh_token || bearerToken(req),
    });
  } catch (err) {
    return failure(state, err);
  }
  const body: Record<string, unknown> = {
    access_token: tokens.accessToken, token_type: 'bearer', refresh_token: tokens.refreshToken, expires_in: tokens.expiresIn,
  };
  if (behaviour.refreshReturnsScope) body.scope = tokens.scopes.join(' ');
  return jsonResponse(200, body, TOKEN_HEADERS);
}

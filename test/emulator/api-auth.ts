import { bearerToken, jsonResponse, type EmuRequest, type EmuResponse } from './http';
import type { AccessClaims, OAuthService } from './oauth-service';
import { isLegacyScopeSet, scopeSatisfied } from './scopes';
import type { EmulatorState } from './state';
import type { User } from './types';
import { v2Error } from './v2-errors';

export interface GuardOptions {
  /**
   * The class-level `PermissionsGuard` runs before `ApiAuthGuard` (bookings 2024-08-13): a token that fails
   * verification is then taken for a platform token and refused with 403 — echoing the token (shared/CALCOM.md §8).
   */
  permissionsGuardFirst: boolean;
  /** The endpoint's `@Permissions` scope; null for an endpoint without a decorator. */
  requiredScope: string | null;
  /**
   * `@OAuthPermissions([])` on a public endpoint (create, get, cancel, reschedule, slots): every valid token
   * passes the scope guard, while an invalid or expired one is still refused (shared/CALCOM.md §17).
   */
  anyScope?: boolean;
}

export type Authenticated = { ok: true; user: User; claims: AccessClaims } | { ok: false; response: EmuResponse };

/** API v2 authentication of third-party OAuth tokens plus the 2026 scope guard. */
export function authenticateV2(state: EmulatorState, oauth: OAuthService, req: EmuRequest, options: GuardOptions): Authenticated {
  const token = bearerToken(req);
  if (!token) {
    return { ok: false, response: v2Error(state, req, 401, 'UnauthorizedException', 'No authentication method provided. Either pass an API key as Bearer header or OAuth client credentials.') };
  }
  const verified = oauth.verifyAccess(token);
  if (!verified.ok) {
    if (options.permissionsGuardFirst) {
      return { ok: false, response: v2Error(state, req, 403, 'ForbiddenException', `PermissionsGuard - no oAuth client found for access token=${token}`) };
    }
    return { ok: false, response: v2Error(state, req, 401, 'UnauthorizedException', 'ApiAuthStrategy - invalid access token') };
  }
  const { claims } = verified;
  const user = claims.userId === null ? undefined : state.store.users.get(claims.userId);
  if (!user) return { ok: false, response: v2Error(state, req, 401, 'UnauthorizedException', 'ApiAuthStrategy - user not found') };
  if (state.behaviour.v2ScopeGuard && !isLegacyScopeSet(claims.scope) && !options.anyScope) {
    if (options.requiredScope === null) {
      return { ok: false, response: v2Error(state, req, 403, 'ForbiddenException', 'insufficient_scope: this endpoint is not available for third-party OAuth tokens') };
    }
    if (!scopeSatisfied(options.requiredScope, claims.scope)) {
      return {
        ok: false,
        response: v2Error(state, req, 403, 'ForbiddenException',
          `insufficient_scope: token does not have the required scopes. Required: ${options.requiredScope}. Token has: ${claims.scope.join(', ')}`),
      };
    }
  }
  return { ok: true, user, claims };
}

/** `GET|POST /api/auth/oauth/me` (shared/CALCOM.md §6): 201 `{username}`, literal `READ_PROFILE` required. */
export function legacyMeRoute(state: EmulatorState, oauth: OAuthService, req: EmuRequest): EmuResponse {
  const unauthorized = jsonResponse(401, { message: 'Unauthorized' });
  const token = bearerToken(req);
  if (!token) return unauthorized;
  const verified = oauth.verifyAccess(token);
  if (!verified.ok || !verified.claims.scope.includes('READ_PROFILE')) return unauthorized;
  const user = verified.claims.userId === null ? undefined : state.store.users.get(verified.claims.userId);
  if (!user) return unauthorized;
  return jsonResponse(201, { username: user.username });
}

/** `GET /v2/me` (shared/CALCOM.md §8, §9): `ApiAuthGuard` first, so an expired token is a 401 here. */
export function v2MeRoute(state: EmulatorState, oauth: OAuthService, req: EmuRequest): EmuResponse {
  const auth = authenticateV2(state, oauth, req, { permissionsGuardFirst: false, requiredScope: 'PROFILE_READ' });
  if (!auth.ok) return auth.response;
  const u = auth.user;
  return jsonResponse(200, {
    status: 'success',
    data: {
      id: u.id, email: u.email, name: u.name, avatarUrl: u.avatarUrl, bio: u.bio, timeFormat: u.timeFormat,
      defaultScheduleId: u.defaultScheduleId, weekStart: u.weekStart, timeZone: u.timeZone, username: u.username,
      organizationId: u.organizationId,
    },
  });
}

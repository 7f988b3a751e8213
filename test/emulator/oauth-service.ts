import { createHash, randomBytes } from 'node:crypto';
import { signJwt, verifyJwt } from './jwt';
import type { EmulatorState } from './state';
import { hashSecret } from './store';
import type { AuthorizationCode, OAuthClient } from './types';

/** RFC 6749 error codes the token endpoints return, with Cal.com's statuses. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'server_error';

const STATUS: Record<OAuthErrorCode, number> = {
  invalid_request: 400, invalid_client: 401, invalid_grant: 400, unauthorized_client: 401, server_error: 500,
};

/** A token-endpoint failure: the RFC code plus Cal.com's internal reason (used as v2 `error_description`). */
export class OAuthFailure extends Error {
  readonly status: number;
  constructor(readonly error: OAuthErrorCode, readonly reason: string) {
    super(`${error}: ${reason}`);
    this.status = STATUS[error];
  }
}

/** Human text for reasons, as Cal.com's `OAuth2ErrorService` maps them. */
export const REASON_TEXT: Record<string, string> = {
  client_not_found: 'OAuth client with ID not found',
  client_not_approved: 'OAuth client is not approved',
  client_rejected: 'OAuth client has been rejected',
  redirect_uri_mismatch: "redirect_uri does not match OAuth client's redirect URI",
  pkce_required: 'code_challenge required for public clients',
  invalid_code_challenge_method: 'code_challenge_method must be S256',
  invalid_client_credentials: 'Invalid client credentials',
  code_invalid_or_expired: 'Authorization code is invalid or expired',
  pkce_missing_parameters_or_invalid_method: 'PKCE parameters missing or invalid method',
  pkce_verification_failed: 'PKCE verification failed',
  invalid_refresh_token: 'Refresh token is invalid',
  refresh_token_revoked: 'Refresh token has been revoked',
  client_id_mismatch: 'Client ID mismatch',
};

export interface MintedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  scopes: string[];
}

export interface AccessClaims {
  userId: number | null;
  teamId: number | null;
  scope: string[];
  clientId: string;
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** Cal.com's OAuthService: codes, exchange, refresh with rotation, minting. Era-aware via `state.behaviour`. */
export class OAuthService {
  constructor(private readonly state: EmulatorState) {}

  client(clientId: string | undefined): OAuthClient | undefined {
    return clientId ? this.state.store.clients.get(clientId) : undefined;
  }

  /** 2026 approval rule: REJECTED never; PENDING only for its owner. Returns the failing reason or null. */
  approvalProblem(client: OAuthClient, userId: number | null): 'client_rejected' | 'client_not_approved' | null {
    if (!this.state.behaviour.clientStatus) return null;
    if (client.status === 'REJECTED') return 'client_rejected';
    if (client.status !== 'APPROVED' && (userId === null || userId !== client.userId)) return 'client_not_approved';
    return null;
  }

  /** Registered redirect URIs as the era sees them (before 2026: the single `redirectUri`). */
  registeredRedirectUris(client: OAuthClient): string[] {
    return this.state.behaviour.legacyAuthorizePage ? client.redirectUris.slice(0, 1) : client.redirectUris;
  }

  issueCode(input: Omit<AuthorizationCode, 'code' | 'expiresAt'>): AuthorizationCode {
    const code: AuthorizationCode = {
      ...input,
      code: randomBytes(40).toString('base64url'),
      expiresAt: this.state.clock.now() + this.state.settings.codeTtlSeconds * 1000,
    };
    this.state.store.codes.set(code.code, code);
    return code;
  }

  private secretMatches(client: OAuthClient, secret: string | undefined): boolean {
    return client.clientSecretHash !== null && typeof secret === 'string' && hashSecret(secret) === client.clientSecretHash;
  }

  /** `exchangeCodeForTokens`, in Cal.com's check order (shared/CALCOM.md §3). */
  exchangeCode(input: {
    grantType: string | undefined;
    clientId: string | undefined;
    code: string | undefined;
    redirectUri: string | undefined;
    clientSecret: string | undefined;
    codeVerifier: string | undefined;
  }): MintedTokens {
    const { store, clock, behaviour } = this.state;
    if (!input.clientId || !input.code || !input.redirectUri) throw new OAuthFailure('invalid_request', 'missing_parameters');
    if (input.grantType !== 'authorization_code') throw new OAuthFailure('invalid_request', 'unsupported_grant_type');
    const client = this.client(input.clientId);
    if (!client) throw new OAuthFailure('invalid_client', 'client_not_found');
    if (!this.registeredRedirectUris(client).includes(input.redirectUri)) throw new OAuthFailure('invalid_grant', 'redirect_uri_mismatch');
    const isPublic = behaviour.pkce && client.clientType === 'PUBLIC';
    if (!isPublic && !this.secretMatches(client, input.clientSecret)) throw new OAuthFailure('invalid_client', 'invalid_client_credentials');

    const now = clock.now();
    const found = store.codes.get(input.code);
    const valid = found && found.clientId === client.clientId && found.expiresAt > now ? found : undefined;
    // Cal.com deletes the presented code and every expired code in the same breath.
    if (valid) store.codes.delete(valid.code);
    for (const [key, code] of store.codes) if (code.expiresAt <= now) store.codes.delete(key);
    if (!valid) throw new OAuthFailure('invalid_grant', 'code_invalid_or_expired');

    const approval = this.approvalProblem(client, valid.userId);
    if (approval) throw new OAuthFailure('unauthorized_client', approval);
    if (behaviour.pkce && (isPublic || valid.codeChallenge)) {
      if (!input.codeVerifier || !valid.codeChallenge || (valid.codeChallengeMethod ?? 'S256') !== 'S256') {
        throw new OAuthFailure('invalid_request', 'pkce_missing_parameters_or_invalid_method');
      }
      if (pkceChallenge(input.codeVerifier) !== valid.codeChallenge) throw new OAuthFailure('invalid_grant', 'pkce_verification_failed');
    }
    return this.mint({ clientId: client.clientId, userId: valid.userId, teamId: valid.teamId, scopes: valid.scopes, rotate: false });
  }

  /** Refresh as in 2025-11 and 2026 (shared/CALCOM.md §3, §5). The 2023 route maps failures to its own bodies. */
  refresh(input: { grantType: string | undefined; clientId: string | undefined; clientSecret: string | undefined; refreshToken: string | undefined }): MintedTokens {
    const { clock, settings, behaviour, store } = this.state;
    if (!input.clientId) throw new OAuthFailure('invalid_request', 'missing_client_id');
    if (input.grantType !== 'refresh_token') throw new OAuthFailure('invalid_request', 'unsupported_grant_type');
    if (!input.refreshToken) throw new OAuthFailure('invalid_request', 'missing_refresh_token');
    const client = this.client(input.clientId);
    if (!client) throw new OAuthFailure('invalid_client', 'client_not_found');
    const isPublic = behaviour.pkce && client.clientType === 'PUBLIC';
    if (!isPublic && !this.secretMatches(client, input.clientSecret)) throw new OAuthFailure('invalid_client', 'invalid_client_credentials');

    const verified = verifyJwt(input.refreshToken, settings.signingKey, clock.epochSeconds());
    if (!verified.ok || verified.payload.token_type !== 'Refresh Token') throw new OAuthFailure('invalid_grant', 'invalid_refresh_token');
    const claims = verified.payload;
    if (claims.clientId !== client.clientId) throw new OAuthFailure('invalid_grant', 'client_id_mismatch');
    const userId = typeof claims.userId === 'number' ? claims.userId : null;
    const teamId = typeof claims.teamId === 'number' ? claims.teamId : null;
    const approval = this.approvalProblem(client, userId);
    if (approval) throw new OAuthFailure('unauthorized_client', approval);
    if (behaviour.rotation && typeof claims.secret === 'string') {
      const live = store.refreshTokens.some((row) => row.secret === claims.secret && row.clientId === client.clientId);
      if (!live) throw new OAuthFailure('invalid_grant', 'refresh_token_revoked');
    }
    const scopes = Array.isArray(claims.scope) ? claims.scope.filter((s): s is string => typeof s === 'string') : [];
    return this.mint({ clientId: client.clientId, userId, teamId, scopes, rotate: true });
  }

  /**
   * Mints an access/refresh pair. In the rotation era the refresh JWT carries a secret stored as a row;
   * `rotate` (a refresh) first deletes every row of (client, user) — or (client, team) for team tokens —
   * while a code exchange only adds one.
   */
  mint(input: { clientId: string; userId: number | null; teamId: number | null; scopes: string[]; rotate: boolean }): MintedTokens {
    const { clock, settings, behaviour, store } = this.state;
    const base = { userId: input.userId, teamId: input.teamId, scope: input.scopes, clientId: input.clientId };
    const now = clock.epochSeconds();
    const accessToken = signJwt({ ...base, token_type: 'Access Token' }, settings.signingKey, now, settings.accessTokenTtlSeconds);
    const refreshClaims: Record<string, unknown> = { ...base, token_type: 'Refresh Token' };
    if (behaviour.rotation) {
      const secret = randomBytes(32).toString('hex');
      refreshClaims.secret = secret;
      if (input.rotate) {
        const sameOwner = (row: { clientId: string; userId: number | null; teamId: number | null }): boolean =>
          row.clientId === input.clientId && (input.teamId !== null ? row.teamId === input.teamId : row.userId === input.userId);
        for (let i = store.refreshTokens.length - 1; i >= 0; i -= 1) {
          const row = store.refreshTokens[i];
          if (row && sameOwner(row)) store.refreshTokens.splice(i, 1);
        }
      }
      store.refreshTokens.push({ secret, clientId: input.clientId, userId: input.userId, teamId: input.teamId });
    }
    const refreshToken = signJwt(refreshClaims, settings.signingKey, now, settings.refreshTokenTtlSeconds);
    return { accessToken, refreshToken, expiresIn: settings.accessTokenTtlSeconds, scopes: [...input.scopes] };
  }

  /** Verifies an access JWT as API v2 and the legacy `/me` do. */
  verifyAccess(token: string): { ok: true; claims: AccessClaims } | { ok: false; reason: string } {
    const verified = verifyJwt(token, this.state.settings.signingKey, this.state.clock.epochSeconds());
    if (!verified.ok) return { ok: false, reason: verified.reason };
    const p = verified.payload;
    if (p.token_type !== 'Access Token') return { ok: false, reason: 'wrong_token_type' };
    return {
      ok: true,
      claims: {
        userId: typeof p.userId === 'number' ? p.userId : null,
        teamId: typeof p.teamId === 'number' ? p.teamId : null,
        scope: Array.isArray(p.scope) ? p.scope.filter((s): s is string => typeof s === 'string') : [],
        clientId: typeof p.clientId === 'string' ? p.clientId : '',
      },
    };
  }
}

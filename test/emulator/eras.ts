/**
 * Which Cal.com provider is emulated. Each flag traces to the timeline in shared/CALCOM.md §0:
 * - `2023`: the provider as it stood until November 2025 (PR #11465 plus the March 2025 move to the app
 *   router, which made the legacy routes form-only). Refresh token read only from `Authorization: Bearer`,
 *   refresh answers `{access_token}`, errors are `{message}`, consent page ignores `redirect_uri`, splits
 *   scopes on commas, and "Go back" returns to the bare redirect URI.
 * - `2025-11`: end of November 2025 (M-2512): `expires_in`/`token_type` (#24841), RFC `{error}` bodies,
 *   refresh returns a new refresh token (#24831) and reads it from the body first (#25313), PKCE and public
 *   clients (#25313), "Go back" sends `error=access_denied` (#25401). No rotation yet, no v2 token endpoint.
 * - `2026`: rotation with sibling revocation, the v2 token endpoint, client approval status, multiple
 *   redirect URIs, trusted clients, scopes on the consent page and enforced on API v2.
 */
export type Era = '2023' | '2025-11' | '2026';

export const ERAS: readonly Era[] = ['2023', '2025-11', '2026'];

export interface EraBehaviour {
  /** Consent page ignores `redirect_uri`, splits scope on commas, appends `state` raw (`state=null`). */
  legacyAuthorizePage: boolean;
  /** "Go back" redirects with `error=access_denied` (else to the bare redirect URI). */
  denyCarriesError: boolean;
  /** Token routes answer `{error}` (else `{message}`). */
  rfcErrors: boolean;
  /** Token responses carry `token_type` and `expires_in`. */
  tokenExpiry: boolean;
  /** Refresh reads body `refresh_token` first, the Bearer header as fallback (else header only). */
  refreshTokenInBody: boolean;
  /** Refresh returns a new refresh token. */
  refreshReturnsRefreshToken: boolean;
  /** Refresh response includes a space-joined `scope`. */
  refreshReturnsScope: boolean;
  /** Refresh tokens carry a secret; a refresh revokes every other refresh token of (client, user). */
  rotation: boolean;
  pkce: boolean;
  v2TokenEndpoint: boolean;
  v2ScopeGuard: boolean;
  /** PENDING/REJECTED clients exist and are checked. */
  clientStatus: boolean;
  trustedClients: boolean;
}

export function eraBehaviour(era: Era): EraBehaviour {
  const late2025 = era !== '2023';
  const modern = era === '2026';
  return {
    legacyAuthorizePage: !modern,
    denyCarriesError: late2025,
    rfcErrors: late2025,
    tokenExpiry: late2025,
    refreshTokenInBody: late2025,
    refreshReturnsRefreshToken: late2025,
    refreshReturnsScope: modern,
    rotation: modern,
    pkce: late2025,
    v2TokenEndpoint: modern,
    v2ScopeGuard: modern,
    clientStatus: modern,
    trustedClients: modern,
  };
}

export function isEra(value: unknown): value is Era {
  return typeof value === 'string' && (ERAS as readonly string[]).includes(value);
}

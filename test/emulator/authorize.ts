import type { OAuthService } from './oauth-service';
import { ALL_KNOWN_SCOPES, isLegacyScope, isLegacyScopeSet, parseScopeParam2026, parseScopeParamLegacy } from './scopes';
import type { EmulatorState } from './state';
import type { OAuthClient, User } from './types';

/** The consent page's inputs, straight from its query string (null when absent). */
export interface AuthorizeParams {
  clientId: string | null;
  redirectUri: string | null;
  state: string | null;
  scope: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
}

export function authorizeParamsFrom(query: URLSearchParams): AuthorizeParams {
  return {
    clientId: query.get('client_id'),
    redirectUri: query.get('redirect_uri'),
    state: query.get('state'),
    scope: query.get('scope'),
    codeChallenge: query.get('code_challenge'),
    codeChallengeMethod: query.get('code_challenge_method'),
  };
}

/** What the page does with a request. */
export type AuthorizeOutcome =
  /** Error text on the page itself; no redirect (client, redirect URI and approval problems). */
  | { kind: 'page-error'; message: string }
  /** The 2026 page without `redirect_uri`: its client query never runs, so it stays blank. */
  | { kind: 'blank' }
  | { kind: 'redirect'; location: string }
  | { kind: 'consent'; client: OAuthClient; scopes: string[]; redirectUri: string };

export const PAGE_TEXT = {
  clientNotFound: 'OAuth client with ID not found',
  redirectMismatch: "redirect_uri does not match any of the OAuth client's registered redirect URIs",
  rejected: 'OAuth client has been rejected',
  notApproved: 'OAuth client is not approved',
  scopeRequired: 'scope parameter is required for this OAuth client',
} as const;

/** `redirect_uri` + params via URLSearchParams (the 2026 server-side construction). */
function withParams(redirectUri: string, params: Record<string, string | null>): string {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) if (value !== null) url.searchParams.set(key, value);
  return url.toString();
}

/** Appends a raw query fragment with `?` or `&`, as the pages' string concatenation does. */
function appendRaw(redirectUri: string, fragment: string): string {
  return `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${fragment}`;
}

function errorRedirect(redirectUri: string, error: string, description: string, state: string | null): AuthorizeOutcome {
  return { kind: 'redirect', location: withParams(redirectUri, { error, error_description: description, state }) };
}

/**
 * Validates an authorization request the way the page and `getClientForAuthorization` do (shared/CALCOM.md §2),
 * for the signed-in `user`. Returns the consent screen to show, or what to do instead.
 */
export function evaluateAuthorize(state: EmulatorState, oauth: OAuthService, params: AuthorizeParams, user: User): AuthorizeOutcome {
  if (state.behaviour.legacyAuthorizePage) {
    const client = oauth.client(params.clientId ?? undefined);
    if (!client) return { kind: 'page-error', message: PAGE_TEXT.clientNotFound };
    const redirectUri = client.redirectUris[0] as string;
    return { kind: 'consent', client, scopes: parseScopeParamLegacy(params.scope), redirectUri };
  }
  if (!params.redirectUri) return { kind: 'blank' };
  const client = oauth.client(params.clientId ?? undefined);
  if (!client) return { kind: 'page-error', message: PAGE_TEXT.clientNotFound };
  if (!client.redirectUris.includes(params.redirectUri)) return { kind: 'page-error', message: PAGE_TEXT.redirectMismatch };
  const approval = oauth.approvalProblem(client, user.id);
  if (approval === 'client_rejected') return { kind: 'page-error', message: PAGE_TEXT.rejected };
  if (approval === 'client_not_approved') return { kind: 'page-error', message: PAGE_TEXT.notApproved };
  const scopes = parseScopeParam2026(params.scope);
  const legacyClient = isLegacyScopeSet(client.scopes);
  if (!legacyClient && scopes.length === 0) return { kind: 'page-error', message: PAGE_TEXT.scopeRequired };
  if (scopes.some((s) => !ALL_KNOWN_SCOPES.has(s))) {
    return errorRedirect(params.redirectUri, 'invalid_scope', 'Requested scope is not a recognized scope', params.state);
  }
  if (!legacyClient && scopes.some((s) => !client.scopes.includes(s))) {
    return errorRedirect(params.redirectUri, 'invalid_request', "Requested scope exceeds the client's registered scopes", params.state);
  }
  return { kind: 'consent', client, scopes, redirectUri: params.redirectUri };
}

/**
 * The Allow / Go back buttons (and trusted clients' automatic Allow). The page and
 * `Emulator.approveHeadless` both come through here, so they cannot drift apart.
 */
export function decideAuthorize(
  state: EmulatorState,
  oauth: OAuthService,
  params: AuthorizeParams,
  user: User,
  decision: 'allow' | 'deny',
): AuthorizeOutcome {
  const evaluated = evaluateAuthorize(state, oauth, params, user);
  if (evaluated.kind !== 'consent') return evaluated;
  const { client, scopes, redirectUri } = evaluated;
  const behaviour = state.behaviour;
  if (decision === 'deny') {
    if (!behaviour.denyCarriesError) return { kind: 'redirect', location: redirectUri };
    if (behaviour.legacyAuthorizePage) return { kind: 'redirect', location: appendRaw(redirectUri, `error=access_denied&state=${params.state}`) };
    const stateParam = params.state === null ? '' : `&state=${encodeURIComponent(params.state)}`;
    return { kind: 'redirect', location: appendRaw(redirectUri, `error=access_denied${stateParam}`) };
  }

  if (behaviour.legacyAuthorizePage) {
    // Before 2026 the enum held only the two legacy scopes; anything else failed the database insert.
    const bad = scopes.find((s) => !isLegacyScope(s));
    if (bad) return { kind: 'page-error', message: `Something went wrong: invalid scope ${bad}` };
    const pkce = pkceProblem(behaviour.pkce, client, params);
    if (pkce) return { kind: 'page-error', message: pkce.description };
    const code = oauth.issueCode({
      clientId: client.clientId, userId: user.id, teamId: null, scopes,
      codeChallenge: behaviour.pkce ? params.codeChallenge : null,
      codeChallengeMethod: behaviour.pkce && params.codeChallenge ? (params.codeChallengeMethod ?? 'S256') : null,
    });
    // The legacy page concatenates: an absent state becomes the literal "null".
    return { kind: 'redirect', location: `${redirectUri}?code=${code.code}&state=${params.state}` };
  }

  // 2026: tRPC's schema is `state: z.string().optional()` but the page passes null → BAD_REQUEST.
  if (params.state === null) {
    return { kind: 'redirect', location: withParams(redirectUri, { error: 'invalid_request', error_description: 'Expected string, received null (state)' }) };
  }
  const pkce = pkceProblem(true, client, params);
  if (pkce) return errorRedirect(redirectUri, 'invalid_request', pkce.description, params.state);
  const code = oauth.issueCode({
    clientId: client.clientId, userId: user.id, teamId: null, scopes,
    codeChallenge: params.codeChallenge,
    codeChallengeMethod: params.codeChallenge ? (params.codeChallengeMethod ?? 'S256') : null,
  });
  return { kind: 'redirect', location: withParams(redirectUri, { code: code.code, state: params.state }) };
}

function pkceProblem(pkceEra: boolean, client: OAuthClient, params: AuthorizeParams): { description: string } | null {
  if (!pkceEra) return null;
  if (client.clientType === 'PUBLIC') {
    if (!params.codeChallenge) return { description: 'code_challenge required for public clients' };
    if (params.codeChallengeMethod !== 'S256') return { description: 'code_challenge_method must be S256' };
  } else if (params.codeChallenge && params.codeChallengeMethod && params.codeChallengeMethod !== 'S256') {
    return { description: 'code_challenge_method must be S256' };
  }
  return null;
}

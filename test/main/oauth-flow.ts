/**
 * The authorization-code flow, step by step with a log line per step, the same for the demo and for
 * a real Cal.com: authorize URL → consent (a person, or the demo's scripted browser) → code on the
 * loopback listener → state check → code exchange on the chosen token surface → granted scopes.
 *
 * Every Cal.com rule (URL shape, body fields per surface, response shapes, errors) comes from the
 * shared core; this file only sequences the calls and says what happened.
 */
import {
  buildAuthorizeUrl,
  buildCodeExchangeRequest,
  createPkcePair,
  nextTokenSurface,
  decodeJwtPayload,
  parseAuthorizeCallback,
  processTokenResponse,
  randomUrlSafeString,
  type CalcomInstance,
  type HttpExecutor,
  type TokenSet,
  type TokenSurface,
} from '@calcom-oauth/shared';

import type { TokenSurfaceChoice } from './args';
import type { Log } from './log';
import type { RedirectListener } from './loopback';

export interface OAuthFlowInput {
  instance: CalcomInstance;
  clientId: string;
  /** Absent for a PUBLIC client, which then uses PKCE. */
  clientSecret?: string;
  /** Normalised scopes to request. */
  scopes: readonly string[];
  /** Send `READ_BOOKING`/`READ_PROFILE`, for clients registered before scopes existed. */
  legacyScopeNames: boolean;
  surface: TokenSurfaceChoice;
  listener: RedirectListener;
  timeoutSeconds: number;
  execute: HttpExecutor;
  log: Log;
  /**
   * Shows the authorize URL to whoever consents: opens a browser for a person, or drives the
   * emulator's consent page in the demo. Runs while the listener waits for the callback; a rejection
   * ends the flow at once.
   */
  consent: (authorizeUrl: string) => Promise<void>;
  /** How a platform does steps 1 and 3 itself (the Zapier app's authorizeUrl/getAccessToken); default: the shared core. */
  overrides?: FlowOverrides;
}

/** A platform's own authorize-URL builder and code exchange, used instead of the shared core's. */
export interface FlowOverrides {
  /** Who builds and exchanges, for the log: "the Zapier app (zapier-platform-core)". */
  via: string;
  authorizeUrl(input: { state: string; redirectUri: string }): Promise<string>;
  exchange(input: { code: string; state: string; redirectUri: string }): Promise<{ tokens: TokenSet; surface: TokenSurface; endpoint: string }>;
}

export interface OAuthFlowResult {
  tokens: TokenSet;
  /** The surface whose token endpoint answered. */
  surface: TokenSurface;
  /** Scope names exactly as the token carries them (before legacy names are mapped). */
  rawScopes: string[];
  redirectUri: string;
}

/** Path of a token endpoint, for log lines. */
export function endpointLabel(url: string): string {
  return `POST ${new URL(url).pathname}`;
}

function describeLifetime(expiresAt: number | undefined, now: number): string {
  if (expiresAt === undefined) return 'expiry unknown (no expires_in and no JWT exp)';
  const seconds = Math.round((expiresAt - now) / 1000);
  return seconds >= 120 ? `valid ${Math.round(seconds / 60)} min` : `valid ${seconds} s`;
}

/** Runs the flow; throws the shared core's `CalcomError` (or a `UsageError`) on the first failure. */
export async function runOAuthFlow(input: OAuthFlowInput): Promise<OAuthFlowResult> {
  const { log, listener } = input;
  const state = randomUrlSafeString(24);
  const pkce = input.clientSecret === undefined ? await createPkcePair() : undefined;
  if (pkce !== undefined) log.addSecret(pkce.codeVerifier);
  const overrides = input.overrides;
  const authorizeUrl = overrides !== undefined ? await overrides.authorizeUrl({ state, redirectUri: listener.redirectUri }) : buildAuthorizeUrl({
    instance: input.instance,
    clientId: input.clientId,
    redirectUri: listener.redirectUri,
    state,
    scopes: [...input.scopes],
    legacyScopes: input.legacyScopeNames,
    ...(pkce === undefined ? {} : { codeChallenge: pkce.codeChallenge }),
  });
  const requested = new URL(authorizeUrl).searchParams.get('scope');
  log.line(
    'oauth',
    `1. Authorize URL${overrides === undefined ? '' : ` from ${overrides.via}`}: ${requested === null ? 'no scopes (legacy client)' : `asking for ${requested.split(/[, ]+/).join(', ')}`}${pkce === undefined ? '' : ' with PKCE S256 (public client)'}`,
  );
  log.publicUrl('oauth', '   ', authorizeUrl);

  const callback = listener.waitForCallback(input.timeoutSeconds);
  // Surfaces a consent failure at once instead of after the listener's time-out.
  await Promise.race([input.consent(authorizeUrl), callback.then(() => undefined)]);
  const callbackUrl = await callback;
  const { code } = parseAuthorizeCallback(callbackUrl, state);
  log.addSecret(code);
  log.ok('oauth', `2. Code received on ${listener.redirectUri}; state matches`);

  const now = Date.now();
  if (overrides !== undefined) {
    const exchanged = await overrides.exchange({ code, state, redirectUri: listener.redirectUri });
    return finishExchange(exchanged.tokens, exchanged.surface, `${exchanged.endpoint} via ${overrides.via}`, 200, now, listener.redirectUri, log);
  }
  let lastMissing: string | undefined;
  // `auto` starts on v2 and lets the core say whether its answer means "no v2 token endpoint here".
  for (let surface: TokenSurface | undefined = input.surface === 'auto' ? 'v2' : input.surface; surface !== undefined; ) {
    const request = buildCodeExchangeRequest({
      surface,
      instance: input.instance,
      clientId: input.clientId,
      ...(input.clientSecret === undefined ? {} : { clientSecret: input.clientSecret }),
      code,
      redirectUri: listener.redirectUri,
      ...(pkce === undefined ? {} : { codeVerifier: pkce.codeVerifier }),
    });
    const response = await input.execute(request);
    const next: TokenSurface | undefined = input.surface === 'auto' ? nextTokenSurface(surface, response) : undefined;
    if (next !== undefined) {
      lastMissing = `${endpointLabel(request.url)} answered HTTP ${response.status}`;
      log.warn('oauth', `3. ${lastMissing}: no ${surface} token endpoint here, trying the ${next} one`);
      surface = next;
      continue;
    }
    const tokens = processTokenResponse(response, { surface, now, endpoint: `the code exchange (${endpointLabel(request.url)})` });
    return finishExchange(tokens, surface, endpointLabel(request.url), response.status, now, listener.redirectUri, log);
  }
  throw new Error(`no token surface answered (${lastMissing ?? 'none tried'})`);
}

function finishExchange(tokens: TokenSet, surface: TokenSurface, endpoint: string, status: number, now: number, redirectUri: string, log: Log): OAuthFlowResult {
  log.addSecret(tokens.accessToken);
  log.addSecret(tokens.refreshToken);
  const claims = decodeJwtPayload(tokens.accessToken);
  const rawScopes = Array.isArray(claims?.scope) ? claims.scope.filter((scope): scope is string => typeof scope === 'string') : [];
  log.ok(
    'oauth',
    `3. Token exchange: ${endpoint} (${surface}) answered ${status}: access token (${tokens.tokenType}) ${describeLifetime(tokens.expiresAt, now)}, ${
      tokens.refreshToken === undefined ? 'no refresh token' : 'refresh token received'
    }`,
  );
  return { tokens, surface, rawScopes, redirectUri };
}

/** `READ_BOOKING → BOOKING_READ, PROFILE_READ`: granted scopes with legacy names shown mapped. */
export function describeGrantedScopes(raw: readonly string[], normalised: readonly string[]): string {
  if (normalised.length === 0) return 'none (a legacy token: API v2 lets it through every endpoint)';
  const parts = normalised.map((scope) => {
    const legacy = raw.find((name) => name !== scope && name.toUpperCase() !== scope && mapsTo(name, scope));
    return legacy === undefined ? scope : `${legacy} → ${scope}`;
  });
  return parts.join(', ');
}

function mapsTo(legacy: string, current: string): boolean {
  const [verb, noun] = legacy.toUpperCase().split('_');
  return verb === 'READ' && noun !== undefined && current === `${noun}_READ`;
}

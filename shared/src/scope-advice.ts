import { OAUTH_CLIENT_SETTINGS_HINT } from './client-settings';
import type { CalcomError } from './errors';
import { ME_ENDPOINT } from './api/me';
import { requiredScopeOf } from './endpoint-scopes';
import { BOOKING_EVENT_CATALOGUE } from './events/catalogue';
import { missingScopes, normalizeReportedScopes } from './scopes';

/**
 * Scopes without which a connection serves nothing: every booking trigger reads bookings, and the
 * connection test and label read `GET /v2/me`. Event types (dropdowns) are optional: ids can be typed.
 */
export const CONNECTION_ESSENTIAL_SCOPES: readonly string[] = Object.freeze([
  ...new Set([...Object.values(BOOKING_EVENT_CATALOGUE).map((entry) => entry.scope), ...profileScope()]),
]);

function profileScope(): string[] {
  const scope = requiredScopeOf(ME_ENDPOINT);
  return scope === null ? [] : [scope];
}

/**
 * Who can make a missing scope available:
 * - `reconnect`: the integration asks for every missing scope, so the user reconnects and allows them;
 * - `developer`: the integration never asks for some of them, so its developer adds them to the OAuth
 *   client in Cal.com and to the integration's scope setting, and only then can a reconnect help;
 * - `unknown`: Cal.com did not say which scope is missing;
 * - `none`: Cal.com refuses OAuth tokens on that endpoint whatever the scopes.
 */
export type ScopeFix = 'reconnect' | 'developer' | 'unknown' | 'none';

export interface ScopeAdvice {
  fix: ScopeFix;
  /** Scopes Cal.com asked for, normalised. */
  required: string[];
  /** Of those, the ones the integration never requests. */
  notRequested: string[];
  /** True when a missing scope is in {@link CONNECTION_ESSENTIAL_SCOPES}: the connection is useless until it is fixed. */
  essential: boolean;
  /** One actionable message saying who fixes what. */
  message: string;
}

export interface ScopeAdviceOptions {
  /** Scopes the integration asks for on the authorize page (legacy names accepted). */
  requestedScopes: readonly string[];
  /** Where the integration's developer sets those scopes, in the platform's words ("CALCOM_SCOPES"). */
  scopeSetting: string;
}

function them(scopes: readonly string[]): string {
  return scopes.length > 1 ? 'them' : 'it';
}

/** The classifier's first clause ("This Cal.com connection lacks X needed for Y"), without its generic advice. */
function factOf(error: CalcomError): string {
  const fact = /^(This Cal\.com connection lacks [^;]*?)\.?(?:;|$)/.exec(error.message)?.[1];
  return fact ?? error.message.replace(/\.$/, '');
}

/**
 * Says who must fix an `insufficient_scope` error, comparing the scopes Cal.com required with the
 * ones the integration asks for (legacy and current names count as the same scope).
 */
export function adviseOnMissingScope(error: CalcomError, options: ScopeAdviceOptions): ScopeAdvice {
  const required = normalizeReportedScopes(error.requiredScopes ?? []);
  const requested = normalizeReportedScopes(options.requestedScopes);
  const notRequested = missingScopes(requested, required);
  const essential = required.some((scope) => CONNECTION_ESSENTIAL_SCOPES.includes(scope));
  const fact = factOf(error);
  const base = { required, notRequested, essential };
  if (/whatever scopes/.test(error.message)) {
    return { ...base, fix: 'none', message: `${fact}; reconnecting or adding scopes cannot help, so report it to this integration's developer.` };
  }
  if (required.length === 0) {
    return {
      ...base,
      fix: 'unknown',
      message: `${fact}; Cal.com did not say which scope. This integration's developer must check that the OAuth client's scopes in ${OAUTH_CLIENT_SETTINGS_HINT} and ${options.scopeSetting} include every scope it needs, then the Cal.com account must be reconnected.`,
    };
  }
  if (notRequested.length > 0) {
    const list = notRequested.join(', ');
    return {
      ...base,
      fix: 'developer',
      message: `${fact}, and this integration never asks for ${list}, so reconnecting cannot help. Its developer must add ${list} to the OAuth client's scopes in ${OAUTH_CLIENT_SETTINGS_HINT} and to ${options.scopeSetting}; then reconnect the Cal.com account and allow ${them(notRequested)}.`,
    };
  }
  return {
    ...base,
    fix: 'reconnect',
    message: `${fact}: the connection was made without ${them(required)}. Reconnect the Cal.com account and allow ${required.join(', ')} on Cal.com's consent page.`,
  };
}

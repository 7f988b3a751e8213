import { CalcomError } from './errors';
import { CURRENT_SCOPE_NAMES, LEGACY_SCOPE_EQUIVALENTS, getScopeInfo } from './scope-catalogue';
import type { TokenSurface } from './tokens';

/** Scopes a trigger integration asks for by default: read bookings, event types (for dropdowns) and the profile (for the connection label). */
export const DEFAULT_TRIGGER_SCOPES: readonly string[] = Object.freeze(['BOOKING_READ', 'EVENT_TYPE_READ', 'PROFILE_READ']);

/**
 * {@link DEFAULT_TRIGGER_SCOPES} for the legacy token surface: installations old enough to need it
 * only know the two legacy scopes (CALCOM.md §6), and event types are readable there without one.
 */
export const LEGACY_DEFAULT_TRIGGER_SCOPES: readonly string[] = Object.freeze(['BOOKING_READ', 'PROFILE_READ']);

/** The default scopes of a trigger integration on `surface`. */
export function defaultTriggerScopes(surface: TokenSurface): readonly string[] {
  return surface === 'legacy' ? LEGACY_DEFAULT_TRIGGER_SCOPES : DEFAULT_TRIGGER_SCOPES;
}

/** The only scope names OAuth clients registered before scopes existed know (`READ_BOOKING`, `READ_PROFILE`). */
export const LEGACY_SCOPE_NAMES: readonly string[] = Object.freeze(Object.keys(LEGACY_SCOPE_EQUIVALENTS));

const CURRENT_TO_LEGACY: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(LEGACY_SCOPE_EQUIVALENTS).map(([legacy, current]) => [current, legacy])),
);

function splitScopes(input: string | readonly string[]): string[] {
  const parts = typeof input === 'string' ? [input] : [...input];
  return parts
    .flatMap((part) => String(part).split(/[\s,]+/))
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/**
 * Maps a scope name to its current form without validating it: upper-cases and turns legacy names
 * into their current equivalent. Used on scopes Cal.com reports, which may include names newer than
 * this catalogue.
 */
function normalizeScopeName(name: string): string {
  const upper = name.trim().toUpperCase();
  return LEGACY_SCOPE_EQUIVALENTS[upper] ?? upper;
}

/** Normalises scopes reported by Cal.com (token responses, JWT claims, error messages) without rejecting unknown names. */
export function normalizeReportedScopes(input: string | readonly string[] | undefined | null): string[] {
  if (input === undefined || input === null) return [];
  return [...new Set(splitScopes(input).map(normalizeScopeName))];
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The valid scope names closest to `name` by edit distance, best first. */
export function closestScopeNames(name: string, limit = 3): string[] {
  const upper = name.toUpperCase();
  return CURRENT_SCOPE_NAMES.map((candidate) => ({ candidate, distance: editDistance(upper, candidate) }))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map((entry) => entry.candidate);
}

/**
 * Parses scopes typed by a user or stored in settings.
 *
 * Accepts a string separated by commas and/or whitespace, or a list; names are case-insensitive,
 * duplicates are removed (first occurrence wins) and legacy names become current ones
 * (`READ_BOOKING` → `BOOKING_READ`, `READ_PROFILE` → `PROFILE_READ`).
 *
 * @throws CalcomError `invalid_input` naming each unknown scope and the closest valid names.
 */
export function parseScopes(input: string | readonly string[]): string[] {
  const result: string[] = [];
  const unknown: string[] = [];
  for (const raw of splitScopes(input)) {
    const name = normalizeScopeName(raw);
    if (getScopeInfo(name) === undefined) {
      unknown.push(raw);
      continue;
    }
    if (!result.includes(name)) result.push(name);
  }
  if (unknown.length > 0) {
    const hints = unknown.map((raw) => `"${raw}" (did you mean ${closestScopeNames(raw).join(', ')}?)`);
    throw new CalcomError('invalid_input', `Unknown Cal.com scope${unknown.length > 1 ? 's' : ''}: ${hints.join('; ')}.`);
  }
  return result;
}

/**
 * Converts scopes to the legacy names that OAuth clients registered before 2026 (and older
 * self-hosted instances) understand. Only bookings and profile reading exist there.
 *
 * @throws CalcomError `invalid_input` listing the scopes with no legacy equivalent.
 */
export function toLegacyScopes(scopes: readonly string[]): string[] {
  const result: string[] = [];
  const impossible: string[] = [];
  for (const name of parseScopes(scopes)) {
    const legacy = CURRENT_TO_LEGACY[name];
    if (legacy === undefined) impossible.push(name);
    else if (!result.includes(legacy)) result.push(legacy);
  }
  if (impossible.length > 0) {
    throw new CalcomError(
      'invalid_input',
      `${impossible.join(', ')} cannot be requested from a legacy Cal.com OAuth client, which only knows READ_BOOKING and READ_PROFILE; remove ${impossible.length > 1 ? 'them' : 'it'} or register scopes on the client in Cal.com settings.`,
    );
  }
  return result;
}

/** Options of {@link formatScopesForWire}. */
export interface ScopeWireOptions {
  /** Send legacy names (`READ_BOOKING`, `READ_PROFILE`) for clients that predate scopes. */
  legacy?: boolean;
}

/**
 * Formats scopes for the `scope` parameter of the authorize URL: comma-joined, which every version
 * of Cal.com's authorize page accepts (before 2026 it split on commas only).
 *
 * @throws CalcomError `invalid_input` for unknown scopes, or scopes without a legacy name when `legacy` is set.
 */
export function formatScopesForWire(scopes: readonly string[], options: ScopeWireOptions = {}): string {
  const parsed = parseScopes(scopes);
  return (options.legacy === true ? toLegacyScopes(parsed) : parsed).join(',');
}

function covers(grantedSet: ReadonlySet<string>, needed: string): boolean {
  if (grantedSet.has(needed)) return true;
  // Cal.com's guard lets an organization scope satisfy the matching team scope, never the reverse.
  return needed.startsWith('TEAM_') && grantedSet.has(`ORG_${needed.slice('TEAM_'.length)}`);
}

/**
 * The needed scopes the grant does not cover, normalised. Legacy and current names count as the same
 * scope, and an `ORG_*` scope covers the matching `TEAM_*` one.
 *
 * Note that Cal.com's API v2 lets tokens carrying no scopes or only legacy scopes through every
 * endpoint; this function compares names only.
 */
export function missingScopes(granted: string | readonly string[], needed: readonly string[]): string[] {
  const grantedSet = new Set(normalizeReportedScopes(granted));
  return normalizeReportedScopes(needed).filter((scope) => !covers(grantedSet, scope));
}

/** True when `granted` covers every scope in `needed` (see {@link missingScopes}). */
export function grantCovers(granted: string | readonly string[], needed: string | readonly string[]): boolean {
  return missingScopes(granted, typeof needed === 'string' ? normalizeReportedScopes(needed) : needed).length === 0;
}

/**
 * What the integration needs from a grant, and whether a grant covers it: each trigger's scope comes
 * from the core's event catalogue; the connection test and the event-type filter dropdown need the
 * scopes of their endpoints in the core's table.
 */
import {
  BOOKING_EVENT_CATALOGUE,
  BOOKING_EVENT_KEYS,
  EVENT_TYPES_ENDPOINT,
  LEGACY_SCOPE_NAMES,
  ME_ENDPOINT,
  OAUTH_CLIENT_SETTINGS_HINT,
  missingScopes,
  requiredScopeOf,
} from '@calcom-oauth/shared';

export interface CoverageLine {
  covered: boolean;
  text: string;
  /** The sentence to print last when this need is not covered. */
  fix: string;
}

interface Need {
  what: string;
  scope: string;
}

function endpointNeed(what: string, endpoint: string): Need {
  const scope = requiredScopeOf(endpoint);
  if (scope === null) throw new Error(`${endpoint} is public in the core's table; it is no need of a grant`);
  return { what: `${what} (${endpoint})`, scope };
}

function needs(): Need[] {
  const byScope = new Map<string, string[]>();
  for (const key of BOOKING_EVENT_KEYS) {
    const entry = BOOKING_EVENT_CATALOGUE[key];
    byScope.set(entry.scope, [...(byScope.get(entry.scope) ?? []), entry.name]);
  }
  const triggers = [...byScope].map(([scope, labels]) => ({ what: `The ${labels.length} booking triggers (${labels.join(', ')})`, scope }));
  return [
    ...triggers,
    endpointNeed('The connection test and label', ME_ENDPOINT),
    endpointNeed('The event-type filter dropdown', EVENT_TYPES_ENDPOINT),
  ];
}

/**
 * One line per need. A token carrying no scopes or only the legacy names is let through every API v2
 * endpoint by Cal.com, so everything counts as covered for it.
 */
export function describeTriggerCoverage(granted: readonly string[], rawGranted: readonly string[]): CoverageLine[] {
  const unrestricted = granted.length === 0 || (rawGranted.length > 0 && rawGranted.every((scope) => LEGACY_SCOPE_NAMES.includes(scope.trim().toUpperCase())));
  const all = needs();
  const missingAll = all.filter((need) => missingScopes(granted, [need.scope]).length > 0).map((need) => need.scope);
  const wanted = [...new Set([...granted, ...missingAll])].join(',');
  return all.map((need) => {
    const missing = missingScopes(granted, [need.scope]);
    if (missing.length === 0 || unrestricted) {
      const why = missing.length === 0 ? `granted` : `not named, but this legacy token is unrestricted on API v2`;
      return { covered: true, text: `${need.what} → ${need.scope}: ${why}`, fix: '' };
    }
    return {
      covered: false,
      text: `${need.what} → ${need.scope}: NOT granted`,
      fix: `The grant lacks ${missingAll.join(', ')}: register ${missingAll.length > 1 ? 'them' : 'it'} on the OAuth client in ${OAUTH_CLIENT_SETTINGS_HINT} and run again with --scopes ${wanted}.`,
    };
  });
}

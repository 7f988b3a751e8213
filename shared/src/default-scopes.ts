import { BOOKING_OPERATIONS } from './actions/catalogue';
import { defaultTriggerScopes } from './scopes';
import type { TokenSurface } from './tokens';

/**
 * What an integration with triggers and actions asks for by default: the triggers' scopes plus every
 * scope an action needs (BOOKING_WRITE). The legacy surface has no write scope (CALCOM.md §6), so
 * there it stays the triggers' legacy set; a legacy token is unrestricted on API v2 anyway.
 */
export function defaultIntegrationScopes(surface: TokenSurface): readonly string[] {
  const triggers = defaultTriggerScopes(surface);
  if (surface === 'legacy') return triggers;
  const actions = Object.values(BOOKING_OPERATIONS).flatMap((operation) => (operation.scope === null ? [] : [operation.scope]));
  return Object.freeze([...new Set([...triggers, ...actions])]);
}

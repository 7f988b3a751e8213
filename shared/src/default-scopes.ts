import { BOOKING_OPERATIONS } from './actions/catalogue';
import { requiredScopeOf } from './endpoint-scopes';
import { defaultTriggerScopes } from './scopes';
import type { TokenSurface } from './tokens';

/**
 * What instant triggers need to subscribe, read from the endpoint table so the two cannot drift:
 * user webhooks (create, list, delete) and, when a trigger is filtered by event types, one webhook
 * per event type, which Cal.com guards with EVENT_TYPE_WRITE (CALCOM.md §18).
 */
export const INSTANT_TRIGGER_SCOPES: readonly string[] = Object.freeze(
  [...new Set(['GET /v2/webhooks', 'POST /v2/webhooks', 'POST /v2/event-types/{eventTypeId}/webhooks'].map((endpoint) => requiredScopeOf(endpoint)))].filter(
    (scope): scope is string => scope !== null,
  ),
);

/**
 * What an integration with triggers and actions asks for by default: the triggers' scopes, every
 * scope an action needs (BOOKING_WRITE), then the instant triggers' webhook scopes, so a fresh
 * connection can subscribe. The legacy surface has no write scope (CALCOM.md §6), so there it stays
 * the triggers' legacy set; a legacy token is unrestricted on API v2 anyway, webhooks included.
 */
export function defaultIntegrationScopes(surface: TokenSurface): readonly string[] {
  const triggers = defaultTriggerScopes(surface);
  if (surface === 'legacy') return triggers;
  const actions = Object.values(BOOKING_OPERATIONS).flatMap((operation) => (operation.scope === null ? [] : [operation.scope]));
  return Object.freeze([...new Set([...triggers, ...actions, ...INSTANT_TRIGGER_SCOPES])]);
}

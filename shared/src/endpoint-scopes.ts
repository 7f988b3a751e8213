import { BOOKINGS_ENDPOINT } from './api/bookings';
import { EVENT_TYPES_ENDPOINT } from './api/event-types';
import { ME_ENDPOINT } from './api/me';
import { CalcomError } from './errors';

/**
 * The scope a scoped OAuth token needs on each API v2 endpoint (CALCOM.md §6), keyed as messages name
 * endpoints (`GET /v2/me`). `null` marks an endpoint Cal.com leaves public: a token is accepted there
 * (an invalid one is still a 401) but needs no scope. Tokens with no scopes or only legacy ones pass
 * every endpoint unrestricted, which {@link requiredScopeOf} does not judge.
 */
export const ENDPOINT_SCOPES: Readonly<Record<string, string | null>> = Object.freeze({
  [BOOKINGS_ENDPOINT]: 'BOOKING_READ',
  [EVENT_TYPES_ENDPOINT]: 'EVENT_TYPE_READ',
  [ME_ENDPOINT]: 'PROFILE_READ',
  'GET /v2/schedules': 'SCHEDULE_READ',
  'POST /v2/bookings': null,
  'POST /v2/bookings/{bookingUid}/cancel': null,
  'POST /v2/bookings/{bookingUid}/reschedule': null,
  'GET /v2/slots': null,
  'POST /v2/bookings/{bookingUid}/confirm': 'BOOKING_WRITE',
  'POST /v2/bookings/{bookingUid}/decline': 'BOOKING_WRITE',
  'POST /v2/bookings/{bookingUid}/mark-absent': 'BOOKING_WRITE',
  'POST /v2/bookings/{bookingUid}/guests': 'BOOKING_WRITE',
  // Webhook subscriptions (CALCOM.md §18): the user's own, and one event type's when filtering by event types.
  'POST /v2/webhooks': 'WEBHOOK_WRITE',
  'GET /v2/webhooks': 'WEBHOOK_READ',
  'GET /v2/webhooks/{webhookId}': 'WEBHOOK_READ',
  'PATCH /v2/webhooks/{webhookId}': 'WEBHOOK_WRITE',
  'DELETE /v2/webhooks/{webhookId}': 'WEBHOOK_WRITE',
  'POST /v2/event-types/{eventTypeId}/webhooks': 'EVENT_TYPE_WRITE',
  'GET /v2/event-types/{eventTypeId}/webhooks': 'EVENT_TYPE_READ',
  'GET /v2/event-types/{eventTypeId}/webhooks/{webhookId}': 'EVENT_TYPE_READ',
  'PATCH /v2/event-types/{eventTypeId}/webhooks/{webhookId}': 'EVENT_TYPE_WRITE',
  'DELETE /v2/event-types/{eventTypeId}/webhooks/{webhookId}': 'EVENT_TYPE_WRITE',
});

/**
 * The scope `endpoint` needs, or null for a public one.
 * @throws CalcomError `invalid_input` for an endpoint the table does not list: a caller asking about it is a defect here, and
 * a guessed answer would send users to register the wrong scope.
 */
export function requiredScopeOf(endpoint: string): string | null {
  const scope = ENDPOINT_SCOPES[endpoint];
  if (scope === undefined || !Object.hasOwn(ENDPOINT_SCOPES, endpoint)) {
    throw new CalcomError('invalid_input', `No scope is recorded for ${endpoint}; add it to ENDPOINT_SCOPES (shared/src/endpoint-scopes.ts).`);
  }
  return scope;
}

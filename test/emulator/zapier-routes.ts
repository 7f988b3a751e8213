import { randomUUID } from 'node:crypto';
import { bearerToken, jsonResponse, type EmuRequest, type EmuResponse } from './http';
import type { OAuthService } from './oauth-service';
import type { EmulatorState } from './state';
import type { Booking, User, Webhook } from './types';

/** Cal.com's `WebhookTriggerEvents` values a Zapier subscription may name. */
export const WEBHOOK_TRIGGERS = [
  'BOOKING_CREATED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED', 'BOOKING_REJECTED', 'BOOKING_REQUESTED',
  'BOOKING_PAID', 'BOOKING_NO_SHOW_UPDATED', 'MEETING_STARTED', 'MEETING_ENDED', 'FORM_SUBMITTED', 'OOO_CREATED',
  'RECORDING_READY', 'INSTANT_MEETING',
] as const;

function unauthorized(req: EmuRequest, message = 'Unauthorized'): EmuResponse {
  return jsonResponse(401, { message, url: req.url.pathname + req.url.search, method: req.method });
}

/** `validateAccountOrApiKey`: `?apiKey=` wins (the emulator has no valid app keys); else Bearer + literal scopes. */
function authorize(state: EmulatorState, oauth: OAuthService, req: EmuRequest, scopes: string[]): { user: User } | EmuResponse {
  if (req.url.searchParams.has('apiKey')) return unauthorized(req, 'API key not valid');
  const token = bearerToken(req);
  if (!token) return unauthorized(req);
  const verified = oauth.verifyAccess(token);
  if (!verified.ok || !scopes.every((s) => verified.claims.scope.includes(s))) return unauthorized(req);
  const user = verified.claims.userId === null ? undefined : state.store.users.get(verified.claims.userId);
  return user ? { user } : unauthorized(req);
}

/** The item shape of `listBookings` (shared/CALCOM.md §15): no id, no createdAt/updatedAt, UPPERCASE status. */
export function zapierBookingItem(state: EmulatorState, booking: Booking): Record<string, unknown> {
  const user = state.store.users.get(booking.userId);
  const eventType = state.store.eventTypes.get(booking.eventTypeId);
  return {
    uid: booking.uid, title: booking.title, description: booking.description, customInputs: {},
    responses: { ...booking.bookingFieldsResponses }, userFieldsResponses: {},
    startTime: new Date(booking.start).toISOString(), endTime: new Date(booking.end).toISOString(),
    location: booking.location, cancellationReason: booking.cancellationReason, status: booking.status,
    metadata: { videoCallUrl: booking.location },
    user: user ? { username: user.username, name: user.name, email: user.email, timeZone: user.timeZone, locale: 'en' } : null,
    eventType: eventType ? { title: eventType.title, description: eventType.description, requiresConfirmation: eventType.requiresConfirmation, price: 0, currency: 'usd', length: eventType.lengthInMinutes, bookingFields: [], team: null } : null,
    attendees: booking.attendees.map((a) => ({ name: a.name, email: a.email, timeZone: a.timeZone })),
  };
}

function methodNotAllowed(allowed: string): EmuResponse {
  return jsonResponse(405, { message: `Method Not Allowed (Allow: ${allowed})` });
}

/** `/api/integrations/zapier/<handler>` (legacy web, shared/CALCOM.md §15). */
export function zapierRoute(state: EmulatorState, oauth: OAuthService, req: EmuRequest, handler?: string): EmuResponse {
  switch (handler) {
    case 'listBookings': {
      if (req.method !== 'GET') return methodNotAllowed('GET');
      const auth = authorize(state, oauth, req, ['READ_BOOKING']);
      if (!('user' in auth)) return auth;
      const own = [...state.store.bookings.values()]
        .filter((b) => state.store.eventTypes.get(b.eventTypeId)?.userId === auth.user.id)
        .sort((a, b) => b.id - a.id)
        .slice(0, 3);
      return jsonResponse(201, own.map((b) => zapierBookingItem(state, b)));
    }
    case 'addSubscription': {
      if (req.method !== 'POST') return methodNotAllowed('POST');
      const auth = authorize(state, oauth, req, ['READ_BOOKING', 'READ_PROFILE']);
      if (!('user' in auth)) return auth;
      let body: { subscriberUrl?: unknown; triggerEvent?: unknown } = {};
      try {
        body = JSON.parse(req.rawBody) as typeof body;
      } catch {
        // falls through to the validation failure below
      }
      if (typeof body.subscriberUrl !== 'string' || typeof body.triggerEvent !== 'string' || !(WEBHOOK_TRIGGERS as readonly string[]).includes(body.triggerEvent)) {
        return jsonResponse(500, { message: 'Could not create subscription.' });
      }
      const webhook: Webhook = {
        id: randomUUID(), userId: auth.user.id, teamId: null, eventTypeId: null, eventTriggers: [body.triggerEvent],
        subscriberUrl: body.subscriberUrl, active: true, appId: 'zapier', createdAt: state.clock.now(), payloadTemplate: null,
        secret: null, platform: false, time: null, timeUnit: null, version: '2021-10-20',
      };
      state.store.webhooks.set(webhook.id, webhook);
      return jsonResponse(200, { ...webhook, createdAt: new Date(webhook.createdAt).toISOString() });
    }
    case 'deleteSubscription': {
      if (req.method !== 'DELETE') return methodNotAllowed('DELETE');
      // The handler's zod query schema requires `apiKey`: OAuth-only callers cannot unsubscribe here.
      if (!req.url.searchParams.get('apiKey')) {
        return jsonResponse(400, { message: 'Invalid input: apiKey Required', url: req.url.pathname + req.url.search, method: req.method });
      }
      return unauthorized(req, 'API key not valid');
    }
    case 'listOOOEntries': {
      if (req.method !== 'GET') return methodNotAllowed('GET');
      const auth = authorize(state, oauth, req, ['READ_PROFILE']);
      if (!('user' in auth)) return auth;
      return jsonResponse(200, []);
    }
    case 'me': {
      if (req.method !== 'GET') return methodNotAllowed('GET');
      if (!req.url.searchParams.get('apiKey')) return unauthorized(req, 'No API key provided');
      return unauthorized(req, 'API key not valid');
    }
    default:
      return jsonResponse(404, { message: 'Not found' });
  }
}

import { legacyMeRoute, v2MeRoute } from './api-auth';
import { bookingsRoute, eventTypesRoute, schedulesRoute } from './api-routes';
import {
  addGuestsRoute, cancelBookingRoute, confirmBookingRoute, declineBookingRoute, getBookingRoute, markAbsentRoute, rescheduleBookingRoute,
} from './booking-action-routes';
import { createBookingRoute } from './booking-create-route';
import { authorizeDecision, authorizePage, loginPage, loginSubmit, logout } from './consent-page';
import { htmlResponse, jsonResponse, type EmuRequest, type EmuResponse, type Origin } from './http';
import { legacyRefreshRoute, legacyTokenRoute } from './legacy-token-routes';
import type { OAuthService } from './oauth-service';
import type { EmulatorState } from './state';
import { v2Error } from './v2-errors';
import { slotsRoute } from './slots-route';
import { v2TokenRoute } from './v2-token-route';
import { eventTypeWebhooksRoute, userWebhookRoute, userWebhooksRoute } from './webhook-routes';
import { zapierRoute } from './zapier-routes';

/** Writes may be async: `POST /v2/bookings` waits in the race gap between its checks and its insert. */
type Handler = (state: EmulatorState, oauth: OAuthService, req: EmuRequest, param?: string) => EmuResponse | null | Promise<EmuResponse | null>;

interface Route {
  origin: Origin;
  methods: string[];
  /** Exact path; a `:name` segment matches any one segment and is passed as `param`. */
  path: string;
  handler: Handler;
}

const ROUTES: Route[] = [
  { origin: 'app', methods: ['GET'], path: '/auth/oauth2/authorize', handler: (s, o, r) => authorizePage(s, o, r) },
  { origin: 'app', methods: ['POST'], path: '/auth/oauth2/authorize', handler: (s, o, r) => authorizeDecision(s, o, r) },
  { origin: 'app', methods: ['GET'], path: '/auth/login', handler: (_s, _o, r) => loginPage(r) },
  { origin: 'app', methods: ['POST'], path: '/auth/login', handler: (s, _o, r) => loginSubmit(s, r) },
  { origin: 'app', methods: ['POST', 'GET'], path: '/auth/logout', handler: (s, _o, r) => logout(s, r) },
  { origin: 'app', methods: ['POST'], path: '/api/auth/oauth/token', handler: legacyTokenRoute },
  { origin: 'app', methods: ['POST'], path: '/api/auth/oauth/refreshToken', handler: legacyRefreshRoute },
  { origin: 'app', methods: ['GET', 'POST'], path: '/api/auth/oauth/me', handler: legacyMeRoute },
  { origin: 'app', methods: ['GET', 'POST', 'DELETE', 'PUT', 'PATCH'], path: '/api/integrations/zapier/:id', handler: zapierRoute },
  { origin: 'api', methods: ['POST'], path: '/v2/auth/oauth2/token', handler: v2TokenRoute },
  { origin: 'api', methods: ['GET'], path: '/v2/me', handler: v2MeRoute },
  { origin: 'api', methods: ['GET'], path: '/v2/bookings', handler: bookingsRoute },
  { origin: 'api', methods: ['POST'], path: '/v2/bookings', handler: createBookingRoute },
  { origin: 'api', methods: ['GET'], path: '/v2/bookings/:uid', handler: getBookingRoute },
  { origin: 'api', methods: ['POST'], path: '/v2/bookings/:uid/cancel', handler: cancelBookingRoute },
  { origin: 'api', methods: ['POST'], path: '/v2/bookings/:uid/reschedule', handler: rescheduleBookingRoute },
  { origin: 'api', methods: ['POST'], path: '/v2/bookings/:uid/confirm', handler: confirmBookingRoute },
  { origin: 'api', methods: ['POST'], path: '/v2/bookings/:uid/decline', handler: declineBookingRoute },
  { origin: 'api', methods: ['POST'], path: '/v2/bookings/:uid/mark-absent', handler: markAbsentRoute },
  { origin: 'api', methods: ['POST'], path: '/v2/bookings/:uid/guests', handler: addGuestsRoute },
  { origin: 'api', methods: ['GET'], path: '/v2/slots', handler: slotsRoute },
  { origin: 'api', methods: ['GET'], path: '/v2/event-types', handler: eventTypesRoute },
  { origin: 'api', methods: ['GET'], path: '/v2/event-types/:id', handler: eventTypesRoute },
  { origin: 'api', methods: ['GET', 'POST'], path: '/v2/webhooks', handler: userWebhooksRoute },
  { origin: 'api', methods: ['GET', 'PATCH', 'DELETE'], path: '/v2/webhooks/:id', handler: userWebhookRoute },
  { origin: 'api', methods: ['GET', 'POST', 'DELETE'], path: '/v2/event-types/:id/webhooks', handler: (s, o, r) => eventTypeWebhooksRoute(s, o, r) },
  { origin: 'api', methods: ['GET', 'PATCH', 'DELETE'], path: '/v2/event-types/:id/webhooks/:webhookId', handler: (s, o, r) => eventTypeWebhooksRoute(s, o, r) },
  { origin: 'api', methods: ['GET'], path: '/v2/schedules', handler: schedulesRoute },
  { origin: 'api', methods: ['GET'], path: '/v2/schedules/:id', handler: schedulesRoute },
];

function matchPath(pattern: string, path: string): { matched: boolean; param?: string } {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const want = pattern.split('/');
  const got = trimmed.split('/');
  if (want.length !== got.length) return { matched: false };
  let param: string | undefined;
  for (let i = 0; i < want.length; i += 1) {
    const segment = want[i] as string;
    const actual = got[i] as string;
    if (segment.startsWith(':')) {
      if (actual.length === 0) return { matched: false };
      param = decodeURIComponent(actual);
    } else if (segment !== actual) {
      return { matched: false };
    }
  }
  return param === undefined ? { matched: true } : { matched: true, param };
}

/** Answers a request the way the emulated host would, including its 404/405 pages. */
export async function route(state: EmulatorState, oauth: OAuthService, req: EmuRequest, servedOrigins: readonly Origin[]): Promise<EmuResponse> {
  let pathMatched = false;
  for (const r of ROUTES) {
    if (!servedOrigins.includes(r.origin)) continue;
    const { matched, param } = matchPath(r.path, req.url.pathname);
    if (!matched) continue;
    pathMatched = true;
    if (!r.methods.includes(req.method)) continue;
    const response = await r.handler(state, oauth, req, param);
    // Cal.com's in-process path answers a booking write only after its webhook deliveries (`slow-subscriber`).
    if (response) await state.deliveriesBlockingWrites();
    if (response) return response;
  }
  if (req.url.pathname.startsWith('/v2') && servedOrigins.includes('api')) {
    return v2Error(state, req, 404, 'NotFoundException', `Cannot ${req.method} ${req.url.pathname}`);
  }
  if (pathMatched && req.url.pathname.startsWith('/api/')) {
    return jsonResponse(405, { message: `Method Not Allowed` });
  }
  return htmlResponse(404, '<!doctype html><title>404: This page could not be found.</title><h1>404</h1><p>This page could not be found.</p>');
}

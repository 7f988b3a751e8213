import { legacyMeRoute, v2MeRoute } from './api-auth';
import { bookingsRoute, eventTypesRoute, schedulesRoute } from './api-routes';
import { authorizeDecision, authorizePage, loginPage, loginSubmit, logout } from './consent-page';
import { htmlResponse, jsonResponse, type EmuRequest, type EmuResponse, type Origin } from './http';
import { legacyRefreshRoute, legacyTokenRoute } from './legacy-token-routes';
import type { OAuthService } from './oauth-service';
import type { EmulatorState } from './state';
import { v2Error } from './v2-errors';
import { v2TokenRoute } from './v2-token-route';
import { zapierRoute } from './zapier-routes';

type Handler = (state: EmulatorState, oauth: OAuthService, req: EmuRequest, param?: string) => EmuResponse | null;

interface Route {
  origin: Origin;
  methods: string[];
  /** Exact path, or a prefix ending in `/:param` for one trailing segment. */
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
  { origin: 'api', methods: ['GET'], path: '/v2/event-types', handler: eventTypesRoute },
  { origin: 'api', methods: ['GET'], path: '/v2/event-types/:id', handler: eventTypesRoute },
  { origin: 'api', methods: ['GET'], path: '/v2/schedules', handler: schedulesRoute },
  { origin: 'api', methods: ['GET'], path: '/v2/schedules/:id', handler: schedulesRoute },
];

function matchPath(pattern: string, path: string): { matched: boolean; param?: string } {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (!pattern.endsWith('/:id')) return { matched: pattern === trimmed };
  const prefix = pattern.slice(0, -':id'.length);
  if (!trimmed.startsWith(prefix)) return { matched: false };
  const rest = trimmed.slice(prefix.length);
  return rest.length > 0 && !rest.includes('/') ? { matched: true, param: decodeURIComponent(rest) } : { matched: false };
}

/** Answers a request the way the emulated host would, including its 404/405 pages. */
export function route(state: EmulatorState, oauth: OAuthService, req: EmuRequest, servedOrigins: readonly Origin[]): EmuResponse {
  let pathMatched = false;
  for (const r of ROUTES) {
    if (!servedOrigins.includes(r.origin)) continue;
    const { matched, param } = matchPath(r.path, req.url.pathname);
    if (!matched) continue;
    pathMatched = true;
    if (!r.methods.includes(req.method)) continue;
    const response = r.handler(state, oauth, req, param);
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

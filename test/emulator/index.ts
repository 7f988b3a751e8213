/**
 * A local Cal.com for tests, the demo and end-to-end runs: the OAuth consent page, both token surfaces,
 * `/api/auth/oauth/me` and the API v2 endpoints the integrations use, with eras, a controllable clock,
 * a data generator and faults on demand. It implements Cal.com's behaviour from
 * Cal.com's source (summarised in `shared/CALCOM.md`) on its own and imports nothing from `shared/`, so tests of the
 * core against it are not tautological.
 *
 * ```ts
 * const emulator = await startEmulator({ era: '2026' });
 * const { clientId, clientSecret } = emulator.seeded.clients.legacy;
 * const redirect = emulator.approveHeadless({ clientId, redirectUri, scopes: ['READ_BOOKING'], state: 'xyz' });
 * // … exchange the code at `${emulator.appUrl}/api/auth/oauth/token` …
 * await emulator.close();
 * ```
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { authorizeParamsFrom, decideAuthorize } from './authorize';
import { Clock } from './clock';
import { DeliveryFaults } from './delivery-faults';
import { isEra, type Era } from './eras';
import { Faults } from './faults';
import { Generator } from './generator';
import type { EmuRequest } from './http';
import { OAuthService } from './oauth-service';
import { RateLimiter, type RateLimitOptions } from './rate-limiter';
import { RequestLog, type LoggedRequest } from './request-log';
import { Rng } from './rng';
import { DEFAULT_REDIRECT_URIS, registerClient, seedStore, type ClientCredentials, type ClientRegistration, type SeedSummary } from './seed';
import { EmulatorServer } from './server';
import { EmulatorState } from './state';
import { Store } from './store';
import { WebhookDispatcher, type WebhookDelivery } from './webhooks';

export type { Era } from './eras';
export { ERAS } from './eras';
export type { ActiveFault, FaultKind, FaultSpec } from './faults';
export type { Faults } from './faults';
export type { ActiveDeliveryFault, DeliveryFaultKind, DeliveryFaultSpec, DeliveryFaults } from './delivery-faults';
export { calSignature } from './webhooks';
export type { CreateBookingInput, Generator } from './generator';
export type { LoggedRequest } from './request-log';
export type { WebhookDelivery } from './webhooks';
export type { ClientCredentials, ClientRegistration, SeedSummary, SeededUser } from './seed';
export type { Clock } from './clock';
export type { Store } from './store';
export type { Attendee, Booking, BookingField, BookingStatus, EventType, OAuthClient, Schedule, User } from './types';
export { pkceChallenge } from './oauth-service';
export { decodeJwtUnsafe } from './jwt';
export { DEFAULT_REDIRECT_URIS } from './seed';

export interface EmulatorOptions {
  /** Which Cal.com to emulate. Default `2026`. */
  era?: Era;
  /** Serve app and API routes on one port (appUrl === apiUrl). Default false: two origins, like app.cal.com and api.cal.com. */
  singleOrigin?: boolean;
  /** Loopback address to bind. Default `127.0.0.1`. */
  host?: string;
  /** Ports; 0 (default) picks free ones. */
  appPort?: number;
  apiPort?: number;
  /** Seed of the deterministic data (and of `randomMutation`'s default RNG). Default 1. */
  seed?: number;
  /** Number of seeded bookings. Default 60. */
  bookings?: number;
  /** Initial emulated time. Default 2026-03-02T09:00:00Z. */
  startAt?: Date | string | number;
  /** Let the clock follow real time from `startAt` (for the demo). Default false: frozen. */
  followRealTime?: boolean;
  /** Access-token lifetime. Default 1800 s. */
  accessTokenTtlSeconds?: number;
  /** Refresh-token lifetime. Default 30 days. */
  refreshTokenTtlSeconds?: number;
  /** Authorization-code lifetime. Default 600 s. */
  codeTtlSeconds?: number;
  /** HS256 key (Cal.com's CALENDSO_ENCRYPTION_KEY). Default: random per start. */
  signingKey?: string;
  /** Pre-sign-in the consent page as this user id (skips the login form). Default: none. */
  signedInUserId?: number;
  /** Password of the seeded users. Default `calcom-emulator`. */
  userPassword?: string;
  /** Redirect URIs of the seeded clients (at most 10). Default {@link DEFAULT_REDIRECT_URIS}. */
  redirectUris?: string[];
  /** API v2 throttler limits. */
  rateLimit?: RateLimitOptions;
  /** v2 token endpoint errors: `flat` (default) or `wrapped` in the global envelope. */
  v2ErrorStyle?: 'flat' | 'wrapped';
  /** `GET /v2/event-types` requires EVENT_TYPE_READ (default true) or has no decorator (false, as at M-2512). */
  eventTypesRequireScope?: boolean;
  /**
   * Accept `http://127.0.0.1`-style subscriber URLs on `/v2/webhooks` and event-type webhooks (tests and the
   * demo). Default false: Cal.com's rule, HTTPS to public hosts only. Deliveries go to loopback URLs only either way.
   */
  allowLoopbackWebhooks?: boolean;
}

export interface MintTokensInput {
  clientId: string;
  /** Default 1 (alice). */
  userId?: number;
  /** Default []. */
  scopes?: string[];
}

export interface MintedTokenSet {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  expires_in: number;
}

export interface ApproveInput {
  clientId: string;
  redirectUri: string;
  scopes?: string[];
  /** Omit only to reproduce Cal.com's behaviour without state. */
  state?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  /** The signed-in user. Default 1 (alice). */
  userId?: number;
  /** Default 'allow'. */
  decision?: 'allow' | 'deny';
}

/** A running emulator. */
export interface Emulator {
  /** Origin of the web app (consent page, `/api/auth/oauth/*`), e.g. `http://127.0.0.1:41234`. */
  readonly appUrl: string;
  /** Origin of API v2 (`/v2/*`). Equal to `appUrl` with `singleOrigin`. */
  readonly apiUrl: string;
  readonly clock: Clock;
  readonly store: Store;
  readonly generator: Generator;
  readonly faults: Faults;
  /** Faults of webhook deliveries (drop, duplicate, delay, reorder, wrong signature, slow subscriber, late meeting-ended). */
  readonly deliveryFaults: DeliveryFaults;
  /** Users and client credentials created by the seed. */
  readonly seeded: SeedSummary;
  /** The era now emulated. */
  readonly era: Era;
  /** Switches era at run time (tokens and data are kept). */
  setEra(era: Era): void;
  /** Adds an OAuth client; returns its credentials (the secret is shown once, like Cal.com). */
  registerClient(registration: ClientRegistration): ClientCredentials;
  /**
   * Mints tokens as a code exchange would, without the browser (the same rotation bookkeeping: in 2026 the
   * refresh token gets a live row). Scopes are stored as given.
   */
  mintTokens(input: MintTokensInput): MintedTokenSet;
  /**
   * The URL the consent page's Allow (or Go back) button would send the browser to — through the same code
   * path as the page. Page errors (unknown client, unregistered redirect URI, unapproved client) throw.
   */
  approveHeadless(input: ApproveInput): string;
  /** The authorize URL a client would open, for the browser tests and the demo. */
  authorizeUrl(params: Record<string, string>): string;
  /**
   * The delivery log: every delivery to a Zapier subscription or an API v2 webhook caused by a generator change
   * or an API write, with its body, signature, fault and outcome. Only loopback subscriber URLs are called;
   * others are recorded as `skipped`.
   */
  webhookDeliveries(): WebhookDelivery[];
  /**
   * Waits until every webhook delivery so far has finished (delayed ones when due, `reorder`-held ones last).
   * Throws after `timeoutMs` (default 30 s), naming what is still pending.
   */
  settleWebhooks(timeoutMs?: number): Promise<void>;
  /** Sends every delayed or held delivery now and waits for all deliveries to finish (same time-out). */
  flushWebhooks(timeoutMs?: number): Promise<void>;
  /**
   * Bookings (any status) whose attendees include `attendeeEmail` (case-insensitive) and that start at
   * `start`: the double-booking check of the action tests and soaks.
   */
  countBookings(query: { attendeeEmail: string; start: Date | string | number; eventTypeId?: number }): number;
  /**
   * Arms the race of `POST /v2/bookings`: the next `count` creates that pass their checks wait for each other
   * before inserting, so all but the first meet the unique idempotency key (409). Released after `timeoutMs`.
   */
  holdConcurrentCreates(count: number, timeoutMs?: number): void;
  /** Every request so far, credentials masked. */
  requestLog(): LoggedRequest[];
  clearRequestLog(): void;
  /** Stops listening and destroys every socket, including ones held by `timeout` faults; pending deliveries are aborted. */
  close(): Promise<void>;
}

/** Starts an emulator on free loopback ports. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const era = options.era ?? '2026';
  if (!isEra(era)) throw new Error(`startEmulator: unknown era ${String(era)}`);
  const clock = new Clock(options.startAt !== undefined ? new Date(options.startAt) : undefined);
  const store = new Store();
  const state = new EmulatorState(store, clock, era, {
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 1800,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 30 * 24 * 60 * 60,
    codeTtlSeconds: options.codeTtlSeconds ?? 600,
    signingKey: options.signingKey ?? randomBytes(32).toString('hex'),
    signedInUserId: options.signedInUserId ?? null,
    v2ErrorStyle: options.v2ErrorStyle ?? 'flat',
    eventTypesRequireScope: options.eventTypesRequireScope ?? true,
    allowLoopbackWebhooks: options.allowLoopbackWebhooks ?? false,
  }, new RateLimiter(clock, options.rateLimit));
  const seed = options.seed ?? 1;
  const seeded = seedStore(store, {
    seed, bookings: options.bookings ?? 60, userPassword: options.userPassword ?? 'calcom-emulator',
    redirectUris: options.redirectUris ?? DEFAULT_REDIRECT_URIS, now: clock.now(),
  });
  const generator = new Generator(store, clock, new Rng(seed + 1));
  const deliveryFaults = new DeliveryFaults(new Rng(seed + 2));
  const webhooks = new WebhookDispatcher(store, clock, deliveryFaults, state.blockingDeliveries);
  generator.onChange = (trigger, booking) => webhooks.dispatch(trigger, booking);
  state.onBookingChange = (trigger, booking) => webhooks.dispatch(trigger, booking);
  const oauth = new OAuthService(state);
  const faults = new Faults();
  const log = new RequestLog();
  const mutateAfterPage = (_req: EmuRequest, servedUids: string[]): void => {
    const first = servedUids[0] ? store.bookings.get(servedUids[0]) : undefined;
    if (first) {
      first.metadata = { ...first.metadata, touched: String(clock.now()) };
      first.updatedAt = clock.now();
    }
    generator.createBooking({ userId: first?.userId ?? 1 });
  };
  const deps = { state, oauth, faults, log, mutateAfterPage };
  const host = options.host ?? '127.0.0.1';
  const servers: EmulatorServer[] = [];
  let appUrl: string;
  let apiUrl: string;
  try {
    if (options.singleOrigin) {
      const both = new EmulatorServer(deps, ['app', 'api']);
      servers.push(both);
      appUrl = await both.listen(options.appPort ?? 0, host);
      apiUrl = appUrl;
    } else {
      const app = new EmulatorServer(deps, ['app']);
      const api = new EmulatorServer(deps, ['api']);
      servers.push(app, api);
      [appUrl, apiUrl] = await Promise.all([app.listen(options.appPort ?? 0, host), api.listen(options.apiPort ?? 0, host)]);
    }
  } catch (err) {
    await Promise.all(servers.map((s) => s.close()));
    throw err;
  }
  if (options.followRealTime) clock.followRealTime(true);

  return {
    appUrl, apiUrl, clock, store, generator, faults, deliveryFaults, seeded,
    get era() { return state.era; },
    setEra(next: Era) {
      if (!isEra(next)) throw new Error(`setEra: unknown era ${String(next)}`);
      state.era = next;
    },
    registerClient: (registration) => registerClient(store, registration),
    mintTokens(input) {
      if (!store.clients.has(input.clientId)) throw new Error(`mintTokens: unknown client ${input.clientId}`);
      if (!store.users.has(input.userId ?? 1)) throw new Error(`mintTokens: unknown user ${String(input.userId)}`);
      const tokens = oauth.mint({ clientId: input.clientId, userId: input.userId ?? 1, teamId: null, scopes: input.scopes ?? [], rotate: false });
      return { access_token: tokens.accessToken, refresh_token: tokens.refreshToken, token_type: 'bearer', expires_in: tokens.expiresIn };
    },
    approveHeadless(input) {
      const user = store.user(input.userId ?? 1);
      const query = new URLSearchParams({ client_id: input.clientId, redirect_uri: input.redirectUri });
      if (input.state !== undefined) query.set('state', input.state);
      if (input.scopes && input.scopes.length > 0) query.set('scope', input.scopes.join(','));
      if (input.codeChallenge !== undefined) query.set('code_challenge', input.codeChallenge);
      if (input.codeChallengeMethod !== undefined) query.set('code_challenge_method', input.codeChallengeMethod);
      const outcome = decideAuthorize(state, oauth, authorizeParamsFrom(query), user, input.decision ?? 'allow');
      if (outcome.kind === 'redirect') return outcome.location;
      throw new Error(`approveHeadless: the consent page would show ${outcome.kind === 'page-error' ? `"${outcome.message}"` : 'a blank page'} instead of redirecting`);
    },
    authorizeUrl(params) {
      return `${appUrl}/auth/oauth2/authorize?${new URLSearchParams(params).toString()}`;
    },
    webhookDeliveries: () => webhooks.deliveries(),
    settleWebhooks: (timeoutMs) => webhooks.settle(timeoutMs),
    flushWebhooks: (timeoutMs) => webhooks.flush(timeoutMs),
    countBookings(query) {
      const start = new Date(query.start).getTime();
      const email = query.attendeeEmail.toLowerCase();
      return [...store.bookings.values()].filter((b) => b.start === start
        && (query.eventTypeId === undefined || b.eventTypeId === query.eventTypeId)
        && b.attendees.some((a) => a.email.toLowerCase() === email)).length;
    },
    holdConcurrentCreates: (count, timeoutMs) => state.createRace.arm(count, timeoutMs),
    requestLog: () => log.all(),
    clearRequestLog: () => log.clear(),
    async close() {
      clock.followRealTime(false);
      state.createRace.release();
      const deliveriesClosed = webhooks.close();
      await Promise.all(servers.map((s) => s.close()));
      await deliveriesClosed;
    },
  };
}

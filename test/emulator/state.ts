import type { Clock } from './clock';
import { eraBehaviour, type Era, type EraBehaviour } from './eras';
import { CreateRace } from './create-race';
import { RateLimiter } from './rate-limiter';
import type { Store } from './store';
import type { Booking } from './types';

/** Settings fixed at start (eras can still change at run time). */
export interface EmulatorSettings {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  codeTtlSeconds: number;
  signingKey: string;
  /** Treat every browser as signed in as this user (no login form). */
  signedInUserId: number | null;
  /** v2 token endpoint error shape: `flat` `{error, error_description}` or the `wrapped` global envelope. */
  v2ErrorStyle: 'flat' | 'wrapped';
  /**
   * `GET /v2/event-types` scope: `EVENT_TYPE_READ` as the docs say (true), or no decorator as in M-2512
   * (false), which makes the 2026 guard refuse every new-scope token.
   */
  eventTypesRequireScope: boolean;
  /** Let webhooks point at http://127.0.0.1 (tests); Cal.com itself allows only HTTPS public hosts. */
  allowLoopbackWebhooks: boolean;
}

/** Everything a route handler needs: data, time, era, settings and the stateful helpers. */
export class EmulatorState {
  private currentEra: Era;
  private currentBehaviour: EraBehaviour;
  /** Browser sessions of the consent page: cookie value → user id. */
  readonly sessions = new Map<string, number>();
  /** Told about every booking write through the API, with Cal.com's webhook trigger name. */
  onBookingChange: ((trigger: string, booking: Booking) => void) | null = null;
  /** The availability-check-to-insert gap of `POST /v2/bookings`, for producing the 409 race. */
  readonly createRace = new CreateRace();
  private guestsThrottle: RateLimiter | null = null;
  /** Deliveries the current write must wait for before it answers (the `slow-subscriber` delivery fault). */
  readonly blockingDeliveries = new Set<Promise<void>>();

  constructor(
    readonly store: Store,
    readonly clock: Clock,
    era: Era,
    readonly settings: EmulatorSettings,
    readonly rateLimiter: RateLimiter,
  ) {
    this.currentEra = era;
    this.currentBehaviour = eraBehaviour(era);
  }

  get era(): Era {
    return this.currentEra;
  }

  set era(era: Era) {
    this.currentEra = era;
    this.currentBehaviour = eraBehaviour(era);
  }

  get behaviour(): EraBehaviour {
    return this.currentBehaviour;
  }

  /** Resolves once every delivery a write must wait for has finished. */
  async deliveriesBlockingWrites(): Promise<void> {
    while (this.blockingDeliveries.size > 0) await Promise.all([...this.blockingDeliveries]);
  }

  /** `@Throttle` on add guests: its own bucket of 5 requests per minute per token (shared/CALCOM.md §17). */
  get guestsRateLimiter(): RateLimiter {
    this.guestsThrottle ??= new RateLimiter(this.clock, { accessToken: 5, ip: 5, ttlSeconds: 60, blockSeconds: 60 });
    return this.guestsThrottle;
  }
}

import type { Clock } from './clock';
import { eraBehaviour, type Era, type EraBehaviour } from './eras';
import type { RateLimiter } from './rate-limiter';
import type { Store } from './store';

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
}

/** Everything a route handler needs: data, time, era, settings and the stateful helpers. */
export class EmulatorState {
  private currentEra: Era;
  private currentBehaviour: EraBehaviour;
  /** Browser sessions of the consent page: cookie value → user id. */
  readonly sessions = new Map<string, number>();

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
}

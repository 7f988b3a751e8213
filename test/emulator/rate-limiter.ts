import { createHash } from 'node:crypto';
import type { Clock } from './clock';

/** Limits of API v2's throttler (shared/CALCOM.md §14). */
export interface RateLimitOptions {
  /** Requests per window for a Bearer access token. Default 500. */
  accessToken?: number;
  /** Requests per window for callers without a Bearer token (tracked by IP). Default 120. */
  ip?: number;
  /** Window length. Default 60 s. */
  ttlSeconds?: number;
  /** How long a tracker stays blocked once over the limit. Default 60 s. */
  blockSeconds?: number;
}

export interface RateDecision {
  limit: number;
  remaining: number;
  /** Seconds until the window (or the block) ends: the `X-RateLimit-Reset-Default` value. */
  resetSeconds: number;
  blocked: boolean;
}

interface Tracker {
  hits: number;
  windowEndsAt: number;
  blockedUntil: number | null;
}

/**
 * NestJS-throttler semantics as Cal.com configures them: one bucket per tracker key, hits counted in a
 * fixed window, and going over the limit blocks the tracker for `blockSeconds`. Every access token is its
 * own tracker, so a refreshed token starts with a fresh bucket.
 */
export class RateLimiter {
  private readonly trackers = new Map<string, Tracker>();
  private readonly accessTokenLimit: number;
  private readonly ipLimit: number;
  private readonly ttlMs: number;
  private readonly blockMs: number;

  constructor(private readonly clock: Clock, options: RateLimitOptions = {}) {
    this.accessTokenLimit = options.accessToken ?? 500;
    this.ipLimit = options.ip ?? 120;
    this.ttlMs = (options.ttlSeconds ?? 60) * 1000;
    this.blockMs = (options.blockSeconds ?? 60) * 1000;
  }

  hit(bearer: string | undefined, ip: string): RateDecision {
    const key = bearer ? `access_token_${createHash('sha256').update(bearer).digest('hex')}` : `ip_${ip}`;
    const limit = bearer ? this.accessTokenLimit : this.ipLimit;
    const now = this.clock.now();
    let tracker = this.trackers.get(key);
    if (tracker && tracker.blockedUntil !== null && tracker.blockedUntil <= now) tracker = undefined;
    if (tracker && tracker.blockedUntil === null && tracker.windowEndsAt <= now) tracker = undefined;
    if (!tracker) {
      tracker = { hits: 0, windowEndsAt: now + this.ttlMs, blockedUntil: null };
      this.trackers.set(key, tracker);
    }
    tracker.hits += 1;
    if (tracker.blockedUntil === null && tracker.hits > limit) tracker.blockedUntil = now + this.blockMs;
    const blocked = tracker.blockedUntil !== null;
    const endsAt = blocked ? (tracker.blockedUntil as number) : tracker.windowEndsAt;
    return {
      limit,
      remaining: Math.max(0, limit - tracker.hits),
      resetSeconds: Math.max(0, Math.ceil((endsAt - now) / 1000)),
      blocked,
    };
  }

  reset(): void {
    this.trackers.clear();
  }
}

export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  return {
    'x-ratelimit-limit-default': String(decision.limit),
    'x-ratelimit-remaining-default': String(decision.remaining),
    'x-ratelimit-reset-default': String(decision.resetSeconds),
  };
}

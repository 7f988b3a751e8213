import { FaultBook } from './fault-book';
import type { EmuRequest, Origin } from './http';

/**
 * What can go wrong on the wire:
 * - `status`: answer 429/500/502/503 instead of the route (the route does not run: on a write, nothing is
 *   committed, the "5xx before commit"). A 429 carries Cal.com's ThrottlerException envelope and rate-limit headers.
 * - `timeout-after-commit`: run the route (a write is committed), then never answer, like `timeout`.
 * - `reset-after-commit`: run the route (a write is committed), then destroy the connection without a byte.
 * - `status-after-commit`: run the route (a write is committed), then answer `status` (500/502/503) instead,
 *   as a gateway that lost the upstream answer would.
 * - `slow`: wait `delayMs`, then answer normally.
 * - `timeout`: never answer; the socket stays open until the client gives up (or the emulator closes).
 * - `malformed-json`: run the route (side effects happen) and send a body that is not valid JSON.
 * - `html-error`: a proxy's HTML error page (status `status`, default 502); the route does not run.
 * - `truncated`: run the route, announce the full Content-Length, send half, then cut the connection.
 * - `mutate-between-pages`: answer normally, then change the data the page showed (bump the first served
 *   booking's `updatedAt` and create a new booking), so the next page request sees shifted items.
 */
export type FaultKind =
  | 'status' | 'slow' | 'timeout' | 'malformed-json' | 'html-error' | 'truncated' | 'mutate-between-pages'
  | 'timeout-after-commit' | 'reset-after-commit' | 'status-after-commit';

export interface FaultSpec {
  kind: FaultKind;
  /** A path prefix (matched against the pathname) or a RegExp (matched against pathname + query). Default: all. */
  match?: string | RegExp;
  /** Only requests with this method (e.g. `POST`, so a write fault leaves the polling reads alone). Default: any. */
  method?: string;
  /** Only on this origin. Default: both. */
  origin?: Origin;
  /** For `status` and `status-after-commit` (required) and `html-error` (default 502). */
  status?: 429 | 500 | 502 | 503;
  /** How many matching requests it affects. Default 1; `Infinity` for all. */
  times?: number;
  /** For `slow`: the delay. Default 2000 ms. */
  delayMs?: number;
}

export interface ActiveFault {
  readonly id: number;
  readonly spec: Readonly<FaultSpec>;
  /** Matching requests it will still affect. */
  readonly remaining: number;
  /** How many requests it has affected. */
  readonly hits: number;
  remove(): void;
}

/** Faults injected on demand; each request consumes at most one (the oldest that matches). */
export class Faults {
  private readonly book = new FaultBook<FaultSpec>('faults');

  inject(spec: FaultSpec): ActiveFault {
    if (spec.kind === 'status' && ![429, 500, 502, 503].includes(spec.status ?? 0)) {
      throw new Error("faults.inject: kind 'status' needs status 429, 500, 502 or 503");
    }
    if (spec.kind === 'status-after-commit' && ![500, 502, 503].includes(spec.status ?? 0)) {
      throw new Error("faults.inject: kind 'status-after-commit' needs status 500, 502 or 503");
    }
    return this.book.arm(spec);
  }

  clear(): void {
    this.book.clear();
  }

  /** Faults still armed. */
  list(): Array<{ id: number; spec: FaultSpec; remaining: number; hits: number }> {
    return this.book.list();
  }

  /** The fault this request triggers, if any (consumed). */
  take(req: EmuRequest): FaultSpec | undefined {
    const pathAndQuery = req.url.pathname + req.url.search;
    return this.book.take((spec) => {
      if (spec.origin && spec.origin !== req.origin) return false;
      if (spec.method && spec.method.toUpperCase() !== req.method) return false;
      const match = spec.match;
      if (match === undefined) return true;
      return typeof match === 'string' ? req.url.pathname.startsWith(match) : match.test(pathAndQuery);
    });
  }
}

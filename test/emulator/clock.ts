/**
 * The emulator's only source of time. Token expiry, code expiry, booking timestamps, "past" versus
 * "upcoming", rate-limit windows and the HTTP `Date` header all read it, so a test can make a token
 * expire or a meeting end by advancing it instead of waiting.
 *
 * It never goes backwards: Cal.com's clock does not either, and polling clients are entitled to assume
 * that `updatedAt` values they have seen are not overtaken by earlier ones.
 */
export class Clock {
  private frozenAt: number;
  /** When following real time: the real `Date.now()` at which `frozenAt` was last anchored. */
  private realAnchor: number | null = null;

  constructor(start: Date | number = Date.UTC(2026, 2, 2, 9, 0, 0)) {
    this.frozenAt = typeof start === 'number' ? start : start.getTime();
    if (!Number.isFinite(this.frozenAt)) throw new Error('Clock: invalid start date');
  }

  /** Milliseconds since the epoch, emulated. */
  now(): number {
    if (this.realAnchor === null) return this.frozenAt;
    return this.frozenAt + Math.max(0, Date.now() - this.realAnchor);
  }

  /** The emulated current time as a Date. */
  date(): Date {
    return new Date(this.now());
  }

  /** ISO-8601 with milliseconds, as Cal.com prints timestamps. */
  iso(): string {
    return this.date().toISOString();
  }

  /** Whole seconds since the epoch, as JWT `iat`/`exp` use. */
  epochSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Moves the clock forward by `seconds` (fractions allowed). */
  advance(seconds: number): Date {
    if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`Clock.advance: seconds must be >= 0, got ${seconds}`);
    this.reanchor();
    this.frozenAt += Math.round(seconds * 1000);
    return this.date();
  }

  /** Jumps to `date`, which must not be earlier than now. */
  set(date: Date | string | number): Date {
    const target = new Date(date).getTime();
    if (!Number.isFinite(target)) throw new Error('Clock.set: invalid date');
    const current = this.now();
    if (target < current) {
      throw new Error(`Clock.set: the clock is monotonic; ${new Date(target).toISOString()} is before ${new Date(current).toISOString()}`);
    }
    this.reanchor();
    this.frozenAt = target;
    return this.date();
  }

  /**
   * Follow real time (true) from the current emulated instant, or freeze (false). The demo follows
   * real time so tokens age naturally; tests keep the clock frozen so results are reproducible.
   */
  followRealTime(follow: boolean): void {
    this.frozenAt = this.now();
    this.realAnchor = follow ? Date.now() : null;
  }

  get followingRealTime(): boolean {
    return this.realAnchor !== null;
  }

  private reanchor(): void {
    if (this.realAnchor === null) return;
    this.frozenAt = this.now();
    this.realAnchor = Date.now();
  }
}

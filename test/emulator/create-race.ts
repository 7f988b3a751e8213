/**
 * The gap between Cal.com's availability check and its insert. Armed for `count` creates, each one that
 * passed its checks waits here until all `count` have arrived, then they commit one after another, so the
 * later ones meet the unique `idempotencyKey` of the first: the 409 of a true race
 * (`packages/prisma/extensions/booking-idempotency-key.ts`, `apps/api/v2/src/filters/prisma-exception.filter.ts`).
 */
export class CreateRace {
  private armedFor = 0;
  private waiting: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;

  /** The next `count` creates meet in the gap; released anyway after `timeoutMs` so a test cannot hang. */
  arm(count: number, timeoutMs = 5000): void {
    if (!(count >= 2)) throw new Error('holdConcurrentCreates: count must be at least 2');
    this.release();
    this.armedFor = count;
    this.timer = setTimeout(() => this.release(), timeoutMs);
    this.timer.unref();
  }

  get armed(): boolean {
    return this.armedFor > 0;
  }

  /** Resolves at once when unarmed. */
  gap(): Promise<void> {
    if (this.armedFor <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (this.waiting.length >= this.armedFor) this.release();
    });
  }

  release(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = 0;
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
}

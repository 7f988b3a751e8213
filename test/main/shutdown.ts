/**
 * Clean stops on Ctrl-C and SIGTERM: the first signal aborts the run and closes what it opened
 * (emulator, redirect listener, timers) in reverse order; a second signal exits at once.
 */

/** Signals closer together than this are copies of one Ctrl-C. */
const DUPLICATE_SIGNAL_WINDOW_MS = 1500;

export class Shutdown {
  private readonly controller = new AbortController();
  private readonly cleanups: (() => Promise<void> | void)[] = [];
  private closing: Promise<void> | undefined;
  private firstSignalAt = 0;

  /** Aborted when a stop was requested. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get requested(): boolean {
    return this.controller.signal.aborted;
  }

  /** Registers something to close on stop; runs in reverse registration order. */
  add(cleanup: () => Promise<void> | void): void {
    this.cleanups.push(cleanup);
  }

  /** Asks the run to stop (from a signal, or a test). */
  request(reason = 'stop requested'): void {
    if (!this.controller.signal.aborted) this.controller.abort(new Error(reason));
  }

  /** Runs every cleanup once, even when some fail. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const cleanup of [...this.cleanups].reverse()) {
        try {
          await cleanup();
        } catch {
          // Keep closing the rest: a half-closed run would leave a port behind.
        }
      }
    })();
    return this.closing;
  }

  /** Listens for SIGINT/SIGTERM on `process` for the rest of its life. */
  install(onFirstSignal: (signal: NodeJS.Signals) => void): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const handler = (): void => {
        if (this.requested) {
          // Ctrl-C reaches every process of the terminal's group, and npm, the toolchain runner and
          // tsx each forward it too: copies arriving together are one request, not an insistence.
          if (Date.now() - this.firstSignalAt < DUPLICATE_SIGNAL_WINDOW_MS) return;
          process.exit(signal === 'SIGINT' ? 130 : 143);
        }
        this.firstSignalAt = Date.now();
        onFirstSignal(signal);
        this.request(`${signal} received`);
      };
      process.on(signal, handler);
    }
  }
}

/** Resolves after `ms`, or early (without error) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

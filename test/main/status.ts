/** The demo's running totals and the one-line summary printed after every poll round. */

export interface DemoCounters {
  /** Poll rounds completed (each round polls every trigger of both adapters). */
  polls: number;
  /** Requests the emulator received from the adapters. */
  requests: number;
  /** Events printed, per adapter. */
  events: { zapier: number; n8n: number };
  refreshes: number;
  rateLimitWaits: number;
  /** Events the instant triggers emitted from Cal.com's pushes, per adapter. */
  instant: { zapier: number; n8n: number };
  /** Forged calls the instant triggers refused. */
  forgedRefused: number;
  /** Events n8n's reconciliation emitted because Cal.com's delivery never came. */
  reconciled: number;
  /** Wall-clock time from each booking change to the instant event, in ms. */
  instantLatenciesMs: number[];
}

export function emptyCounters(): DemoCounters {
  return { polls: 0, requests: 0, events: { zapier: 0, n8n: 0 }, refreshes: 0, rateLimitWaits: 0, instant: { zapier: 0, n8n: 0 }, forgedRefused: 0, reconciled: 0, instantLatenciesMs: [] };
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** `instant median 9 ms vs polling every 3 s`: the two paths' delays side by side. */
export function renderLatency(counters: DemoCounters, pollSeconds: number): string {
  const middle = median(counters.instantLatenciesMs);
  return `instant median ${middle === undefined ? '–' : `${Math.round(middle)} ms`} vs polling every ${pollSeconds} s`;
}

/**
 * `polls 3 · requests 41 · events zapier 7 / n8n 7 · refreshes 1 · 429 waits 1 · instant zapier 5 / n8n 5 ·
 * forged refused 2 · reconciled 1 · instant median 9 ms vs polling every 3 s · next poll in 3 s`
 */
export function renderStatus(counters: DemoCounters, nextPollSeconds?: number, pollSeconds?: number): string {
  const parts = [
    `polls ${counters.polls}`,
    `requests ${counters.requests}`,
    `events zapier ${counters.events.zapier} / n8n ${counters.events.n8n}`,
    `refreshes ${counters.refreshes}`,
    `429 waits ${counters.rateLimitWaits}`,
    `instant zapier ${counters.instant.zapier} / n8n ${counters.instant.n8n}`,
    `forged refused ${counters.forgedRefused}`,
    `reconciled ${counters.reconciled}`,
  ];
  const interval = pollSeconds ?? nextPollSeconds;
  if (interval !== undefined) parts.push(renderLatency(counters, interval));
  if (nextPollSeconds !== undefined) parts.push(`next poll in ${nextPollSeconds} s`);
  return parts.join(' · ');
}

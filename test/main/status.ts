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
}

export function emptyCounters(): DemoCounters {
  return { polls: 0, requests: 0, events: { zapier: 0, n8n: 0 }, refreshes: 0, rateLimitWaits: 0 };
}

/** `polls 3 · requests 41 · events zapier 7 / n8n 7 · refreshes 1 · 429 waits 1 · next poll in 3 s` */
export function renderStatus(counters: DemoCounters, nextPollSeconds?: number): string {
  const parts = [
    `polls ${counters.polls}`,
    `requests ${counters.requests}`,
    `events zapier ${counters.events.zapier} / n8n ${counters.events.n8n}`,
    `refreshes ${counters.refreshes}`,
    `429 waits ${counters.rateLimitWaits}`,
  ];
  if (nextPollSeconds !== undefined) parts.push(`next poll in ${nextPollSeconds} s`);
  return parts.join(' · ');
}

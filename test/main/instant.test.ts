/**
 * `npm start -- --once`, the instant path: both platforms' instant triggers receive the emulator's
 * signed pushes next to the polling triggers, each with the same ids as polling; one forged call to
 * each is refused; a delivery Cal.com drops is emitted exactly once by n8n's reconciliation and
 * reported by Zapier's polling trigger (a hook trigger has no reconciliation); no webhook secret is printed.
 */
import { ONCE_REQUIRED_INSTANT_EVENTS, type DemoResult } from './demo';
import { runOnceCapturing } from './once-run';
import { emptyCounters, median, renderStatus } from './status';

let result: DemoResult;
let output: string;
let secrets: string[];

beforeAll(async () => {
  ({ result, output, secrets } = await runOnceCapturing());
}, 60_000);

const lines = (): string[] => output.split('\n');
const ADAPTERS = ['zapier', 'n8n'] as const;
const uidIn = (line: string): string | undefined => /· uid (\S+)…/.exec(line)?.[1];

describe('npm start -- --once: instant delivery next to polling', () => {
  it('subscribes the instant triggers of both platforms before the first booking change', () => {
    const firstChange = lines().findIndex((line) => /demo +Cal\.com: .* booked/.test(line));
    const zaps = lines().findIndex((line) => /zapier +⚡ 6 instant Zaps turned on: performSubscribe gave Cal\.com a hook URL each/.test(line));
    const workflows = lines().findIndex((line) => /n8n +⚡ 6 instant workflows activated: webhookMethods created a Cal\.com webhook each/.test(line));
    expect(zaps).toBeGreaterThan(0);
    expect(workflows).toBeGreaterThan(0);
    expect(firstChange).toBeGreaterThan(Math.max(zaps, workflows));
  });

  it.each(ADAPTERS)('pushes every instant event kind through %s with its latency, each once', (adapter) => {
    const pushed = result.instantEvents.filter((event) => event.adapter === adapter && event.via === 'webhook');
    for (const kind of ONCE_REQUIRED_INSTANT_EVENTS) {
      expect({ kind, pushed: pushed.some((event) => event.event === kind) }).toEqual({ kind, pushed: true });
      expect(output).toMatch(new RegExp(`^\\S+ ${adapter} +⚡ ${kind} +".* · \\d+ ms after the change$`, 'm'));
    }
    const keys = result.instantEvents.filter((event) => event.adapter === adapter).map((event) => `${event.event} ${event.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(output).not.toMatch(/DUPLICATE/);
    expect(result.counters.instant[adapter]).toBe(pushed.length);
    expect(result.counters.instantLatenciesMs).toHaveLength(result.counters.instant.zapier + result.counters.instant.n8n);
  });

  // Zapier dedupes on the item id, so the ids must agree; an n8n item has no event id, only its booking's uid.
  it.each(ADAPTERS)('gives %s the same events on the instant path as its polling trigger for the same changes', (adapter) => {
    const ids = (kind: string, path: 'polling' | 'instant') =>
      (path === 'polling' ? result.events : result.instantEvents)
        .filter((event) => event.adapter === adapter && event.event === kind)
        .map((event) => (adapter === 'zapier' ? event.id : uidIn(event.summary)))
        .sort();
    for (const kind of ['booking_created', 'booking_requested', 'booking_rejected', 'booking_rescheduled', 'booking_cancelled']) {
      const instant = ids(kind, 'instant');
      const dropped = kind === 'booking_cancelled' && adapter === 'zapier' ? ids(kind, 'polling').filter((id) => !instant.includes(id)) : [];
      expect({ kind, ids: [...instant, ...dropped].sort() }).toEqual({ kind, ids: ids(kind, 'polling') });
    }
  });

  it('refuses one forged call on each platform, and nothing runs for it', () => {
    const refusals = lines().filter((line) => /⚡ forged call refused \(401\), nothing ran: .*does not match its body/.test(line));
    expect(refusals.map((line) => /^\S+ (\S+)/.exec(line)?.[1])).toEqual(['zapier', 'n8n']);
    expect(result.counters.forgedRefused).toBe(2);
    expect(result.instantEvents.some((event) => event.summary.includes('Free money'))).toBe(false);
  });

  it('shows a dropped delivery reconciled exactly once by n8n, and reported by Zapier\'s polling trigger', () => {
    const drops = lines().filter((line) => /demo +! Cal\.com dropped its BOOKING_CANCELLED delivery for booking \S+… to (Zapier|n8n) \(never sent, and Cal\.com does not retry\)/.test(line));
    expect(drops).toHaveLength(2);
    const dropped = [...new Set(drops.map((line) => /for booking (\S+)…/.exec(line)?.[1]))];
    // One booking change, dropped on its way to both platforms.
    expect(dropped).toHaveLength(1);
    const [uid] = dropped;
    expect(uid).toMatch(/^\S{8}$/);
    expect(output).toMatch(/zapier +⚡ a Zapier hook trigger has no reconciliation: the instant Zap never sees this change; the polling "booking_cancelled" Zap reports it/);

    const reconciled = result.instantEvents.filter((event) => event.via === 'reconciled');
    expect(reconciled.map((event) => [event.adapter, event.event, uidIn(event.summary)])).toEqual([['n8n', 'booking_cancelled', uid]]);
    expect(lines().filter((line) => / reconciled: Cal\.com never delivered it/.test(line))).toHaveLength(1);
    expect(result.counters.reconciled).toBe(1);
    // The instant path of each platform never saw it pushed.
    expect(result.instantEvents.filter((event) => event.via === 'webhook' && event.event === 'booking_cancelled' && uidIn(event.summary) === uid)).toEqual([]);

    const polledByZapier = result.events.filter((event) => event.adapter === 'zapier' && event.event === 'booking_cancelled' && uidIn(event.summary) === uid);
    expect(polledByZapier).toHaveLength(1);
    expect(output).toMatch(new RegExp(`zapier +✔ the polling "booking_cancelled" trigger reported booking ${uid}…, whose instant delivery Cal\\.com dropped`));
  });

  it('counts instant deliveries, forged refusals, reconciliations and the median latency in the status line and the summary', () => {
    expect(output).toMatch(/status polls 1 · .* · 429 waits 0 · instant zapier [1-9]\d* \/ n8n [1-9]\d* · forged refused 0 · reconciled 0 · instant median \d+ ms vs polling every 3 s$/m);
    const last = lines().filter((line) => /^\S+ status /.test(line)).pop() ?? '';
    const { instant, forgedRefused, reconciled } = result.counters;
    expect(last).toContain(`instant zapier ${instant.zapier} / n8n ${instant.n8n} · forged refused ${forgedRefused} · reconciled ${reconciled} · instant median `);
    expect(output).toMatch(new RegExp(`demo +✔ Instant: ${instant.zapier} Zapier / ${instant.n8n} n8n events pushed, instant median \\d+ ms vs polling every 3 s; 2 forged calls refused; the dropped booking_cancelled reconciled once by n8n`));
  });

  it('prints no webhook secret, and nothing of Zapier\'s task log', () => {
    // The OAuth secrets of once.test.ts plus the 12 webhook secrets (6 Zaps, 6 workflows).
    expect(secrets.length).toBeGreaterThanOrEqual(22);
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/Dropped a repeated Cal\.com delivery/);
  });
});

describe('the status line', () => {
  it('puts the median instant latency next to the polling interval', () => {
    const counters = { ...emptyCounters(), instant: { zapier: 2, n8n: 1 }, forgedRefused: 2, reconciled: 1, instantLatenciesMs: [40, 10, 25] };
    expect(renderStatus(counters, 3)).toBe('polls 0 · requests 0 · events zapier 0 / n8n 0 · refreshes 0 · 429 waits 0 · instant zapier 2 / n8n 1 · forged refused 2 · reconciled 1 · instant median 25 ms vs polling every 3 s · next poll in 3 s');
    expect(renderStatus(emptyCounters(), undefined, 5)).toMatch(/instant median – vs polling every 5 s$/);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

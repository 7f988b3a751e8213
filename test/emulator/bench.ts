/**
 * Emulator figures: start time, memory with 10,000 bookings, and list-query latency (take 250).
 *   npx tsx test/emulator/bench.ts
 *   node --expose-gc --import tsx test/emulator/bench.ts   (steadier heap figure)
 * Prints figures; it asserts nothing (speed goals are read, not timed in tests).
 */
import { startEmulator } from './index';

const BOOKINGS = 10_000;
const ROUNDS = 30;

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  // Warm the module graph so the start figure measures the emulator, not the TypeScript loader.
  await (await startEmulator({ bookings: 0 })).close();

  const t0 = performance.now();
  const small = await startEmulator();
  const startMs = performance.now() - t0;
  await small.close();

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const t1 = performance.now();
  const emulator = await startEmulator({ bookings: BOOKINGS, rateLimit: { accessToken: 1_000_000 } });
  const startLargeMs = performance.now() - t1;
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;

  const token = emulator.mintTokens({ clientId: emulator.seeded.clients.legacy.clientId, userId: 1, scopes: [] }).access_token;
  const since = new Date(emulator.clock.now() - 7 * 86_400_000).toISOString();
  const queries: Record<string, string> = {
    'default order': '?take=250',
    'status=upcoming': '?status=upcoming&take=250',
    'status=past,cancelled': '?status=past,cancelled&take=250',
    'afterUpdatedAt + sortUpdatedAt': `?afterUpdatedAt=${since}&sortUpdatedAt=asc&take=250`,
    'afterCreatedAt + sortCreated desc': `?afterCreatedAt=${since}&sortCreated=desc&take=250`,
    'eventTypeIds + skip 1000': '?eventTypeIds=1,2&take=250&skip=1000',
  };
  const lines: string[] = [];
  for (const [label, query] of Object.entries(queries)) {
    const times: number[] = [];
    let total = 0;
    let bytes = 0;
    for (let i = 0; i < ROUNDS; i += 1) {
      const s = performance.now();
      const res = await fetch(`${emulator.apiUrl}/v2/bookings${query}`, { headers: { authorization: `Bearer ${token}`, 'cal-api-version': '2024-08-13' } });
      const text = await res.text();
      times.push(performance.now() - s);
      if (res.status !== 200) throw new Error(`${label}: HTTP ${res.status} ${text.slice(0, 200)}`);
      const body = JSON.parse(text) as { pagination: { totalItems: number } };
      total = body.pagination.totalItems;
      bytes = text.length;
    }
    times.sort((a, b) => a - b);
    lines.push(`  ${label.padEnd(36)} median ${percentile(times, 50).toFixed(2)} ms  p95 ${percentile(times, 95).toFixed(2)} ms  (${total} matches, ${(bytes / 1024).toFixed(0)} KB/page)`);
  }
  await emulator.close();

  process.stdout.write(`Emulator benchmark (Node ${process.version})\n`);
  process.stdout.write(`  start (60 seeded bookings):            ${startMs.toFixed(1)} ms\n`);
  process.stdout.write(`  start (${BOOKINGS} seeded bookings):        ${startLargeMs.toFixed(1)} ms\n`);
  process.stdout.write(`  heap for ${BOOKINGS} bookings:             ${mb(heapAfter - heapBefore)}${global.gc ? '' : ' (approximate: run with node --expose-gc --import tsx for a steadier figure)'}\n`);
  process.stdout.write(`  rss:                                   ${mb(process.memoryUsage().rss)}\n`);
  process.stdout.write(`GET /v2/bookings over HTTP, ${ROUNDS} rounds each, take=250:\n${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

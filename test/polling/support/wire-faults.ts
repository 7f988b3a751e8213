import type { HttpExecutor, HttpResponse } from '@calcom-oauth/shared';
import type { Rng } from '../../emulator/rng';

/**
 * Faults the emulator cannot make, applied to its answers on the way to the engine:
 * - clock jumps: a `Date` header moved forward or back, on one answer (a glitch) or on every answer
 *   for a while (a skewed clock); the emulator's data and its `past` filter keep the true clock;
 * - malformed bookings: `attendees`/`hosts`/`guests` that are not lists or hold nulls, and, on a last
 *   page (where no paging offset depends on the count), extra items with bad dates and a null item.
 */
export class WireFaults {
  /** Offset added to the Date header of every answer (a skewed clock), in ms. */
  skewMs = 0;
  private glitches: number[] = [];
  private malformedAnswers = 0;
  injected = 0;

  constructor(private readonly inner: HttpExecutor) {}

  /** The next answer only carries a Date header `offsetMs` away. */
  glitchOnce(offsetMs: number): void {
    this.glitches.push(offsetMs);
    this.injected += 1;
  }

  /** The next `count` bookings answers carry malformed bookings. */
  malformNext(count: number): void {
    this.malformedAnswers += count;
    this.injected += 1;
  }

  readonly execute: HttpExecutor = async (request) => {
    const response = await this.inner(request);
    if (!request.url.includes('/v2/bookings')) return response;
    return this.rewrite(response);
  };

  private rewrite(response: HttpResponse): HttpResponse {
    const offset = this.skewMs + (this.glitches.shift() ?? 0);
    let { headers, body } = response;
    if (offset !== 0) {
      const date = Object.entries(headers).find(([name]) => name.toLowerCase() === 'date');
      if (date !== undefined) headers = { ...headers, [date[0]]: new Date(Date.parse(String(date[1])) + offset).toUTCString() };
    }
    if (this.malformedAnswers > 0 && response.status === 200) {
      const changed = malform(body);
      if (changed !== undefined) {
        this.malformedAnswers -= 1;
        body = changed;
      }
    }
    return { ...response, headers, body };
  }
}

function malform(body: string): string | undefined {
  let parsed: { data?: unknown; pagination?: { hasNextPage?: unknown } };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed.data) || parsed.data.length === 0) return undefined;
  const data = parsed.data as Array<Record<string, unknown>>;
  data.forEach((item, index) => {
    if (index % 3 === 0) item.attendees = 'not a list';
    else if (index % 3 === 1) item.hosts = [null, ...(Array.isArray(item.hosts) ? item.hosts : [])];
    else item.guests = { not: 'a list' };
  });
  if (parsed.pagination?.hasNextPage === false) {
    data.push({ id: 9_000_001, uid: 'malformed-dates', status: 'accepted', start: 'yesterday', end: null, createdAt: '2026-13-45T99:00:00Z', updatedAt: 'soon' });
    (data as unknown[]).push(null);
  }
  return JSON.stringify(parsed);
}

/** Picks one clock or malformed-booking fault. */
export function pickWireFault(rng: Rng, wire: WireFaults): void {
  const roll = rng.next();
  if (roll < 0.3) wire.glitchOnce(365 * 86_400_000);
  else if (roll < 0.5) wire.glitchOnce(-86_400_000);
  else wire.malformNext(rng.int(1, 3));
}

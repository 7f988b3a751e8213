import { listBookingEvents, RECENT_WINDOW_HOURS, sampleBookingEvents } from '../../src/polling/engine';
import { MINUTE, useFakeBookings } from './support/harness';

const { ctx, list } = useFakeBookings();
const HOUR = 60 * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();

/** Bookings created `hoursAgo` before the fake's clock, one second apart. */
function addOld(count: number, hoursAgo: number, extra: Parameters<typeof ctx.fake.add>[0] = {}) {
  return Array.from({ length: count }, (_, i) => ctx.fake.add({ createdAt: ctx.fake.now - hoursAgo * HOUR - i * 1000, ...extra }));
}

describe('stateless listing reads only the recent window (Zapier polls)', () => {
  it('an idle poll is one request of a small page, with no time filter', async () => {
    addOld(300, 2 * RECENT_WINDOW_HOURS);
    const result = await list('booking_created', 100);
    expect(result.stats.requests).toBe(1);
    const [query] = ctx.fake.requests.map((r) => r.query);
    expect(query?.get('take')).toBe('10');
    expect(query?.has('afterCreatedAt')).toBe(false);
    // The first page is returned whatever its age: Zapier's dedupe has seen those ids.
    expect(result.events).toHaveLength(10);
  });

  it('a burst between polls is read whole up to the limit, the later pages bounded to the window by Cal.com\'s clock', async () => {
    addOld(300, 2 * RECENT_WINDOW_HOURS);
    const burst = Array.from({ length: 50 }, (_, i) => ctx.fake.add({ createdAt: ctx.fake.now - i * 1000 }));
    const result = await list('booking_created', 100);
    expect(result.events.map((e) => e.id)).toEqual(burst.map((b) => b.uid));
    expect(result.stats.requests).toBe(2);
    const second = ctx.fake.requests[1]?.query;
    expect(second?.get('afterCreatedAt')).toBe(iso(ctx.fake.now - RECENT_WINDOW_HOURS * HOUR));
    expect(second?.get('skip')).toBe('10');
    // The first two pages together are the 100 newest bookings the unbounded listing reads in one.
    expect(second?.get('take')).toBe('90');
  });

  it('a busy window reads the same 100 newest bookings as the unbounded listing, in two requests', async () => {
    for (let i = 0; i < 300; i += 1) {
      const b = ctx.fake.add({ createdAt: ctx.fake.now - 1000 * MINUTE });
      ctx.fake.update(b.uid, { status: i % 10 === 0 ? 'cancelled' : 'rejected' }, ctx.fake.now - i * 1000);
    }
    const bounded = await list('booking_cancelled', 100);
    const unbounded = await listBookingEvents({ event: 'booking_cancelled', execute: ctx.fake.execute, limit: 100, recentWindowHours: null });
    expect(bounded.events.map((e) => e.id)).toEqual(unbounded.events.map((e) => e.id));
    expect(bounded.stats.requests).toBe(2);
    expect(bounded.stats.bytes).toBeLessThan(unbounded.stats.bytes * 1.05);
  });

  it('a burst larger than the limit returns the newest `limit`, none from before the window', async () => {
    addOld(50, 2 * RECENT_WINDOW_HOURS);
    const burst = Array.from({ length: 150 }, (_, i) => ctx.fake.add({ createdAt: ctx.fake.now - i * 1000 }));
    const result = await list('booking_created', 100);
    expect(result.events.map((e) => e.id)).toEqual(burst.slice(0, 100).map((b) => b.uid));
  });

  it('the window follows the Date header, not this machine\'s clock', async () => {
    addOld(20, 3);
    ctx.fake.dateLagMs = 2 * HOUR;
    await list('booking_created', 100);
    expect(ctx.fake.requests[1]?.query.get('afterCreatedAt')).toBe(iso(ctx.fake.now - 2 * HOUR - RECENT_WINDOW_HOURS * HOUR));
  });

  it('the updatedAt stream swaps its epoch bound for the window start after the first page', async () => {
    const changed = addOld(30, 2 * RECENT_WINDOW_HOURS);
    changed.forEach((b, i) => ctx.fake.update(b.uid, { status: 'cancelled' }, ctx.fake.now - i * 1000));
    const result = await list('booking_cancelled', 100);
    expect(result.events).toHaveLength(30);
    expect(ctx.fake.requests.map((r) => r.query.get('afterUpdatedAt'))).toEqual(['1970-01-01T00:00:00.000Z', iso(ctx.fake.now - RECENT_WINDOW_HOURS * HOUR)]);
  });

  it('meeting ended (no afterEnd filter) stops at the first page that reaches before the window', async () => {
    for (let i = 0; i < 30; i += 1) ctx.fake.add({ start: ctx.fake.now - (i + 1) * 3 * HOUR, end: ctx.fake.now - (i + 1) * 3 * HOUR + 30 * MINUTE, createdAt: ctx.fake.now - 500 * HOUR });
    const result = await list('meeting_ended', 100);
    expect(result.stats.requests).toBe(1);
    expect(ctx.fake.requests[0]?.query.has('afterCreatedAt')).toBe(false);
  });

  it('samples are not bounded: a rule that keeps few bookings still finds old ones', async () => {
    const original = ctx.fake.add({ createdAt: ctx.fake.now - 600 * HOUR });
    ctx.fake.reschedule(original.uid, original.start + HOUR, { createdAt: ctx.fake.now - 500 * HOUR });
    addOld(40, 2);
    expect((await sampleBookingEvents({ event: 'booking_rescheduled', execute: ctx.fake.execute })).events).toHaveLength(1);
    expect((await listBookingEvents({ event: 'booking_rescheduled', execute: ctx.fake.execute, limit: 3 })).events).toHaveLength(1);
    // A bounded poll does not read back 500 hours for it.
    expect((await list('booking_rescheduled', 100)).events).toHaveLength(0);
  });

  it('refuses a window outside 1..720 hours', async () => {
    for (const recentWindowHours of [0, 721, Number.NaN]) {
      await expect(listBookingEvents({ event: 'booking_created', execute: ctx.fake.execute, recentWindowHours })).rejects.toMatchObject({ kind: 'invalid_input' });
    }
  });
});

import { listBookingEvents, sampleBookingEvents } from '../../src/polling/engine';
import { MINUTE, useFakeBookings } from './support/harness';

const { ctx, list } = useFakeBookings();

describe('stateless listing (Zapier)', () => {
  it('returns the newest events first, at most the limit, with ids stable across calls', async () => {
    const uids = Array.from({ length: 30 }, (_, i) => ctx.fake.add({ createdAt: ctx.fake.now - (30 - i) * MINUTE }).uid);
    const first = await list('booking_created', 10);
    expect(first.events.map((e) => e.id)).toEqual(uids.slice(-10).reverse());
    ctx.fake.advance(MINUTE);
    const newer = ctx.fake.add();
    const second = await list('booking_created', 10);
    expect(second.events[0]?.id).toBe(newer.uid);
    expect(second.events.slice(1).map((e) => e.id)).toEqual(first.events.slice(0, 9).map((e) => e.id));
    expect(first.stats.requests).toBe(1);
  });

  it('defaults to 100 and refuses more', async () => {
    for (let i = 0; i < 120; i += 1) ctx.fake.add({ createdAt: ctx.fake.now - i * 1000 });
    expect((await list('booking_created')).events).toHaveLength(100);
    await expect(list('booking_created', 101)).rejects.toMatchObject({ kind: 'invalid_input' });
  });

  it('a sample returns a few recent real items without any state', async () => {
    for (let i = 0; i < 8; i += 1) ctx.fake.add({ createdAt: ctx.fake.now - i * 1000 });
    const sample = await sampleBookingEvents({ event: 'booking_created', execute: ctx.fake.execute });
    expect(sample.events).toHaveLength(3);
  });

  it('updated: never-updated bookings are excluded (afterUpdatedAt at the epoch), ids carry updatedAt', async () => {
    for (let i = 0; i < 5; i += 1) ctx.fake.add({ createdAt: ctx.fake.now - i * 1000 });
    const changed = ctx.fake.add({ createdAt: ctx.fake.now - 60 * MINUTE });
    ctx.fake.update(changed.uid, {});
    const result = await list('booking_updated', 10);
    expect(result.events.map((e) => e.id)).toEqual([`${changed.uid}:${new Date(changed.updatedAt as number).toISOString()}`]);
    expect(ctx.fake.requests[ctx.fake.requests.length - 1]?.query.get('afterUpdatedAt')).toBe('1970-01-01T00:00:00.000Z');
  });

  it('filters by rule across pages until the limit is met (rescheduled among many creations)', async () => {
    const originals = Array.from({ length: 3 }, () => ctx.fake.add({ createdAt: ctx.fake.now - 500 * MINUTE }));
    for (let i = 0; i < 40; i += 1) ctx.fake.add({ createdAt: ctx.fake.now - i * 1000 });
    for (const o of originals) ctx.fake.reschedule(o.uid, o.start + MINUTE * 60, { createdAt: ctx.fake.now - 100 * MINUTE });
    const result = await list('booking_rescheduled', 3);
    expect(result.events).toHaveLength(3);
    expect(result.events.every((e) => e.rescheduledFrom?.start !== null)).toBe(true);
  });

  it('stops after the first page once it holds a useful number of events (no full window of old ones)', async () => {
    for (let i = 0; i < 300; i += 1) {
      const b = ctx.fake.add({ createdAt: ctx.fake.now - 1000 * MINUTE });
      ctx.fake.update(b.uid, { status: i % 10 === 0 ? 'cancelled' : 'rejected' }, ctx.fake.now - i * 1000);
    }
    // Unbounded (a sample or Zapier's dedupe priming): the recent window would read all 300, which are recent.
    const result = await listBookingEvents({ event: 'booking_cancelled', execute: ctx.fake.execute, limit: 100, recentWindowHours: null });
    expect(result.stats.requests).toBe(1);
    expect(result.events).toHaveLength(10);
  });

  it('meeting ended and cancelled read with their server-side filters, newest first', async () => {
    const a = ctx.fake.add({ start: ctx.fake.now - 120 * MINUTE, end: ctx.fake.now - 90 * MINUTE, createdAt: ctx.fake.now - 1000 * MINUTE });
    const b = ctx.fake.add({ start: ctx.fake.now - 60 * MINUTE, end: ctx.fake.now - 30 * MINUTE, createdAt: ctx.fake.now - 1000 * MINUTE });
    ctx.fake.add({ start: ctx.fake.now + 60 * MINUTE, end: ctx.fake.now + 90 * MINUTE, createdAt: ctx.fake.now - 1000 * MINUTE });
    expect((await list('meeting_ended', 5)).events.map((e) => e.id)).toEqual([b.uid, a.uid]);
    expect(ctx.fake.requests[ctx.fake.requests.length - 1]?.query.get('status')).toBe('past');
    ctx.fake.update(a.uid, { status: 'cancelled' });
    expect((await list('booking_cancelled', 5)).events.map((e) => e.id)).toEqual([a.uid]);
  });
});

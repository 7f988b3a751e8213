import { pollStateSize } from '../../src/polling/state';
import { MINUTE, useFakeBookings } from './support/harness';

const { ctx, poll, baseline } = useFakeBookings();

describe('paging edges', () => {
  it('equal timestamps across page boundaries: every booking once, none lost', async () => {
    let state = await baseline('booking_created', {}, { pageSize: 10 });
    ctx.fake.advance(MINUTE);
    const at = ctx.fake.now;
    const uids = [
      ...Array.from({ length: 25 }, () => ctx.fake.add({ createdAt: at }).uid),
      ...Array.from({ length: 7 }, () => ctx.fake.add({ createdAt: at + 1 }).uid),
      ...Array.from({ length: 13 }, () => ctx.fake.add({ createdAt: at + 2 }).uid),
    ];
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_created', state, {}, { pageSize: 10 });
    expect(result.events.map((e) => e.id).sort()).toEqual([...uids].sort());
    state = result.state;
    ctx.fake.advance(MINUTE);
    expect((await poll('booking_created', state, {}, { pageSize: 10 })).events).toEqual([]);
  });

  it('a burst larger than the page cap is drained over several polls, nothing lost or repeated', async () => {
    let state = await baseline('booking_created', {}, { pageSize: 50, maxPagesPerPoll: 3 });
    ctx.fake.advance(MINUTE);
    const uids = Array.from({ length: 400 }, (_, i) => ctx.fake.add({ createdAt: ctx.fake.now + Math.floor(i / 3) }).uid);
    ctx.fake.advance(5 * MINUTE);
    const seen: string[] = [];
    let polls = 0;
    let more = true;
    while (more || polls === 0) {
      const result = await poll('booking_created', state, {}, { pageSize: 50, maxPagesPerPoll: 3 });
      seen.push(...result.events.map((e) => e.id));
      expect(result.stats.requests).toBeLessThanOrEqual(3);
      more = result.more;
      state = result.state;
      polls += 1;
      expect(polls).toBeLessThan(20);
    }
    expect(polls).toBeGreaterThan(2);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual([...uids].sort());
  });

  it('bookings moving between pages while a poll reads them are neither skipped nor repeated (updated stream)', async () => {
    const all = Array.from({ length: 30 }, (_, i) => ctx.fake.add({ createdAt: ctx.fake.now - 100 * MINUTE + i }));
    let state = await baseline('booking_updated', {}, { pageSize: 10 });
    ctx.fake.advance(MINUTE);
    for (const [i, b] of all.entries()) ctx.fake.update(b.uid, {}, ctx.fake.now + i);
    ctx.fake.advance(MINUTE);
    const expected = new Set(all.map((b) => `${b.uid}:${new Date(b.updatedAt as number).toISOString()}`));
    // Between the first and second page, two bookings of page one are updated again (moving to the end).
    const start = ctx.fake.requests.length;
    ctx.fake.beforeRequest = (index) => {
      if (index === start + 1) {
        for (const b of [all[2], all[5]]) {
          const updated = ctx.fake.update(b!.uid, {}, ctx.fake.now);
          expected.add(`${updated.uid}:${new Date(updated.updatedAt as number).toISOString()}`);
        }
      }
    };
    const result = await poll('booking_updated', state, {}, { pageSize: 10 });
    ctx.fake.beforeRequest = undefined;
    const ids = result.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(expected);
    state = result.state;
    ctx.fake.advance(MINUTE);
    expect((await poll('booking_updated', state, {}, { pageSize: 10 })).events).toEqual([]);
  });

  it('meeting ended: a booking disappearing between pages of the newest-first read restarts the read, nothing lost', async () => {
    const meetings = Array.from({ length: 12 }, (_, i) => ctx.fake.add({ createdAt: ctx.fake.now - 500 * MINUTE, start: ctx.fake.now + i * MINUTE, end: ctx.fake.now + 5 * MINUTE + i * MINUTE }));
    const state = await baseline('meeting_ended', {}, { pageSize: 4, probeSize: 4 });
    ctx.fake.advance(30 * MINUTE);
    const start = ctx.fake.requests.length;
    ctx.fake.beforeRequest = (index) => {
      if (index === start + 1) ctx.fake.update(meetings[11]!.uid, { status: 'cancelled' });
    };
    const result = await poll('meeting_ended', state, {}, { pageSize: 4, probeSize: 4 });
    ctx.fake.beforeRequest = undefined;
    expect(result.events.map((e) => e.id).sort()).toEqual(meetings.slice(0, 12).map((m) => m.uid).sort());
  });
});

describe('clocks and visibility', () => {
  it('meeting ended: a meeting listed as past before the Date header says it ended is reported later, not dropped', async () => {
    let state = await baseline('meeting_ended');
    const meeting = ctx.fake.add({ start: ctx.fake.now, end: ctx.fake.now + 30_000, createdAt: ctx.fake.now - 100 * MINUTE });
    // The server applying `past` is ahead of the one writing the Date header by 60 s.
    ctx.fake.dateLagMs = MINUTE;
    ctx.fake.advance(MINUTE);
    let result = await poll('meeting_ended', state);
    expect(result.events).toEqual([]);
    state = result.state;
    ctx.fake.advance(MINUTE);
    result = await poll('meeting_ended', state);
    expect(result.events.map((e) => e.id)).toEqual([meeting.uid]);
    ctx.fake.advance(MINUTE);
    expect((await poll('meeting_ended', result.state)).events).toEqual([]);
  });

  it('tolerates booking timestamps behind the server Date header by less than the overlap', async () => {
    let state = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    // Stamped by a clock 90 s behind the API server's.
    const skewed = ctx.fake.add({ createdAt: ctx.fake.now - 90_000 });
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_created', state);
    expect(result.events.map((e) => e.id)).toEqual([skewed.uid]);
    state = result.state;
  });

  it('a booking committed late, stamped before the previous poll, is still reported once', async () => {
    let state = await baseline('booking_created');
    ctx.fake.advance(5 * MINUTE);
    const before = ctx.fake.now;
    state = (await poll('booking_created', state)).state;
    ctx.fake.advance(20_000);
    const late = ctx.fake.add({ createdAt: before - 30_000 });
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_created', state);
    expect(result.events.map((e) => e.id)).toEqual([late.uid]);
    ctx.fake.advance(MINUTE);
    expect((await poll('booking_created', result.state)).events).toEqual([]);
  });

  it('never uses the local clock: polls with a server clock years away from the machine still work', async () => {
    ctx.fake.now = Date.UTC(2031, 0, 1);
    let state = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    const b = ctx.fake.add();
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_created', state);
    expect(result.events.map((e) => e.id)).toEqual([b.uid]);
    state = result.state;
    // Follows the server's clock (within the overlap below the newest booking), never the machine's.
    expect(Math.abs(Date.parse(state.main.after) - ctx.fake.now)).toBeLessThan(5 * MINUTE);
  });

  it('without a Date header it keeps working from booking timestamps and says so', async () => {
    ctx.fake.omitDate = true;
    ctx.fake.add({ createdAt: ctx.fake.now - 10 * MINUTE });
    let state = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    const b = ctx.fake.add();
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_created', state);
    expect(result.events.map((e) => e.id)).toEqual([b.uid]);
    expect(result.warnings.join(' ')).toMatch(/Date header/);
    state = result.state;
    ctx.fake.advance(MINUTE);
    expect((await poll('booking_created', state)).events).toEqual([]);
  });
});

describe('baseline', () => {
  it('reads every page of the overlap window, so a skewed booking after the baseline is still reported', async () => {
    for (let i = 0; i < 30; i += 1) ctx.fake.add({ createdAt: ctx.fake.now - 60_000 + i });
    const base = await poll('booking_created', undefined, {}, { pageSize: 10 });
    expect(base.stats.requests).toBe(3);
    expect(base.state.main.seen).toHaveLength(30);
    ctx.fake.advance(MINUTE);
    const skewed = ctx.fake.add({ createdAt: ctx.fake.now - 100_000 });
    ctx.fake.advance(1000);
    const result = await poll('booking_created', base.state, {}, { pageSize: 10 });
    expect(result.events.map((e) => e.id)).toEqual([skewed.uid]);
  });

  it('declares what it could not read as older than the baseline when the window exceeds the page cap, and says so', async () => {
    for (let i = 0; i < 30; i += 1) ctx.fake.add({ createdAt: ctx.fake.now - 60_000 + i });
    const base = await poll('booking_created', undefined, {}, { pageSize: 10, maxPagesPerPoll: 2 });
    expect(base.stats.requests).toBe(2);
    expect(base.warnings.join(' ')).toMatch(/baseline starts after/);
    ctx.fake.advance(MINUTE);
    expect((await poll('booking_created', base.state, {}, { pageSize: 10, maxPagesPerPoll: 2 })).events).toEqual([]);
  });
});

describe('state', () => {
  it('a lost state takes a new baseline: nothing old is reported again', async () => {
    let state = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    ctx.fake.add();
    ctx.fake.advance(MINUTE);
    state = (await poll('booking_created', state)).state;
    const lost = await poll('booking_created', undefined);
    expect(lost.baseline).toBe(true);
    expect(lost.events).toEqual([]);
    ctx.fake.advance(MINUTE);
    const after = ctx.fake.add();
    ctx.fake.advance(MINUTE);
    expect((await poll('booking_created', lost.state)).events.map((e) => e.id)).toEqual([after.uid]);
  });

  it.each([
    ['garbage', 'not a state'],
    ['another version', { v: 9 }],
    ['another event', 'event'],
  ])('an unusable state (%s) re-baselines with a warning', async (_label, value) => {
    let stored: unknown = value;
    if (value === 'event') stored = await baseline('booking_cancelled');
    const result = await poll('booking_created', stored);
    expect(result.baseline).toBe(true);
    expect(result.events).toEqual([]);
    expect(result.warnings.join(' ')).toMatch(/new polling baseline/);
  });

  it('stays small: a busy hour leaves a state of a few hundred bytes', async () => {
    let state = await baseline('booking_updated');
    for (let i = 0; i < 60; i += 1) {
      ctx.fake.advance(MINUTE);
      const b = ctx.fake.add();
      ctx.fake.update(b.uid, {});
      state = (await poll('booking_updated', state)).state;
    }
    ctx.fake.advance(10 * MINUTE);
    state = (await poll('booking_updated', state)).state;
    expect(pollStateSize(state)).toBeLessThan(300);
  });

  it('a read stopped at its page cap never lets the key cap skip the bookings it has not read yet', async () => {
    const tuning = { pageSize: 10, maxPagesPerPoll: 2, maxSeenKeys: 15 };
    let state = await baseline('booking_created', {}, tuning);
    ctx.fake.advance(MINUTE);
    const recent = Array.from({ length: 15 }, (_, i) => ctx.fake.add({ createdAt: ctx.fake.now - i }).uid);
    let result = await poll('booking_created', state, {}, tuning);
    expect(result.events.map((e) => e.id).sort()).toEqual([...recent].sort());
    state = result.state;
    // 30 bookings committed late, stamped by a clock 60 s behind: older than every remembered key.
    ctx.fake.advance(1000);
    const late = Array.from({ length: 30 }, (_, i) => ctx.fake.add({ createdAt: ctx.fake.now - 60_000 + i }).uid);
    const reported: string[] = [];
    for (let polls = 0; polls < 5; polls += 1) {
      result = await poll('booking_created', state, {}, tuning);
      reported.push(...result.events.map((e) => e.id));
      state = result.state;
      if (!result.more) break;
    }
    expect(reported.sort()).toEqual([...late].sort());
  });

  it('caps the remembered keys during a burst inside one overlap window', async () => {
    let state = await baseline('booking_created', {}, { maxSeenKeys: 50 });
    ctx.fake.advance(1000);
    for (let i = 0; i < 200; i += 1) ctx.fake.add({ createdAt: ctx.fake.now + i });
    ctx.fake.advance(1000);
    const result = await poll('booking_created', state, {}, { maxSeenKeys: 50 });
    expect(result.events).toHaveLength(200);
    expect(result.state.main.seen.length).toBeLessThanOrEqual(50);
    state = result.state;
    ctx.fake.advance(1000);
    expect((await poll('booking_created', state, {}, { maxSeenKeys: 50 })).events).toEqual([]);
  });
});

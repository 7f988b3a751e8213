import type { BookingPollState } from '../../src/polling/state';
import { MINUTE, useFakeBookings } from './support/harness';

const { ctx, poll, baseline } = useFakeBookings();
const YEAR = 365 * 24 * 60 * MINUTE;

/** Makes the next `count` answers carry a Date header `offsetMs` away from the server's real clock. */
function glitchDate(offsetMs: number, count = 1): void {
  let left = count;
  ctx.fake.dateLagMs = -offsetMs;
  ctx.fake.beforeRequest = () => {
    if (left === 0) ctx.fake.dateLagMs = 0;
    left -= 1;
  };
}

describe('the stream position never runs ahead of what a poll read, whatever the Date header says', () => {
  it('one answer dated a year ahead does not stop later bookings from being reported', async () => {
    let state = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    const a = ctx.fake.add();
    ctx.fake.advance(MINUTE);
    glitchDate(YEAR);
    let result = await poll('booking_created', state);
    expect(result.events.map((e) => e.booking.uid)).toEqual([a.uid]);
    expect(Date.parse(result.state.main.after)).toBeLessThanOrEqual(a.createdAt + 1);
    state = result.state;
    ctx.fake.advance(MINUTE);
    const b = ctx.fake.add();
    ctx.fake.advance(MINUTE);
    result = await poll('booking_created', state);
    expect(result.events.map((e) => e.booking.uid)).toEqual([b.uid]);
  });

  it('a baseline taken while the Date header is a year ahead still reports the next bookings', async () => {
    ctx.fake.add({ createdAt: ctx.fake.now - 5 * MINUTE });
    glitchDate(YEAR);
    let state = await baseline('booking_cancelled');
    const c = ctx.fake.add({ createdAt: ctx.fake.now - 10 * MINUTE });
    ctx.fake.advance(MINUTE);
    ctx.fake.update(c.uid, { status: 'cancelled' });
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_cancelled', state);
    expect(result.events.map((e) => e.booking.uid)).toEqual([c.uid]);
    state = result.state;
    expect(Date.parse(state.main.after)).toBeLessThanOrEqual(ctx.fake.now);
  });

  it('an idle stream during a forward glitch: the bound stays at the newest booking, so the next one is reported', async () => {
    let state = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    const a = ctx.fake.add();
    ctx.fake.advance(MINUTE);
    state = (await poll('booking_created', state)).state;
    ctx.fake.advance(10 * MINUTE);
    glitchDate(30 * 24 * 60 * MINUTE);
    const idle = await poll('booking_created', state);
    expect(idle.events).toEqual([]);
    expect(idle.state.main.after).toBe(new Date(a.createdAt + 1).toISOString());
    ctx.fake.advance(MINUTE);
    const late = ctx.fake.add();
    ctx.fake.advance(MINUTE);
    expect((await poll('booking_created', idle.state)).events.map((e) => e.booking.uid)).toEqual([late.uid]);
  });

  it('meeting ended: a Date header a year ahead once does not hide the meetings that end later', async () => {
    const soon = ctx.fake.add({ start: ctx.fake.now + 10 * MINUTE, end: ctx.fake.now + 40 * MINUTE });
    const later = ctx.fake.add({ start: ctx.fake.now + 60 * MINUTE, end: ctx.fake.now + 90 * MINUTE });
    let state = await baseline('meeting_ended');
    ctx.fake.advance(45 * MINUTE);
    glitchDate(YEAR);
    let result = await poll('meeting_ended', state);
    expect(result.events.map((e) => e.booking.uid)).toEqual([soon.uid]);
    state = result.state;
    ctx.fake.advance(50 * MINUTE);
    result = await poll('meeting_ended', state);
    expect(result.events.map((e) => e.booking.uid)).toEqual([later.uid]);
  });

  it('a booking awaiting confirmation is still reported once confirmed after a forward glitch', async () => {
    let state = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    const request = ctx.fake.add({ status: 'pending' });
    ctx.fake.advance(MINUTE);
    glitchDate(YEAR);
    let result = await poll('booking_created', state);
    expect(result.events).toEqual([]);
    state = result.state;
    ctx.fake.advance(MINUTE);
    ctx.fake.update(request.uid, { status: 'accepted' });
    ctx.fake.advance(MINUTE);
    result = await poll('booking_created', state);
    expect(result.events.map((e) => e.booking.uid)).toEqual([request.uid]);
  });

  it('a Date header an hour behind for several polls, then right again: nothing replayed, nothing lost', async () => {
    let state = await baseline('booking_updated');
    const reported: string[] = [];
    const made: string[] = [];
    ctx.fake.dateLagMs = 60 * MINUTE;
    for (let i = 0; i < 6; i += 1) {
      if (i === 4) ctx.fake.dateLagMs = 0;
      ctx.fake.advance(MINUTE);
      const b = ctx.fake.add();
      ctx.fake.advance(1000);
      const updated = ctx.fake.update(b.uid, { status: 'accepted' });
      made.push(`${b.uid}:${new Date(updated.updatedAt as number).toISOString()}`);
      ctx.fake.advance(MINUTE);
      const result = await poll('booking_updated', state);
      expect(result.baseline).toBe(false);
      reported.push(...result.events.map((e) => e.id));
      state = result.state;
    }
    expect(reported).toEqual(made);
  });
});

describe('an absurd stored state starts a new baseline with a warning that says why', () => {
  const stored = (after: string, seen: Array<[string, number]> = []): BookingPollState => ({ v: 1, event: 'booking_created', main: { after, seen } });

  it('a position in year 9999 (ahead of the clock and of every booking) is replaced, and later bookings are reported', async () => {
    ctx.fake.add({ createdAt: ctx.fake.now - 5 * MINUTE });
    const result = await poll('booking_created', stored('9999-01-01T00:00:00.000Z'));
    expect(result.baseline).toBe(true);
    expect(result.events).toEqual([]);
    expect(result.warnings.join('\n')).toMatch(/new polling baseline because the stored polling position \(9999-01-01T00:00:00.000Z\) is ahead of Cal\.com's clock/);
    ctx.fake.advance(MINUTE);
    const b = ctx.fake.add();
    ctx.fake.advance(MINUTE);
    expect((await poll('booking_created', result.state)).events.map((e) => e.booking.uid)).toEqual([b.uid]);
  });

  it('a position at year 1 is refused before any old booking is replayed', async () => {
    for (let i = 0; i < 5; i += 1) ctx.fake.add({ createdAt: ctx.fake.now - (i + 10) * 24 * 60 * MINUTE });
    const result = await poll('booking_created', stored('0001-01-01T00:00:00.000Z'));
    expect(result.baseline).toBe(true);
    expect(result.events).toEqual([]);
    expect(result.warnings.join('\n')).toContain('is before Cal.com existed');
  });

  it('seen keys that contradict the position (twice the same key, a timestamp before it) are refused', async () => {
    const at = ctx.fake.now - MINUTE;
    const twice = await poll('booking_created', stored(new Date(at).toISOString(), [['uid-x', at], ['uid-x', at + 1]]));
    expect(twice.baseline).toBe(true);
    expect(twice.warnings.join('\n')).toContain('remembers booking uid-x twice');
    const before = await poll('booking_created', stored(new Date(at).toISOString(), [['uid-y', at - 1]]));
    expect(before.baseline).toBe(true);
    expect(before.warnings.join('\n')).toContain('before the position itself');
  });

  it('a position a few minutes ahead of a clock that jumped back is kept: nothing lost, no new baseline', async () => {
    let state = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    const a = ctx.fake.add();
    ctx.fake.advance(MINUTE);
    state = (await poll('booking_created', state)).state;
    ctx.fake.dateLagMs = 3 * 60 * MINUTE;
    ctx.fake.advance(MINUTE);
    const idle = await poll('booking_created', state);
    expect(idle.baseline).toBe(false);
    expect(idle.state.main.after).toBe(state.main.after);
    expect(idle.state.main.seen.map(([key]) => key)).toEqual([a.uid]);
    const b = ctx.fake.add();
    ctx.fake.advance(MINUTE);
    expect((await poll('booking_created', idle.state)).events.map((e) => e.booking.uid)).toEqual([b.uid]);
  });
});

import { MINUTE, useFakeBookings } from './support/harness';
import type { FakeBooking } from './support/fake-bookings';

const { ctx, poll, baseline } = useFakeBookings();

/** Small pages and one page per poll, so every poll stops at its cap and continues from its cursor. */
const CAPPED = { pageSize: 3, maxPagesPerPoll: 1 };

/** The next answer carries these bookings with an attendee list that is not a list (a transient fault of the answer). */
function malformOnce(...bookings: FakeBooking[]): void {
  for (const booking of bookings) booking.raw = { ...(ctx.fake.serialize(booking) as Record<string, unknown>), attendees: 'not a list' };
  let calls = 0;
  ctx.fake.beforeRequest = () => {
    calls += 1;
    if (calls < 2) return;
    for (const booking of bookings) delete booking.raw;
    ctx.fake.beforeRequest = undefined;
  };
}

async function drain(state: unknown, polls: number): Promise<string[]> {
  const uids: string[] = [];
  let current = state;
  for (let i = 0; i < polls; i += 1) {
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_created', current, {}, CAPPED);
    uids.push(...result.events.map((event) => event.booking.uid));
    current = result.state;
  }
  return uids;
}

describe('a booking skipped as malformed on one answer is reported once the answer is whole again', () => {
  it('a read stopped at its page cap does not continue past a skipped booking below its cursor', async () => {
    const state = await baseline('booking_created', {}, CAPPED);
    const added = Array.from({ length: 5 }, (_, i) => ctx.fake.add({ createdAt: ctx.fake.now + (i + 1) * 1000 }));
    // Well past the overlap, so the capped read continues from its cursor rather than from the clock.
    ctx.fake.advance(10 * MINUTE);
    malformOnce(added[0] as FakeBooking);
    const first = await poll('booking_created', state, {}, CAPPED);
    expect(first.more).toBe(true);
    expect(first.warnings.join('\n')).toMatch(new RegExp(`Skipped booking ${(added[0] as FakeBooking).uid}`));
    const uids = [...first.events.map((event) => event.booking.uid), ...(await drain(first.state, 4))];
    expect(uids.sort()).toEqual(added.map((b) => b.uid).sort());
  });

  it('a booking of a tie cut by the page cap, malformed on the read that starts at the tie, is still reported', async () => {
    const state = await baseline('booking_created', {}, CAPPED);
    const tie = ctx.fake.now + 5000;
    const a = ctx.fake.add({ createdAt: ctx.fake.now + 1000 });
    const tied = [ctx.fake.add({ createdAt: tie }), ctx.fake.add({ createdAt: tie }), ctx.fake.add({ createdAt: tie })];
    ctx.fake.advance(10 * MINUTE);
    const first = await poll('booking_created', state, {}, CAPPED);
    expect(first.state.main.after).toBe(new Date(tie).toISOString());
    malformOnce(tied[2] as FakeBooking);
    let current: unknown = first.state;
    const uids = first.events.map((event) => event.booking.uid);
    for (let i = 0; i < 5; i += 1) {
      ctx.fake.advance(MINUTE);
      const result = await poll('booking_created', current, {}, CAPPED);
      uids.push(...result.events.map((event) => event.booking.uid));
      current = result.state;
    }
    expect(uids.sort()).toEqual([a, ...tied].map((b) => b.uid).sort());
  });

  it('a booking malformed for good is skipped with its warning, reported never, and does not stall the position', async () => {
    const state = await baseline('booking_created', {}, CAPPED);
    const bad = ctx.fake.add({ createdAt: ctx.fake.now + 1000 });
    bad.raw = { ...(ctx.fake.serialize(bad) as Record<string, unknown>), hosts: [null] };
    const good = Array.from({ length: 6 }, (_, i) => ctx.fake.add({ createdAt: ctx.fake.now + (i + 2) * 1000 }));
    ctx.fake.advance(MINUTE);
    const uids = await drain(state, 6);
    expect(uids.sort()).toEqual(good.map((b) => b.uid).sort());
  });

  it('one unidentifiable booking alone at the end of the stream is skipped, not refused as a format change', async () => {
    const state = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    const bad = ctx.fake.add();
    bad.raw = { ...(ctx.fake.serialize(bad) as Record<string, unknown>), uid: null };
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_created', state);
    expect(result.events).toEqual([]);
    expect(result.warnings.join('\n')).toMatch(/Skipped booking id \d+ from Cal.com: it has no uid/);
    ctx.fake.advance(MINUTE);
    const next = ctx.fake.add();
    ctx.fake.advance(MINUTE);
    expect((await poll('booking_created', result.state)).events.map((event) => event.booking.uid)).toEqual([next.uid]);
  });
});

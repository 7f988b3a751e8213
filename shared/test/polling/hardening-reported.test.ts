import { pollStateSize, type BookingPollState } from '../../src/polling/state';
import { MAX_REPORTED, REPORTED_RETENTION_MS } from '../../src/polling/reported';
import { MINUTE, useFakeBookings } from './support/harness';

const { ctx, poll, baseline } = useFakeBookings();

/** Cancels `count` upcoming bookings one second apart and polls until all are reported. */
async function cancelMany(state: BookingPollState, count: number, end: (i: number) => number): Promise<{ state: BookingPollState; uids: string[] }> {
  const uids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const b = ctx.fake.add({ createdAt: ctx.fake.now - 60 * MINUTE, start: end(i) - 30 * MINUTE, end: end(i) });
    ctx.fake.update(b.uid, { status: 'cancelled' });
    ctx.fake.advance(1000);
    uids.push(b.uid);
  }
  ctx.fake.advance(MINUTE);
  let current = state;
  const reported: string[] = [];
  for (let polls = 0; polls < 5; polls += 1) {
    const result = await poll('booking_cancelled', current);
    reported.push(...result.events.map((e) => e.booking.uid));
    current = result.state;
    if (!result.more) break;
  }
  expect(reported).toEqual(uids);
  return { state: current, uids };
}

describe('a cancelled booking is reported once, however many other cancellations come between', () => {
  it('after 250 other cancellations, an edit of the first cancelled booking reports nothing', async () => {
    const first = ctx.fake.add({ createdAt: ctx.fake.now - 60 * MINUTE });
    let state = await baseline('booking_cancelled');
    ctx.fake.advance(MINUTE);
    ctx.fake.update(first.uid, { status: 'cancelled' });
    ctx.fake.advance(MINUTE);
    const once = await poll('booking_cancelled', state);
    expect(once.events.map((e) => e.booking.uid)).toEqual([first.uid]);
    ({ state } = await cancelMany(once.state, 250, (i) => ctx.fake.now + (2 + i) * 60 * MINUTE));
    ctx.fake.advance(10 * MINUTE);
    ctx.fake.update(first.uid, { cancellationReason: 'edited' } as never);
    ctx.fake.advance(MINUTE);
    const edit = await poll('booking_cancelled', state);
    expect(edit.events).toEqual([]);
    expect(edit.state.reported?.some(([uid]) => uid === first.uid)).toBe(true);
  });

  it('forgets a booking a week after its meeting ended, not before; the state stays bounded at every cap', async () => {
    let state = await baseline('booking_cancelled');
    ctx.fake.advance(MINUTE);
    const soonEnd = ctx.fake.now + 60 * MINUTE;
    let uids: string[];
    ({ state, uids } = await cancelMany(state, MAX_REPORTED + 20, (i) => (i === 0 ? soonEnd : ctx.fake.now + 3 * 24 * 60 * MINUTE + i * MINUTE)));
    // The cap keeps the latest meetings; the 20 with the earliest end (the first, ending soonest, among them) are forgotten.
    expect(state.reported).toHaveLength(MAX_REPORTED);
    expect(state.reported?.some(([uid]) => uid === uids[0])).toBe(false);
    expect(pollStateSize(state)).toBeLessThan(32_000);
    const kept = uids[uids.length - 1] as string;
    const keptEnd = (state.reported?.find(([uid]) => uid === kept) as [string, number])[1];
    ctx.fake.advance(keptEnd + REPORTED_RETENTION_MS - ctx.fake.now - MINUTE);
    state = (await poll('booking_cancelled', state)).state;
    expect(state.reported?.some(([uid]) => uid === kept)).toBe(true);
    // Forgetting needs a clock the data backs: a new cancellation moves the stream past the retention.
    ctx.fake.advance(2 * MINUTE);
    const fresh = ctx.fake.add({ createdAt: ctx.fake.now - 60 * MINUTE });
    ctx.fake.update(fresh.uid, { status: 'cancelled' });
    ctx.fake.advance(MINUTE);
    state = (await poll('booking_cancelled', state)).state;
    expect(state.reported?.map(([uid]) => uid)).toEqual([fresh.uid]);
  });

  it('reads a state written in the former format (plain uids) and keeps honouring it', async () => {
    const a = ctx.fake.add({ createdAt: ctx.fake.now - 60 * MINUTE, status: 'cancelled', updatedAt: ctx.fake.now - 30 * MINUTE });
    const state = await baseline('booking_cancelled');
    const legacy = { ...state, reported: [a.uid] } as unknown as BookingPollState;
    ctx.fake.advance(MINUTE);
    ctx.fake.update(a.uid, {});
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_cancelled', legacy);
    expect(result.baseline).toBe(false);
    expect(result.events).toEqual([]);
    expect(result.state.reported?.[0]?.[0]).toBe(a.uid);
  });
});

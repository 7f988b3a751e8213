import { CalcomError } from '../../src/errors';
import { MINUTE, useFakeBookings } from './support/harness';

const { ctx, poll, baseline } = useFakeBookings();
const SECOND = 1000;

const EMPTY_PAGE = JSON.stringify({
  status: 'success',
  data: [],
  pagination: { totalItems: 0, remainingItems: 0, returnedItems: 0, itemsPerPage: 250, currentPage: 1, totalPages: 1, hasNextPage: false, hasPreviousPage: false },
});

describe('one answer cannot make the engine discard a good state or pass a late booking', () => {
  // Shrunk from the fuzz suite's polling property (test/fuzz/core-poll.ts): an empty page dated
  // "0" (which parses to 2000-01-01) judged the stored position "ahead of Cal.com's clock"; the new
  // baseline's read then held the booking made since the last poll, so it was never reported.
  it('an empty page dated years behind fails the poll instead of starting a baseline that swallows a booking', async () => {
    const state = await baseline('booking_created');
    const a = ctx.fake.add();
    ctx.fake.faults.push({ kind: 'body', body: EMPTY_PAGE, headers: { date: 'Sat, 01 Jan 2000 00:00:00 GMT' } });
    const failed = poll('booking_created', state);
    await expect(failed).rejects.toBeInstanceOf(CalcomError);
    await expect(failed).rejects.toMatchObject({ kind: 'malformed_response', message: expect.stringMatching(/Date header disagreed .* poll will be repeated/) });
    ctx.fake.advance(3 * MINUTE);
    const result = await poll('booking_created', state);
    expect(result.baseline).toBe(false);
    expect(result.events.map((event) => event.booking.uid)).toEqual([a.uid]);
  });

  it('a stored position that every answer puts far ahead still starts a new baseline, with the warning', async () => {
    const state = await baseline('booking_created');
    const future = { ...state, main: { after: new Date(ctx.fake.now + 400 * 24 * 60 * MINUTE).toISOString(), seen: [] } };
    const result = await poll('booking_created', future);
    expect(result.baseline).toBe(true);
    expect(result.warnings.some((warning) => /ahead of Cal\.com's clock/.test(warning))).toBe(true);
  });

  // The gap clock.ts used to leave open: a read stopped at its page cap continued exactly at its
  // cursor whenever the Date header put the cursor more than the overlap in the past.
  it('a read stopped at its page cap under a Date header 10 minutes ahead still reports a booking committed late just below its cursor', async () => {
    const tuning = { pageSize: 5, maxPagesPerPoll: 4 };
    const state = await baseline('booking_created', {}, tuning);
    ctx.fake.advance(10 * MINUTE);
    const burst = Array.from({ length: 20 }, (_, i) => ctx.fake.add({ createdAt: ctx.fake.now - 380 * SECOND + i * 20 * SECOND }));
    ctx.fake.dateLagMs = -10 * MINUTE;
    const first = await poll('booking_created', state, {}, tuning);
    ctx.fake.dateLagMs = 0;
    expect(first.more).toBe(true);
    const cursor = Math.max(...first.events.map((event) => Date.parse(event.booking.createdAt)));
    // Committed now, 90 s after its stamp: inside the 120 s overlap the engine promises to tolerate.
    const late = ctx.fake.add({ createdAt: cursor - 30 * SECOND });
    expect(ctx.fake.now - late.createdAt).toBeLessThan(120 * SECOND);
    ctx.fake.advance(MINUTE);
    const second = await poll('booking_created', first.state, {}, tuning);
    const reported = [...first.events, ...second.events].map((event) => event.booking.uid);
    expect(reported.sort()).toEqual([...burst, late].map((booking) => booking.uid).sort());
  });
});

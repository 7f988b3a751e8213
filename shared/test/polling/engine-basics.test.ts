import { useOfflineNock } from '../support/offline-nock';
import { pollBookingEvents, type PollBookingEventsResult } from '../../src/polling/engine';
import type { BookingEventKey, BookingEventFilters } from '../../src/polling/events';
import { pollStateSize } from '../../src/polling/state';
import { FakeBookings } from './support/fake-bookings';

const MINUTE = 60_000;
let fake: FakeBookings;

useOfflineNock();
beforeEach(() => {
  fake = FakeBookings.start();
});

async function poll(event: BookingEventKey, state: unknown, filters: BookingEventFilters = {}): Promise<PollBookingEventsResult> {
  return pollBookingEvents({ event, filters, execute: fake.execute, state });
}

describe('baseline and steady state', () => {
  it('first poll records a baseline with one request and reports nothing, even with bookings present', async () => {
    for (let i = 0; i < 5; i += 1) fake.add({ createdAt: fake.now - (10 - i) * MINUTE });
    const first = await poll('booking_created', undefined);
    expect(first.baseline).toBe(true);
    expect(first.events).toEqual([]);
    expect(first.stats.requests).toBe(1);
    fake.advance(5 * MINUTE);
    const second = await poll('booking_created', first.state);
    expect(second.events).toEqual([]);
  });

  it('reports a new booking once, then idle polls are one request with an empty page', async () => {
    fake.add({ createdAt: fake.now - 60 * MINUTE });
    let state = (await poll('booking_created', undefined)).state;
    fake.advance(MINUTE);
    const created = fake.add();
    fake.advance(MINUTE);
    const found = await poll('booking_created', state);
    expect(found.events.map((e) => e.id)).toEqual([created.uid]);
    expect(found.events[0]?.booking.uid).toBe(created.uid);
    state = found.state;
    for (let i = 0; i < 5; i += 1) {
      fake.advance(5 * MINUTE);
      const idle = await poll('booking_created', state);
      expect(idle.events).toEqual([]);
      expect(idle.stats.requests).toBe(1);
      if (i > 0) expect(fake.lastReturned).toBe(0);
      state = idle.state;
    }
    expect(pollStateSize(state)).toBeLessThan(200);
  });

  it('asks for the pinned version, an inclusive lower bound relative to the server clock, ascending order', async () => {
    const base = await poll('booking_created', undefined);
    fake.advance(10 * MINUTE);
    await poll('booking_created', base.state);
    const last = fake.requests[fake.requests.length - 1];
    expect(last?.headers['cal-api-version']).toBe('2024-08-13');
    expect(last?.query.get('sortCreated')).toBe('asc');
    expect(last?.query.get('take')).toBe('250');
    // An empty stream has nothing before the baseline: the bound is Cal.com's epoch, not any clock.
    expect(last?.query.get('afterCreatedAt')).toBe('2021-01-01T00:00:00.000Z');
  });
});

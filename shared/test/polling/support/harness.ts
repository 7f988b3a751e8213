import { useOfflineNock } from '../../support/offline-nock';
import { listBookingEvents, pollBookingEvents, type PollBookingEventsResult } from '../../../src/polling/engine';
import type { BookingEventFilters, BookingEventKey } from '../../../src/polling/events';
import type { BookingPollTuning } from '../../../src/polling/streams';
import { FakeBookings } from './fake-bookings';

export const MINUTE = 60_000;

/** Installs a fresh fake per test and returns accessors bound to it. */
export function useFakeBookings() {
  const ctx = { fake: undefined as unknown as FakeBookings };
  useOfflineNock();
  beforeEach(() => {
    ctx.fake = FakeBookings.start();
  });

  const poll = (event: BookingEventKey, state: unknown, filters: BookingEventFilters = {}, tuning?: BookingPollTuning): Promise<PollBookingEventsResult> =>
    pollBookingEvents({ event, filters, execute: ctx.fake.execute, state, ...(tuning === undefined ? {} : { tuning }) });

  /** Baseline now, then returns the state. */
  const baseline = async (event: BookingEventKey, filters: BookingEventFilters = {}, tuning?: BookingPollTuning) => (await poll(event, undefined, filters, tuning)).state;

  const list = (event: BookingEventKey, limit?: number, filters: BookingEventFilters = {}) =>
    listBookingEvents({ event, filters, execute: ctx.fake.execute, ...(limit === undefined ? {} : { limit }) });

  return { ctx, poll, baseline, list };
}

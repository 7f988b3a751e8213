import type { BookingEventItem } from '../../src/events/item';
import type { BookingEventKey } from '../../src/polling/events';
import { createEventDedupe, deliveryToEventItems, parseWebhookDelivery, verifyWebhookSignature } from '../../src/webhooks';
import type { FakeBooking } from '../polling/support/fake-bookings';
import { MINUTE, useFakeBookings } from '../polling/support/harness';
import { SECRET, envelope, flatMeetingRow, payloadFromApiBooking, sign } from './support';

/** Cal.com stamps a delivery right after the write that fires it. */
const DELIVERY_DELAY_MS = 700;

describe('a delivery yields the item polling yields for the same change', () => {
  const { ctx, poll, baseline } = useFakeBookings();
  const apiOf = (booking: FakeBooking) => ctx.fake.serialize(booking) as Record<string, unknown>;

  async function viaWebhook(body: string, event: BookingEventKey): Promise<BookingEventItem[]> {
    expect(await verifyWebhookSignature(body, sign(body), SECRET)).toEqual({ valid: true });
    const parsed = parseWebhookDelivery(body);
    if (!parsed.ok) throw new Error(parsed.warning);
    return deliveryToEventItems(parsed.delivery, { event });
  }

  const stamp = (at: number) => new Date(at + DELIVERY_DELAY_MS).toISOString();

  function expectSameItem(fromWebhook: BookingEventItem | undefined, fromPoll: BookingEventItem | undefined, exactId = true, unknownToDelivery: readonly string[] = []): void {
    expect(fromWebhook).toBeDefined();
    expect(fromPoll).toBeDefined();
    const [a, b] = [fromWebhook as BookingEventItem, fromPoll as BookingEventItem];
    if (exactId) expect(a.id).toBe(b.id);
    expect(a.event).toBe(b.event);
    expect(Math.abs(Date.parse(a.occurredAt) - Date.parse(b.occurredAt))).toBeLessThanOrEqual(DELIVERY_DELAY_MS);
    for (const field of ['id', 'uid', 'status', 'start', 'end', 'eventTypeId', 'eventType', 'title', 'location', 'rescheduledFromUid'] as const) {
      if (!unknownToDelivery.includes(field)) expect(a.booking[field]).toEqual(b.booking[field]);
    }
    expect(a.rescheduledFrom?.uid).toBe(b.rescheduledFrom?.uid);
    // One dedupe serves both paths: whichever comes second is dropped.
    const dedupe = createEventDedupe();
    expect(dedupe.admit(a)).toBe(true);
    expect(dedupe.admit(b)).toBe(false);
    const reversed = createEventDedupe(JSON.parse(JSON.stringify(createEventDedupe().state())));
    expect(reversed.admit(b)).toBe(true);
    expect(reversed.admit(a)).toBe(false);
  }

  it('booking created', async () => {
    const state = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    const booking = ctx.fake.add();
    const polled = await poll('booking_created', state);
    const [item] = await viaWebhook(envelope('BOOKING_CREATED', stamp(booking.createdAt), payloadFromApiBooking(apiOf(booking), 'ACCEPTED')), 'booking_created');
    expectSameItem(item, polled.events[0]);
  });

  it('booking requested, and its confirmation as created', async () => {
    const requestedState = await baseline('booking_requested');
    const createdState = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    const booking = ctx.fake.add({ status: 'pending' });
    const requested = await poll('booking_requested', requestedState);
    expectSameItem((await viaWebhook(envelope('BOOKING_REQUESTED', stamp(booking.createdAt), payloadFromApiBooking(apiOf(booking), 'PENDING')), 'booking_requested'))[0], requested.events[0]);
    const waiting = await poll('booking_created', createdState);
    expect(waiting.events).toEqual([]);
    ctx.fake.advance(MINUTE);
    ctx.fake.update(booking.uid, { status: 'accepted' });
    const confirmed = await poll('booking_created', waiting.state);
    const [item] = await viaWebhook(envelope('BOOKING_CREATED', stamp(ctx.fake.now), payloadFromApiBooking(apiOf(booking), 'ACCEPTED', { requiresConfirmation: true })), 'booking_created');
    expectSameItem(item, confirmed.events[0]);
  });

  it('booking rescheduled: the new uid, moved from the old one', async () => {
    const original = ctx.fake.add();
    const state = await baseline('booking_rescheduled');
    ctx.fake.advance(MINUTE);
    const replacement = ctx.fake.reschedule(original.uid, original.start + 60 * MINUTE);
    const polled = await poll('booking_rescheduled', state);
    const body = envelope('BOOKING_RESCHEDULED', stamp(replacement.createdAt), payloadFromApiBooking(apiOf(replacement), 'ACCEPTED', {
      rescheduleUid: original.uid, rescheduleStartTime: new Date(original.start).toISOString(), rescheduleEndTime: new Date(original.end).toISOString(),
    }));
    const [item] = await viaWebhook(body, 'booking_rescheduled');
    expectSameItem(item, polled.events[0]);
    expect(item?.rescheduledFrom).toEqual(polled.events[0]?.rescheduledFrom);
  });

  it.each([
    ['booking_cancelled', 'BOOKING_CANCELLED', 'cancelled'],
    ['booking_rejected', 'BOOKING_REJECTED', 'rejected'],
  ] as const)('%s', async (event, trigger, status) => {
    const booking = ctx.fake.add({ status: status === 'rejected' ? 'pending' : 'accepted' });
    const state = await baseline(event);
    ctx.fake.advance(MINUTE);
    ctx.fake.update(booking.uid, { status });
    const polled = await poll(event, state);
    const [item] = await viaWebhook(envelope(trigger, stamp(ctx.fake.now), payloadFromApiBooking(apiOf(booking), status.toUpperCase())), event);
    expectSameItem(item, polled.events[0]);
  });

  it('meeting ended, from the flat row', async () => {
    const booking = ctx.fake.add({ start: ctx.fake.now + 10 * MINUTE, end: ctx.fake.now + 40 * MINUTE });
    const state = await baseline('meeting_ended');
    ctx.fake.advance(45 * MINUTE);
    const polled = await poll('meeting_ended', state);
    const [item] = await viaWebhook(flatMeetingRow('MEETING_ENDED', apiOf(booking)), 'meeting_ended');
    // The row has the event type's id but not its slug.
    expectSameItem(item, polled.events[0], true, ['eventType']);
    expect(item?.booking.eventType).toBeUndefined();
    expect(item?.occurredAt).toBe(polled.events[0]?.occurredAt);
  });

  it('booking updated: ids differ by the delivery delay (no updatedAt in the payload), and the dedupe still sees one change', async () => {
    const booking = ctx.fake.add();
    const state = await baseline('booking_updated');
    ctx.fake.advance(MINUTE);
    ctx.fake.update(booking.uid, { status: 'cancelled' });
    const polled = await poll('booking_updated', state);
    const [item] = await viaWebhook(envelope('BOOKING_CANCELLED', stamp(ctx.fake.now), payloadFromApiBooking(apiOf(booking), 'CANCELLED')), 'booking_updated');
    expect(polled.events[0]?.id).toBe(`${booking.uid}:${new Date(ctx.fake.now).toISOString()}`);
    expect(item?.id).toBe(`${booking.uid}:${stamp(ctx.fake.now)}`);
    expectSameItem(item, polled.events[0], false);
    // A later, separate change of the same booking is a new one.
    const later = { ...(polled.events[0] as BookingEventItem), occurredAt: new Date(ctx.fake.now + 5 * MINUTE).toISOString() };
    const dedupe = createEventDedupe();
    dedupe.admit(item as BookingEventItem);
    expect(dedupe.admit(later)).toBe(true);
  });
});

describe('createEventDedupe bounds', () => {
  const item = (uid: string, at: number): BookingEventItem => ({ id: uid, event: 'booking_created', occurredAt: new Date(at).toISOString(), booking: { uid } as BookingEventItem['booking'] });

  it('forgets keys a day older than the newest change, and keeps at most 1,000', () => {
    const dedupe = createEventDedupe();
    const t0 = Date.UTC(2026, 0, 1);
    dedupe.admit(item('old', t0));
    for (let i = 0; i < 1_100; i += 1) dedupe.admit(item(`n${i}`, t0 + 25 * 3600_000 + i));
    const state = dedupe.state();
    expect(state.seen).toHaveLength(1_000);
    expect(state.seen.some(([key]) => key === 'old' || key === 'n0')).toBe(false);
    expect(JSON.stringify(state).length).toBeLessThan(60_000);
    const restored = createEventDedupe(state);
    expect(restored.admit(item('n1099', t0))).toBe(false);
    expect(restored.admit(item('old', t0))).toBe(true);
  });

  it('starts empty from an unusable state', () => {
    expect(createEventDedupe({ v: 9 }).state()).toEqual({ v: 1, seen: [] });
    expect(createEventDedupe('nonsense').admit(item('a', 0))).toBe(true);
  });
});

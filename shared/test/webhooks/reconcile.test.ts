import { createEventDedupe, receiveDelivery, reconcileEvents, type EventDedupeState } from '../../src/webhooks';
import type { FakeBooking } from '../polling/support/fake-bookings';
import { MINUTE, useFakeBookings } from '../polling/support/harness';
import { SECRET, envelope, payloadFromApiBooking, sign } from './support';

/** The two paths of an instant trigger over one stored dedupe, as the soak and the adapters run them. */
describe('receiveDelivery and reconcileEvents share one dedupe', () => {
  const { ctx, poll, baseline } = useFakeBookings();
  let stored: EventDedupeState | undefined;
  beforeEach(() => {
    stored = undefined;
  });

  const bodyOf = (booking: FakeBooking) => envelope('BOOKING_CREATED', new Date(booking.createdAt + 500).toISOString(), payloadFromApiBooking(ctx.fake.serialize(booking) as Record<string, unknown>, 'ACCEPTED'));

  async function deliver(body: string, signature: string | undefined) {
    const dedupe = createEventDedupe(stored);
    const received = await receiveDelivery(body, signature, SECRET, { event: 'booking_created' }, dedupe);
    stored = dedupe.state();
    return received;
  }

  async function reconcile(state: unknown) {
    const result = await poll('booking_created', state);
    const dedupe = createEventDedupe(stored);
    const emitted = reconcileEvents(result, dedupe);
    stored = dedupe.state();
    return { emitted, state: result.state };
  }

  it('a delivered change is not emitted again by the poll; a dropped one is, once', async () => {
    let state: unknown = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    const delivered = ctx.fake.add();
    const dropped = ctx.fake.add();

    const first = await deliver(bodyOf(delivered), sign(bodyOf(delivered)));
    expect(first).toEqual({ outcome: 'accepted', items: [expect.objectContaining({ id: delivered.uid, event: 'booking_created' })] });

    const reconciled = await reconcile(state);
    expect(reconciled.emitted.map((item) => item.id)).toEqual([dropped.uid]);
    state = reconciled.state;
    // The next poll reports nothing (its own state), and a late copy of either delivery is a repeat.
    expect((await reconcile(state)).emitted).toEqual([]);
    expect(await deliver(bodyOf(dropped), sign(bodyOf(dropped)))).toEqual({ outcome: 'accepted', items: [] });
    expect(await deliver(bodyOf(delivered), sign(bodyOf(delivered)))).toEqual({ outcome: 'accepted', items: [] });
  });

  it('a delivery that arrives after the poll reported its change emits nothing', async () => {
    const state = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    const late = ctx.fake.add();
    expect((await reconcile(state)).emitted.map((item) => item.id)).toEqual([late.uid]);
    expect(await deliver(bodyOf(late), sign(bodyOf(late)))).toEqual({ outcome: 'accepted', items: [] });
  });

  it('a forged delivery is refused, emits nothing and leaves the dedupe as it was', async () => {
    const state = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    const booking = ctx.fake.add();
    const body = bodyOf(booking);
    for (const [signature, reason] of [[sign(body, 'another-secret'), 'bad_signature'], ['no-secret-provided', 'unsigned'], [undefined, 'missing_signature']] as const) {
      expect(await deliver(body, signature)).toMatchObject({ outcome: 'refused', reason });
    }
    expect(await deliver(body.replace(booking.uid, 'someone-else'), sign(body))).toMatchObject({ outcome: 'refused', reason: 'bad_signature' });
    expect(stored?.seen ?? []).toEqual([]);
    // The change was never emitted, so the reconciliation poll reports it.
    expect((await reconcile(state)).emitted.map((item) => item.id)).toEqual([booking.uid]);
  });

  it('a malformed genuine delivery is accepted with a warning and nothing to emit', async () => {
    const body = JSON.stringify({ triggerEvent: 'BOOKING_CREATED', createdAt: 'yesterday', payload: {} });
    const received = await deliver(body, sign(body));
    expect(received).toMatchObject({ outcome: 'accepted', items: [] });
    expect(received.outcome === 'accepted' ? received.warning : undefined).toMatch(/createdAt/);
  });

  it('a baseline poll emits nothing and admits nothing', async () => {
    ctx.fake.add();
    const result = await poll('booking_created', undefined);
    const dedupe = createEventDedupe();
    expect(reconcileEvents(result, dedupe)).toEqual([]);
    expect(dedupe.state().seen).toEqual([]);
  });
});

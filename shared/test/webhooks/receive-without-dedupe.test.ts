import { createEventDedupe, receiveDelivery } from '../../src/webhooks';
import { useFakeBookings } from '../polling/support/harness';
import { SECRET, envelope, payloadFromApiBooking, sign } from './support';

/** The Zapier hooks call receiveDelivery without a dedupe: they drop repeats in z.cache after mapping. */
describe('receiveDelivery without a dedupe (the Zapier hook path)', () => {
  const { ctx } = useFakeBookings();

  function createdBody(): string {
    const booking = ctx.fake.add();
    return envelope('BOOKING_CREATED', new Date(booking.createdAt + 500).toISOString(), payloadFromApiBooking(ctx.fake.serialize(booking) as Record<string, unknown>, 'ACCEPTED'));
  }

  it('hands every copy of a genuine delivery on, the same items a dedupe would admit the first time', async () => {
    const body = createdBody();
    const first = await receiveDelivery(body, sign(body), SECRET, { event: 'booking_created' });
    const again = await receiveDelivery(body, sign(body), SECRET, { event: 'booking_created' });
    const deduped = await receiveDelivery(body, sign(body), SECRET, { event: 'booking_created' }, createEventDedupe());
    expect(first.outcome === 'accepted' && first.items.length).toBe(1);
    expect(again).toEqual(first);
    expect(deduped).toEqual(first);
  });

  it('still refuses a forged call and skips a malformed body with a warning', async () => {
    const body = createdBody();
    expect(await receiveDelivery(body, sign(body, 'another-secret'), SECRET, { event: 'booking_created' })).toMatchObject({ outcome: 'refused', reason: 'bad_signature' });
    const broken = '{"triggerEvent":"BOOKING_CREATED"}';
    const skipped = await receiveDelivery(broken, sign(broken), SECRET, { event: 'booking_created' });
    expect(skipped).toMatchObject({ outcome: 'accepted', items: [], warning: expect.stringContaining('payload') });
  });
});

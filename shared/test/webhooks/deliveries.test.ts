import { createEventDedupe, deliveryToEventItems, parseWebhookDelivery, type BookingDelivery } from '../../src/webhooks';
import { FakeBookings } from '../polling/support/fake-bookings';
import { envelope, flatMeetingRow, payloadFromApiBooking } from './support';

const fake = FakeBookings.start();
const api = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({ ...(fake.serialize(fake.add()) as Record<string, unknown>), ...overrides });
const AT = '2026-03-02T09:00:01.000Z';

function parsed(body: string): BookingDelivery {
  const result = parseWebhookDelivery(body);
  if (!result.ok || result.delivery.kind !== 'booking') throw new Error(`not a booking delivery: ${JSON.stringify(result)}`);
  return result.delivery;
}

describe('parseWebhookDelivery', () => {
  it.each([
    ['BOOKING_CREATED', 'ACCEPTED', 'accepted'],
    ['BOOKING_REQUESTED', 'PENDING', 'pending'],
    ['BOOKING_CANCELLED', 'CANCELLED', 'cancelled'],
    ['BOOKING_REJECTED', 'REJECTED', 'rejected'],
    ['BOOKING_PAID', 'ACCEPTED', 'accepted'],
    ['BOOKING_LOCATION_UPDATED', 'ACCEPTED', 'accepted'],
  ])('reads %s into the API booking shape (lowercase status, start/end with milliseconds)', (trigger, status, lower) => {
    const source = api();
    const delivery = parsed(envelope(trigger, AT, payloadFromApiBooking(source, status)));
    expect(delivery).toMatchObject({ trigger, deliveredAt: AT });
    expect(delivery.booking).toMatchObject({
      id: source.id, uid: source.uid, status: lower, start: source.start, end: source.end,
      eventTypeId: (source.eventType as { id: number }).id, eventType: source.eventType,
      attendees: [{ name: 'Guest', email: 'guest@example.com', timeZone: 'UTC', language: 'en' }],
      hosts: [{ id: 7, name: 'Host', email: 'host@example.com', username: 'host', timeZone: 'UTC' }],
    });
  });

  it('reads a reschedule: uid is the new booking, rescheduleUid the old one', () => {
    const source = api();
    const delivery = parsed(envelope('BOOKING_RESCHEDULED', AT, payloadFromApiBooking(source, 'ACCEPTED', { rescheduleUid: 'old-uid', rescheduleStartTime: '2026-03-01T10:00:00Z', rescheduleEndTime: '2026-03-01T10:30:00Z' })));
    expect(delivery.booking).toMatchObject({ uid: source.uid, rescheduledFromUid: 'old-uid' });
    expect(delivery.rescheduledFrom).toEqual({ uid: 'old-uid', start: '2026-03-01T10:00:00.000Z', end: '2026-03-01T10:30:00.000Z' });
  });

  it('reads MEETING_ENDED as the flat booking row it is (no payload, no createdAt), keeping the row timestamps', () => {
    const source = api({ updatedAt: '2026-03-02T08:00:00.000Z' });
    const delivery = parsed(flatMeetingRow('MEETING_ENDED', source));
    expect(delivery).toMatchObject({ trigger: 'MEETING_ENDED', deliveredAt: undefined });
    expect(delivery.booking).toMatchObject({ id: source.id, uid: source.uid, status: 'accepted', end: source.end, createdAt: source.createdAt, updatedAt: '2026-03-02T08:00:00.000Z' });
  });

  it('hands back other triggers as "other", which map to nothing', () => {
    const result = parseWebhookDelivery(JSON.stringify({ triggerEvent: 'OOO_CREATED', createdAt: AT, payload: { oooEntry: {} } }));
    expect(result).toEqual({ ok: true, delivery: { kind: 'other', trigger: 'OOO_CREATED' } });
    if (result.ok) expect(deliveryToEventItems(result.delivery, { event: 'booking_updated' })).toEqual([]);
  });

  it.each([
    ['not JSON', 'uid=1&title=x', /not JSON/],
    ['no triggerEvent (a payload template)', JSON.stringify({ uid: 'x' }), /without "triggerEvent"/],
    ['no payload', JSON.stringify({ triggerEvent: 'BOOKING_CREATED', createdAt: AT }), /without a "payload"/],
    ['a bad createdAt', envelope('BOOKING_CREATED', 'yesterday', payloadFromApiBooking(api(), 'ACCEPTED')), /createdAt "yesterday"/],
    ['no uid', envelope('BOOKING_CREATED', AT, payloadFromApiBooking(api(), 'ACCEPTED', { uid: '' })), /has no uid/],
    ['a string bookingId', envelope('BOOKING_CREATED', AT, payloadFromApiBooking(api(), 'ACCEPTED', { bookingId: '12' })), /bookingId is not/],
    ['a bad startTime', envelope('BOOKING_CREATED', AT, payloadFromApiBooking(api(), 'ACCEPTED', { startTime: 'soon' })), /startTime "soon"/],
    ['an unknown status', envelope('BOOKING_CREATED', AT, payloadFromApiBooking(api(), 'ON_HOLD')), /status "ON_HOLD"/],
    ['attendees that are not a list', envelope('BOOKING_CREATED', AT, payloadFromApiBooking(api(), 'ACCEPTED', { attendees: 'Guest' })), /attendees is text/],
    ['a flat row without id', flatMeetingRow('MEETING_ENDED', api({ id: null })), /id is not/],
  ])('skips a delivery with %s, with a warning naming it', (_name, body, warning) => {
    const result = parseWebhookDelivery(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.warning).toMatch(warning);
  });
});

describe('deliveryToEventItems: Cal.com\'s quirks', () => {
  const created = () => parsed(envelope('BOOKING_CREATED', AT, payloadFromApiBooking(api(), 'ACCEPTED')));
  const requested = (extra: Record<string, unknown> = {}) => parsed(envelope('BOOKING_REQUESTED', AT, payloadFromApiBooking(api(), 'PENDING', extra)));

  it('a request is "requested", and "created" only with include unconfirmed; its confirmation (BOOKING_CREATED) is "created" with the same id', () => {
    const request = requested();
    expect(deliveryToEventItems(request, { event: 'booking_requested' }).map((item) => item.id)).toEqual([request.booking.uid]);
    expect(deliveryToEventItems(request, { event: 'booking_created' })).toEqual([]);
    expect(deliveryToEventItems(request, { event: 'booking_created', filters: { includeUnconfirmed: true } })).toHaveLength(1);
    const confirmation = parsed(envelope('BOOKING_CREATED', AT, payloadFromApiBooking({ ...(fake.serialize(fake.bookings.get(request.booking.uid)!) as Record<string, unknown>) }, 'ACCEPTED', { requiresConfirmation: true })));
    expect(deliveryToEventItems(confirmation, { event: 'booking_created' })[0]?.id).toBe(request.booking.uid);
  });

  it('the v2 reschedule\'s BOOKING_REQUESTED naming the old booking is a reschedule under include unconfirmed, not a creation', () => {
    const request = requested({ rescheduleUid: 'old-uid' });
    expect(deliveryToEventItems(request, { event: 'booking_created', filters: { includeUnconfirmed: true } })).toEqual([]);
    expect(deliveryToEventItems(request, { event: 'booking_rescheduled', filters: { includeUnconfirmed: true } })[0]).toMatchObject({ id: request.booking.uid, rescheduledFrom: { uid: 'old-uid' } });
    expect(deliveryToEventItems(request, { event: 'booking_rescheduled' })).toEqual([]);
  });

  it('"request reschedule" is a cancellation, flagged', () => {
    const delivery = parsed(envelope('BOOKING_CANCELLED', AT, payloadFromApiBooking(api(), 'CANCELLED', { requestReschedule: true, cancelledBy: 'host@example.com' })));
    const [item] = deliveryToEventItems(delivery, { event: 'booking_cancelled' });
    expect(item?.booking).toMatchObject({ status: 'cancelled', requestReschedule: true, cancelledByEmail: 'host@example.com' });
  });

  it('a delivery for another event type, or another event, yields nothing', () => {
    expect(deliveryToEventItems(created(), { event: 'booking_created', filters: { eventTypeIds: [99] } })).toEqual([]);
    expect(deliveryToEventItems(created(), { event: 'booking_cancelled' })).toEqual([]);
    expect(deliveryToEventItems(created(), { event: 'booking_created', filters: { eventTypeIds: [1] } })).toHaveLength(1);
  });

  it('MEETING_ENDED counts accepted meetings only, and MEETING_STARTED nothing', () => {
    expect(deliveryToEventItems(parsed(flatMeetingRow('MEETING_ENDED', api())), { event: 'meeting_ended' })).toHaveLength(1);
    expect(deliveryToEventItems(parsed(flatMeetingRow('MEETING_ENDED', api(), 'CANCELLED')), { event: 'meeting_ended' })).toEqual([]);
    expect(deliveryToEventItems(parsed(flatMeetingRow('MEETING_STARTED', api())), { event: 'meeting_ended' })).toEqual([]);
  });

  it('the dedupe drops a duplicated delivery (Cal.com\'s task retries)', () => {
    const dedupe = createEventDedupe();
    const items = [...deliveryToEventItems(created(), { event: 'booking_created' })];
    expect(dedupe.admit(items[0]!)).toBe(true);
    expect(dedupe.admit({ ...items[0]! })).toBe(false);
  });
});

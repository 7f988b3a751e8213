/**
 * The instant (REST hook) triggers through zapier-platform-core's appTester, with nock standing in
 * for Cal.com: the subscribe and unsubscribe wire requests, `perform` on signed and forged calls, the
 * items against the polling trigger's for the same change, and `performList` as the polling query.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createAppTester } from 'zapier-platform-core';
import nock from 'nock';
import App from '../src/index';
import { perform as pollCreated } from '../src/triggers/bookingCreated';
import { perform as pollCancelled } from '../src/triggers/bookingCancelled';
import * as createdInstant from '../src/triggers/bookingCreatedInstant';
import * as cancelledInstant from '../src/triggers/bookingCancelledInstant';
import * as rescheduledInstant from '../src/triggers/bookingRescheduledInstant';
import { envelope, payloadFromApiBooking } from '../../shared/test/webhooks/support';
import { booking, bookingsPage } from './fixtures';
import { CLOUD_API, guardNetwork, mint, rejectionOf, useCloudEnv } from './helpers';

const appTester = createAppTester(App);
guardNetwork();
beforeEach(() => useCloudEnv());

const TARGET_URL = 'https://hooks.zapier.com/hooks/standard/123/abc/';
const sign = (body: string, secret: string): string => createHmac('sha256', secret).update(body).digest('hex');
const webhookAnswer = (fields: Record<string, unknown>) => ({ status: 'success', data: { userId: 1, payloadTemplate: null, version: '2021-10-20', time: null, timeUnit: null, ...fields } });

/** A hook call as Zapier hands it to `perform`: headers other than Content-Type prefixed `Http-`, Camel-Cased. */
function hookCall(body: string, headers: Record<string, string>, subscribeData: { id: string; [key: string]: unknown }, inputData: Record<string, unknown> = {}) {
  return {
    authData: { access_token: mint('at') },
    inputData,
    subscribeData,
    rawRequest: { method: 'POST' as const, querystring: '', headers: { 'Content-Type': 'application/json', ...headers }, content: body },
    cleanedRequest: JSON.parse(body) as unknown,
  };
}

function subscription(secret = mint('whsec')) {
  const id = randomUUID();
  return { id, secret, triggers: ['BOOKING_CREATED'], webhooks: [{ id, origin: 'created' }] };
}

describe('performSubscribe', () => {
  it('creates one user webhook for the target URL with the event\'s triggers, a fresh secret and the payload version; keeps id and secret', async () => {
    const accessToken = mint('at');
    const id = randomUUID();
    let sent: Record<string, unknown> = {};
    nock(CLOUD_API, { reqheaders: { authorization: `Bearer ${accessToken}` } })
      .post('/v2/webhooks', (body: Record<string, unknown>) => {
        sent = body;
        return true;
      })
      .reply(201, () => webhookAnswer({ id, subscriberUrl: TARGET_URL, triggers: sent.triggers, active: true, secret: sent.secret }));

    const data = await appTester(createdInstant.performSubscribe, { authData: { access_token: accessToken }, inputData: {}, targetUrl: TARGET_URL });
    expect(sent).toEqual({ subscriberUrl: TARGET_URL, triggers: ['BOOKING_CREATED'], active: true, secret: expect.any(String), version: '2021-10-20' });
    expect(String(sent.secret).length).toBeGreaterThanOrEqual(40);
    expect(data).toEqual({ id, secret: sent.secret, triggers: ['BOOKING_CREATED'], webhooks: [{ id, origin: 'created' }] });
  });

  it('filtered by event types: one event-type webhook each, all with the same secret; rescheduled also listens to BOOKING_CREATED (confirmations)', async () => {
    const accessToken = mint('at');
    const bodies: Array<Record<string, unknown>> = [];
    for (const eventTypeId of [7, 12]) {
      nock(CLOUD_API)
        .post(`/v2/event-types/${eventTypeId}/webhooks`, (body: Record<string, unknown>) => {
          bodies.push(body);
          return true;
        })
        .reply(201, () => ({ status: 'success', data: { id: `wh-${eventTypeId}`, eventTypeId, subscriberUrl: TARGET_URL, triggers: bodies.at(-1)?.triggers, active: true, secret: bodies.at(-1)?.secret } }));
    }
    const data = (await appTester(rescheduledInstant.performSubscribe, { authData: { access_token: accessToken }, inputData: { eventTypeIds: ['7', '12'] }, targetUrl: TARGET_URL })) as unknown as Record<string, unknown>;
    expect(bodies.map((body) => body.triggers)).toEqual([['BOOKING_RESCHEDULED', 'BOOKING_CREATED'], ['BOOKING_RESCHEDULED', 'BOOKING_CREATED']]);
    expect(bodies[0]?.secret).toBe(bodies[1]?.secret);
    expect(data).toMatchObject({ id: 'wh-7', webhooks: [{ id: 'wh-7', eventTypeId: 7 }, { id: 'wh-12', eventTypeId: 12 }] });
  });

  it('a 409 for a URL already in use reuses that webhook (updated to our triggers and secret), never a second', async () => {
    const existing = randomUUID();
    let patched: Record<string, unknown> = {};
    nock(CLOUD_API).post('/v2/webhooks').reply(409, { status: 'error', error: { code: 'ConflictException', message: 'Webhook with this subscriber url already exists for this user' } });
    nock(CLOUD_API).get('/v2/webhooks').query(true).reply(200, { status: 'success', data: [webhookAnswer({ id: existing, subscriberUrl: TARGET_URL, triggers: ['BOOKING_CANCELLED'], active: false, secret: 'old' }).data] });
    nock(CLOUD_API)
      .patch(`/v2/webhooks/${existing}`, (body: Record<string, unknown>) => {
        patched = body;
        return true;
      })
      .reply(200, () => webhookAnswer({ id: existing, subscriberUrl: TARGET_URL, triggers: patched.triggers, active: true, secret: patched.secret }));
    const data = (await appTester(createdInstant.performSubscribe, { authData: { access_token: mint('at') }, inputData: {}, targetUrl: TARGET_URL })) as unknown as Record<string, unknown>;
    expect(data).toMatchObject({ id: existing, secret: patched.secret, webhooks: [{ id: existing, origin: 'reused' }] });
  });

  it('a connection without the webhook scope is told to reconnect and allow it, and the secret is in no message', async () => {
    let secret = '';
    nock(CLOUD_API)
      .post('/v2/webhooks', (body: Record<string, unknown>) => {
        secret = String(body.secret);
        return true;
      })
      .reply(403, { status: 'error', error: { code: 'ForbiddenException', message: 'insufficient_scope: Required: WEBHOOK_WRITE' } });
    const error = await rejectionOf(appTester(createdInstant.performSubscribe, { authData: { access_token: mint('at') }, inputData: {}, targetUrl: TARGET_URL }));
    expect(error.message).toMatch(/Reconnect the Cal\.com account and allow WEBHOOK_WRITE/);
    expect(error.name).not.toBe('ExpiredAuthError');
    expect(secret).not.toBe('');
    expect(error.message).not.toContain(secret);
  });
});

describe('performUnsubscribe', () => {
  it('deletes every webhook of the subscription; one already gone (404) counts as deleted', async () => {
    const first = randomUUID();
    nock(CLOUD_API).delete(`/v2/event-types/7/webhooks/${first}`).reply(200, { status: 'success', data: { id: first } });
    nock(CLOUD_API).delete('/v2/event-types/12/webhooks/gone').reply(404, { status: 'error', error: { code: 'NotFoundException', message: 'Webhook not found' } });
    const subscribeData = { id: first, secret: mint('whsec'), triggers: ['BOOKING_CANCELLED'], webhooks: [{ id: first, eventTypeId: 7, origin: 'created' }, { id: 'gone', eventTypeId: 12, origin: 'created' }] };
    await expect(appTester(cancelledInstant.performUnsubscribe, { authData: { access_token: mint('at') }, inputData: {}, subscribeData: subscribeData as never })).resolves.toEqual({ deleted: 2 });
  });

  it('a subscription stored with only an id deletes that user webhook', async () => {
    const id = randomUUID();
    nock(CLOUD_API).delete(`/v2/webhooks/${id}`).reply(200, { status: 'success', data: { id } });
    await expect(appTester(createdInstant.performUnsubscribe, { authData: { access_token: mint('at') }, inputData: {}, subscribeData: { id } })).resolves.toEqual({ deleted: 1 });
  });
});

describe('perform', () => {
  it('a signed BOOKING_CREATED gives the item the polling trigger gives for the same booking: same id and output fields', async () => {
    const accessToken = mint('at');
    const created = booking({ createdAt: '2026-11-22T10:00:00.000Z' });
    nock(CLOUD_API).get('/v2/bookings').query(true).reply(200, bookingsPage([created]));
    const [polled] = (await appTester(pollCreated, { authData: { access_token: accessToken }, inputData: {} })) as Record<string, unknown>[];

    const sub = subscription();
    const body = envelope('BOOKING_CREATED', '2026-11-22T10:00:00.800Z', payloadFromApiBooking(created, 'ACCEPTED'));
    const items = (await appTester(createdInstant.perform, hookCall(body, { 'Http-X-Cal-Signature-256': sign(body, sub.secret) }, sub))) as Record<string, unknown>[];
    expect(items).toHaveLength(1);
    const [pushed] = items as [Record<string, unknown>];
    expect(Object.keys(pushed).sort()).toEqual(Object.keys(polled ?? {}).sort());
    for (const key of ['id', 'event', 'bookingId', 'bookingUid', 'title', 'status', 'start', 'end', 'eventTypeId', 'eventTypeSlug', 'location', 'hostName', 'hostEmail', 'attendeeName', 'attendeeEmail', 'rescheduledFromUid', 'previousStart']) {
      expect([key, pushed[key]]).toEqual([key, polled?.[key]]);
    }
    expect(pushed.id).toBe(created.uid);
  });

  it('a cancellation delivered twice (a Cal.com task retry) runs the Zap once; a cancellation maps like the polling one', async () => {
    const accessToken = mint('at');
    const cancelled = booking({ status: 'cancelled', cancellationReason: 'Ill', updatedAt: '2026-11-22T11:00:00.000Z' });
    nock(CLOUD_API).get('/v2/bookings').query(true).reply(200, bookingsPage([cancelled]));
    const [polled] = (await appTester(pollCancelled, { authData: { access_token: accessToken }, inputData: {} })) as Record<string, unknown>[];
    const sub = { ...subscription(), triggers: ['BOOKING_CANCELLED'] };
    const body = envelope('BOOKING_CANCELLED', '2026-11-22T11:00:00.500Z', payloadFromApiBooking(cancelled, 'CANCELLED', { cancellationReason: 'Ill' }));
    const call = hookCall(body, { 'Http-X-Cal-Signature-256': sign(body, sub.secret) }, sub);
    const first = (await appTester(cancelledInstant.perform, call, true)) as Record<string, unknown>[];
    expect(first.map((item) => [item.id, item.event, item.status, item.cancellationReason])).toEqual([[polled?.id, polled?.event, polled?.status, polled?.cancellationReason]]);
    await expect(appTester(cancelledInstant.perform, call)).resolves.toEqual([]);
    // Another Zap (its own subscription) is not affected by this one's memory.
    const other = { ...subscription(sub.secret), triggers: ['BOOKING_CANCELLED'] };
    await expect(appTester(cancelledInstant.perform, { ...call, subscribeData: other })).resolves.toHaveLength(1);
  });

  it('reads the signature header whatever its casing, with or without the Http- prefix', async () => {
    const sub = subscription();
    for (const name of ['x-cal-signature-256', 'HTTP-X-CAL-SIGNATURE-256']) {
      const body = envelope('BOOKING_CREATED', '2026-11-22T10:00:00.800Z', payloadFromApiBooking(booking(), 'ACCEPTED'));
      await expect(appTester(createdInstant.perform, hookCall(body, { [name]: sign(body, sub.secret) }, sub), true)).resolves.toHaveLength(1);
    }
  });

  describe('forged calls are refused with a clear error and emit nothing', () => {
    const sub = subscription();
    const body = envelope('BOOKING_CREATED', '2026-11-22T10:00:00.800Z', payloadFromApiBooking(booking(), 'ACCEPTED'));
    const cases: Array<[string, ReturnType<typeof hookCall>, RegExp]> = [
      ['a tampered body', hookCall(body.replace('"ACCEPTED"', '"ACCEPTED" '), { 'Http-X-Cal-Signature-256': sign(body, sub.secret) }, sub), /does not match its body/],
      ['the wrong secret', hookCall(body, { 'Http-X-Cal-Signature-256': sign(body, 'another-secret') }, sub), /does not match its body/],
      ['no signature header', hookCall(body, {}, sub), /without the X-Cal-Signature-256 header/],
      ['"no-secret-provided"', hookCall(body, { 'Http-X-Cal-Signature-256': 'no-secret-provided' }, sub), /unsigned webhook call/],
      ['a subscription without a secret', hookCall(body, { 'Http-X-Cal-Signature-256': sign(body, sub.secret) }, { id: sub.id }), /no stored secret/],
      ['no raw request', { ...hookCall(body, {}, sub), rawRequest: undefined as never }, /without its raw body/],
    ];
    it.each(cases)('%s', async (_name, call, message) => {
      const error = await rejectionOf(appTester(createdInstant.perform, call));
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/Nothing was emitted|nothing was emitted/);
      expect(error.message).not.toContain(sub.secret);
    });
  });

  it('a delivery that is not about this event, or not Cal.com\'s envelope, emits nothing and warns', async () => {
    const sub = subscription();
    const cancelledBody = envelope('BOOKING_CANCELLED', '2026-11-22T10:00:00.800Z', payloadFromApiBooking(booking(), 'CANCELLED'));
    await expect(appTester(createdInstant.perform, hookCall(cancelledBody, { 'Http-X-Cal-Signature-256': sign(cancelledBody, sub.secret) }, sub))).resolves.toEqual([]);
    const templated = '{"uid":"abc"}';
    await expect(appTester(createdInstant.perform, hookCall(templated, { 'Http-X-Cal-Signature-256': sign(templated, sub.secret) }, sub))).resolves.toEqual([]);
  });
});

describe('performList', () => {
  it('is the polling query: the same request and the same items as the polling trigger', async () => {
    const accessToken = mint('at');
    const bookings = [booking({ createdAt: '2026-11-22T10:00:00.000Z' }), booking({ createdAt: '2026-11-21T10:00:00.000Z' })];
    const queries: unknown[] = [];
    for (let i = 0; i < 2; i += 1) {
      nock(CLOUD_API, { reqheaders: { authorization: `Bearer ${accessToken}` } })
        .get('/v2/bookings')
        .query((query) => {
          queries.push(query);
          return true;
        })
        .reply(200, bookingsPage(bookings));
    }
    const bundle = { authData: { access_token: accessToken }, inputData: {}, meta: { isLoadingSample: true } };
    const listed = await appTester(createdInstant.performList, bundle);
    const polled = await appTester(pollCreated, bundle);
    expect(listed).toEqual(polled);
    expect(listed.map((item) => item.id)).toEqual(bookings.map((item) => item.uid));
    expect(queries[0]).toEqual(queries[1]);
  });
});

import { CalcomError } from '../../src/errors';
import {
  buildCreateWebhookRequest,
  buildDeleteWebhookRequest,
  buildListWebhooksRequest,
  buildUpdateWebhookRequest,
  findWebhook,
  processCreateWebhookResponse,
  subscribeWebhooks,
  unsubscribeWebhooks,
  webhookTriggersFor,
} from '../../src/webhooks';
import { failure, fakeCalcom, instance, json, success } from '../actions/support';

const URL_A = 'https://hooks.zapier.com/hooks/standard/1/abc';
const SECRET = 'secret-0123456789abcdef-xyz';
const ID = '2b9f6a8e-5c1d-4c4e-9a55-0d2c8f1e7a10';

const webhook = (overrides: Record<string, unknown> = {}) => ({
  id: ID, userId: 7, subscriberUrl: URL_A, triggers: ['BOOKING_CANCELLED'], active: true, payloadTemplate: null, secret: SECRET, ...overrides,
});

describe('webhook request builders', () => {
  it('creates a user webhook with triggers (not eventTriggers), active: true, the secret and the payload version; no cal-api-version', () => {
    const request = buildCreateWebhookRequest(instance, {}, { subscriberUrl: URL_A, triggers: ['BOOKING_CREATED'], secret: SECRET });
    expect(request).toEqual({
      method: 'POST',
      url: 'https://api.cal.com/v2/webhooks',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ subscriberUrl: URL_A, triggers: ['BOOKING_CREATED'], active: true, secret: SECRET, version: '2021-10-20' }),
    });
  });

  it('uses the event type\'s webhooks when filtering by an event type, with the event-types version', () => {
    const request = buildCreateWebhookRequest(instance, { eventTypeId: 42 }, { subscriberUrl: URL_A, triggers: ['BOOKING_CREATED'], secret: SECRET });
    expect(request.url).toBe('https://api.cal.com/v2/event-types/42/webhooks');
    expect(request.headers['cal-api-version']).toBe('2024-06-14');
  });

  it('updates, lists and deletes by the UUID id, encoded into the path', () => {
    expect(buildUpdateWebhookRequest(instance, {}, ID, { subscriberUrl: URL_A, triggers: ['BOOKING_CREATED'], secret: SECRET })).toMatchObject({ method: 'PATCH', url: `https://api.cal.com/v2/webhooks/${ID}` });
    expect(buildListWebhooksRequest(instance, { eventTypeId: 42 }, 250)).toMatchObject({ method: 'GET', url: 'https://api.cal.com/v2/event-types/42/webhooks?take=250&skip=250' });
    expect(buildDeleteWebhookRequest(instance, {}, ID)).toMatchObject({ method: 'DELETE', url: `https://api.cal.com/v2/webhooks/${ID}` });
    expect(() => buildDeleteWebhookRequest(instance, {}, '../me')).toThrow(CalcomError);
  });

  it('refuses a webhook without a secret or triggers before sending', () => {
    expect(() => buildCreateWebhookRequest(instance, {}, { subscriberUrl: URL_A, triggers: ['BOOKING_CREATED'], secret: '' })).toThrow(/secret/);
    expect(() => buildCreateWebhookRequest(instance, {}, { subscriberUrl: URL_A, triggers: [], secret: SECRET })).toThrow(/trigger/);
  });

  it('reads the id as a UUID string and refuses a numeric one', () => {
    expect(processCreateWebhookResponse(success(webhook(), 201), {}).id).toBe(ID);
    expect(() => processCreateWebhookResponse(success(webhook({ id: 12 }), 201), {})).toThrow(/UUID string/);
  });

  it('turns a missing scope into "reconnect and grant WEBHOOK_WRITE", the secret never in the message', () => {
    let error: unknown;
    try {
      processCreateWebhookResponse(failure(403, 'insufficient_scope: token does not have the required scopes.', 'ForbiddenException'), {}, { knownSecrets: [SECRET] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ kind: 'insufficient_scope', requiredScopes: ['WEBHOOK_WRITE'] });
    expect((error as Error).message).toMatch(/grant WEBHOOK_WRITE/);
    expect((error as Error).message).not.toContain(SECRET);
  });

  it('asks for the quirk triggers too: a request under "include unconfirmed", a confirmation for reschedules', () => {
    expect(webhookTriggersFor('booking_created')).toEqual(['BOOKING_CREATED']);
    expect(webhookTriggersFor('booking_created', { includeUnconfirmed: true })).toEqual(['BOOKING_CREATED', 'BOOKING_REQUESTED']);
    expect(webhookTriggersFor('booking_rescheduled')).toEqual(['BOOKING_RESCHEDULED', 'BOOKING_CREATED']);
    expect(webhookTriggersFor('meeting_ended')).toEqual(['MEETING_ENDED']);
  });
});

describe('subscribeWebhooks', () => {
  it('creates one user webhook with a generated secret', async () => {
    const { ctx, sent } = fakeCalcom({ 'POST /v2/webhooks': [(request) => success(webhook({ secret: JSON.parse(request.body as string).secret, triggers: ['BOOKING_CANCELLED'] }), 201)] });
    const subscription = await subscribeWebhooks(ctx, { subscriberUrl: URL_A, event: 'booking_cancelled' });
    expect(subscription.webhooks).toEqual([{ id: ID, origin: 'created' }]);
    expect(subscription.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.parse(sent[0]?.body as string)).toMatchObject({ triggers: ['BOOKING_CANCELLED'], active: true, secret: subscription.secret });
  });

  it('resolves a 409 by listing and reusing the existing webhook with our triggers and secret', async () => {
    const { ctx, routes, sent } = fakeCalcom({
      'POST /v2/webhooks': [failure(409, 'Webhook with this subscriber url already exists for this user', 'ConflictException')],
      'GET /v2/webhooks': [success([webhook({ id: 'other-1', subscriberUrl: 'https://elsewhere.example.com/x' }), webhook({ triggers: ['BOOKING_CREATED'], secret: 'old-secret', active: false })])],
      [`PATCH /v2/webhooks/${ID}`]: [success(webhook())],
    });
    const subscription = await subscribeWebhooks(ctx, { subscriberUrl: URL_A, event: 'booking_cancelled', secret: SECRET });
    expect(routes()).toEqual(['POST /v2/webhooks', 'GET /v2/webhooks', `PATCH /v2/webhooks/${ID}`]);
    expect(JSON.parse(sent[2]?.body as string)).toEqual({ subscriberUrl: URL_A, triggers: ['BOOKING_CANCELLED'], active: true, secret: SECRET, version: '2021-10-20' });
    expect(subscription.webhooks).toEqual([{ id: ID, origin: 'reused' }]);
  });

  it('replaces the existing webhook (delete, create) when the update does not take, leaving one', async () => {
    const { ctx, routes } = fakeCalcom({
      'POST /v2/webhooks': [failure(409, 'Webhook with this subscriber url already exists for this user', 'ConflictException'), success(webhook({ id: 'new-uuid-1' }), 201)],
      'GET /v2/webhooks': [success([webhook({ triggers: ['BOOKING_CREATED'], secret: 'old-secret' })])],
      // Cal.com strips what it does not know and answers 200 with the webhook unchanged.
      [`PATCH /v2/webhooks/${ID}`]: [success(webhook({ triggers: ['BOOKING_CREATED'], secret: 'old-secret' }))],
      [`DELETE /v2/webhooks/${ID}`]: [success(webhook())],
    });
    const subscription = await subscribeWebhooks(ctx, { subscriberUrl: URL_A, event: 'booking_cancelled', secret: SECRET });
    expect(routes()).toEqual(['POST /v2/webhooks', 'GET /v2/webhooks', `PATCH /v2/webhooks/${ID}`, `DELETE /v2/webhooks/${ID}`, 'POST /v2/webhooks']);
    expect(subscription.webhooks).toEqual([{ id: 'new-uuid-1', origin: 'replaced' }]);
  });

  it('does not replace when the update is refused for a missing scope: that error is thrown', async () => {
    const { ctx, routes } = fakeCalcom({
      'POST /v2/webhooks': [failure(409, 'Webhook with this subscriber url already exists for this user', 'ConflictException')],
      'GET /v2/webhooks': [success([webhook()])],
      [`PATCH /v2/webhooks/${ID}`]: [failure(403, 'insufficient_scope: token does not have the required scopes. Required: WEBHOOK_WRITE', 'ForbiddenException')],
    });
    await expect(subscribeWebhooks(ctx, { subscriberUrl: URL_A, event: 'booking_cancelled', secret: SECRET })).rejects.toMatchObject({ kind: 'insufficient_scope' });
    expect(routes()).not.toContain(`DELETE /v2/webhooks/${ID}`);
  });

  it('creates one event-type webhook per filtered event type, and deletes the made ones when a later one fails', async () => {
    const { ctx, routes } = fakeCalcom({
      'POST /v2/event-types/1/webhooks': [success(webhook({ id: 'et-1', eventTypeId: 1 }), 201)],
      'POST /v2/event-types/2/webhooks': [failure(403, 'insufficient_scope: token does not have the required scopes.', 'ForbiddenException')],
      'DELETE /v2/event-types/1/webhooks/et-1': [success(webhook({ id: 'et-1' }))],
    });
    await expect(subscribeWebhooks(ctx, { subscriberUrl: URL_A, event: 'booking_cancelled', filters: { eventTypeIds: [1, 2] } })).rejects.toMatchObject({
      kind: 'insufficient_scope',
      requiredScopes: ['EVENT_TYPE_WRITE'],
    });
    expect(routes()).toEqual(['POST /v2/event-types/1/webhooks', 'POST /v2/event-types/2/webhooks', 'DELETE /v2/event-types/1/webhooks/et-1']);
  });

  it('asks an older server again without the triggers it does not know', async () => {
    const { ctx, sent } = fakeCalcom({
      'POST /v2/webhooks': [failure(400, 'each value in triggers must be one of the following values: BOOKING_CREATED, ...'), success(webhook({ id: 'w-2' }), 201)],
    });
    const subscription = await subscribeWebhooks(ctx, { subscriberUrl: URL_A, event: 'booking_updated', secret: SECRET });
    expect(JSON.parse(sent[0]?.body as string).triggers).toContain('BOOKING_LOCATION_UPDATED');
    expect(JSON.parse(sent[1]?.body as string).triggers).not.toContain('BOOKING_LOCATION_UPDATED');
    expect(subscription.triggers).not.toContain('BOOKING_REASSIGNED');
  });

  it('unsubscribes idempotently (a webhook already gone is fine) and finds a webhook or its absence', async () => {
    const { ctx, routes } = fakeCalcom({
      [`DELETE /v2/webhooks/${ID}`]: [json(404, { status: 'error', error: { code: 'NotFoundException', message: 'not found' } })],
      [`GET /v2/webhooks/${ID}`]: [success(webhook()), json(404, { status: 'error', error: { code: 'NotFoundException', message: 'not found' } })],
    });
    await unsubscribeWebhooks(ctx, { webhooks: [{ id: ID }], secret: SECRET });
    expect(routes()).toEqual([`DELETE /v2/webhooks/${ID}`]);
    await expect(findWebhook(ctx, {}, ID)).resolves.toMatchObject({ id: ID, active: true });
    await expect(findWebhook(ctx, {}, ID)).resolves.toBeUndefined();
  });
});

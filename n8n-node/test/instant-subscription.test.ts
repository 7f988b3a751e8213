import type { IDataObject } from 'n8n-workflow';

import { readSubscription, SUBSCRIPTION_KEY } from '../nodes/CalCom/instant/state';
import { requestsTo, startInstant, type InstantSetup } from './instant-harness';

let setup: InstantSetup;
afterEach(async () => setup?.close());

const webhooksOf = (s: InstantSetup) => [...s.emu.store.webhooks.values()];

describe('Cal.com Instant Trigger: the webhook lifecycle n8n drives', () => {
	it('activation creates one signed, active Cal.com webhook for the production URL and keeps its id and secret in static data', async () => {
		setup = await startInstant({ event: 'booking_cancelled' });
		const { emu, instant } = setup;
		emu.clearRequestLog();
		await instant.activate();
		const creates = emu.requestLog().filter((request) => request.method === 'POST' && request.path === '/v2/webhooks');
		expect(creates).toHaveLength(1);
		const sent = JSON.parse(creates[0]?.body ?? '{}') as Record<string, unknown>;
		expect(sent).toMatchObject({ subscriberUrl: instant.webhookUrl, triggers: ['BOOKING_CANCELLED'], active: true, version: '2021-10-20' });
		const stored = readSubscription(instant.persistedStaticData['node:Cal.com Instant Trigger'] as IDataObject);
		if (stored === undefined) throw new Error('no subscription stored');
		expect(stored.subscriberUrl).toBe(instant.webhookUrl);
		expect(stored.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(stored.webhooks).toEqual([{ id: expect.stringMatching(/^[0-9a-f-]{36}$/), origin: 'created' }]);
		const [webhook] = webhooksOf(setup);
		expect(webhook).toMatchObject({ id: stored.webhooks[0]?.id, subscriberUrl: instant.webhookUrl, active: true, secret: stored.secret });
	});

	it('a restart asks checkExists (one GET) and creates nothing; a webhook deleted in Cal.com is created again', async () => {
		setup = await startInstant();
		const { emu, instant } = setup;
		await instant.activate();
		const id = readSubscription(instant.persistedStaticData['node:Cal.com Instant Trigger'] as IDataObject)?.webhooks[0]?.id ?? '';
		instant.restart();
		emu.clearRequestLog();
		await instant.activate();
		expect(emu.requestLog().filter((request) => request.path.startsWith('/v2/webhooks')).map((request) => `${request.method} ${request.path}`)).toEqual([`GET /v2/webhooks/${id}`]);
		// The user removes it in Cal.com's settings; the next activation notices and subscribes anew.
		emu.store.webhooks.delete(id);
		instant.restart();
		await instant.activate();
		expect(webhooksOf(setup)).toHaveLength(1);
		expect(webhooksOf(setup)[0]?.id).not.toBe(id);
	});

	it('deactivation deletes the Cal.com webhook and forgets the subscription', async () => {
		setup = await startInstant();
		const { emu, instant } = setup;
		await instant.activate();
		emu.clearRequestLog();
		await instant.deactivate();
		expect(requestsTo(emu, '/v2/webhooks/', 'DELETE')).toBe(1);
		expect(webhooksOf(setup)).toEqual([]);
		expect((instant.persistedStaticData['node:Cal.com Instant Trigger'] as Record<string, unknown>)[SUBSCRIPTION_KEY]).toBeUndefined();
	});

	it('filtered by event types: one event-type webhook each, all deleted on deactivation', async () => {
		setup = await startInstant({ event: 'booking_created', eventTypeIds: [1, 2] }, ['BOOKING_READ', 'EVENT_TYPE_READ', 'EVENT_TYPE_WRITE']);
		const { emu, instant } = setup;
		await instant.activate();
		expect(webhooksOf(setup).map((webhook) => webhook.eventTypeId).sort()).toEqual([1, 2]);
		expect(requestsTo(emu, '/v2/event-types/1/webhooks', 'POST') + requestsTo(emu, '/v2/event-types/2/webhooks', 'POST')).toBe(2);
		emu.clock.advance(60);
		emu.generator.createBooking({ eventTypeId: 2 });
		await emu.settleWebhooks();
		expect(instant.executions).toHaveLength(1);
		await instant.deactivate();
		expect(webhooksOf(setup)).toEqual([]);
	});

	it('without WEBHOOK_WRITE, activation fails saying which scope to grant', async () => {
		setup = await startInstant({ event: 'booking_created' }, ['BOOKING_READ', 'EVENT_TYPE_READ']);
		await expect(setup.instant.activate()).rejects.toThrow(/WEBHOOK_WRITE/);
		expect(webhooksOf(setup)).toEqual([]);
	});
});

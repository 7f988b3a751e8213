import { createHmac } from 'node:crypto';

import { DEDUPE_KEY } from '../nodes/CalCom/instant/state';
import { jsonOf, startInstant, type InstantSetup } from './instant-harness';

let setup: InstantSetup;
afterEach(async () => setup?.close());

async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
	return { status: response.status, body: await response.json() };
}

const FIELDS = ['event', 'occurredAt', 'id', 'uid', 'title', 'status', 'start', 'end', 'eventTypeId', 'rescheduledFromUid'] as const;

describe('Cal.com Instant Trigger: deliveries', () => {
	it('a delivery starts one execution with the item the polling trigger emits for the same change', async () => {
		setup = await startInstant({ event: 'booking_created' });
		const { emu, instant, polling } = setup;
		await instant.activate();
		await polling.activate();
		emu.clock.advance(60);
		const booking = emu.generator.createBooking({ eventTypeId: 1 });
		await emu.settleWebhooks();
		expect(instant.executions).toHaveLength(1);
		const [delivered] = jsonOf(instant.executions[0]?.items);
		emu.clock.advance(60);
		const [polled] = jsonOf((await polling.tick())?.flat());
		expect(delivered?.uid).toBe(booking.uid);
		for (const field of FIELDS) expect([field, delivered?.[field]]).toEqual([field, polled?.[field]]);
		expect(instant.webhookCalls.map((call) => call.status)).toEqual([200]);
	});

	it('a forged delivery is answered 401 and starts nothing; an unsigned one too', async () => {
		setup = await startInstant();
		const { emu, instant } = setup;
		await instant.activate();
		emu.clock.advance(60);
		emu.deliveryFaults.inject({ kind: 'wrong-signature' });
		emu.generator.createBooking({ eventTypeId: 1 });
		await emu.settleWebhooks();
		expect(emu.webhookDeliveries().map((delivery) => delivery.outcome)).toEqual([401]);
		const body = emu.webhookDeliveries()[0]?.body ?? '{}';
		const anotherSecret = createHmac('sha256', 'not-the-secret').update(body).digest('hex');
		const forged = await post(instant.webhookUrl, body, { 'x-cal-signature-256': anotherSecret });
		const unsigned = await post(instant.webhookUrl, body, { 'x-cal-signature-256': 'no-secret-provided' });
		const bare = await post(instant.webhookUrl, body, {});
		expect([forged.status, unsigned.status, bare.status]).toEqual([401, 401, 401]);
		expect(JSON.stringify(forged.body)).toMatch(/does not match its body/);
		expect(instant.executions).toEqual([]);
		// Nothing was remembered either: the genuine delivery of that change is still emitted.
		expect((instant.persistedStaticData['node:Cal.com Instant Trigger'] as Record<string, unknown>)[DEDUPE_KEY]).toBeUndefined();
	});

	it('a duplicated delivery starts one execution; a replay of a genuine body later is dropped too', async () => {
		setup = await startInstant();
		const { emu, instant } = setup;
		await instant.activate();
		emu.clock.advance(60);
		emu.deliveryFaults.inject({ kind: 'duplicate' });
		emu.generator.createBooking({ eventTypeId: 1 });
		await emu.settleWebhooks();
		expect(emu.webhookDeliveries().map((delivery) => delivery.outcome)).toEqual([200, 200]);
		expect(instant.executions).toHaveLength(1);
		const [first] = emu.webhookDeliveries();
		const replay = await post(instant.webhookUrl, first?.body ?? '', { 'x-cal-signature-256': first?.signature ?? '' });
		expect(replay.status).toBe(200);
		expect(instant.executions).toHaveLength(1);
	});

	it('two copies handled at the same time still start one execution', async () => {
		setup = await startInstant();
		const { emu, instant } = setup;
		await instant.activate();
		emu.clock.advance(60);
		emu.deliveryFaults.inject({ kind: 'drop' });
		emu.generator.createBooking({ eventTypeId: 1 });
		await emu.settleWebhooks();
		const [dropped] = emu.webhookDeliveries();
		const headers = { 'x-cal-signature-256': dropped?.signature ?? '' };
		const calls = await Promise.all([1, 2, 3].map(() => post(instant.webhookUrl, dropped?.body ?? '', headers)));
		expect(calls.map((call) => call.status)).toEqual([200, 200, 200]);
		expect(instant.executions).toHaveLength(1);
	});
});

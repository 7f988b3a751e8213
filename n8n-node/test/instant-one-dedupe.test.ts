/**
 * The Instant Trigger's webhook() runs Cal.com deliveries through the core's receiveDelivery and its
 * own reconciliation reports through reconcileEvents, over ONE dedupe memory that records each
 * admission as it is made: the same change arriving both ways starts one execution, and a
 * report is trusted only once its signature checks out.
 */
import { createHmac } from 'node:crypto';

import { deliveryToEventItems, parseWebhookDelivery } from '@calcom-oauth/shared';

import { buildReport } from '../nodes/CalCom/instant/report';
import { RECONCILE_KEY, SUBSCRIPTION_KEY } from '../nodes/CalCom/instant/state';
import { jsonOf, startInstant, type InstantSetup } from './instant-harness';

let setup: InstantSetup;
afterEach(async () => setup?.close());

async function post(url: string, body: string, signature: string): Promise<number> {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-cal-signature-256': signature }, body });
	await response.arrayBuffer();
	return response.status;
}

/** A booking whose delivery the emulator dropped, with that delivery as Cal.com signed it. */
async function droppedDelivery(current: InstantSetup): Promise<{ body: string; signature: string; uid: string }> {
	const { emu, instant } = current;
	await instant.activate();
	emu.clock.advance(60);
	emu.deliveryFaults.inject({ kind: 'drop' });
	const booking = emu.generator.createBooking({ eventTypeId: 1 });
	await emu.settleWebhooks();
	const [dropped] = emu.webhookDeliveries();
	if (dropped === undefined) throw new Error('the emulator recorded no delivery');
	return { body: dropped.body, signature: dropped.signature ?? '', uid: booking.uid };
}

/** The node's slice of static data as n8n last saved it (`node:<name>`). */
function savedSlice(current: InstantSetup): Record<string, unknown> {
	return (current.instant.persistedStaticData['node:Cal.com Instant Trigger'] ?? {}) as Record<string, unknown>;
}

function secretOf(current: InstantSetup): string {
	const secret = (savedSlice(current)[SUBSCRIPTION_KEY] as { secret?: unknown } | undefined)?.secret;
	if (typeof secret !== 'string' || secret === '') throw new Error('the subscription holds no secret');
	return secret;
}

describe('Cal.com Instant Trigger: deliveries and reconciliation reports share one dedupe', () => {
	it('the same change as a Cal.com delivery and as a report, posted together, starts one execution', async () => {
		setup = await startInstant();
		const delivery = await droppedDelivery(setup);
		const parsed = parseWebhookDelivery(delivery.body);
		if (!parsed.ok) throw new Error(parsed.warning);
		const report = buildReport(deliveryToEventItems(parsed.delivery, { event: 'booking_created' }), { v: 'engine state' });
		const reportSignature = createHmac('sha256', secretOf(setup)).update(report).digest('hex');

		const statuses = await Promise.all([post(setup.instant.webhookUrl, delivery.body, delivery.signature), post(setup.instant.webhookUrl, report, reportSignature)]);

		expect(statuses).toEqual([200, 200]);
		expect(setup.instant.executions.map((execution) => jsonOf(execution.items).map((item) => item.uid))).toEqual([[delivery.uid]]);
		expect(savedSlice(setup)[RECONCILE_KEY]).toEqual({ v: 'engine state' });
	});

	it('a report signed with another key is refused with 401: no execution, and its engine state is not kept', async () => {
		setup = await startInstant();
		const delivery = await droppedDelivery(setup);
		const parsed = parseWebhookDelivery(delivery.body);
		if (!parsed.ok) throw new Error(parsed.warning);
		const before = savedSlice(setup)[RECONCILE_KEY];
		expect(before).toBeDefined();
		const report = buildReport(deliveryToEventItems(parsed.delivery, { event: 'booking_created' }), { v: 'forged state' });

		expect(await post(setup.instant.webhookUrl, report, createHmac('sha256', 'not-the-secret').update(report).digest('hex'))).toBe(401);
		expect(setup.instant.executions).toEqual([]);
		expect(savedSlice(setup)[RECONCILE_KEY]).toEqual(before);
	});
});

import { DEDUPE_KEY, RECONCILE_KEY, SUBSCRIPTION_KEY } from '../nodes/CalCom/instant/state';
import { jsonOf, requestsTo, startInstant, type InstantSetup } from './instant-harness';

let setup: InstantSetup;
afterEach(async () => setup?.close());

const slice = (s: InstantSetup) => s.instant.persistedStaticData['node:Cal.com Instant Trigger'] as Record<string, unknown>;

describe('Cal.com Instant Trigger: reconciliation', () => {
	it('a change whose delivery Cal.com dropped is emitted once by the next reconciliation, and never again', async () => {
		setup = await startInstant({ event: 'booking_cancelled' });
		const { emu, instant } = setup;
		const target = emu.generator.createBooking({ eventTypeId: 1 });
		await instant.activate();
		emu.clock.advance(60);
		emu.deliveryFaults.inject({ kind: 'drop' });
		emu.generator.cancelBooking(target.uid, 'Something came up');
		await emu.settleWebhooks();
		expect(emu.webhookDeliveries().map((delivery) => delivery.outcome)).toEqual(['dropped']);
		expect(instant.executions).toEqual([]);
		emu.clock.advance(300);
		await expect(instant.tick()).resolves.toBeNull();
		expect(instant.executions).toHaveLength(1);
		expect(jsonOf(instant.executions[0]?.items)).toEqual([expect.objectContaining({ event: 'booking_cancelled', uid: target.uid, status: 'cancelled' })]);
		for (let round = 0; round < 3; round += 1) {
			emu.clock.advance(300);
			await instant.tick();
		}
		expect(instant.executions).toHaveLength(1);
	});

	it('when n8n cannot reach its own webhook URL the reconciliation fails, and the next one emits the change once', async () => {
		setup = await startInstant({ event: 'booking_cancelled' });
		const { emu, instant } = setup;
		const target = emu.generator.createBooking({ eventTypeId: 1 });
		await instant.activate();
		emu.clock.advance(60);
		emu.deliveryFaults.inject({ kind: 'drop' });
		emu.generator.cancelBooking(target.uid);
		await emu.settleWebhooks();
		instant.unavailable = true;
		emu.clock.advance(300);
		await expect(instant.tick()).rejects.toThrow(/could not hand them to this workflow's webhook URL/);
		instant.unavailable = false;
		emu.clock.advance(300);
		await instant.tick();
		emu.clock.advance(300);
		await instant.tick();
		expect(instant.executions.map((execution) => jsonOf(execution.items)[0]?.uid)).toEqual([target.uid]);
	});

	it('a change both paths see (delivered, then read by the reconciliation) is emitted once', async () => {
		setup = await startInstant();
		const { emu, instant } = setup;
		await instant.activate();
		emu.clock.advance(60);
		const booking = emu.generator.createBooking({ eventTypeId: 1 });
		await emu.settleWebhooks();
		expect(instant.executions).toHaveLength(1);
		emu.clock.advance(300);
		await instant.tick();
		// The reconciliation found it and handed it over; webhook() recognised it.
		expect(instant.webhookCalls).toHaveLength(2);
		expect(instant.executions.map((execution) => jsonOf(execution.items)[0]?.uid)).toEqual([booking.uid]);
	});

	it('an idle reconciliation costs one request and writes nothing n8n would save over the webhook', async () => {
		setup = await startInstant();
		const { emu, instant } = setup;
		await instant.activate();
		emu.clock.advance(300);
		await instant.tick();
		emu.clearRequestLog();
		emu.clock.advance(300);
		await instant.tick();
		const log = emu.requestLog();
		expect(log.map((request) => `${request.method} ${request.path.split('?')[0]}`)).toEqual(['GET /v2/bookings']);
		expect(instant.webhookCalls).toEqual([]);
		// The poller's in-memory copy is still the activation's: nothing for n8n to save over the row.
		expect(instant.staticData).toEqual(instant.persistedStaticData);
	});

	it('the poller never writes the dedupe memory, so an emitting n8n save cannot undo the webhook path', async () => {
		setup = await startInstant();
		const { emu, instant } = setup;
		await instant.activate();
		emu.clock.advance(60);
		emu.generator.createBooking({ eventTypeId: 1 });
		await emu.settleWebhooks();
		expect(slice(setup)[DEDUPE_KEY]).toBeDefined();
		emu.clock.advance(300);
		await instant.tick();
		const poller = instant.staticData['node:Cal.com Instant Trigger'] as Record<string, unknown>;
		expect(poller[DEDUPE_KEY]).toBeUndefined();
		expect(Object.keys(poller).sort()).toEqual([RECONCILE_KEY, SUBSCRIPTION_KEY].sort());
	});

	it('after a restart it resumes from the stored state: a change dropped while n8n was down is emitted once', async () => {
		setup = await startInstant({ event: 'booking_created' });
		const { emu, instant } = setup;
		await instant.activate();
		emu.clock.advance(60);
		emu.generator.createBooking({ eventTypeId: 1 });
		await emu.settleWebhooks();
		emu.clock.advance(300);
		await instant.tick();
		instant.restart();
		emu.clock.advance(60);
		emu.deliveryFaults.inject({ kind: 'drop' });
		const missed = emu.generator.createBooking({ eventTypeId: 1 });
		await emu.settleWebhooks();
		emu.clearRequestLog();
		await instant.activate();
		// The activation's poll only loads the stored state.
		expect(requestsTo(emu, '/v2/bookings')).toBe(0);
		emu.clock.advance(300);
		await instant.tick();
		expect(instant.executions.map((execution) => jsonOf(execution.items)[0]?.uid)).toHaveLength(2);
		expect(jsonOf(instant.executions[1]?.items)[0]?.uid).toBe(missed.uid);
	});
});

import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { MAX_EVENT_TYPE_IDS, MAX_RATE_LIMIT_WAIT_SECONDS } from '@calcom-oauth/shared';

import { N8nHost } from '../../test/hosts/n8n-host';
import { FakeCalcom } from './fakeCalcom';
import { triggerHost, useNock } from './support/hosts';

let cal: FakeCalcom;

useNock();
beforeEach(() => {
	cal = new FakeCalcom();
});

function host(parameters: IDataObject = { event: 'booking_created' }): N8nHost {
	return triggerHost(cal, parameters);
}

describe('event type ids given to the n8n trigger', () => {
	it.each([
		['hex', '0x10', '"0x10"'],
		['an exponent', '1e3', '"1e3"'],
		['a boolean', true, 'true'],
		['a boolean in a list', [22, true], 'true'],
		['an object', { id: 5 }, 'an object {"id":5}'],
		['2^53', 2 ** 53, '9007199254740992'],
	])('%s is refused with a clear message, before any request', async (_label, eventTypeIds, quoted) => {
		const error = await host({ event: 'booking_created', eventTypeIds }).activate().catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeOperationError);
		const message = (error as NodeOperationError).message;
		expect(message).toContain(`Event Type Names or IDs: ${quoted} is`);
		expect(message).toMatch(/expected positive whole numbers in decimal/);
		expect(message).not.toContain('[object Object]');
		expect(cal.callsTo('/v2/bookings')).toHaveLength(0);
	});

	it('more ids than one request carries are refused with the limit, before any request', async () => {
		const eventTypeIds = Array.from({ length: MAX_EVENT_TYPE_IDS + 1 }, (_unused, index) => index + 1).join(',');
		await expect(host({ event: 'booking_created', eventTypeIds }).activate()).rejects.toThrow(`more than the ${MAX_EVENT_TYPE_IDS} one request`);
		expect(cal.callsTo('/v2/bookings')).toHaveLength(0);
	});
});

describe('numbers Cal.com sends to the n8n trigger', () => {
	const throttled = (reset: string) => ({
		path: '/v2/bookings',
		status: 429,
		body: JSON.stringify({ status: 'error', error: { code: 'ThrottlerException', message: 'CustomThrottlerGuard - Too many requests. Please try again later.' } }),
		headers: { 'content-type': 'application/json', 'x-ratelimit-reset-default': reset },
	});

	it('a 429 whose reset is an epoch in seconds reports the real wait, and the next poll delivers', async () => {
		const n8n = host();
		await n8n.activate();
		cal.advance(60);
		const booking = cal.create();
		cal.queuedFaults.push(throttled(String(Math.round(Date.now() / 1000) + 30)));
		const error = await n8n.tick().catch((caught: unknown) => caught as NodeApiError);
		expect(error).toBeInstanceOf(NodeApiError);
		const wait = Number(/retry in (\d+) seconds/.exec((error as NodeApiError).message)?.[1]);
		expect(wait).toBeGreaterThanOrEqual(28);
		expect(wait).toBeLessThanOrEqual(31);
		expect(((await n8n.tick()) ?? []).flat().map((item) => item.json.uid)).toEqual([booking.uid]);
	});

	it('a 429 whose reset is an epoch in milliseconds years ahead is capped, and says so', async () => {
		const n8n = host();
		await n8n.activate();
		cal.queuedFaults.push(throttled(String(Date.now() + 5 * 365 * 86_400_000)));
		const error = await n8n.tick().catch((caught: unknown) => caught as NodeApiError);
		expect((error as NodeApiError).message).toContain(`retry in ${MAX_RATE_LIMIT_WAIT_SECONDS} seconds`);
		expect((error as NodeApiError).message).toMatch(/capped at 900 seconds/);
	});

	it('the event-type dropdown leaves out a length Cal.com cannot mean', async () => {
		cal.eventTypes.splice(0, cal.eventTypes.length, { id: 22, title: 'Deep dive', slug: 'deep-dive', lengthInMinutes: 1e20 });
		expect(await host().loadOptions('getEventTypes')).toEqual([{ name: 'Deep dive', value: 22, description: '/deep-dive' }]);
	});
});

import { MAX_FIND_BOOKINGS } from '@calcom-oauth/shared';

import { FakeCalcom } from '../fakeCalcom';
import { answerOnce, jsonOf, nodeHost, success, useNock, wireBooking } from './support';

useNock();

let cal: FakeCalcom;
beforeEach(() => {
	cal = new FakeCalcom();
});

describe('Booking → Get and Get Many', () => {
	it('gets one booking by uid', async () => {
		const seen = answerOnce(cal, 'GET', '/v2/bookings/b1', 200, success(wireBooking(cal, { uid: 'b1', title: 'Intro' })));
		const result = await nodeHost(cal, { resource: 'booking', operation: 'get', booking: { __rl: true, mode: 'uid', value: ' b1 ' } }).execute();
		expect(seen).toHaveLength(1);
		expect(result[0]).toEqual([{ json: expect.objectContaining({ uid: 'b1', title: 'Intro' }), pairedItem: { item: 0 } }]);
	});

	it('returns the newest bookings up to the limit, one item each, with the filters sent to Cal.com', async () => {
		for (let day = 1; day <= 5; day += 1) cal.create({ start: `2026-04-0${day}T10:00:00.000Z`, end: `2026-04-0${day}T10:30:00.000Z` });
		const result = await nodeHost(cal, {
			resource: 'booking',
			operation: 'getAll',
			limit: 3,
			filters: { afterStart: '2026-04-02T00:00:00Z', status: ['upcoming', 'past'], eventTypeIds: [11] },
		}).execute();
		expect(jsonOf(result).map((json) => json.start)).toEqual(['2026-04-05T10:00:00.000Z', '2026-04-04T10:00:00.000Z', '2026-04-03T10:00:00.000Z']);
		const query = cal.callsTo('/v2/bookings')[0]?.query;
		expect(query?.get('afterStart')).toBe('2026-04-02T00:00:00.000Z');
		expect(query?.get('eventTypeIds')).toBe('11');
		expect(query?.get('take')).toBe('3');
	});

	it('"Return All" pages through Cal.com until the last page', async () => {
		for (let index = 0; index < 260; index += 1) cal.create();
		const result = await nodeHost(cal, { resource: 'booking', operation: 'getAll', returnAll: true }).execute();
		expect(jsonOf(result)).toHaveLength(260);
		expect(new Set(jsonOf(result).map((json) => json.uid)).size).toBe(260);
		expect(cal.callsTo('/v2/bookings').map((call) => call.query.get('skip'))).toEqual(['0', '250']);
		expect(MAX_FIND_BOOKINGS).toBeGreaterThan(260);
	});
});

describe('Slot → Get Many', () => {
	const slotParameters = {
		resource: 'slot',
		operation: 'getAll',
		eventType: { __rl: true, mode: 'id', value: '11' },
		start: '2026-05-01T00:00:00Z',
		end: '2026-05-03T00:00:00Z',
		additionalFields: { timeZone: 'Europe/Berlin' },
	};
	const slotsByDate = {
		'2026-05-01': [{ start: '2026-05-01T16:00:00.000+02:00' }, { start: '2026-05-01T16:30:00.000+02:00' }],
		'2026-05-02': [{ start: '2026-05-02T09:00:00.000+02:00' }],
	};

	it('gives one item per slot, earliest first, each with its UTC start', async () => {
		const seen = answerOnce(cal, 'GET', '/v2/slots', 200, success(slotsByDate));
		const result = await nodeHost(cal, slotParameters).execute();
		expect(seen[0]?.query.get('eventTypeId')).toBe('11');
		expect(seen[0]?.query.get('timeZone')).toBe('Europe/Berlin');
		expect(jsonOf(result)).toEqual([
			expect.objectContaining({ start: '2026-05-01T16:00:00.000+02:00', startUtc: '2026-05-01T14:00:00.000Z', timeZone: 'Europe/Berlin' }),
			expect.objectContaining({ startUtc: '2026-05-01T14:30:00.000Z' }),
			expect.objectContaining({ startUtc: '2026-05-02T07:00:00.000Z' }),
		]);
	});

	it('keeps only the first slots up to the limit', async () => {
		answerOnce(cal, 'GET', '/v2/slots', 200, success(slotsByDate));
		const result = await nodeHost(cal, { ...slotParameters, limit: 2 }).execute();
		expect(jsonOf(result).map((json) => json.startUtc)).toEqual(['2026-05-01T14:00:00.000Z', '2026-05-01T14:30:00.000Z']);
	});

	it('names the event type parameter when its ID is not a number, before sending', async () => {
		const seen = answerOnce(cal, 'GET', '/v2/slots', 200, success(slotsByDate));
		await expect(nodeHost(cal, { ...slotParameters, eventType: { __rl: true, mode: 'id', value: 'intro' } }).execute()).rejects.toThrow(
			/"Event Type" parameter is "intro", not an event type ID/,
		);
		expect(seen).toHaveLength(0);
	});
});

describe('Event Type → Get and Get Many', () => {
	it('gets one event type with its booking fields', async () => {
		answerOnce(
			cal,
			'GET',
			'/v2/event-types/22',
			200,
			success({
				id: 22,
				title: 'Deep dive',
				slug: 'deep-dive',
				lengthInMinutes: 60,
				bookingFields: [{ type: 'textarea', slug: 'notes', label: 'Notes', required: true }],
				locations: [{ type: 'integration', integration: 'cal-video' }],
			}),
		);
		const result = await nodeHost(cal, { resource: 'eventType', operation: 'get', eventType: { __rl: true, mode: 'list', value: '22' } }).execute();
		expect(jsonOf(result)).toEqual([
			expect.objectContaining({ id: 22, lengthInMinutes: 60, bookingFields: [expect.objectContaining({ name: 'notes', required: true })] }),
		]);
	});

	it('lists event types, one item each, up to the limit', async () => {
		const all = await nodeHost(cal, { resource: 'eventType', operation: 'getAll', returnAll: true }).execute();
		expect(jsonOf(all).map((json) => json.id)).toEqual([11, 22]);
		const limited = await nodeHost(cal, { resource: 'eventType', operation: 'getAll', limit: 1 }).execute();
		expect(jsonOf(limited)).toHaveLength(1);
	});
});

describe('resource locator searches', () => {
	it('finds bookings by attendee email in Cal.com, and by title among the newest', async () => {
		cal.create({ title: 'Pricing call', attendees: [{ name: 'Li', email: 'li@example.com', timeZone: 'UTC' }] });
		cal.create({ title: 'Onboarding' });
		const host = nodeHost(cal, { resource: 'booking', operation: 'get' });
		const byEmail = await host.listSearch('searchBookings', 'li@example.com');
		expect(cal.callsTo('/v2/bookings').at(-1)?.query.get('attendeeEmail')).toBe('li@example.com');
		const byTitle = await host.listSearch('searchBookings', 'onboard');
		expect(byTitle.results.map((result) => result.name)).toEqual([expect.stringMatching(/^Onboarding · .* UTC · /)]);
		expect(byEmail.results[0]?.value).toMatch(/^uid-/);
	});

	it('lists event types by title or slug, with the ID as the value', async () => {
		const found = await nodeHost(cal, { resource: 'slot', operation: 'getAll' }).listSearch('searchEventTypes', 'deep');
		expect(found.results).toEqual([{ name: 'Deep dive (60 min)', value: '22' }]);
	});
});

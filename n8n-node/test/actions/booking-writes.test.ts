import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { FakeCalcom } from '../fakeCalcom';
import { answerOnce, failure, jsonOf, nodeHost, success, useNock, wireBooking } from './support';

useNock();

let cal: FakeCalcom;
beforeEach(() => {
	cal = new FakeCalcom();
});

const createParameters = {
	resource: 'booking',
	operation: 'create',
	eventType: { __rl: true, mode: 'list', value: '11' },
	start: '2026-05-01T16:00:00+02:00',
	attendeeName: 'Ada Attendee',
	attendeeEmail: 'ada@example.com',
	attendeeTimeZone: 'Europe/Berlin',
	additionalFields: { guests: 'li@example.com, , bo@example.com', bookingFieldsResponses: '{"notes":"Agenda"}' },
};

describe('Booking → Create', () => {
	it('sends one POST with the start in UTC and returns the booking Cal.com created as one paired item', async () => {
		const created = wireBooking(cal, { uid: 'new-uid', start: '2026-05-01T14:00:00.000Z', end: '2026-05-01T14:15:00.000Z' });
		const seen = answerOnce(cal, 'POST', '/v2/bookings', 201, success(created));
		const result = await nodeHost(cal, createParameters).execute();

		expect(seen).toHaveLength(1);
		expect(seen[0]?.body).toMatchObject({
			eventTypeId: 11,
			start: '2026-05-01T14:00:00.000Z',
			attendee: { name: 'Ada Attendee', email: 'ada@example.com', timeZone: 'Europe/Berlin' },
			guests: ['li@example.com', 'bo@example.com'],
			bookingFieldsResponses: { notes: 'Agenda' },
		});
		expect(result).toHaveLength(1);
		expect(result[0]).toEqual([{ json: expect.objectContaining({ uid: 'new-uid', status: 'accepted', start: '2026-05-01T14:00:00.000Z' }), pairedItem: { item: 0 } }]);
	});

	it('gives one item per occurrence when a recurring event type answers with a list', async () => {
		const occurrences = [wireBooking(cal, { uid: 'r-1' }), wireBooking(cal, { uid: 'r-2' }), wireBooking(cal, { uid: 'r-3' })];
		answerOnce(cal, 'POST', '/v2/bookings', 201, success(occurrences));
		const result = await nodeHost(cal, createParameters).execute();
		expect(jsonOf(result).map((json) => json.uid)).toEqual(['r-1', 'r-2', 'r-3']);
		expect(result[0]?.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('reads a taken slot as "that time is taken" and points to Slot → Get Many', async () => {
		answerOnce(cal, 'POST', '/v2/bookings', 400, failure(400, 'BadRequestException', 'User either already has booking at this time or is not available'));
		// Create then looks for the attendee's own booking (a replay of an earlier success); there is none.
		const failed = nodeHost(cal, createParameters).execute();
		await expect(failed).rejects.toThrow(NodeApiError);
		await expect(failed).rejects.toThrow(/That time is taken.*Slot → Get Many/);
	});

	it('after a 5xx, returns the booking Cal.com made anyway, marked recovered, without booking again', async () => {
		cal.create({ uid: 'made', eventType: { id: 11, slug: 'intro' }, start: '2026-05-01T14:00:00.000Z', end: '2026-05-01T14:15:00.000Z', attendees: [{ name: 'Ada Attendee', email: 'ada@example.com', timeZone: 'Europe/Berlin' }] });
		const seen = answerOnce(cal, 'POST', '/v2/bookings', 502, failure(502, 'BadGatewayException', 'Bad gateway'));
		const result = await nodeHost(cal, createParameters).execute();
		expect(seen).toHaveLength(1);
		expect(jsonOf(result)).toEqual([expect.objectContaining({ uid: 'made', recovered: 'found_after_ambiguous_failure' })]);
	});

	it('after a 5xx with no booking found, says it may not have happened and not to re-run before checking', async () => {
		answerOnce(cal, 'POST', '/v2/bookings', 503, failure(503, 'ServiceUnavailableException', 'Service unavailable'));
		const error: unknown = await nodeHost(cal, createParameters)
			.execute()
			.catch((caught: unknown) => caught);
		expect((error as Error).message).toMatch(/may or may not have happened/);
		expect((error as NodeApiError).description).toMatch(/Do not run this node again before checking/);
	});

	it('refuses a start that is not ISO-8601 before sending anything, naming the field', async () => {
		const seen = answerOnce(cal, 'POST', '/v2/bookings', 201, success(wireBooking(cal)));
		const failed = nodeHost(cal, { ...createParameters, start: 'next Tuesday at 3' }).execute();
		await expect(failed).rejects.toThrow(NodeOperationError);
		await expect(failed).rejects.toThrow(/start/);
		expect(seen).toHaveLength(0);
	});

	it('with "Continue On Fail", a failed item carries the message and the next item still runs', async () => {
		answerOnce(cal, 'POST', '/v2/bookings', 400, failure(400, 'BadRequestException', 'User either already has booking at this time or is not available'));
		answerOnce(cal, 'POST', '/v2/bookings', 201, success(wireBooking(cal, { uid: 'second' })));
		const result = await nodeHost(cal, createParameters, { onError: 'continueRegularOutput' }).execute([{ json: { n: 1 } }, { json: { n: 2 } }]);
		const items = result[0] ?? [];
		expect(items).toHaveLength(2);
		expect(items[0]?.pairedItem).toEqual({ item: 0 });
		expect(String(items[0]?.json.error)).toMatch(/That time is taken/);
		expect(items[1]).toEqual({ json: expect.objectContaining({ uid: 'second' }), pairedItem: { item: 1 } });
	});
});

describe('Booking → Cancel and Reschedule', () => {
	it('cancels with a JSON body carrying the reason and returns the cancelled booking', async () => {
		const cancelled = wireBooking(cal, { uid: 'abc', status: 'cancelled', cancellationReason: 'Deal lost' });
		const seen = answerOnce(cal, 'POST', '/v2/bookings/abc/cancel', 200, success(cancelled));
		const result = await nodeHost(cal, {
			resource: 'booking',
			operation: 'cancel',
			booking: { __rl: true, mode: 'uid', value: 'abc' },
			additionalFields: { reason: 'Deal lost' },
		}).execute();
		expect(seen[0]?.body).toEqual({ cancellationReason: 'Deal lost' });
		expect(jsonOf(result)).toEqual([expect.objectContaining({ uid: 'abc', status: 'cancelled' })]);
	});

	it('takes the booking uid from a pasted booking page URL (the "By URL" mode)', async () => {
		const seen = answerOnce(cal, 'POST', '/v2/bookings/Zx9_k-2/cancel', 200, success(wireBooking(cal, { uid: 'Zx9_k-2', status: 'cancelled' })));
		await nodeHost(cal, {
			resource: 'booking',
			operation: 'cancel',
			booking: { __rl: true, mode: 'url', value: 'https://cal.example.com/booking/Zx9_k-2?email=ada%40example.com' },
		}).execute();
		expect(seen).toHaveLength(1);
	});

	it('refuses a URL that is not a booking page with n8n\'s resource locator error, before sending', async () => {
		const seen = answerOnce(cal, 'POST', '/v2/bookings/x/cancel', 200, success(wireBooking(cal, { uid: 'x' })));
		const error: unknown = await nodeHost(cal, {
			resource: 'booking',
			operation: 'cancel',
			booking: { __rl: true, mode: 'url', value: 'https://cal.example.com/event-types/7' },
		})
			.execute()
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(/^Booking parameter's value is invalid/);
		expect((error as NodeOperationError).description).toMatch(/\/booking\/.*"By UID"/);
		expect(seen).toHaveLength(0);
	});

	it('reschedules to a UTC start and returns the NEW booking with the old uid as previousUid', async () => {
		const moved = wireBooking(cal, { uid: 'new', start: '2026-05-02T09:00:00.000Z', rescheduledFromUid: 'old' });
		const seen = answerOnce(cal, 'POST', '/v2/bookings/old/reschedule', 201, success(moved));
		const result = await nodeHost(cal, {
			resource: 'booking',
			operation: 'reschedule',
			booking: { __rl: true, mode: 'uid', value: 'old' },
			start: '2026-05-02T09:00:00Z',
			additionalFields: { reason: 'Flight' },
		}).execute();
		expect(seen[0]?.body).toMatchObject({ start: '2026-05-02T09:00:00.000Z', reschedulingReason: 'Flight' });
		expect(jsonOf(result)).toEqual([expect.objectContaining({ uid: 'new', previousUid: 'old', start: '2026-05-02T09:00:00.000Z' })]);
	});
});

describe('host actions (BOOKING_WRITE)', () => {
	it('confirms a pending booking', async () => {
		const seen = answerOnce(cal, 'POST', '/v2/bookings/p1/confirm', 200, success(wireBooking(cal, { uid: 'p1', status: 'accepted' })));
		const result = await nodeHost(cal, { resource: 'booking', operation: 'confirm', booking: { __rl: true, mode: 'uid', value: 'p1' } }).execute();
		expect(seen).toHaveLength(1);
		expect(jsonOf(result)).toEqual([expect.objectContaining({ uid: 'p1', status: 'accepted' })]);
	});

	it('declines with the reason', async () => {
		const seen = answerOnce(cal, 'POST', '/v2/bookings/p2/decline', 200, success(wireBooking(cal, { uid: 'p2', status: 'rejected' })));
		const result = await nodeHost(cal, { resource: 'booking', operation: 'decline', booking: { __rl: true, mode: 'uid', value: 'p2' }, reason: 'Fully booked' }).execute();
		expect(seen[0]?.body).toEqual({ reason: 'Fully booked' });
		expect(jsonOf(result)[0]?.status).toBe('rejected');
	});

	it('marks the host and an attendee absent', async () => {
		const seen = answerOnce(cal, 'POST', '/v2/bookings/m1/mark-absent', 200, success(wireBooking(cal, { uid: 'm1' })));
		await nodeHost(cal, {
			resource: 'booking',
			operation: 'markNoShow',
			booking: { __rl: true, mode: 'uid', value: 'm1' },
			host: true,
			attendees: { attendee: [{ email: 'ada@example.com', absent: true }] },
		}).execute();
		expect(seen[0]?.body).toEqual({ host: true, attendees: [{ email: 'ada@example.com', absent: true }] });
	});

	it('refuses Mark No-Show with nobody marked, before sending', async () => {
		const seen = answerOnce(cal, 'POST', '/v2/bookings/m1/mark-absent', 200, success(wireBooking(cal, { uid: 'm1' })));
		await expect(nodeHost(cal, { resource: 'booking', operation: 'markNoShow', booking: { __rl: true, mode: 'uid', value: 'm1' } }).execute()).rejects.toThrow(
			/Host Absent.*no attendee/,
		);
		expect(seen).toHaveLength(0);
	});

	it('adds guests', async () => {
		const seen = answerOnce(cal, 'POST', '/v2/bookings/g1/guests', 200, success(wireBooking(cal, { uid: 'g1' })));
		await nodeHost(cal, {
			resource: 'booking',
			operation: 'addGuests',
			booking: { __rl: true, mode: 'uid', value: 'g1' },
			guests: { guest: [{ email: 'li@example.com', name: 'Li' }, { email: 'bo@example.com', name: '' }] },
		}).execute();
		expect(seen[0]?.body).toEqual({ guests: [{ email: 'li@example.com', name: 'Li' }, { email: 'bo@example.com' }] });
	});

	it('reads a missing BOOKING_WRITE scope as "reconnect and grant it", naming the scope', async () => {
		answerOnce(
			cal,
			'POST',
			'/v2/bookings/p1/confirm',
			403,
			failure(403, 'ForbiddenException', 'insufficient_scope: token does not have the required scopes. Required: BOOKING_WRITE. Token has: BOOKING_READ'),
		);
		const error: unknown = await nodeHost(cal, { resource: 'booking', operation: 'confirm', booking: { __rl: true, mode: 'uid', value: 'p1' } })
			.execute()
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(/BOOKING_WRITE/);
		expect((error as NodeApiError).description).toMatch(/reconnect/i);
	});
});

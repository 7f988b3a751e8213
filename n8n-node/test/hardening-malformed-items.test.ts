import type { BookingEventItem } from '@calcom-oauth/shared';
import type { IDataObject } from 'n8n-workflow';

import { toItems } from '../nodes/CalCom/trigger/poll';
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

const jsonOf = (result: Awaited<ReturnType<N8nHost['tick']>>) => (result ?? []).flat().map((item) => item.json);
const warningsOf = (n8n: N8nHost) => n8n.logs.filter((log) => log.level === 'warn').map((log) => log.message);

/** Gives a booking of the fake a field of the wrong type (the fake serialises bookings as they are). */
const spoil = (booking: object, change: Record<string, unknown>) => Object.assign(booking, change);

describe('a malformed booking never poisons the n8n trigger', () => {
	it.each([
		['attendees: null', { attendees: null }],
		['attendees: [null]', { attendees: [null] }],
		['hosts: "x"', { hosts: 'x' }],
		['guests: 5', { guests: 5 }],
		['eventType: 5', { eventType: 5 }],
		['location: {}', { location: { type: 'zoom' } }],
		['bookingFieldsResponses: "x"', { bookingFieldsResponses: 'x' }],
		['metadata: "x"', { metadata: 'x' }],
	])('%s: the poll emits the good bookings, warns naming the bad one, and later bookings still arrive', async (_label, change) => {
		const n8n = host();
		await n8n.activate();
		cal.advance(60);
		const good = cal.create();
		const bad = spoil(cal.create(), change);
		expect(jsonOf(await n8n.tick()).map((item) => item.uid)).toEqual([good.uid]);
		expect(warningsOf(n8n).join('\n')).toContain(`Skipped booking ${bad.uid} from Cal.com: its `);
		cal.advance(60);
		const later = cal.create();
		expect(jsonOf(await n8n.tick()).map((item) => item.uid)).toEqual([later.uid]);
	});

	it('a poll whose only new booking is malformed succeeds with nothing to emit', async () => {
		const n8n = host();
		await n8n.activate();
		cal.advance(60);
		const bad = spoil(cal.create(), { attendees: null });
		await expect(n8n.tick()).resolves.toBeNull();
		expect(warningsOf(n8n).join('\n')).toContain(bad.uid);
	});

	it('"Fetch Test Event" returns the good bookings when the newest is malformed', async () => {
		const good = cal.create();
		cal.advance(60);
		spoil(cal.create(), { hosts: [null] });
		expect(jsonOf(await host().fetchTestEvent()).map((item) => item.uid)).toEqual([good.uid]);
	});

	it('the output mapping itself skips a malformed booking handed to it, naming it', () => {
		const good = { id: 1, uid: 'good', status: 'accepted', start: '2026-03-03T09:00:00.000Z', end: '2026-03-03T09:30:00.000Z', createdAt: '2026-03-02T08:00:00.000Z', updatedAt: null };
		const bad = { ...good, id: 2, uid: 'bad', guests: [null] };
		const item = (booking: object): BookingEventItem => ({ id: 'x', event: 'booking_created', occurredAt: good.createdAt, booking: booking as never });
		const warnings: string[] = [];
		const items = toItems([item(bad), item(good)], (warning) => warnings.push(warning));
		expect(items.map((entry) => entry.json.uid)).toEqual(['good']);
		expect(warnings).toEqual(['Skipped booking bad from Cal.com: its guests[0] is null instead of an email address (text).']);
	});
});

describe('Event Types dropdown with a malformed event type', () => {
	it.each([
		['no title', { id: 33, slug: 'x' }],
		['id as text', { id: '33', title: 'X', slug: 'x' }],
		['null', null],
	])('lists the good ones and logs the one with %s', async (_label, bad) => {
		(cal.eventTypes as unknown[]).push(bad);
		const n8n = host();
		const options = await n8n.loadOptions('getEventTypes');
		expect(options.map((option) => option.value)).toEqual([22, 11]);
		expect(warningsOf(n8n).join('\n')).toMatch(/Skipped event type (33|\/x|#3) from Cal\.com's event types: /);
	});

	it('when no event type is readable, the advice names the real cause instead of the URL', async () => {
		cal.eventTypes.splice(0, cal.eventTypes.length, { id: 0, title: '', slug: '' } as never);
		const failure = await host().loadOptions('getEventTypes').then(
			() => undefined,
			(error: Error & { description?: string }) => error,
		);
		expect(failure?.message).toContain("Every event type in Cal.com's answer");
		expect(failure?.description).toMatch(/none of its event types has the id, title and slug/);
		expect(failure?.description).not.toMatch(/API URL/);
	});
});

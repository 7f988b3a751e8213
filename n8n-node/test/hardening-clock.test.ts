import type { IDataObject } from 'n8n-workflow';

import { CalComOAuth2Api } from '../credentials/CalComOAuth2Api.credentials';
import { CalComTrigger } from '../nodes/CalCom/CalComTrigger.node';
import { STATE_KEY } from '../nodes/CalCom/trigger/poll';
import { N8nHost } from '../../test/hosts/n8n-host';
import { FakeCalcom } from './fakeCalcom';
import { useNock } from './support/hosts';

const YEAR_SECONDS = 365 * 86_400;
let cal: FakeCalcom;
let logs: Array<{ level: string; message: string }>;

useNock();
beforeEach(() => {
	cal = new FakeCalcom();
	logs = [];
});

function host(staticData?: IDataObject): N8nHost {
	return new N8nHost({
		nodeType: new CalComTrigger(),
		credentialType: new CalComOAuth2Api(),
		credential: {
			clientId: 'n8n-client',
			clientSecret: `secret-${Math.random().toString(36).slice(2)}`,
			instance: 'self-hosted',
			appUrl: 'https://cal.example.com',
			apiUrl: cal.apiUrl,
			scopes: ['BOOKING_READ', 'EVENT_TYPE_READ'],
			oauthTokenData: cal.connect(10 * YEAR_SECONDS),
		},
		parameters: { event: 'booking_created' },
		onLog: (level, message) => logs.push({ level, message }),
		...(staticData === undefined ? {} : { staticData }),
	});
}

const uidsOf = (result: Awaited<ReturnType<N8nHost['tick']>>) => (result ?? []).flat().map((item) => item.json.uid);

describe('Cal.com trigger: Cal.com clock glitches', () => {
	it('one answer with a Date header a year ahead does not stop later bookings from being reported', async () => {
		const n8n = host();
		await n8n.activate();
		cal.advance(60);
		const first = cal.create();
		// One answer from a clock a year ahead (the fake's Date header follows its clock), then the clock is right again.
		cal.now += YEAR_SECONDS * 1000;
		expect(uidsOf(await n8n.tick())).toEqual([first.uid]);
		cal.now -= YEAR_SECONDS * 1000;
		cal.advance(60);
		const second = cal.create();
		cal.advance(60);
		expect(uidsOf(await n8n.tick())).toEqual([second.uid]);
	});

	it('an absurd stored position starts a new baseline and says so through n8n’s logger', async () => {
		const n8n = host({ 'node:Cal.com Trigger': { [STATE_KEY]: { v: 1, event: 'booking_created', main: { after: '9999-01-01T00:00:00.000Z', seen: [] } } } });
		await n8n.activate();
		expect(logs.some(({ level, message }) => level === 'warn' && message.includes('Started a new polling baseline because the stored polling position (9999-01-01T00:00:00.000Z) is ahead'))).toBe(true);
		cal.advance(60);
		const booking = cal.create();
		cal.advance(60);
		expect(uidsOf(await n8n.tick())).toEqual([booking.uid]);
	});
});

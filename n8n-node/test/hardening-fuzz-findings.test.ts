import nock from 'nock';
import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { CalComOAuth2Api } from '../credentials/CalComOAuth2Api.credentials';
import { CalComTrigger } from '../nodes/CalCom/CalComTrigger.node';
import { N8nHost } from '../../test/hosts/n8n-host';

/** Defects the fuzz suite (test/fuzz) found, through the n8n host. */

const KEY = `k3y-${Math.random().toString(36).slice(2)}x9`;
const requests: string[] = [];

beforeAll(() => {
	if (!nock.isActive()) nock.activate();
	nock.disableNetConnect();
});
afterAll(() => {
	nock.cleanAll();
	nock.enableNetConnect();
	nock.restore();
});
beforeEach(() => {
	requests.length = 0;
});

function host(credential: IDataObject, parameters: IDataObject = { event: 'booking_created' }): N8nHost {
	return new N8nHost({
		nodeType: new CalComTrigger(),
		credentialType: new CalComOAuth2Api(),
		credential: {
			clientId: 'n8n-client',
			clientSecret: `secret-${Math.random().toString(36).slice(2)}`,
			instance: 'self-hosted',
			appUrl: 'https://cal.example.com',
			apiUrl: '',
			scopes: ['BOOKING_READ', 'EVENT_TYPE_READ'],
			oauthTokenData: { access_token: `at-${Math.random().toString(36).slice(2)}`, token_type: 'bearer' },
			...credential,
		},
		parameters,
		fetch: (async (url: string | URL) => {
			requests.push(String(url));
			throw new Error('no request may be sent');
		}) as typeof fetch,
	});
}

describe('an instance URL carrying a key', () => {
	it.each([
		['the app URL, in its query', { appUrl: `https://cal.example.com/base?key=${KEY}` }],
		['the app URL, in its fragment', { appUrl: `https://cal.example.com/#${KEY}` }],
		['the API URL, in user info the URL parser refuses', { apiUrl: `https://user:${KEY}%@cal.example.com` }],
	])('in %s is refused without quoting the key, before any request', async (_label, credential) => {
		const error = await host(credential).activate().catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeOperationError);
		const { message, description } = error as NodeOperationError;
		expect(message).toMatch(/Cal\.com (app|API) URL/);
		expect(`${message} ${String(description ?? '')}`).not.toContain(KEY);
		expect(requests).toEqual([]);
	});
});

// Not repeated here for NaN/Infinity event-type ids: n8n stores parameters as JSON, so such a value
// reaches the node as null (no filter); the Zapier test and the shared one cover the wording.

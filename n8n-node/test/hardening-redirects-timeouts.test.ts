import nock from 'nock';
import { NodeApiError, type IDataObject, type IHttpRequestOptions, type INode } from 'n8n-workflow';

import { CalcomError } from '@calcom-oauth/shared';

import { CalComOAuth2Api } from '../credentials/CalComOAuth2Api.credentials';
import { CalComTrigger } from '../nodes/CalCom/CalComTrigger.node';
import { createHttpExecutor, REQUEST_TIME_OUT, toRequestOptions, type AuthenticatedContext } from '../nodes/CalCom/transport/httpExecutor';
import { N8nHost } from '../../test/hosts/n8n-host';
import { FakeCalcom } from './fakeCalcom';
import { useSilentServer } from '../../test/hosts/silent-server';
import { useNock } from './support/hosts';

useNock();

function host(apiUrl: string, tokens: IDataObject, parameters: IDataObject = { event: 'booking_created' }): N8nHost {
	return new N8nHost({
		nodeType: new CalComTrigger(),
		credentialType: new CalComOAuth2Api(),
		credential: {
			clientId: 'n8n-client',
			clientSecret: `secret-${Math.random().toString(36).slice(2)}`,
			instance: 'self-hosted',
			appUrl: 'https://cal.example.com',
			apiUrl,
			scopes: ['BOOKING_READ', 'EVENT_TYPE_READ'],
			oauthTokenData: tokens,
		},
		parameters,
	});
}

const NODE: INode = { id: 'n', name: 'Cal.com Trigger', type: 'calComTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

/** An n8n context whose request helper is `send`; enough for the executor. */
function contextWith(send: (options: IHttpRequestOptions) => Promise<unknown>): AuthenticatedContext & { sent: IHttpRequestOptions[] } {
	const sent: IHttpRequestOptions[] = [];
	const context = {
		sent,
		logger: { debug: () => undefined, warn: () => undefined },
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				sent.push(options);
				return await send(options);
			},
		},
	};
	return context as unknown as AuthenticatedContext & { sent: IHttpRequestOptions[] };
}

const INSTANCE = { appUrl: 'https://cal.example.com', apiUrl: 'https://api.cal.example.com' };

describe('n8n: redirects are never followed (issue 15, item 1)', () => {
	it('asks n8n not to follow redirects, on every request', () => {
		const options = toRequestOptions({ method: 'GET', url: `${INSTANCE.apiUrl}/v2/bookings`, headers: {} });
		expect(options.disableFollowRedirect).toBe(true);
	});

	it.each([301, 307, 308])('a %i on GET /v2/bookings to another host is an error naming it, and nothing reaches that host', async (status) => {
		const cal = new FakeCalcom();
		const tokens = cal.connect();
		const n8n = host(cal.apiUrl, tokens);
		await n8n.activate();
		cal.queuedFaults.push({ path: '/v2/bookings', status, body: '', headers: { location: 'https://mirror.example.org/v2/bookings?access_token=leak' } });
		const thief = nock('https://mirror.example.org').get('/v2/bookings').query(true).reply(200, { status: 'success', data: [] });
		const error = await n8n.tick().then(
			() => undefined,
			(failure: unknown) => failure as Error,
		);
		expect(thief.isDone()).toBe(false);
		expect(error?.message).toContain('mirror.example.org');
		expect(error?.message).toMatch(/not followed.*instance URL/);
		expect(error?.message).not.toContain('leak');
		expect(error?.message).not.toContain(tokens.access_token);
	});

	it('a real-n8n-shaped 3xx (axios rejects it, NodeApiError wraps it) reaches the core as that status', async () => {
		const axiosError = Object.assign(new Error('Request failed with status code 307'), {
			isAxiosError: true,
			config: { url: `${INSTANCE.apiUrl}/v2/me` },
			response: { status: 307, headers: { location: 'http://evil.example/' }, data: '' },
		});
		const context = contextWith(async () => {
			throw new NodeApiError(NODE, axiosError as never);
		});
		const response = await createHttpExecutor(context, INSTANCE)({ method: 'GET', url: `${INSTANCE.apiUrl}/v2/me`, headers: {} });
		expect(response.status).toBe(307);
		expect(response.headers.location).toBe('http://evil.example/');
	});

	it('refuses to send a request to any host but the credential\'s API, before n8n sees it', async () => {
		const context = contextWith(async () => ({ statusCode: 200, headers: {}, body: '{}' }));
		const execute = createHttpExecutor(context, INSTANCE);
		for (const url of ['https://evil.example/v2/bookings', 'https://api.cal.example.com.evil.example/v2/bookings', 'http://api.cal.example.com/v2/bookings', 'https://user:pw@api.cal.example.com/v2/me']) {
			await expect(execute({ method: 'GET', url, headers: {} })).rejects.toMatchObject({ kind: 'invalid_input', message: expect.stringMatching(/Nothing was sent/) });
		}
		expect(context.sent).toHaveLength(0);
	});
});

describe('n8n: every request has a time-out (issue 15, item 6)', () => {
	const original = REQUEST_TIME_OUT.ms;
	const silent = useSilentServer(nock, REQUEST_TIME_OUT);

	it('gives every request n8n\'s timeout option', () => {
		expect(toRequestOptions({ method: 'GET', url: `${INSTANCE.apiUrl}/v2/bookings`, headers: {} }).timeout).toBe(300);
		expect(original).toBeGreaterThanOrEqual(10_000);
		expect(original).toBeLessThanOrEqual(60_000);
	});

	it('a poll against a Cal.com that never answers fails with the core time-out error', async () => {
		const n8n = host(silent.url, { access_token: 'access-x', refresh_token: 'refresh-x', token_type: 'bearer', expires_in: 1800, n8n_expires_at: String(Date.now() + 1_800_000) });
		const started = Date.now();
		const error = await n8n.activate().then(
			() => undefined,
			(failure: unknown) => failure as Error,
		);
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(error?.message).toMatch(/Could not reach GET \/v2\/bookings \(time-out\)/);
	});

	it('the event-type dropdown against a Cal.com that never answers fails with the core time-out error', async () => {
		const n8n = host(silent.url, { access_token: 'access-x', refresh_token: 'refresh-x', token_type: 'bearer', expires_in: 1800, n8n_expires_at: String(Date.now() + 1_800_000) });
		await expect(n8n.loadOptions('getEventTypes')).rejects.toThrow(/\(time-out\)/);
	});

	it('recognises real n8n\'s time-out (axios ECONNABORTED wrapped in NodeApiError)', async () => {
		const axiosTimeout = Object.assign(new Error('timeout of 30000ms exceeded'), { isAxiosError: true, code: 'ECONNABORTED', config: { url: `${INSTANCE.apiUrl}/v2/bookings` } });
		const context = contextWith(async () => {
			throw new NodeApiError(NODE, axiosTimeout as never);
		});
		const failure = await createHttpExecutor(context, INSTANCE)({ method: 'GET', url: `${INSTANCE.apiUrl}/v2/bookings`, headers: {} }).then(
			() => undefined,
			(error: unknown) => error,
		);
		expect(failure).toBeInstanceOf(CalcomError);
		expect(failure).toMatchObject({ kind: 'server_unavailable', code: 'time-out' });
	});
});

import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { CAL_API_VERSIONS } from '@calcom-oauth/shared';

import { CalComOAuth2Api } from '../credentials/CalComOAuth2Api.credentials';
import { CalComTrigger } from '../nodes/CalCom/CalComTrigger.node';
import { STATE_KEY } from '../nodes/CalCom/trigger/poll';
import { N8nCredentialStore, N8nHost, type N8nHostOptions } from '../../test/hosts/n8n-host';
import { FakeCalcom } from './fakeCalcom';
import { useNock } from './support/hosts';

const CLIENT_ID = 'n8n-client';
let clientSecret: string;
let cal: FakeCalcom;

useNock();

beforeEach(() => {
	cal = new FakeCalcom();
	clientSecret = `secret-${Math.random().toString(36).slice(2)}`;
});


function host(parameters: IDataObject = { event: 'booking_created' }, extra: Partial<N8nHostOptions> = {}, expiresIn = 1800): N8nHost {
	return new N8nHost({
		nodeType: new CalComTrigger(),
		credentialType: new CalComOAuth2Api(),
		credential: {
			clientId: CLIENT_ID,
			clientSecret,
			instance: 'self-hosted',
			appUrl: 'https://cal.example.com',
			apiUrl: cal.apiUrl,
			scopes: ['BOOKING_READ', 'EVENT_TYPE_READ'],
			oauthTokenData: cal.connect(expiresIn),
		},
		parameters,
		...extra,
	});
}

const bookingCalls = () => cal.callsTo('/v2/bookings');
const jsonOf = (result: Awaited<ReturnType<N8nHost['tick']>>) => (result ?? []).flat().map((item) => item.json);

describe('Cal.com trigger: polling lifecycle in an n8n-like host', () => {
	it('records a baseline on activation and returns null, even with existing bookings', async () => {
		cal.create();
		cal.create();
		const n8n = host();
		await expect(n8n.activate()).resolves.toBeNull();
		expect(n8n.executions).toHaveLength(0);
		// Activation persists static data, under the node's key.
		expect((n8n.persistedStaticData['node:Cal.com Trigger'] as IDataObject)[STATE_KEY]).toMatchObject({ v: 1, event: 'booking_created' });
		const [call] = bookingCalls();
		expect(call?.headers['cal-api-version']).toBe(CAL_API_VERSIONS.bookings);
		expect(call?.headers.authorization).toMatch(/^Bearer access-/);
	});

	it('emits each new booking exactly once, with the event name and ISO dates', async () => {
		const n8n = host();
		await n8n.activate();
		cal.advance(60);
		const booking = cal.create({ title: 'Kick-off' });
		const first = jsonOf(await n8n.tick());
		expect(first).toHaveLength(1);
		expect(first[0]).toMatchObject({ event: 'booking_created', uid: booking.uid, title: 'Kick-off', status: 'accepted' });
		for (const field of ['occurredAt', 'start', 'end', 'createdAt']) {
			expect(new Date(String(first[0]?.[field])).toISOString()).toBe(first[0]?.[field]);
		}
		expect(n8n.persistedStaticData).toEqual(n8n.staticData);
		cal.advance(60);
		await expect(n8n.tick()).resolves.toBeNull();
		cal.advance(60);
		await expect(n8n.tick()).resolves.toBeNull();
		expect(n8n.executions).toHaveLength(1);
	});

	it('reports cancellations and reschedules on their own triggers, once each', async () => {
		const existing = cal.create();
		const moved = cal.create();
		const created = host({ event: 'booking_created' }, { nodeName: 'Created' });
		const cancelled = host({ event: 'booking_cancelled' }, { nodeName: 'Cancelled' });
		const rescheduled = host({ event: 'booking_rescheduled' }, { nodeName: 'Rescheduled' });
		for (const trigger of [created, cancelled, rescheduled]) await trigger.activate();
		cal.advance(60);
		cal.cancel(existing.uid);
		const replacement = cal.reschedule(moved.uid);
		const results = await Promise.all([created.tick(), cancelled.tick(), rescheduled.tick()]);
		const [createdItems, cancelledItems, rescheduledItems] = results.map(jsonOf);
		// A reschedule is not a new booking, and its cancelled original is not a cancellation.
		expect(createdItems).toEqual([]);
		expect(cancelledItems).toEqual([expect.objectContaining({ event: 'booking_cancelled', uid: existing.uid, status: 'cancelled' })]);
		expect(rescheduledItems).toEqual([
			expect.objectContaining({ event: 'booking_rescheduled', uid: replacement.uid, rescheduledFromUid: moved.uid, rescheduledFrom: expect.objectContaining({ uid: moved.uid }) }),
		]);
		cal.advance(60);
		const again = await Promise.all([created.tick(), cancelled.tick(), rescheduled.tick()]);
		expect(again).toEqual([null, null, null]);
	});

	it('does not replay after a restart that lost unsaved static data', async () => {
		const n8n = host();
		await n8n.activate();
		cal.advance(60);
		cal.create();
		expect(jsonOf(await n8n.tick())).toHaveLength(1);
		cal.advance(60);
		await expect(n8n.tick()).resolves.toBeNull();
		n8n.restart();
		cal.advance(30);
		await expect(n8n.tick()).rejects.toThrow(/before activate/);
		await expect(n8n.activate()).resolves.toBeNull();
		cal.advance(60);
		const late = cal.create();
		expect(jsonOf(await n8n.tick()).map((item) => item.uid)).toEqual([late.uid]);
	});
});

describe('Cal.com trigger: manual "Fetch Test Event"', () => {
	it('returns recent real bookings and leaves the polling state alone', async () => {
		const n8n = host();
		await n8n.activate();
		const before = JSON.stringify(n8n.staticData);
		const recent = [cal.create(), cal.create()];
		const items = jsonOf(await n8n.fetchTestEvent());
		expect(items.map((item) => item.uid).sort()).toEqual(recent.map((booking) => booking.uid).sort());
		expect(items.every((item) => item.event === 'booking_created')).toBe(true);
		expect(JSON.stringify(n8n.staticData)).toBe(before);
		expect(n8n.executions.filter((execution) => execution.mode === 'manual')).toHaveLength(1);
	});

	it('says clearly when there is nothing to show', async () => {
		cal.create();
		const n8n = host({ event: 'booking_rejected' });
		const failure = n8n.fetchTestEvent();
		await expect(failure).rejects.toBeInstanceOf(NodeOperationError);
		await expect(n8n.fetchTestEvent()).rejects.toThrow('No bookings found in Cal.com for "Booking Rejected".');
		expect(n8n.staticData).toEqual({});
	});
});

describe('Cal.com trigger: filters and options', () => {
	it('sends the chosen event types to Cal.com and only emits those', async () => {
		const n8n = host({ event: 'booking_created', eventTypeIds: [22] });
		await n8n.activate();
		cal.advance(60);
		cal.create({ eventType: { id: 11, slug: 'intro' } });
		const wanted = cal.create({ eventType: { id: 22, slug: 'deep-dive' } });
		expect(jsonOf(await n8n.tick()).map((item) => item.uid)).toEqual([wanted.uid]);
		expect(bookingCalls().every((call) => call.query.get('eventTypeIds') === '22')).toBe(true);
	});

	it('takes event type ids an expression gives as comma-separated text', async () => {
		const n8n = host({ event: 'booking_created', eventTypeIds: '22, 11' });
		await n8n.activate();
		cal.advance(60);
		const wanted = [cal.create({ eventType: { id: 11, slug: 'intro' } }), cal.create({ eventType: { id: 22, slug: 'deep-dive' } })];
		expect(jsonOf(await n8n.tick()).map((item) => item.uid)).toEqual(wanted.map((booking) => booking.uid));
		expect(bookingCalls().every((call) => call.query.get('eventTypeIds') === '22,11')).toBe(true);
	});

	it('names an event type value that is not an id, before any request', async () => {
		const n8n = host({ event: 'booking_created', eventTypeIds: '22, intro' });
		await expect(n8n.activate()).rejects.toThrow('Event Type Names or IDs: "intro" is not an event type ID');
		expect(bookingCalls()).toHaveLength(0);
	});

	it('holds unconfirmed bookings back until confirmed, unless told otherwise', async () => {
		const strict = host({ event: 'booking_created' }, { nodeName: 'Strict' });
		const eager = host({ event: 'booking_created', options: { includeUnconfirmed: true } }, { nodeName: 'Eager' });
		await strict.activate();
		await eager.activate();
		cal.advance(60);
		const pending = cal.create({ status: 'pending' });
		expect(await strict.tick()).toBeNull();
		expect(jsonOf(await eager.tick()).map((item) => item.uid)).toEqual([pending.uid]);
		cal.advance(60);
		pending.status = 'accepted';
		pending.updatedAt = new Date(cal.now).toISOString();
		expect(jsonOf(await strict.tick()).map((item) => item.uid)).toEqual([pending.uid]);
	});

	it('loads the event-type dropdown from Cal.com with the event-types API version', async () => {
		const options = await host().loadOptions('getEventTypes');
		expect(options).toEqual([
			{ name: 'Deep dive (60 min)', value: 22, description: '/deep-dive' },
			{ name: 'Intro call (15 min)', value: 11, description: '/intro' },
		]);
		expect(cal.callsTo('/v2/event-types')[0]?.headers['cal-api-version']).toBe(CAL_API_VERSIONS.eventTypes);
	});
});

describe('Cal.com trigger: token expiry', () => {
	it('refreshes inside n8n on the 403 "no oAuth client found" quirk, stores the rotated token and loses nothing', async () => {
		const n8n = host({ event: 'booking_created' }, {}, 30);
		await n8n.activate();
		const firstRefresh = n8n.credential.oauthTokenData?.refresh_token;
		cal.expireAccessTokens();
		cal.advance(60);
		const booking = cal.create();
		expect(jsonOf(await n8n.tick()).map((item) => item.uid)).toEqual([booking.uid]);
		const [refresh] = cal.callsTo('/v2/auth/oauth2/token');
		// n8n's body mode, exactly: no Basic header, no scope, state or redirect_uri.
		expect(Object.fromEntries(new URLSearchParams(refresh?.body))).toEqual({
			refresh_token: firstRefresh,
			grant_type: 'refresh_token',
			client_id: CLIENT_ID,
			client_secret: clientSecret,
		});
		expect(refresh?.headers.authorization).toBeUndefined();
		expect(n8n.credential.oauthTokenData?.refresh_token).toBe(cal.liveRefreshToken);
		expect(n8n.credential.oauthTokenData?.refresh_token).not.toBe(firstRefresh);
		expect(n8n.events.filter((event) => event.type === 'refresh')).toHaveLength(1);
	});

	it.each([
		['n8n 1.x, which refreshed on 401 only', { refreshRule: 'only-401' as const }, 1800],
		['n8n 2.41 trusting a stored expiry that Cal.com disagrees with', {}, 1800],
	])('%s: a 403 expired-token quirk is recovered through /v2/me', async (_label, extra, expiresIn) => {
		const n8n = host({ event: 'booking_created' }, extra, expiresIn);
		await n8n.activate();
		cal.expireAccessTokens();
		cal.advance(60);
		const booking = cal.create();
		expect(jsonOf(await n8n.tick()).map((item) => item.uid)).toEqual([booking.uid]);
		// 403 on bookings, 401 on /v2/me so n8n refreshes and retries it, then bookings with the new token.
		const sequence = cal.calls.slice(-5).map((call) => call.path);
		expect(sequence).toEqual(['/v2/bookings', '/v2/me', '/v2/auth/oauth2/token', '/v2/me', '/v2/bookings']);
		expect(n8n.credential.oauthTokenData?.refresh_token).toBe(cal.liveRefreshToken);
	});

	it('does not loop when Cal.com keeps refusing a fresh token', async () => {
		const n8n = host({ event: 'booking_created' }, { refreshRule: 'only-401' });
		await n8n.activate();
		cal.advance(60);
		const requestsBefore = cal.calls.length;
		cal.queuedFaults.push(
			...[1, 2].map(() => ({
				path: '/v2/bookings',
				status: 403,
				body: JSON.stringify({ status: 'error', error: { code: 'ForbiddenException', message: 'PermissionsGuard - no oAuth client found for access token=x' } }),
				headers: { 'content-type': 'application/json' },
			})),
		);
		await expect(n8n.tick()).rejects.toThrow(/access token was refused/);
		expect(cal.calls.slice(requestsBefore).map((call) => call.path)).toEqual(['/v2/bookings', '/v2/me', '/v2/bookings']);
	});

	it('refreshes on 401 as well, once for concurrent requests (single flight)', async () => {
		const a = host();
		await a.activate();
		cal.expireAccessTokens();
		const options = await Promise.all([a.loadOptions('getEventTypes'), a.loadOptions('getEventTypes')]);
		expect(options[0]).toHaveLength(2);
		expect(options[1]).toHaveLength(2);
		expect(cal.callsTo('/v2/auth/oauth2/token')).toHaveLength(1);
		expect(a.events.some((event) => event.type === 'refresh-reused')).toBe(true);
	});

	it('two workflows on one credential refresh it once and both deliver (rotation never revokes a sibling)', async () => {
		const first = host({ event: 'booking_created' }, { nodeName: 'A' }, 30);
		const shared = first.credentialStore;
		const second = new N8nHost({
			nodeType: new CalComTrigger(),
			credentialType: new CalComOAuth2Api(),
			credential: shared,
			parameters: { event: 'booking_created' },
			nodeName: 'B',
		});
		expect(shared).toBeInstanceOf(N8nCredentialStore);
		await Promise.all([first.activate(), second.activate()]);
		cal.expireAccessTokens();
		cal.advance(60);
		const booking = cal.create();
		const results = await Promise.all([first.tick(), second.tick()]);
		expect(results.map((result) => jsonOf(result).map((item) => item.uid))).toEqual([[booking.uid], [booking.uid]]);
		const refreshes = cal.callsTo('/v2/auth/oauth2/token');
		expect(refreshes).toHaveLength(1);
		expect(second.credential.oauthTokenData?.refresh_token).toBe(cal.liveRefreshToken);
	});

	it('does not refresh on a 403 for a missing scope while the token is fresh, and names the scope', async () => {
		const n8n = host();
		cal.grantedScopes = ['EVENT_TYPE_READ'];
		const failure = n8n.activate();
		await expect(failure).rejects.toBeInstanceOf(NodeApiError);
		await expect(n8n.activate()).rejects.toThrow(/lacks BOOKING_READ/);
		expect(cal.callsTo('/v2/auth/oauth2/token')).toHaveLength(0);
	});

	it('asks for a reconnect when the refresh token was revoked, without leaking tokens', async () => {
		const n8n = host({ event: 'booking_created' }, {}, 30);
		await n8n.activate();
		const state = JSON.stringify(n8n.staticData);
		cal.expireAccessTokens();
		cal.liveRefreshToken = 'revoked-by-a-sibling-refresh';
		const error = await n8n.tick().catch((caught: unknown) => caught as Error);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(/reconnect the Cal\.com account/);
		expect((error as NodeApiError).description).toMatch(/Reconnect/);
		const stored = n8n.credential.oauthTokenData as IDataObject;
		const text = JSON.stringify({ message: (error as Error).message, description: (error as NodeApiError).description });
		for (const secret of [stored.access_token, stored.refresh_token, clientSecret]) expect(text).not.toContain(String(secret));
		expect(JSON.stringify(n8n.staticData)).toBe(state);
	});
});

describe('Cal.com trigger: faults keep the state and lose nothing', () => {
	async function activeHost() {
		const n8n = host();
		await n8n.activate();
		cal.advance(60);
		return n8n;
	}

	it('429: reports the wait from X-RateLimit-Reset-Default, then delivers on the next poll', async () => {
		const n8n = await activeHost();
		const booking = cal.create();
		const state = JSON.stringify(n8n.staticData);
		cal.queuedFaults.push({
			path: '/v2/bookings',
			status: 429,
			body: JSON.stringify({ status: 'error', error: { code: 'ThrottlerException', message: 'CustomThrottlerGuard - Too many requests. Please try again later.' } }),
			headers: { 'content-type': 'application/json', 'x-ratelimit-reset-default': '42' },
		});
		const error = await n8n.tick().catch((caught: unknown) => caught as NodeApiError);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(/rate limit.*42 seconds/);
		expect((error as NodeApiError).httpCode).toBe('429');
		expect(JSON.stringify(n8n.staticData)).toBe(state);
		expect(jsonOf(await n8n.tick()).map((item) => item.uid)).toEqual([booking.uid]);
	});

	it.each([
		['a 502 from a proxy', { status: 502, body: '<html><body>Bad gateway</body></html>', headers: { 'content-type': 'text/html' } }, /could not answer/],
		['an HTML login page with 200', { status: 200, body: '<!doctype html><html><body>Sign in</body></html>', headers: { 'content-type': 'text/html' } }, /HTML page instead of JSON/],
		['truncated JSON', { status: 200, body: '{"status":"success","data":[{"id":1,', headers: { 'content-type': 'application/json' } }, /not valid JSON/],
	])('%s: a clear error, state kept, the booking delivered next poll', async (_label, fault, message) => {
		const n8n = await activeHost();
		const booking = cal.create();
		const state = JSON.stringify(n8n.staticData);
		cal.queuedFaults.push({ path: '/v2/bookings', ...fault });
		await expect(n8n.tick()).rejects.toThrow(message);
		expect(JSON.stringify(n8n.staticData)).toBe(state);
		expect(jsonOf(await n8n.tick()).map((item) => item.uid)).toEqual([booking.uid]);
	});

	it('a connection reset: a clear error naming the endpoint, then delivery', async () => {
		const n8n = await activeHost();
		const booking = cal.create();
		cal.queuedFaults.push({ path: '/v2/bookings', networkError: 'ECONNRESET' });
		await expect(n8n.tick()).rejects.toThrow(/GET \/v2\/bookings/);
		expect(jsonOf(await n8n.tick()).map((item) => item.uid)).toEqual([booking.uid]);
	});

	it('a revoked refresh token in Cal.com’s wrapped error envelope still reads as "reconnect"', async () => {
		// n8n only recognises a flat {error:"invalid_grant"}; with the envelope its AuthError message is
		// "[object Object]", so the node reads the body itself through the core.
		const n8n = host({ event: 'booking_created' }, {}, 30);
		await n8n.activate();
		cal.advance(60);
		cal.expireAccessTokens();
		cal.queuedFaults.push({
			path: '/v2/auth/oauth2/token',
			status: 400,
			body: JSON.stringify({
				status: 'error',
				timestamp: new Date(cal.now).toISOString(),
				path: '/v2/auth/oauth2/token',
				error: { code: 'HttpException', message: 'Refresh token is invalid', details: { error: 'invalid_grant', error_description: 'Refresh token is invalid' } },
			}),
		});
		const error = (await n8n.tick().catch((caught: unknown) => caught)) as Error;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/refused the token refresh.*invalid_grant.*reconnect the Cal\.com account/);
		expect(error.message).not.toContain('[object Object]');
	});

	it('a token endpoint outage during refresh: a clear error, then recovery', async () => {
		const n8n = host({ event: 'booking_created' }, {}, 30);
		await n8n.activate();
		cal.advance(60);
		cal.expireAccessTokens();
		const booking = cal.create();
		cal.queuedFaults.push({ path: '/v2/auth/oauth2/token', status: 503, body: 'upstream unavailable' });
		await expect(n8n.tick()).rejects.toThrow(/token refresh/);
		expect(jsonOf(await n8n.tick()).map((item) => item.uid)).toEqual([booking.uid]);
	});

	it('an invalid self-hosted URL fails before any request, with the core’s message', async () => {
		const n8n = new N8nHost({
			nodeType: new CalComTrigger(),
			credentialType: new CalComOAuth2Api(),
			credential: { clientId: CLIENT_ID, clientSecret, instance: 'self-hosted', appUrl: 'cal.example.com', oauthTokenData: cal.connect() },
			parameters: { event: 'booking_created' },
		});
		await expect(n8n.activate()).rejects.toThrow(/not a valid URL/);
		expect(cal.calls).toHaveLength(0);
	});
});

/**
 * A refresh that loses to a sibling's: in queue mode n8n can refresh one credential twice at once
 * (its Redis lock timed out, @n8n/backend-common `single-flight-lease.js` `onLeaseTimeout`). Cal.com
 * keeps only the newest refresh token, so the loser gets invalid_grant although the credential row
 * holds the winner's live tokens. The node tries once more and recovers; a dead credential still
 * ends in the reconnect message after exactly one more attempt.
 */
import { NodeApiError, NodeOperationError, type IDataObject } from 'n8n-workflow';

import { isRefusedRefresh } from '../nodes/CalCom/transport/authFailure';

import { CalComTrigger } from '../nodes/CalCom/CalComTrigger.node';
import type { N8nHost } from '../../test/hosts/n8n-host';
import { FakeCalcom } from './fakeCalcom';
import { calcomCredential, calcomHost, useNock } from './support/hosts';

let cal: FakeCalcom;

useNock();
beforeEach(() => {
	cal = new FakeCalcom();
});

/** A host whose token POST is overtaken by `beforeRefresh` (another process refreshing first). */
function host(beforeRefresh: (n8n: N8nHost) => void): N8nHost {
	const scopes = ['BOOKING_READ', 'EVENT_TYPE_READ'];
	// Called only once the host below exists: n8n's requests start with its first tick.
	const raced: typeof fetch = async (input, init) => {
		const url = input instanceof Request ? input.url : String(input);
		if (url.endsWith('/v2/auth/oauth2/token')) beforeRefresh(n8n);
		return await fetch(input, init);
	};
	const n8n = calcomHost(cal, new CalComTrigger(), { event: 'booking_created' }, scopes, {
		credential: calcomCredential(cal, scopes, 30),
		fetch: raced,
		now: () => Date.now() + 3_600_000,
	});
	return n8n;
}

const refreshes = () => cal.callsTo('/v2/auth/oauth2/token');

describe('Cal.com trigger: a token refresh that loses to a sibling refresh', () => {
	it('tries once more with the stored tokens and delivers, without asking for a reconnect', async () => {
		let siblingTokens: IDataObject | undefined;
		const n8n = host((current) => {
			if (siblingTokens !== undefined) return;
			// Another n8n process refreshed first: Cal.com rotated, and that process stored its tokens.
			siblingTokens = cal.connect(1800);
			current.credential = { ...current.credential, oauthTokenData: siblingTokens };
		});
		await n8n.activate();
		cal.expireAccessTokens();
		cal.advance(60);
		const booking = cal.create({ title: 'After the race' });
		const result = await n8n.tick();
		expect((result ?? []).flat().map((item) => item.json.uid)).toEqual([booking.uid]);
		expect(refreshes().map((call) => new URLSearchParams(call.body).get('grant_type'))).toEqual(['refresh_token']);
		expect((n8n.credential.oauthTokenData as IDataObject).refresh_token).toBe(siblingTokens?.refresh_token);
		expect(n8n.logs.some((entry) => entry.level === 'warn' && /invalid_grant.*once more/.test(entry.message))).toBe(true);
	});

	it('still asks for a reconnect when the stored tokens are dead too, after exactly one more attempt', async () => {
		const n8n = host(() => undefined);
		await n8n.activate();
		cal.expireAccessTokens();
		cal.liveRefreshToken = 'revoked-elsewhere';
		const error = await n8n.tick().catch((caught: unknown) => caught as Error);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(/reconnect the Cal\.com account/);
		// The first refresh and the one of the single retry; no loop.
		expect(refreshes()).toHaveLength(2);
	});
});

describe('isRefusedRefresh: how the node recognises n8n\'s reconnect error', () => {
	const node = { id: 'n', name: 'Cal.com Trigger', type: 'CUSTOM.calComTrigger', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };

	it('reads n8n 2.41\'s credential-invalid marker, whatever the wording', () => {
		const marked = new NodeOperationError(node, 'Die Anmeldedaten müssen neu verbunden werden.', { failure: { cause: 'credential-invalid' } });
		expect(isRefusedRefresh(marked)).toBe(true);
		expect(isRefusedRefresh(new Error('wrapped', { cause: marked }))).toBe(true);
	});

	it('falls back to the wording of an n8n without the marker, and ignores other errors', () => {
		expect(isRefusedRefresh(new NodeOperationError(node, 'The credential "Cal.com" needs to be reconnected.'))).toBe(true);
		expect(isRefusedRefresh(new NodeOperationError(node, 'Request failed with status code 500'))).toBe(false);
		expect(isRefusedRefresh(new NodeOperationError(node, 'Bad request', { failure: { cause: 'other' } } as never))).toBe(false);
	});
});

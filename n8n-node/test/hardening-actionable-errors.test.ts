import { NodeApiError, NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import { CalcomError } from '@calcom-oauth/shared';

import { toN8nError } from '../nodes/CalCom/errors';
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

async function failureOf(promise: Promise<unknown>): Promise<NodeApiError | NodeOperationError> {
	try {
		await promise;
	} catch (error) {
		return error as NodeApiError | NodeOperationError;
	}
	throw new Error('expected a failure');
}

const NETWORK_WORDING = /could not reach|check the connection|refused the connection/i;

describe('n8n: bad node parameters are parameter errors, not network errors', () => {
	it.each(['booking_deleted', 'ECONNREFUSED', 42])('an unknown Event (%p) from an imported workflow names the parameter, before any request', async (event) => {
		const error = await failureOf(host({ event } as IDataObject).activate());
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`The "Event" parameter is ${typeof event === 'string' ? `"${event}"` : String(event)}, which this version of the node does not know.`);
		expect(error.message).not.toMatch(NETWORK_WORDING);
		expect(error.description).toMatch(/choose one of: .*Booking Created/);
		expect(cal.calls).toHaveLength(0);
	});

	it.each([
		[{ includeUnconfirmed: 'yes' }, /^The "Options → Include Unconfirmed Bookings" parameter is "yes", not true or false\.$/],
		[{ includeCancelled: true }, /^The "Options" parameter holds "includeCancelled", which this version of the node does not know\.$/],
	])('a bad option %j names it, before any request', async (options, message) => {
		const error = await failureOf(host({ event: 'booking_created', options }).activate());
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(message);
		expect(cal.calls).toHaveLength(0);
	});
});

describe('n8n: only real network failures read as network failures, and our message survives', () => {
	async function activeHost() {
		const n8n = host();
		await n8n.activate();
		cal.advance(60);
		return n8n;
	}

	it('a Cal.com 4xx whose text holds "ECONNREFUSED" keeps the core message (n8n would say "The service refused the connection")', async () => {
		const n8n = await activeHost();
		cal.queuedFaults.push({
			path: '/v2/bookings',
			status: 400,
			body: JSON.stringify({ status: 'error', error: { code: 'BadRequestException', message: 'upstream calendar ECONNREFUSED' } }),
			headers: { 'content-type': 'application/json' },
		});
		const error = await failureOf(n8n.tick());
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Cal.com rejected GET /v2/bookings (HTTP 400, "BadRequestException: upstream calendar ECONNREFUSED").');
		expect((error as NodeApiError).httpCode).toBe('400');
	});

	// The transport reports every time-out, the socket's own included, as the core's time-out.
	it.each([
		['ECONNREFUSED', 'ECONNREFUSED'],
		['ENOTFOUND', 'ENOTFOUND'],
		['ETIMEDOUT', 'time-out'],
	])('a real %s reads as a network error naming the endpoint', async (code, shown) => {
		const n8n = await activeHost();
		cal.queuedFaults.push({ path: '/v2/bookings', networkError: code });
		const error = await failureOf(n8n.tick());
		expect(error.message).toBe(`Could not reach GET /v2/bookings (${shown}); check the connection and try again.`);
		expect(error.description).toMatch(/tries again at its next poll/);
	});

	const node: INode = { id: 'n', name: 'Cal.com Trigger', type: 'n8n-nodes-calcom-oauth.calComTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

	it('a defect (TypeError) is an unexpected failure pointing at the parameters, never "could not reach"', () => {
		const error = toN8nError(node, new TypeError("Cannot read properties of undefined (reading 'scope')"), 'GET /v2/bookings');
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe("The Cal.com trigger failed while preparing or reading GET /v2/bookings: Cannot read properties of undefined (reading 'scope')");
		expect(error.message).not.toMatch(NETWORK_WORDING);
		expect(error.description).toMatch(/not a connection problem/);
	});

	it.each([
		['invalid_input', undefined, NodeOperationError],
		['malformed_response', 200, NodeApiError],
		['not_found', 404, NodeApiError],
		['bad_request', 400, NodeApiError],
		['insufficient_scope', 403, NodeApiError],
		['server_unavailable', 503, NodeApiError],
		['server_unavailable', undefined, NodeOperationError],
	] as const)('a %s CalcomError (status %p) keeps its message even when it holds a socket code', (kind, status, type) => {
		const message = `Cal.com said EPERM ECONNRESET GETADDRINFO for ${kind}.`;
		const error = toN8nError(node, new CalcomError(kind, message, status === undefined ? {} : { status }), 'GET /v2/bookings');
		expect(error).toBeInstanceOf(type);
		expect(error.message).toBe(message);
	});
});

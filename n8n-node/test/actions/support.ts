import nock from 'nock';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { CalComOAuth2Api } from '../../credentials/CalComOAuth2Api.credentials';
import { CalCom } from '../../nodes/CalCom/CalCom.node';
import { N8nHost, type N8nHostOptions } from '../../../test/hosts/n8n-host';
import { FakeCalcom, type FakeBooking } from '../fakeCalcom';

/** nock for the whole file, and nothing left behind for the next file in the same Jest worker. */
export function useNock(): void {
	beforeAll(() => {
		if (!nock.isActive()) nock.activate();
		nock.disableNetConnect();
	});
	afterAll(() => {
		nock.cleanAll();
		nock.enableNetConnect();
		nock.restore();
	});
	afterEach(() => nock.cleanAll());
}

/** The Cal.com node in an n8n-like host, signed in to `cal` through the package's OAuth2 credential. */
export function nodeHost(cal: FakeCalcom, parameters: IDataObject, extra: Partial<N8nHostOptions> = {}): N8nHost {
	return new N8nHost({
		nodeType: new CalCom(),
		credentialType: new CalComOAuth2Api(),
		credential: {
			clientId: 'n8n-client',
			clientSecret: `secret-${Math.random().toString(36).slice(2)}`,
			instance: 'self-hosted',
			appUrl: 'https://cal.example.com',
			apiUrl: cal.apiUrl,
			scopes: ['BOOKING_READ', 'BOOKING_WRITE', 'EVENT_TYPE_READ'],
			oauthTokenData: cal.connect(),
		},
		parameters,
		nodeName: 'Cal.com',
		...extra,
	});
}

/** What one intercepted request carried. */
export interface SeenRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/**
 * Answers one `method path` with `status` and `body` (Cal.com's JSON envelope), recording what
 * the node sent, so a test checks both the request and the items made of the answer.
 */
export function answerOnce(cal: FakeCalcom, method: 'GET' | 'POST', path: string, status: number, body: unknown): SeenRequest[] {
	const seen: SeenRequest[] = [];
	const scope = nock(cal.apiUrl).intercept(path, method).query(true);
	scope.reply(function (uri, requestBody) {
		const url = new URL(uri, cal.apiUrl);
		seen.push({ method, path: url.pathname, query: url.searchParams, headers: this.req.headers, body: requestBody === '' ? undefined : requestBody });
		return [status, JSON.stringify(body), { 'content-type': 'application/json' }];
	});
	return seen;
}

/** Cal.com's success envelope. */
export const success = (data: unknown) => ({ status: 'success', data });

/** Cal.com's error envelope, as its global exception filter writes it. */
export const failure = (status: number, code: string, message: string) => ({
	status: 'error',
	timestamp: '2026-03-02T09:00:00.000Z',
	path: '/v2/bookings',
	error: { code, message, details: { message, error: code, statusCode: status } },
});

/** The JSON of every output item. */
export const jsonOf = (result: INodeExecutionData[][]) => result.flat().map((item) => item.json);

/** A booking as Cal.com's 2024-08-13 controllers return it (the fake's shape plus what actions add). */
export function wireBooking(cal: FakeCalcom, fields: Partial<FakeBooking> = {}): FakeBooking {
	const booking = cal.create(fields);
	cal.bookings.splice(cal.bookings.indexOf(booking), 1);
	return booking;
}

import nock from 'nock';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { CalCom } from '../../nodes/CalCom/CalCom.node';
import type { N8nHost, N8nHostOptions } from '../../../test/hosts/n8n-host';
import { calcomHost } from '../support/hosts';
import { FakeCalcom, type FakeBooking } from '../fakeCalcom';

export { useNock } from '../support/hosts';

/** The Cal.com node in an n8n-like host, signed in to `cal` through the package's OAuth2 credential. */
export function nodeHost(cal: FakeCalcom, parameters: IDataObject, extra: Partial<N8nHostOptions> = {}): N8nHost {
	return calcomHost(cal, new CalCom(), parameters, ['BOOKING_READ', 'BOOKING_WRITE', 'EVENT_TYPE_READ'], { nodeName: 'Cal.com', ...extra });
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

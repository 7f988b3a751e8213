import { randomUUID } from 'node:crypto';

import nock from 'nock';

/** A booking as Cal.com's API v2 (2024-08-13) lists it; only what the tests vary is required. */
export interface FakeBooking {
	id: number;
	uid: string;
	title: string;
	status: 'accepted' | 'cancelled' | 'rejected' | 'pending' | 'awaiting_host';
	start: string;
	end: string;
	createdAt: string;
	updatedAt: string | null;
	eventType: { id: number; slug: string };
	rescheduledFromUid?: string;
	rescheduledToUid?: string;
	cancellationReason?: string;
	attendees: Array<{ name: string; email: string; timeZone: string }>;
	hosts: Array<{ id: number; name: string; email: string; timeZone: string }>;
}

export interface RecordedCall {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: Record<string, string | string[] | undefined>;
	body?: string;
}

/** A token that looks like nothing in particular, minted per test run (never a committed literal). */
export function mintToken(kind: 'access' | 'refresh'): string {
	return `${kind}-${randomUUID()}`;
}

const SORTS: Record<string, keyof FakeBooking> = {
	sortStart: 'start',
	sortEnd: 'end',
	sortCreated: 'createdAt',
	sortUpdatedAt: 'updatedAt',
};

/**
 * Just enough of `GET /v2/bookings` and the token endpoint, behind nock, for the node's unit tests:
 * the `after*` filters (inclusive), status, event types, one sort, take/skip, a `Date` header from a
 * controllable clock, expired and rotated tokens, and faults queued per request. Cal.com's actual
 * behaviour is checked against the emulator in the end-to-end tests.
 */
export class FakeCalcom {
	readonly apiUrl: string;
	readonly bookings: FakeBooking[] = [];
	readonly calls: RecordedCall[] = [];
	/** Server clock (epoch ms), sent as the `Date` header. */
	now = Date.parse('2026-03-02T09:00:00.000Z');
	/** Access tokens Cal.com accepts; anything else gets the 403 quirk on /v2/bookings and 401 elsewhere. */
	readonly validAccessTokens = new Set<string>();
	/** The one live refresh token (Cal.com rotates and revokes siblings). */
	liveRefreshToken: string | undefined;
	/** Scopes of the connection; an empty list means a legacy token (unrestricted). */
	grantedScopes: string[] = [];
	/** Replies served instead of the normal answer, first in first out. */
	readonly queuedFaults: Array<{ path: string; status: number; body: string; headers?: Record<string, string> } | { path: string; networkError: string }> = [];
	readonly eventTypes = [
		{ id: 11, title: 'Intro call', slug: 'intro', lengthInMinutes: 15 },
		{ id: 22, title: 'Deep dive', slug: 'deep-dive', lengthInMinutes: 60 },
	];
	private nextId = 1000;

	constructor(apiUrl = 'https://api.cal.example.com') {
		this.apiUrl = apiUrl;
		this.install();
	}

	/** Connects a client: returns tokens and makes them the live ones. */
	connect(expiresInSeconds = 1800): { access_token: string; refresh_token: string; token_type: string; expires_in: number; n8n_expires_at: string } {
		const access = mintToken('access');
		const refresh = mintToken('refresh');
		this.validAccessTokens.add(access);
		this.liveRefreshToken = refresh;
		return { access_token: access, refresh_token: refresh, token_type: 'bearer', expires_in: expiresInSeconds, n8n_expires_at: String(Date.now() + expiresInSeconds * 1000) };
	}

	/** Makes every access token issued so far expire (Cal.com's tokens are JWTs with a 30 min lifetime). */
	expireAccessTokens(): void {
		this.validAccessTokens.clear();
	}

	advance(seconds: number): void {
		this.now += seconds * 1000;
	}

	private iso(offsetSeconds = 0): string {
		return new Date(this.now + offsetSeconds * 1000).toISOString();
	}

	/** A booking created now (server clock). */
	create(fields: Partial<FakeBooking> = {}): FakeBooking {
		const id = this.nextId++;
		const booking: FakeBooking = {
			id,
			uid: `uid-${id}`,
			title: `Meeting ${id}`,
			status: 'accepted',
			start: this.iso(86_400),
			end: this.iso(86_400 + 1800),
			createdAt: this.iso(),
			updatedAt: null,
			eventType: { id: 11, slug: 'intro' },
			attendees: [{ name: 'Ada Attendee', email: `ada${id}@example.com`, timeZone: 'Europe/Berlin' }],
			hosts: [{ id: 1, name: 'Hal Host', email: 'hal@example.com', timeZone: 'Europe/Berlin' }],
			...fields,
		};
		this.bookings.push(booking);
		return booking;
	}

	cancel(uid: string, reason = 'Conflict'): FakeBooking {
		const booking = this.find(uid);
		booking.status = 'cancelled';
		booking.cancellationReason = reason;
		booking.updatedAt = this.iso();
		return booking;
	}

	/** Cal.com's reschedule: the original is cancelled and points to a new booking that points back. */
	reschedule(uid: string, newStartOffsetSeconds = 172_800): FakeBooking {
		const original = this.find(uid);
		const replacement = this.create({
			start: this.iso(newStartOffsetSeconds),
			end: this.iso(newStartOffsetSeconds + 1800),
			rescheduledFromUid: original.uid,
			eventType: original.eventType,
		});
		original.status = 'cancelled';
		original.rescheduledToUid = replacement.uid;
		original.updatedAt = this.iso();
		return replacement;
	}

	find(uid: string): FakeBooking {
		const booking = this.bookings.find((candidate) => candidate.uid === uid);
		if (booking === undefined) throw new Error(`no booking ${uid}`);
		return booking;
	}

	callsTo(path: string): RecordedCall[] {
		return this.calls.filter((call) => call.path === path);
	}

	private fault(path: string): FakeCalcom['queuedFaults'][number] | undefined {
		const index = this.queuedFaults.findIndex((fault) => fault.path === path);
		return index === -1 ? undefined : this.queuedFaults.splice(index, 1)[0];
	}

	private bearer(headers: Record<string, string | string[] | undefined>): string {
		const value = headers.authorization;
		return ((Array.isArray(value) ? value[0] : value) ?? '').replace(/^Bearer /, '');
	}

	private list(query: URLSearchParams): FakeBooking[] {
		let items = [...this.bookings];
		for (const [param, field] of [
			['afterCreatedAt', 'createdAt'],
			['afterUpdatedAt', 'updatedAt'],
			['afterStart', 'start'],
		] as const) {
			const bound = query.get(param);
			if (bound !== null) items = items.filter((booking) => booking[field] !== null && Date.parse(booking[field] as string) >= Date.parse(bound));
		}
		const statuses = query.get('status')?.split(',') ?? [];
		if (statuses.length > 0) {
			items = items.filter((booking) =>
				statuses.some((status) => {
					if (status === 'cancelled') return booking.status === 'cancelled' || booking.status === 'rejected';
					if (status === 'past') return Date.parse(booking.end) <= this.now && (booking.status === 'accepted' || booking.status === 'pending');
					if (status === 'upcoming') return Date.parse(booking.end) >= this.now && booking.status === 'accepted';
					if (status === 'unconfirmed') return Date.parse(booking.end) >= this.now && booking.status === 'pending';
					return false;
				}),
			);
		}
		const types = query.get('eventTypeIds')?.split(',').map(Number);
		if (types !== undefined) items = items.filter((booking) => types.includes(booking.eventType.id));
		const sortParam = Object.keys(SORTS).find((name) => query.has(name));
		const field = sortParam === undefined ? 'start' : (SORTS[sortParam] as keyof FakeBooking);
		const direction = sortParam !== undefined && query.get(sortParam) === 'desc' ? -1 : 1;
		items.sort((a, b) => {
			const left = a[field] === null ? -Infinity : Date.parse(a[field] as string);
			const right = b[field] === null ? -Infinity : Date.parse(b[field] as string);
			return direction * (left - right) || direction * (a.id - b.id);
		});
		return items;
	}

	/** The answer to one `GET /v2/bookings`, as nock's callback arguments. */
	private answerBookings(uri: string, headers: Record<string, string | string[] | undefined>): [Error | null, [number, string, Record<string, string>]?] {
		const call = this.record('GET', uri, headers);
		const fault = this.fault('/v2/bookings');
		if (fault !== undefined && 'networkError' in fault) return [Object.assign(new Error(fault.networkError), { code: fault.networkError })];
		const date = new Date(this.now).toUTCString();
		if (fault !== undefined) return [null, [fault.status, fault.body, { date, ...fault.headers }]];
		const token = this.bearer(call.headers);
		if (!this.validAccessTokens.has(token)) {
			return [null, [403, JSON.stringify({ status: 'error', timestamp: new Date(this.now).toISOString(), path: '/v2/bookings', error: { code: 'ForbiddenException', message: `PermissionsGuard - no oAuth client found for access token=${token}` } }), { 'content-type': 'application/json', date }]];
		}
		if (this.grantedScopes.length > 0 && !this.grantedScopes.includes('BOOKING_READ')) {
			return [null, [403, JSON.stringify({ status: 'error', error: { code: 'ForbiddenException', message: `insufficient_scope: token does not have the required scopes. Required: BOOKING_READ. Token has: ${this.grantedScopes.join(', ')}` } }), { 'content-type': 'application/json', date }]];
		}
		const all = this.list(call.query);
		const take = Number(call.query.get('take') ?? 100);
		const skip = Number(call.query.get('skip') ?? 0);
		const data = all.slice(skip, skip + take);
		const pagination = {
			totalItems: all.length,
			remainingItems: Math.max(0, all.length - (skip + take)),
			returnedItems: data.length,
			itemsPerPage: take,
			currentPage: all.length === 0 ? 0 : Math.floor(skip / take) + 1,
			totalPages: Math.ceil(all.length / take),
			hasNextPage: skip + take < all.length,
			hasPreviousPage: skip > 0,
		};
		return [null, [200, JSON.stringify({ status: 'success', data, pagination }), { 'content-type': 'application/json', date }]];
	}

	private record(method: string, uri: string, headers: Record<string, string | string[] | undefined>, body?: string): RecordedCall {
		const url = new URL(uri, this.apiUrl);
		const call: RecordedCall = { method, path: url.pathname, query: url.searchParams, headers, ...(body === undefined ? {} : { body }) };
		this.calls.push(call);
		return call;
	}

	/** The answer to one `GET /v2/event-types`. */
	private answerEventTypes(uri: string, headers: Record<string, string | string[] | undefined>): [number, string, Record<string, string>] {
		const call = this.record('GET', uri, headers);
		if (!this.validAccessTokens.has(this.bearer(call.headers))) {
			return [401, JSON.stringify({ status: 'error', error: { code: 'UnauthorizedException', message: 'Invalid Access Token' } }), { 'content-type': 'application/json' }];
		}
		return [200, JSON.stringify({ status: 'success', data: this.eventTypes }), { 'content-type': 'application/json' }];
	}

	/** The answer to one `GET /v2/me`: its guard authenticates first, so an expired token gets 401 here. */
	private answerMe(uri: string, headers: Record<string, string | string[] | undefined>): [number, string, Record<string, string>] {
		const call = this.record('GET', uri, headers);
		if (!this.validAccessTokens.has(this.bearer(call.headers))) {
			return [401, JSON.stringify({ status: 'error', error: { code: 'UnauthorizedException', message: 'Invalid Access Token' } }), { 'content-type': 'application/json' }];
		}
		return [200, JSON.stringify({ status: 'success', data: { id: 1, email: 'hal@example.com', name: 'Hal Host', username: 'hal', timeZone: 'Europe/Berlin' } }), { 'content-type': 'application/json' }];
	}

	/** The answer to one refresh at the v2 token endpoint: rotates, and revokes what it replaces. */
	private answerToken(uri: string, headers: Record<string, string | string[] | undefined>, body: unknown): [Error | null, [number, string, Record<string, string>]?] {
		const text = typeof body === 'string' ? body : new URLSearchParams(body as Record<string, string>).toString();
		this.record('POST', uri, headers, text);
		const fault = this.fault('/v2/auth/oauth2/token');
		if (fault !== undefined && 'networkError' in fault) return [Object.assign(new Error(fault.networkError), { code: fault.networkError })];
		if (fault !== undefined) return [null, [fault.status, fault.body, { 'content-type': 'application/json', ...fault.headers }]];
		const form = new URLSearchParams(text);
		if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== this.liveRefreshToken) {
			return [null, [400, JSON.stringify({ error: 'invalid_grant', error_description: 'refresh_token_revoked' }), { 'content-type': 'application/json' }]];
		}
		const tokens = this.connect();
		const reply = { access_token: tokens.access_token, refresh_token: tokens.refresh_token, token_type: 'bearer', expires_in: 1800 };
		return [null, [200, JSON.stringify(reply), { 'content-type': 'application/json', 'cache-control': 'no-store' }]];
	}

	private install(): void {
		// nock binds `this` of a reply function to the request; the arrows keep the fake in reach.
		const bookings = (uri: string, headers: Record<string, string>) => this.answerBookings(uri, headers);
		const eventTypes = (uri: string, headers: Record<string, string>) => this.answerEventTypes(uri, headers);
		const token = (uri: string, headers: Record<string, string>, body: unknown) => this.answerToken(uri, headers, body);
		const me = (uri: string, headers: Record<string, string>) => this.answerMe(uri, headers);
		nock(this.apiUrl)
			.persist()
			.get('/v2/bookings')
			.query(true)
			.reply(function (uri, _body, callback) {
				const [error, reply] = bookings(uri, this.req.headers);
				callback(error, reply ?? [500]);
			});
		nock(this.apiUrl)
			.persist()
			.get('/v2/event-types')
			.query(true)
			.reply(function (uri) {
				return eventTypes(uri, this.req.headers);
			});
		nock(this.apiUrl)
			.persist()
			.get('/v2/me')
			.reply(function (uri) {
				return me(uri, this.req.headers);
			});
		nock(this.apiUrl)
			.persist()
			.post('/v2/auth/oauth2/token')
			.reply(function (uri, body, callback) {
				const [error, reply] = token(uri, this.req.headers, body);
				callback(error, reply ?? [500]);
			});
	}
}

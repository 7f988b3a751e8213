import nock from 'nock';
import type { HttpRequest, HttpResponse } from '../../../src/http';
import { execute } from '../../support/fetch';

/**
 * A small in-memory `GET /v2/bookings` (2024-08-13) behind nock, for unit tests of the polling engine.
 * It follows the rules of shared/CALCOM.md §10 the engine depends on: inclusive `after*` filters,
 * `afterUpdatedAt` never matching null, `cancelled` returning rejected too, `past` by the server
 * clock, one sort with Cal.com's precedence and Postgres NULL placement, take/skip pagination,
 * the `Date` header, and the 2024-04-15 shape when the version header is missing.
 */

export const API = 'https://api.cal.com';

export interface FakeBooking {
  id: number;
  uid: string;
  status: string;
  start: number;
  end: number;
  createdAt: number;
  updatedAt: number | null;
  eventTypeId: number;
  rescheduledFromUid?: string;
  rescheduledToUid?: string;
  /** Replaces the serialized form entirely (malformed items). */
  raw?: unknown;
}

export type Fault =
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'network'; code: string }
  | { kind: 'body'; body: string; headers?: Record<string, string> };

export interface RecordedRequest {
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
}

const MINUTE = 60_000;

export class FakeBookings {
  readonly bookings = new Map<string, FakeBooking>();
  readonly requests: RecordedRequest[] = [];
  readonly faults: Fault[] = [];
  /** Server clock (epoch ms), the one behind `Date` and `past`. */
  now = Date.UTC(2026, 2, 2, 9, 0, 0);
  /** Send no `Date` header. */
  omitDate = false;
  /** How far the clock behind the `Date` header lags the one that applies `past` (a skewed front server). */
  dateLagMs = 0;
  private nextId = 1;

  /** Creates the fake and routes `GET https://api.cal.com/v2/bookings*` to it until `nock.cleanAll()`. */
  static start(): FakeBookings {
    const fake = new FakeBookings();
    nock(API)
      .persist()
      .get(/^\/v2\/bookings/)
      .reply(function reply(uri) {
        const fault = fake.faults[0]?.kind === 'network' ? undefined : fake.faults.shift();
        return fake.handle(uri, this.req.headers, fault);
      });
    return fake;
  }

  /**
   * The executor handed to the engine: network faults (time-outs, resets) are raised here, the rest
   * goes through fetch to nock. `beforeRequest` lets a test change data between two pages of one poll.
   */
  readonly execute = async (request: HttpRequest): Promise<HttpResponse> => {
    this.beforeRequest?.(this.requests.length);
    const fault = this.faults[0];
    if (fault?.kind === 'network') {
      this.faults.shift();
      this.requests.push({ query: new URL(request.url).searchParams, headers: request.headers });
      throw fault.code === 'TimeoutError'
        ? Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' })
        : Object.assign(new Error(`simulated ${fault.code}`), { code: fault.code });
    }
    const response = await execute(request);
    try {
      const data = (JSON.parse(response.body) as { data?: unknown }).data;
      this.lastReturned = Array.isArray(data) ? data.length : -1;
    } catch {
      this.lastReturned = -1;
    }
    return response;
  };

  beforeRequest: ((index: number) => void) | undefined;
  /** Items in the last successful 2024-08-13 answer (-1 otherwise). */
  lastReturned = -1;

  advance(ms: number): void {
    this.now += ms;
  }

  add(partial: Partial<FakeBooking> & { uid?: string } = {}): FakeBooking {
    const id = this.nextId;
    this.nextId += 1;
    const booking: FakeBooking = {
      id,
      uid: partial.uid ?? `uid-${id}`,
      status: 'accepted',
      start: this.now + 24 * 60 * MINUTE,
      end: this.now + 24 * 60 * MINUTE + 30 * MINUTE,
      createdAt: this.now,
      updatedAt: null,
      eventTypeId: 1,
      ...partial,
    };
    this.bookings.set(booking.uid, booking);
    return booking;
  }

  update(uid: string, change: Partial<FakeBooking>, at: number = this.now): FakeBooking {
    const booking = this.bookings.get(uid);
    if (booking === undefined) throw new Error(`no booking ${uid}`);
    Object.assign(booking, change, { updatedAt: at });
    return booking;
  }

  /** Cal.com's reschedule: a new booking pointing back, the original cancelled and pointing forward. */
  reschedule(uid: string, newStart: number, extra: Partial<FakeBooking> = {}): FakeBooking {
    const original = this.bookings.get(uid);
    if (original === undefined) throw new Error(`no booking ${uid}`);
    const replacement = this.add({ start: newStart, end: newStart + (original.end - original.start), rescheduledFromUid: uid, eventTypeId: original.eventTypeId, ...extra });
    this.update(uid, { status: 'cancelled', rescheduledToUid: replacement.uid });
    return replacement;
  }

  serialize(b: FakeBooking): unknown {
    if (b.raw !== undefined) return b.raw;
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      id: b.id,
      uid: b.uid,
      title: `Meeting ${b.id}`,
      description: '',
      hosts: [{ id: 7, name: 'Host', email: 'host@example.com', username: 'host', timeZone: 'UTC' }],
      status: b.status,
      cancellationReason: '',
      cancelledByEmail: '',
      ...(b.rescheduledFromUid === undefined ? {} : { rescheduledFromUid: b.rescheduledFromUid }),
      ...(b.rescheduledToUid === undefined ? {} : { rescheduledToUid: b.rescheduledToUid }),
      start: iso(b.start),
      end: iso(b.end),
      duration: Math.round((b.end - b.start) / MINUTE),
      eventTypeId: b.eventTypeId,
      eventType: { id: b.eventTypeId, slug: `type-${b.eventTypeId}` },
      location: 'https://meet.example.com/x',
      absentHost: false,
      createdAt: iso(b.createdAt),
      updatedAt: b.updatedAt === null ? null : iso(b.updatedAt),
      metadata: {},
      rating: null,
      icsUid: `${b.uid}@cal.com`,
      attendees: [{ name: 'Guest', email: 'guest@example.com', timeZone: 'UTC', language: 'en', absent: false }],
      guests: [],
      bookingFieldsResponses: {},
    };
  }

  private matchesStatus(b: FakeBooking, status: string): boolean {
    const closed = b.status === 'cancelled' || b.status === 'rejected';
    switch (status) {
      case 'upcoming':
        return b.end >= this.now && !closed;
      case 'past':
        return b.end <= this.now && !closed;
      case 'cancelled':
        return closed;
      case 'unconfirmed':
        return b.end >= this.now && b.status === 'pending';
      default:
        return false;
    }
  }

  handle(uri: string, headers: Record<string, string | string[] | undefined>, fault?: Fault): [number, string, Record<string, string>] {
    const url = new URL(uri, API);
    const query = url.searchParams;
    this.requests.push({ query, headers });
    const dateHeader: Record<string, string> = this.omitDate ? {} : { date: new Date(this.now - this.dateLagMs).toUTCString() };
    if (fault?.kind === 'status') return [fault.status, fault.body ?? '', { 'content-type': 'application/json', ...dateHeader, ...(fault.headers ?? {}) }];
    if (fault?.kind === 'body') return [200, fault.body, { 'content-type': 'application/json', ...dateHeader, ...(fault.headers ?? {}) }];
    if (headers['cal-api-version'] !== '2024-08-13') {
      return [200, JSON.stringify({ status: 'success', data: { bookings: [], recurringInfo: [], nextCursor: null } }), { 'content-type': 'application/json', ...dateHeader }];
    }
    const ms = (name: string): number | undefined => (query.has(name) ? Date.parse(query.get(name) as string) : undefined);
    const statuses = query.get('status')?.split(',') ?? [];
    const eventTypeIds = query.get('eventTypeIds')?.split(',').map(Number);
    const afterCreatedAt = ms('afterCreatedAt');
    const afterUpdatedAt = ms('afterUpdatedAt');
    const afterStart = ms('afterStart');
    const beforeEnd = ms('beforeEnd');
    const bookingUid = query.get('bookingUid');
    let items = [...this.bookings.values()].filter((b) => {
      if (statuses.length > 0 && !statuses.some((s) => this.matchesStatus(b, s))) return false;
      if (eventTypeIds !== undefined && !eventTypeIds.includes(b.eventTypeId)) return false;
      if (bookingUid !== null && b.uid !== bookingUid) return false;
      if (afterCreatedAt !== undefined && b.createdAt < afterCreatedAt) return false;
      if (afterUpdatedAt !== undefined && (b.updatedAt === null || b.updatedAt < afterUpdatedAt)) return false;
      if (afterStart !== undefined && b.start < afterStart) return false;
      if (beforeEnd !== undefined && b.end > beforeEnd) return false;
      return true;
    });
    const sorts: Array<[string, keyof FakeBooking]> = [['sortStart', 'start'], ['sortEnd', 'end'], ['sortCreated', 'createdAt'], ['sortUpdatedAt', 'updatedAt']];
    const chosen = sorts.find(([param]) => query.has(param));
    const field = chosen?.[1] ?? 'start';
    const direction = chosen === undefined ? 'asc' : query.get(chosen[0]);
    const sign = direction === 'desc' ? -1 : 1;
    items = items.sort((a, b) => {
      const va = a[field] as number | null;
      const vb = b[field] as number | null;
      if (va !== vb) {
        if (va === null) return sign;
        if (vb === null) return -sign;
        return (va - vb) * sign;
      }
      return a.id - b.id;
    });
    const take = Number(query.get('take') ?? 100);
    const skip = Number(query.get('skip') ?? 0);
    const page = items.slice(skip, skip + take);
    const total = items.length;
    const body = {
      status: 'success',
      data: page.map((b) => this.serialize(b)),
      pagination: {
        totalItems: total,
        remainingItems: Math.max(0, total - (skip + take)),
        returnedItems: page.length,
        itemsPerPage: take,
        currentPage: total === 0 ? 0 : Math.floor(skip / take) + 1,
        totalPages: Math.ceil(total / take),
        hasNextPage: skip + take < total,
        hasPreviousPage: skip > 0,
      },
    };
    return [200, JSON.stringify(body), { 'content-type': 'application/json', ...dateHeader }];
  }
}

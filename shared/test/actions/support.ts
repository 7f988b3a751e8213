import type { HttpRequest, HttpResponse } from '../../src/http';
import type { ActionContext } from '../../src/actions/context';

export const instance = { apiUrl: 'https://api.cal.com' };

/** A booking as Cal.com 2024-08-13 sends it. */
export function booking(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 101,
    uid: 'bk_1',
    title: 'Intro',
    status: 'accepted',
    start: '2026-05-04T09:00:00.000Z',
    end: '2026-05-04T09:30:00.000Z',
    createdAt: '2026-05-01T08:00:00.000Z',
    updatedAt: null,
    eventType: { id: 7, slug: 'intro' },
    attendees: [{ name: 'Ada', email: 'ada@example.com', timeZone: 'Europe/Berlin' }],
    ...overrides,
  };
}

export function json(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export const success = (data: unknown, status = 200): HttpResponse => json(status, { status: 'success', data });

export const failure = (status: number, message: string, code = 'BadRequestException'): HttpResponse =>
  json(status, { status: 'error', timestamp: '2026-05-01T00:00:00.000Z', path: '/v2/bookings', error: { code, message } });

export function list(data: unknown[], hasNextPage = false): HttpResponse {
  return json(200, { status: 'success', data, pagination: { totalItems: data.length, hasNextPage, hasPreviousPage: false } });
}

type Answer = HttpResponse | Error | ((request: HttpRequest) => HttpResponse | Error);

/**
 * A scripted executor: each route ("POST /v2/bookings") answers with its queue in order (the last
 * answer repeats); every request is recorded. An unscripted request fails the test.
 */
export function fakeCalcom(routes: Record<string, Answer[]>) {
  const sent: HttpRequest[] = [];
  const queues = new Map(Object.entries(routes).map(([key, answers]) => [key, [...answers]]));
  const ctx: ActionContext = {
    instance,
    execute: async (request) => {
      sent.push(request);
      const key = `${request.method} ${new URL(request.url).pathname}`;
      const queue = queues.get(key);
      if (queue === undefined || queue.length === 0) throw new Error(`unscripted request ${key}`);
      const next = (queue.length > 1 ? queue.shift() : queue[0]) as Answer;
      const answer = typeof next === 'function' ? next(request) : next;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { ctx, sent, routes: () => sent.map((request) => `${request.method} ${new URL(request.url).pathname}`) };
}

/** A network failure as Node reports it. */
export function networkError(code: string): Error {
  return Object.assign(new Error(`socket ${code}`), { code });
}

import { isCalcomError } from '../../src/errors';
import { mintAccessToken } from '../support/tokens';
import { MINUTE, useFakeBookings } from './support/harness';

const { ctx, poll, baseline } = useFakeBookings();

const v2Error = (code: string, message: string) => JSON.stringify({ status: 'error', timestamp: new Date().toISOString(), path: '/v2/bookings', error: { code, message } });

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isCalcomError(error)) return error;
    throw error;
  }
  throw new Error('expected the poll to fail');
}

describe('faults surface as CalcomError kinds and commit nothing', () => {
  it('401 → token_expired', async () => {
    const state = await baseline('booking_created');
    ctx.fake.faults.push({ kind: 'status', status: 401, body: v2Error('UnauthorizedException', 'Unauthorized') });
    expect((await failure(poll('booking_created', state))).kind).toBe('token_expired');
  });

  it('403 "no oAuth client found" (Cal.com quirk for expired tokens) → token_expired, token scrubbed', async () => {
    const state = await baseline('booking_created');
    const token = mintAccessToken();
    ctx.fake.faults.push({ kind: 'status', status: 403, body: v2Error('ForbiddenException', `PermissionsGuard - no oAuth client found for access token=${token}`) });
    const error = await failure(poll('booking_created', state));
    expect(error.kind).toBe('token_expired');
    expect(error.message).not.toContain(token);
  });

  it('429 → rate_limited with the wait from X-RateLimit-Reset-Default', async () => {
    const state = await baseline('booking_created');
    ctx.fake.faults.push({ kind: 'status', status: 429, body: v2Error('ThrottlerException', 'Too many requests'), headers: { 'x-ratelimit-reset-default': '37' } });
    const error = await failure(poll('booking_created', state));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterSeconds).toBe(37);
  });

  it('5xx, time-outs and resets → server_unavailable', async () => {
    const state = await baseline('booking_created');
    ctx.fake.faults.push({ kind: 'status', status: 502, body: '<html>Bad gateway</html>', headers: { 'content-type': 'text/html' } });
    expect((await failure(poll('booking_created', state))).kind).toBe('server_unavailable');
    ctx.fake.faults.push({ kind: 'network', code: 'TimeoutError' });
    expect((await failure(poll('booking_created', state))).kind).toBe('server_unavailable');
    ctx.fake.faults.push({ kind: 'network', code: 'ECONNRESET' });
    expect((await failure(poll('booking_created', state))).kind).toBe('server_unavailable');
  });

  it('a failure on a later page commits nothing; repeating the poll with the old state reports everything once', async () => {
    const state = await baseline('booking_created', {}, { pageSize: 10 });
    ctx.fake.advance(MINUTE);
    const uids = Array.from({ length: 35 }, (_, i) => ctx.fake.add({ createdAt: ctx.fake.now + i }).uid);
    ctx.fake.advance(MINUTE);
    const start = ctx.fake.requests.length;
    ctx.fake.beforeRequest = (index) => {
      if (index === start + 2) ctx.fake.faults.push({ kind: 'status', status: 503 });
    };
    await expect(poll('booking_created', state, {}, { pageSize: 10 })).rejects.toMatchObject({ kind: 'server_unavailable' });
    ctx.fake.beforeRequest = undefined;
    const retried = await poll('booking_created', state, {}, { pageSize: 10 });
    expect(retried.events.map((e) => e.id)).toEqual(uids);
  });

  it('a failed lookup of a rescheduled booking\'s original commits nothing; the retry reports the reschedule once, with its original', async () => {
    const original = ctx.fake.add({ createdAt: ctx.fake.now - 60 * MINUTE });
    const state = await baseline('booking_rescheduled');
    ctx.fake.advance(MINUTE);
    const replacement = ctx.fake.reschedule(original.uid, original.start + 60 * MINUTE);
    ctx.fake.advance(MINUTE);
    const start = ctx.fake.requests.length;
    // Request 1 reads the stream; request 2 looks the original up.
    ctx.fake.beforeRequest = (index) => {
      if (index === start + 1) ctx.fake.faults.push({ kind: 'status', status: 502 });
    };
    await expect(poll('booking_rescheduled', state)).rejects.toMatchObject({ kind: 'server_unavailable' });
    expect(ctx.fake.requests.length - start).toBe(2);
    ctx.fake.beforeRequest = undefined;
    const retried = await poll('booking_rescheduled', state);
    expect(retried.events.map((e) => [e.id, e.rescheduledFrom?.uid])).toEqual([[replacement.uid, original.uid]]);
    ctx.fake.advance(MINUTE);
    expect((await poll('booking_rescheduled', retried.state)).events).toEqual([]);
  });

  it('a failed read of the confirmation stream commits nothing; the retry reports the confirmed booking once', async () => {
    let state = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    const pending = ctx.fake.add({ status: 'pending' });
    ctx.fake.advance(MINUTE);
    state = (await poll('booking_created', state)).state;
    ctx.fake.advance(MINUTE);
    ctx.fake.update(pending.uid, { status: 'accepted' });
    ctx.fake.advance(MINUTE);
    const start = ctx.fake.requests.length;
    // Request 1 reads the created stream; request 2 the updatedAt stream that spots confirmations.
    ctx.fake.beforeRequest = (index) => {
      if (index === start + 1) ctx.fake.faults.push({ kind: 'network', code: 'ECONNRESET' });
    };
    await expect(poll('booking_created', state)).rejects.toMatchObject({ kind: 'server_unavailable' });
    ctx.fake.beforeRequest = undefined;
    const retried = await poll('booking_created', state);
    expect(retried.events.map((e) => e.id)).toEqual([pending.uid]);
    ctx.fake.advance(MINUTE);
    expect((await poll('booking_created', retried.state)).events).toEqual([]);
  });

  it('the 2024-04-15 shape (version header lost on the way) is refused with a clear message', async () => {
    const state = await baseline('booking_created');
    const dropHeader = (request: Parameters<typeof ctx.fake.execute>[0]) => {
      const headers = { ...request.headers };
      delete headers['cal-api-version'];
      return ctx.fake.execute({ ...request, headers });
    };
    const { pollBookingEvents } = await import('../../src/polling/engine');
    const error = await failure(pollBookingEvents({ event: 'booking_created', execute: dropHeader, state }));
    expect(error.kind).toBe('malformed_response');
    expect(error.message).toMatch(/2024-04-15.*cal-api-version: 2024-08-13/);
  });

  it('a body that is not JSON, or an envelope without pagination, fails the poll', async () => {
    const state = await baseline('booking_created');
    ctx.fake.faults.push({ kind: 'body', body: '{"status":"success","data":[' });
    expect((await failure(poll('booking_created', state))).kind).toBe('malformed_response');
    ctx.fake.faults.push({ kind: 'body', body: JSON.stringify({ status: 'success', data: [] }) });
    expect((await failure(poll('booking_created', state))).message).toMatch(/pagination/);
  });
});

describe('malformed bookings', () => {
  it('are skipped with a warning naming them; the other bookings are reported', async () => {
    const state = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    const good = ctx.fake.add();
    const noUid = ctx.fake.add();
    noUid.raw = { ...(ctx.fake.serialize(noUid) as object), uid: undefined };
    const badDate = ctx.fake.add();
    badDate.raw = { ...(ctx.fake.serialize(badDate) as object), start: 'next tuesday' };
    const future = ctx.fake.add({ status: 'on_hold' });
    const good2 = ctx.fake.add();
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_created', state);
    expect(result.events.map((e) => e.id)).toEqual([good.uid, good2.uid]);
    const warnings = result.warnings.join('\n');
    expect(warnings).toContain(`booking id ${noUid.id}`);
    expect(warnings).toContain(`booking ${badDate.uid}`);
    expect(warnings).toContain(`booking ${future.uid}`);
    expect(warnings).toContain('on_hold');
    ctx.fake.advance(MINUTE);
    expect((await poll('booking_created', result.state)).events).toEqual([]);
  });

  it('"booking updated" reports a booking with an unknown status (the change is real)', async () => {
    const a = ctx.fake.add({ createdAt: ctx.fake.now - 60 * MINUTE });
    const state = await baseline('booking_updated');
    ctx.fake.advance(MINUTE);
    ctx.fake.update(a.uid, { status: 'on_hold' });
    ctx.fake.advance(MINUTE);
    expect((await poll('booking_updated', state)).events).toHaveLength(1);
  });

  it('a full page where nothing can be trusted fails the poll and keeps the state', async () => {
    const state = await baseline('booking_created', {}, { pageSize: 3 });
    ctx.fake.advance(MINUTE);
    for (let i = 0; i < 3; i += 1) {
      const b = ctx.fake.add();
      b.raw = { nonsense: true };
    }
    ctx.fake.advance(MINUTE);
    const error = await failure(poll('booking_created', state, {}, { pageSize: 3 }));
    expect(error.kind).toBe('malformed_response');
    expect(error.message).toMatch(/Every booking on a page/);
  });
});

describe('errors thrown by the platform executor', () => {
  it('pass through unchanged when they are not network failures (e.g. Zapier\'s RefreshAuthError from its middleware)', async () => {
    const { pollBookingEvents, listBookingEvents } = await import('../../src/polling/engine');
    class RefreshAuthError extends Error {}
    const control = new RefreshAuthError('refresh me');
    const execute = async () => {
      throw control;
    };
    await expect(pollBookingEvents({ event: 'booking_created', execute, state: undefined })).rejects.toBe(control);
    await expect(listBookingEvents({ event: 'booking_created', execute })).rejects.toBe(control);
  });

  it('connection failures and time-outs become server_unavailable', async () => {
    const { pollBookingEvents } = await import('../../src/polling/engine');
    const refused = async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    };
    await expect(pollBookingEvents({ event: 'booking_created', execute: refused, state: undefined })).rejects.toMatchObject({ kind: 'server_unavailable' });
    const aborted = async () => {
      throw Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    };
    await expect(pollBookingEvents({ event: 'booking_created', execute: aborted, state: undefined })).rejects.toMatchObject({ kind: 'server_unavailable' });
  });
});

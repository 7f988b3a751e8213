import { BOOKING_EVENTS, BOOKING_EVENT_KEYS } from '../../src/polling/events';
import { MINUTE, useFakeBookings } from './support/harness';

const { ctx, poll, baseline } = useFakeBookings();

describe('event definitions', () => {
  // Names, descriptions and scopes are the catalogue's (shared/test/event-catalogue.test.ts).
  it('each catalogued event has polling rules under its own key', () => {
    for (const key of BOOKING_EVENT_KEYS) expect(BOOKING_EVENTS[key].key).toBe(key);
    expect(Object.keys(BOOKING_EVENTS).sort()).toEqual([...BOOKING_EVENT_KEYS].sort());
  });
});

describe('booking created', () => {
  it('reports new bookings but not reschedules, with id = uid', async () => {
    const original = ctx.fake.add({ createdAt: ctx.fake.now - 60 * MINUTE });
    const state = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    const plain = ctx.fake.add();
    const replacement = ctx.fake.reschedule(original.uid, ctx.fake.now + 48 * 60 * MINUTE);
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_created', state);
    expect(result.events.map((e) => e.id)).toEqual([plain.uid]);
    expect(result.events.map((e) => e.id)).not.toContain(replacement.uid);
    expect(result.events[0]?.event).toBe('booking_created');
  });

  it('holds back unconfirmed bookings and reports them once confirmed (default)', async () => {
    let state = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    const pending = ctx.fake.add({ status: 'pending' });
    ctx.fake.advance(MINUTE);
    let result = await poll('booking_created', state);
    expect(result.events).toEqual([]);
    expect(result.state.awaiting?.map(([uid]) => uid)).toEqual([pending.uid]);
    state = result.state;
    ctx.fake.advance(MINUTE);
    result = await poll('booking_created', state);
    expect(result.events).toEqual([]);
    state = result.state;
    ctx.fake.advance(MINUTE);
    ctx.fake.update(pending.uid, { status: 'accepted' });
    ctx.fake.advance(MINUTE);
    result = await poll('booking_created', state);
    expect(result.events.map((e) => e.id)).toEqual([pending.uid]);
    expect(result.state.awaiting).toBeUndefined();
    ctx.fake.advance(MINUTE);
    ctx.fake.update(pending.uid, { title: 'changed' } as never);
    ctx.fake.advance(MINUTE);
    expect((await poll('booking_created', result.state)).events).toEqual([]);
  });

  it('costs one extra request per poll only while bookings await confirmation, and caps the list with a warning', async () => {
    let state = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    for (let i = 0; i < 205; i += 1) ctx.fake.add({ status: 'pending', createdAt: ctx.fake.now + i, end: ctx.fake.now + (i + 60) * MINUTE });
    ctx.fake.advance(MINUTE);
    let result = await poll('booking_created', state);
    expect(result.state.awaiting).toHaveLength(200);
    expect(result.warnings.join(' ')).toMatch(/More than 200 bookings await confirmation/);
    state = result.state;
    ctx.fake.advance(5 * MINUTE);
    result = await poll('booking_created', state);
    expect(result.stats.requests).toBe(2);
    expect(ctx.fake.lastReturned).toBe(0);
    for (const [uid] of result.state.awaiting ?? []) ctx.fake.update(uid, { status: 'rejected' });
    ctx.fake.advance(MINUTE);
    result = await poll('booking_created', result.state);
    expect(result.state.awaiting).toBeUndefined();
    ctx.fake.advance(5 * MINUTE);
    expect((await poll('booking_created', result.state)).stats.requests).toBe(1);
  });

  it('rescheduled without includeUnconfirmed: a reschedule that needs confirmation is reported once confirmed', async () => {
    const original = ctx.fake.add({ createdAt: ctx.fake.now - 60 * MINUTE });
    let state = await baseline('booking_rescheduled');
    ctx.fake.advance(MINUTE);
    const replacement = ctx.fake.reschedule(original.uid, original.start + 60 * MINUTE, { status: 'pending' });
    ctx.fake.advance(MINUTE);
    let result = await poll('booking_rescheduled', state);
    expect(result.events).toEqual([]);
    state = result.state;
    ctx.fake.update(replacement.uid, { status: 'accepted' });
    ctx.fake.advance(MINUTE);
    result = await poll('booking_rescheduled', state);
    expect(result.events.map((e) => [e.id, e.rescheduledFrom?.uid])).toEqual([[replacement.uid, original.uid]]);
  });

  it('drops an unconfirmed booking that gets rejected without reporting it', async () => {
    let state = await baseline('booking_created');
    ctx.fake.advance(MINUTE);
    const pending = ctx.fake.add({ status: 'pending' });
    ctx.fake.advance(MINUTE);
    state = (await poll('booking_created', state)).state;
    ctx.fake.update(pending.uid, { status: 'rejected' });
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_created', state);
    expect(result.events).toEqual([]);
    expect(result.state.awaiting).toBeUndefined();
  });

  it('reports unconfirmed bookings immediately with includeUnconfirmed, awaiting_host included', async () => {
    const state = await baseline('booking_created', { includeUnconfirmed: true });
    ctx.fake.advance(MINUTE);
    const pending = ctx.fake.add({ status: 'pending' });
    const host = ctx.fake.add({ status: 'awaiting_host' });
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_created', state, { includeUnconfirmed: true });
    expect(result.events.map((e) => e.id).sort()).toEqual([pending.uid, host.uid].sort());
  });
});

describe('booking rescheduled', () => {
  it('reports the new booking with the old uid and start; id = new uid', async () => {
    const original = ctx.fake.add({ createdAt: ctx.fake.now - 60 * MINUTE });
    const state = await baseline('booking_rescheduled');
    ctx.fake.advance(MINUTE);
    ctx.fake.add();
    const replacement = ctx.fake.reschedule(original.uid, ctx.fake.now + 72 * 60 * MINUTE);
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_rescheduled', state);
    expect(result.events).toHaveLength(1);
    const event = result.events[0];
    expect(event?.id).toBe(replacement.uid);
    expect(event?.rescheduledFrom).toEqual({ uid: original.uid, start: new Date(original.start).toISOString(), end: new Date(original.end).toISOString() });
  });

  it('finds many originals with one listing of cancellations instead of one request each', async () => {
    const originals = Array.from({ length: 6 }, (_, i) => ctx.fake.add({ createdAt: ctx.fake.now - (60 - i) * MINUTE }));
    const state = await baseline('booking_rescheduled');
    ctx.fake.advance(MINUTE);
    for (const original of originals) ctx.fake.reschedule(original.uid, original.start + 60 * MINUTE);
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_rescheduled', state);
    expect(result.events).toHaveLength(6);
    expect(result.events.every((e) => e.rescheduledFrom?.start !== null)).toBe(true);
    expect(result.stats.requests).toBe(2);
  });

  it('reports a reschedule whose original is gone with start null and a warning', async () => {
    const state = await baseline('booking_rescheduled');
    ctx.fake.advance(MINUTE);
    const orphan = ctx.fake.add({ rescheduledFromUid: 'vanished-uid' });
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_rescheduled', state);
    expect(result.events.map((e) => e.id)).toEqual([orphan.uid]);
    expect(result.events[0]?.rescheduledFrom).toEqual({ uid: 'vanished-uid', start: null, end: null });
    expect(result.warnings.join(' ')).toContain('vanished-uid');
  });
});

describe('booking cancelled and rejected', () => {
  it('cancelled: reports cancellations, not originals of reschedules nor rejections; id = uid', async () => {
    const a = ctx.fake.add({ createdAt: ctx.fake.now - 90 * MINUTE });
    const b = ctx.fake.add({ createdAt: ctx.fake.now - 80 * MINUTE });
    const c = ctx.fake.add({ createdAt: ctx.fake.now - 70 * MINUTE, status: 'pending' });
    const state = await baseline('booking_cancelled');
    ctx.fake.advance(MINUTE);
    ctx.fake.update(a.uid, { status: 'cancelled' });
    ctx.fake.reschedule(b.uid, b.start + 60 * MINUTE);
    ctx.fake.update(c.uid, { status: 'rejected' });
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_cancelled', state);
    expect(result.events.map((e) => e.id)).toEqual([a.uid]);
    const query = ctx.fake.requests[ctx.fake.requests.length - 1]?.query;
    expect(query?.get('status')).toBe('cancelled');
    expect(query?.get('sortUpdatedAt')).toBe('asc');
  });

  it('cancelled: a cancelled booking edited again within the window is not reported twice', async () => {
    const a = ctx.fake.add({ createdAt: ctx.fake.now - 90 * MINUTE });
    let state = await baseline('booking_cancelled');
    ctx.fake.advance(MINUTE);
    ctx.fake.update(a.uid, { status: 'cancelled' });
    ctx.fake.advance(10_000);
    let result = await poll('booking_cancelled', state);
    expect(result.events).toHaveLength(1);
    state = result.state;
    ctx.fake.advance(10_000);
    ctx.fake.update(a.uid, {});
    ctx.fake.advance(10_000);
    result = await poll('booking_cancelled', state);
    expect(result.events).toEqual([]);
  });

  it('cancelled: a cancelled booking edited again long after (outside the overlap window) is not reported twice', async () => {
    const a = ctx.fake.add({ createdAt: ctx.fake.now - 90 * MINUTE });
    let state = await baseline('booking_cancelled');
    ctx.fake.advance(MINUTE);
    ctx.fake.update(a.uid, { status: 'cancelled' });
    ctx.fake.advance(MINUTE);
    let result = await poll('booking_cancelled', state);
    expect(result.events.map((e) => e.id)).toEqual([a.uid]);
    expect(result.state.reported).toEqual([[a.uid, a.end]]);
    state = result.state;
    for (let i = 0; i < 5; i += 1) {
      ctx.fake.advance(10 * MINUTE);
      state = (await poll('booking_cancelled', state)).state;
    }
    expect(state.main.seen).toEqual([]);
    ctx.fake.update(a.uid, {});
    ctx.fake.advance(MINUTE);
    result = await poll('booking_cancelled', state);
    expect(result.events).toEqual([]);
  });

  it('rejected: reports rejections only, found through the cancelled filter', async () => {
    const a = ctx.fake.add({ createdAt: ctx.fake.now - 90 * MINUTE, status: 'pending' });
    const b = ctx.fake.add({ createdAt: ctx.fake.now - 80 * MINUTE });
    const state = await baseline('booking_rejected');
    ctx.fake.advance(MINUTE);
    ctx.fake.update(a.uid, { status: 'rejected' });
    ctx.fake.update(b.uid, { status: 'cancelled' });
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_rejected', state);
    expect(result.events.map((e) => e.id)).toEqual([a.uid]);
  });
});

describe('booking requested', () => {
  it('reports pending and awaiting_host bookings, not accepted ones', async () => {
    const state = await baseline('booking_requested');
    ctx.fake.advance(MINUTE);
    const pending = ctx.fake.add({ status: 'pending' });
    ctx.fake.add();
    const host = ctx.fake.add({ status: 'awaiting_host' });
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_requested', state);
    expect(result.events.map((e) => e.id)).toEqual([pending.uid, host.uid]);
  });
});

describe('meeting ended', () => {
  it('reports accepted meetings once their end passes by the server clock, not pending or cancelled ones', async () => {
    const soon = ctx.fake.add({ start: ctx.fake.now + 10 * MINUTE, end: ctx.fake.now + 40 * MINUTE, createdAt: ctx.fake.now - 100 * MINUTE });
    ctx.fake.add({ status: 'pending', start: ctx.fake.now + 10 * MINUTE, end: ctx.fake.now + 40 * MINUTE, createdAt: ctx.fake.now - 100 * MINUTE });
    ctx.fake.add({ status: 'cancelled', start: ctx.fake.now + 10 * MINUTE, end: ctx.fake.now + 40 * MINUTE, createdAt: ctx.fake.now - 100 * MINUTE });
    const later = ctx.fake.add({ start: ctx.fake.now + 60 * MINUTE, end: ctx.fake.now + 90 * MINUTE, createdAt: ctx.fake.now - 100 * MINUTE });
    let state = await baseline('meeting_ended');
    ctx.fake.advance(30 * MINUTE);
    let result = await poll('meeting_ended', state);
    expect(result.events).toEqual([]);
    state = result.state;
    ctx.fake.advance(15 * MINUTE);
    result = await poll('meeting_ended', state);
    expect(result.events.map((e) => e.id)).toEqual([soon.uid]);
    expect(result.events[0]?.occurredAt).toBe(new Date(soon.end).toISOString());
    state = result.state;
    ctx.fake.advance(60 * MINUTE);
    result = await poll('meeting_ended', state);
    expect(result.events.map((e) => e.id)).toEqual([later.uid]);
    state = result.state;
    ctx.fake.advance(60 * MINUTE);
    result = await poll('meeting_ended', state);
    expect(result.events).toEqual([]);
    expect(result.stats.requests).toBe(1);
    expect(ctx.fake.lastReturned).toBeLessThanOrEqual(5);
  });

  it('ignores meetings that ended before the baseline', async () => {
    ctx.fake.add({ start: ctx.fake.now - 90 * MINUTE, end: ctx.fake.now - 60 * MINUTE, createdAt: ctx.fake.now - 200 * MINUTE });
    const state = await baseline('meeting_ended');
    ctx.fake.advance(MINUTE);
    expect((await poll('meeting_ended', state)).events).toEqual([]);
  });
});

describe('booking updated', () => {
  it('reports every updatedAt change with id uid:updatedAt, and never-updated bookings are not changes', async () => {
    const a = ctx.fake.add({ createdAt: ctx.fake.now - 90 * MINUTE });
    let state = await baseline('booking_updated');
    ctx.fake.advance(MINUTE);
    ctx.fake.add();
    const first = ctx.fake.update(a.uid, {}).updatedAt as number;
    ctx.fake.advance(MINUTE);
    let result = await poll('booking_updated', state);
    expect(result.events.map((e) => e.id)).toEqual([`${a.uid}:${new Date(first).toISOString()}`]);
    state = result.state;
    ctx.fake.advance(MINUTE);
    const second = ctx.fake.update(a.uid, { status: 'cancelled' }).updatedAt as number;
    ctx.fake.advance(MINUTE);
    result = await poll('booking_updated', state);
    expect(result.events.map((e) => e.id)).toEqual([`${a.uid}:${new Date(second).toISOString()}`]);
  });
});

describe('event type filter', () => {
  it('sends eventTypeIds and reports only those types', async () => {
    const state = await baseline('booking_created', { eventTypeIds: [2, 3] });
    ctx.fake.advance(MINUTE);
    ctx.fake.add({ eventTypeId: 1 });
    const wanted = ctx.fake.add({ eventTypeId: 3 });
    ctx.fake.advance(MINUTE);
    const result = await poll('booking_created', state, { eventTypeIds: [2, 3] });
    expect(result.events.map((e) => e.id)).toEqual([wanted.uid]);
    expect(ctx.fake.requests[ctx.fake.requests.length - 1]?.query.get('eventTypeIds')).toBe('2,3');
  });

  it('refuses an event type id that is not a positive integer', async () => {
    await expect(poll('booking_created', undefined, { eventTypeIds: [0] })).rejects.toMatchObject({ kind: 'invalid_input' });
  });
});

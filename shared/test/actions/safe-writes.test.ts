import { addGuests, cancelBooking, confirmBooking, createBooking, declineBooking, markNoShow, rescheduleBooking, type CreateBookingInput } from '../../src/actions';
import { CalcomError } from '../../src/errors';
import { booking, failure, fakeCalcom, list, networkError, success } from './support';

const input: CreateBookingInput = { eventTypeId: 7, start: '2026-05-04T11:00:00+02:00', attendee: { name: 'Ada', email: 'Ada@Example.com', timeZone: 'Europe/Berlin' } };
const mine = booking();
const taken = () => failure(400, 'User either already has booking at this time or is not available');

async function rejection(promise: Promise<unknown>): Promise<CalcomError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CalcomError) return error;
    throw error;
  }
  throw new Error('expected a CalcomError');
}

describe('create booking', () => {
  it('one request when all goes well', async () => {
    const calcom = fakeCalcom({ 'POST /v2/bookings': [success(mine, 201)] });
    await expect(createBooking(calcom.ctx, input)).resolves.toEqual({ bookings: [mine] });
    expect(calcom.routes()).toEqual(['POST /v2/bookings']);
  });

  it.each([
    ['a time-out', networkError('ETIMEDOUT')],
    ['a connection reset', networkError('ECONNRESET')],
    ['a 502', failure(502, 'Bad gateway', 'InternalServerError')],
    ['a 500', failure(500, 'There was an error, please try again later.', 'InternalServerError')],
  ])('after %s, finds the booking that was made and returns it as recovered', async (_label, answer) => {
    const calcom = fakeCalcom({ 'POST /v2/bookings': [answer], 'GET /v2/bookings': [list([booking({ uid: 'other', attendees: [{ name: 'B', email: 'b@example.com', timeZone: 'UTC' }] }), mine])] });
    await expect(createBooking(calcom.ctx, input)).resolves.toEqual({ bookings: [mine], recovered: 'found_after_ambiguous_failure' });
    expect(calcom.routes()).toEqual(['POST /v2/bookings', 'GET /v2/bookings']);
    const look = new URL(calcom.sent[1]?.url ?? '');
    expect(look.searchParams.get('attendeeEmail')).toBe('Ada@Example.com');
    expect(look.searchParams.get('eventTypeIds')).toBe('7');
    expect(look.searchParams.get('afterStart')).toBe('2026-05-04T09:00:00.000Z');
    expect(look.searchParams.get('beforeEnd')).toBe('2026-05-05T09:00:00.000Z');
  });

  it('after a time-out with nothing found: write_outcome_unknown saying what to check, and no second POST', async () => {
    const calcom = fakeCalcom({
      'POST /v2/bookings': [networkError('ETIMEDOUT')],
      'GET /v2/bookings': [list([booking({ status: 'cancelled' }), booking({ start: '2026-05-04T10:00:00.000Z', end: '2026-05-04T10:30:00.000Z' })])],
    });
    const error = await rejection(createBooking(calcom.ctx, input));
    expect(error.kind).toBe('write_outcome_unknown');
    expect(error.message).toBe(
      'Cal.com did not confirm the booking; it may or may not have happened. Check the bookings of Ada@Example.com at 2026-05-04T09:00:00.000Z (event type 7) in Cal.com before running this again.',
    );
    expect(calcom.routes()).toEqual(['POST /v2/bookings', 'GET /v2/bookings']);
  });

  it('when the look itself fails, the outcome is still unknown', async () => {
    const calcom = fakeCalcom({ 'POST /v2/bookings': [failure(503, 'down', 'ServiceUnavailable')], 'GET /v2/bookings': [networkError('ECONNRESET')] });
    expect((await rejection(createBooking(calcom.ctx, input))).kind).toBe('write_outcome_unknown');
  });

  it('a connection never made is server_unavailable (nothing was sent), without looking', async () => {
    const calcom = fakeCalcom({ 'POST /v2/bookings': [networkError('ECONNREFUSED')] });
    expect((await rejection(createBooking(calcom.ctx, input))).kind).toBe('server_unavailable');
    expect(calcom.routes()).toEqual(['POST /v2/bookings']);
  });

  it('a replay answered "already has booking" returns the attendee\'s own booking', async () => {
    const calcom = fakeCalcom({ 'POST /v2/bookings': [taken()], 'GET /v2/bookings': [list([mine])] });
    await expect(createBooking(calcom.ctx, input)).resolves.toEqual({ bookings: [mine], recovered: 'replay_already_applied' });
  });

  it('a slot taken by someone else stays the taken-slot error pointing to the slots operation', async () => {
    const calcom = fakeCalcom({ 'POST /v2/bookings': [taken()], 'GET /v2/bookings': [list([])] });
    const error = await rejection(createBooking(calcom.ctx, input));
    expect([error.kind, error.code]).toEqual(['bad_request', 'slot_taken']);
    expect(error.message).toMatch(/That time is taken.*Find Available Slots/);
  });

  it('409 (the idempotency key on a concurrent duplicate): own booking → replay, else "already booked"', async () => {
    const duplicate = failure(409, 'Invalid Input: Trying to create a record that already exists.', 'ConflictException');
    const own = fakeCalcom({ 'POST /v2/bookings': [duplicate], 'GET /v2/bookings': [list([mine])] });
    await expect(createBooking(own.ctx, input)).resolves.toEqual({ bookings: [mine], recovered: 'replay_already_applied' });
    const other = fakeCalcom({ 'POST /v2/bookings': [duplicate], 'GET /v2/bookings': [list([])] });
    const error = await rejection(createBooking(other.ctx, input));
    expect([error.kind, error.status, error.code]).toEqual(['bad_request', 409, 'slot_taken']);
    expect(error.message).toMatch(/^Already booked: that slot was just taken/);
  });

  it('token_expired and rate_limited are thrown unchanged, without looking (the platform replays them)', async () => {
    const expired = fakeCalcom({ 'POST /v2/bookings': [failure(401, 'Invalid Access Token', 'UnauthorizedException')] });
    expect((await rejection(createBooking(expired.ctx, input))).kind).toBe('token_expired');
    const limited = fakeCalcom({ 'POST /v2/bookings': [failure(429, 'Too many requests', 'ThrottlerException')] });
    const error = await rejection(createBooking(limited.ctx, input));
    expect(error.kind).toBe('rate_limited');
    expect(limited.routes()).toEqual(['POST /v2/bookings']);
  });

  it("a platform's own control error (Zapier's RefreshAuthError) passes through untouched", async () => {
    class RefreshAuthError extends Error {}
    const thrown = new RefreshAuthError('refresh');
    const calcom = fakeCalcom({ 'POST /v2/bookings': [thrown] });
    await expect(createBooking(calcom.ctx, input)).rejects.toBe(thrown);
    expect(calcom.routes()).toEqual(['POST /v2/bookings']);
  });

  it('invalid input sends nothing', async () => {
    const calcom = fakeCalcom({});
    expect((await rejection(createBooking(calcom.ctx, { ...input, start: 'soon' }))).kind).toBe('invalid_input');
    expect(calcom.sent).toEqual([]);
  });

  it('secrets known to the context never reach a message', async () => {
    const calcom = fakeCalcom({ 'POST /v2/bookings': [failure(400, 'User either already has booking at this time or is not available tok_SECRET_123')], 'GET /v2/bookings': [list([])] });
    const error = await rejection(createBooking({ ...calcom.ctx, knownSecrets: ['tok_SECRET_123'] }, input));
    expect(error.message).not.toContain('tok_SECRET_123');
  });
});

describe('cancel, reschedule, confirm, decline', () => {
  it('cancel of an already cancelled booking returns it as a replay', async () => {
    const cancelled = booking({ status: 'cancelled' });
    const calcom = fakeCalcom({
      'POST /v2/bookings/bk_1/cancel': [failure(400, 'This booking has already been cancelled.')],
      'GET /v2/bookings/bk_1': [success(cancelled)],
    });
    await expect(cancelBooking(calcom.ctx, { uid: 'bk_1' })).resolves.toEqual({ bookings: [cancelled], recovered: 'replay_already_applied' });
  });

  it('cancel after a time-out: cancelled → recovered; still live → write_outcome_unknown', async () => {
    const done = fakeCalcom({ 'POST /v2/bookings/bk_1/cancel': [networkError('ETIMEDOUT')], 'GET /v2/bookings/bk_1': [success(booking({ status: 'cancelled' }))] });
    expect((await cancelBooking(done.ctx, { uid: 'bk_1' })).recovered).toBe('found_after_ambiguous_failure');
    const notDone = fakeCalcom({ 'POST /v2/bookings/bk_1/cancel': [networkError('ETIMEDOUT')], 'GET /v2/bookings/bk_1': [success(booking())] });
    const error = await rejection(cancelBooking(notDone.ctx, { uid: 'bk_1' }));
    expect(error.kind).toBe('write_outcome_unknown');
    expect(error.message).toMatch(/did not confirm the cancellation of booking bk_1.*Check whether booking bk_1 is cancelled/);
  });

  it('a refused cancel on a live booking keeps Cal.com\'s refusal', async () => {
    const calcom = fakeCalcom({ 'POST /v2/bookings/bk_1/cancel': [failure(400, 'Cannot cancel a past booking')], 'GET /v2/bookings/bk_1': [success(booking())] });
    const error = await rejection(cancelBooking(calcom.ctx, { uid: 'bk_1' }));
    expect(error.kind).toBe('bad_request');
    expect(error.message).toMatch(/Cannot cancel a past booking/);
  });

  it('reschedule returns the NEW booking and the previous uid', async () => {
    const moved = booking({ uid: 'bk_2', start: '2026-05-05T14:00:00.000Z', end: '2026-05-05T14:30:00.000Z', rescheduledFromUid: 'bk_1' });
    const calcom = fakeCalcom({ 'POST /v2/bookings/bk_1/reschedule': [success(moved, 201)] });
    await expect(rescheduleBooking(calcom.ctx, { uid: 'bk_1', start: '2026-05-05T16:00:00+02:00' })).resolves.toEqual({ bookings: [moved], previousUid: 'bk_1' });
  });

  it('a replayed reschedule follows rescheduledToUid to the new booking at the same start', async () => {
    const moved = booking({ uid: 'bk_2', start: '2026-05-05T14:00:00.000Z', end: '2026-05-05T14:30:00.000Z' });
    const calcom = fakeCalcom({
      'POST /v2/bookings/bk_1/reschedule': [failure(400, "Can't reschedule booking with uid=bk_1 because it has been cancelled. It was rescheduled to bk_2")],
      'GET /v2/bookings/bk_1': [success(booking({ status: 'cancelled', rescheduledToUid: 'bk_2' }))],
      'GET /v2/bookings/bk_2': [success(moved)],
    });
    await expect(rescheduleBooking(calcom.ctx, { uid: 'bk_1', start: '2026-05-05T14:00:00Z' })).resolves.toEqual({ bookings: [moved], recovered: 'replay_already_applied', previousUid: 'bk_1' });
  });

  it('a booking already moved to another start says which booking to reschedule instead', async () => {
    const calcom = fakeCalcom({
      'POST /v2/bookings/bk_1/reschedule': [failure(400, "Can't reschedule booking with uid=bk_1 because it has been cancelled.")],
      'GET /v2/bookings/bk_1': [success(booking({ status: 'cancelled', rescheduledToUid: 'bk_2' }))],
      'GET /v2/bookings/bk_2': [success(booking({ uid: 'bk_2', start: '2026-05-06T08:00:00.000Z', end: '2026-05-06T08:30:00.000Z' }))],
    });
    const error = await rejection(rescheduleBooking(calcom.ctx, { uid: 'bk_1', start: '2026-05-05T14:00:00Z' }));
    expect(error.code).toBe('already_rescheduled');
    expect(error.message).toMatch(/already rescheduled to booking bk_2 at 2026-05-06T08:00:00.000Z; reschedule bk_2 instead/);
  });

  it('reschedule after a 5xx: recovered when the new booking is there', async () => {
    const moved = booking({ uid: 'bk_2', start: '2026-05-05T14:00:00.000Z', end: '2026-05-05T14:30:00.000Z' });
    const calcom = fakeCalcom({
      'POST /v2/bookings/bk_1/reschedule': [failure(500, 'oops', 'InternalServerError')],
      'GET /v2/bookings/bk_1': [success(booking({ status: 'cancelled', rescheduledToUid: 'bk_2' }))],
      'GET /v2/bookings/bk_2': [success(moved)],
    });
    await expect(rescheduleBooking(calcom.ctx, { uid: 'bk_1', start: '2026-05-05T14:00:00Z' })).resolves.toMatchObject({ bookings: [moved], recovered: 'found_after_ambiguous_failure' });
  });

  it('confirm / decline of a booking already in that state return it as a replay', async () => {
    const accepted = booking({ status: 'accepted' });
    const confirm = fakeCalcom({ 'POST /v2/bookings/bk_1/confirm': [failure(400, 'Booking is not pending')], 'GET /v2/bookings/bk_1': [success(accepted)] });
    await expect(confirmBooking(confirm.ctx, { uid: 'bk_1' })).resolves.toEqual({ bookings: [accepted], recovered: 'replay_already_applied' });
    const rejected = booking({ status: 'rejected' });
    const decline = fakeCalcom({ 'POST /v2/bookings/bk_1/decline': [failure(400, 'Booking is not pending')], 'GET /v2/bookings/bk_1': [success(rejected)] });
    await expect(declineBooking(decline.ctx, { uid: 'bk_1', reason: 'no' })).resolves.toEqual({ bookings: [rejected], recovered: 'replay_already_applied' });
  });

  it('confirm without BOOKING_WRITE: insufficient_scope naming it, no replay look', async () => {
    const calcom = fakeCalcom({ 'POST /v2/bookings/bk_1/confirm': [failure(403, 'insufficient_scope: token does not have the required scopes. Required: BOOKING_WRITE. Token has: BOOKING_READ', 'ForbiddenException')] });
    const error = await rejection(confirmBooking(calcom.ctx, { uid: 'bk_1' }));
    expect([error.kind, error.requiredScopes]).toEqual(['insufficient_scope', ['BOOKING_WRITE']]);
    expect(calcom.routes()).toEqual(['POST /v2/bookings/bk_1/confirm']);
  });
});

describe('mark no-show and add guests', () => {
  it('mark no-show after a time-out: recovered when the marks are there', async () => {
    const marked = booking({ absentHost: false, attendees: [{ name: 'Ada', email: 'ada@example.com', timeZone: 'UTC', absent: true }] });
    const calcom = fakeCalcom({ 'POST /v2/bookings/bk_1/mark-absent': [networkError('ETIMEDOUT')], 'GET /v2/bookings/bk_1': [success(marked)] });
    await expect(markNoShow(calcom.ctx, { uid: 'bk_1', attendees: [{ email: 'ADA@example.com', absent: true }] })).resolves.toEqual({ bookings: [marked], recovered: 'found_after_ambiguous_failure' });
  });

  it('add guests after a 502 with the guests missing: write_outcome_unknown', async () => {
    const calcom = fakeCalcom({ 'POST /v2/bookings/bk_1/guests': [failure(502, 'bad gateway', 'BadGateway')], 'GET /v2/bookings/bk_1': [success(booking({ guests: [] }))] });
    const error = await rejection(addGuests(calcom.ctx, { uid: 'bk_1', guests: [{ email: 'g@example.com' }] }));
    expect(error.kind).toBe('write_outcome_unknown');
    expect(error.message).toMatch(/Check the guests of booking bk_1/);
  });

  it('add guests returns the updated booking in one request', async () => {
    const updated = booking({ guests: ['g@example.com'] });
    const calcom = fakeCalcom({ 'POST /v2/bookings/bk_1/guests': [success(updated)] });
    await expect(addGuests(calcom.ctx, { uid: 'bk_1', guests: [{ email: 'g@example.com' }] })).resolves.toEqual({ bookings: [updated] });
    expect(calcom.sent).toHaveLength(1);
  });
});

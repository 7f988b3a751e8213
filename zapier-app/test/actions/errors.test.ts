import { createAppTester } from 'zapier-platform-core';
import App from '../../src/index';
import { perform as confirmBooking } from '../../src/creates/confirmBooking';
import { perform as createBooking } from '../../src/creates/createBooking';
import { perform as cancelBooking } from '../../src/creates/cancelBooking';
import { bookingsPage } from '../fixtures';
import { THROTTLED_BODY, expiredTokenForbidden, guardNetwork, rejectionOf, useCloudEnv } from '../helpers';
import { badRequest, calcom, connection, lacksScope } from './wire';

const appTester = createAppTester(App);
guardNetwork();
beforeEach(() => useCloudEnv());

const CREATE_INPUT = { eventTypeId: 7, start: '2026-12-01T10:00:00Z', attendeeName: 'Ada', attendeeEmail: 'ada@example.com', attendeeTimeZone: 'UTC' };

describe('action errors as Zapier acts on them', () => {
  it('a taken slot says so and points at "Find Available Slots" (a plain error; the attendee holds no booking there)', async () => {
    calcom('POST', '/v2/bookings', 400, badRequest('User either already has booking at this time or is not available'));
    calcom('GET', '/v2/bookings', 200, bookingsPage([]));
    const error = await rejectionOf(appTester(createBooking, { authData: connection(), inputData: CREATE_INPUT }));
    expect(error.name).not.toMatch(/RefreshAuthError|ThrottledError|ExpiredAuthError/);
    expect(error.message).toMatch(/That time is taken.*Find Available Slots/);
  });

  it('missing BOOKING_WRITE reads as reconnect-and-grant, naming the scope', async () => {
    const authData = connection();
    calcom('POST', '/v2/bookings/abc/confirm', 403, lacksScope('BOOKING_WRITE'));
    const error = await rejectionOf(appTester(confirmBooking, { authData, inputData: { uid: 'abc' } }));
    expect(error.message).toMatch(/BOOKING_WRITE/);
    expect(error.message).toMatch(/Reconnect the Cal\.com account and allow BOOKING_WRITE/);
  });

  it('an unknown outcome (5xx on the write, nothing found afterwards) is a plain error Zapier does not replay, saying what to check', async () => {
    calcom('POST', '/v2/bookings', 502, { status: 'error', error: { code: 'BadGatewayException', message: 'upstream' } });
    calcom('GET', '/v2/bookings', 200, bookingsPage([]));
    const error = await rejectionOf(appTester(createBooking, { authData: connection(), inputData: CREATE_INPUT }));
    expect(error.name).not.toMatch(/RefreshAuthError|ThrottledError|ExpiredAuthError/);
    expect(error.message).toMatch(/may or may not have happened/i);
    expect(error.message).toMatch(/ada@example\.com/);
    expect(JSON.parse(error.message)).toMatchObject({ code: 'write_outcome_unknown' });
  });

  it('an expired token on a write is RefreshAuthError (Cal.com refused it, so the replay is safe)', async () => {
    const authData = connection();
    calcom('POST', '/v2/bookings/abc/confirm', 403, expiredTokenForbidden(authData.access_token));
    const error = await rejectionOf(appTester(confirmBooking, { authData, inputData: { uid: 'abc' } }));
    expect(error.name).toBe('RefreshAuthError');
    expect(error.message).not.toContain(authData.access_token);
  });

  it('a 401 on create is RefreshAuthError too', async () => {
    calcom('POST', '/v2/bookings', 401, { status: 'error', error: { code: 'UnauthorizedException', message: 'Invalid Access Token' } });
    const error = await rejectionOf(appTester(createBooking, { authData: connection(), inputData: CREATE_INPUT }));
    expect(error.name).toBe('RefreshAuthError');
  });

  it('a 429 is ThrottledError with Cal.com’s wait', async () => {
    calcom('POST', '/v2/bookings/abc/cancel', 429, THROTTLED_BODY, { 'X-RateLimit-Reset-Default': '42' });
    const error = await rejectionOf(appTester(cancelBooking, { authData: connection(), inputData: { uid: 'abc' } }));
    expect(error.name).toBe('ThrottledError');
    expect(error.message).toMatch(/42/);
  });
});

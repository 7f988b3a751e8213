import { CONNECTION_ESSENTIAL_SCOPES, adviseOnMissingScope, classifyResponse, type CalcomError } from '../src';

function forbidden(message: string, endpoint = 'GET /v2/event-types'): CalcomError {
  const error = classifyResponse(
    { status: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'error', error: { code: 'ForbiddenException', message } }) },
    { endpoint },
  );
  if (error === undefined) throw new Error('expected an error');
  return error;
}

const lacking = (scopes: string) => forbidden(`insufficient_scope: token does not have the required scopes. Required: ${scopes}. Token has: BOOKING_READ`);
const SETTING = 'CALCOM_SCOPES';

describe('adviseOnMissingScope: who must fix a missing scope', () => {
  it('sends the developer to the OAuth client and the setting when the integration never asks for the scope', () => {
    const advice = adviseOnMissingScope(lacking('EVENT_TYPE_READ'), { requestedScopes: ['BOOKING_READ', 'PROFILE_READ'], scopeSetting: SETTING });
    expect(advice).toMatchObject({ fix: 'developer', notRequested: ['EVENT_TYPE_READ'], essential: false });
    expect(advice.message).toMatch(/lacks EVENT_TYPE_READ needed for GET \/v2\/event-types/);
    expect(advice.message).toMatch(/never asks for EVENT_TYPE_READ, so reconnecting cannot help/);
    expect(advice.message).toMatch(/add EVENT_TYPE_READ to the OAuth client's scopes in Cal\.com Settings → Developer → OAuth clients and to CALCOM_SCOPES/);
  });

  it('tells the user to reconnect and allow the scope when the integration asks for it', () => {
    const advice = adviseOnMissingScope(lacking('BOOKING_READ'), { requestedScopes: ['BOOKING_READ', 'EVENT_TYPE_READ'], scopeSetting: SETTING });
    expect(advice).toMatchObject({ fix: 'reconnect', notRequested: [], essential: true });
    expect(advice.message).toMatch(/Reconnect the Cal\.com account and allow BOOKING_READ/);
    expect(advice.message).not.toMatch(/CALCOM_SCOPES/);
  });

  it('counts legacy names asked for as the current scope', () => {
    const advice = adviseOnMissingScope(lacking('READ_BOOKING'), { requestedScopes: ['READ_BOOKING', 'READ_PROFILE'], scopeSetting: SETTING });
    expect(advice).toMatchObject({ fix: 'reconnect', required: ['BOOKING_READ'] });
  });

  it('names only the scopes the integration does not ask for when several are missing', () => {
    const advice = adviseOnMissingScope(lacking('BOOKING_READ, SCHEDULE_READ'), { requestedScopes: ['BOOKING_READ'], scopeSetting: SETTING });
    expect(advice).toMatchObject({ fix: 'developer', notRequested: ['SCHEDULE_READ'], essential: true });
  });

  it('says no scope helps on an endpoint closed to OAuth tokens, and when Cal.com names no scope asks to check both places', () => {
    const closed = adviseOnMissingScope(forbidden('insufficient_scope: this endpoint is not available for third-party OAuth tokens'), { requestedScopes: ['BOOKING_READ'], scopeSetting: SETTING });
    expect(closed.fix).toBe('none');
    expect(closed.message).toMatch(/cannot help/);
    const unnamed = adviseOnMissingScope(forbidden('insufficient_scope'), { requestedScopes: ['BOOKING_READ'], scopeSetting: SETTING });
    expect(unnamed.fix).toBe('unknown');
    expect(unnamed.message).toMatch(/OAuth clients and CALCOM_SCOPES include every scope/);
  });

  it('treats bookings and profile as essential to a connection, event types as optional', () => {
    expect([...CONNECTION_ESSENTIAL_SCOPES].sort()).toEqual(['BOOKING_READ', 'PROFILE_READ']);
  });
});

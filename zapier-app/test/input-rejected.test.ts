import { errors, type ZObject } from 'zapier-platform-core';
import { CalcomError } from '@calcom-oauth/shared';
import { toZapierError } from '../src/errors';

const z = { errors } as unknown as ZObject;

describe('a value Cal.com refused reaches the Zapier user as a plain error naming the field', () => {
  it.each(['connect', 'refresh', 'run'] as const)('at %s: AppError with the core message, not a refresh, throttle or stale connection', (stage) => {
    const rejected = new CalcomError('input_rejected', 'Cal.com refused POST /v2/bookings because of the values given: the start time is in the past (field start). This is for you to fix.', { status: 400, field: 'start' });
    const error = toZapierError(z, rejected, stage);
    expect(error.name).toBe('AppError');
    expect(JSON.parse(error.message)).toEqual({ message: rejected.message, code: 'input_rejected', status: 400 });
  });
});

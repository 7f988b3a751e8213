import { MAX_EVENT_TYPE_IDS, MAX_REQUEST_URL_LENGTH, parseEventTypeIds } from '../src/event-type-ids';
import { buildBookingsRequest } from '../src/api/bookings';
import { listBookingEvents, pollBookingEvents } from '../src/polling/engine';
import { CALCOM_CLOUD } from '../src/instances';
import type { HttpRequest } from '../src/http';
import { calcomErrorFrom } from './support/errors';

describe('parseEventTypeIds: what Zapier and n8n deliver', () => {
  it.each([
    ['a number', 12, [12]],
    ['decimal text', '12', [12]],
    ['comma-separated text', '3, 4,5', [3, 4, 5]],
    ['whitespace-separated text', ' 3\t4\n5 ', [3, 4, 5]],
    ['a list of numbers and texts', [12, ' 7 ', '8,9'], [12, 7, 8, 9]],
    ['duplicates, kept once in first-seen order', ['5', 5, '6, 5'], [5, 6]],
    ['the largest safe integer', String(Number.MAX_SAFE_INTEGER), [Number.MAX_SAFE_INTEGER]],
    ['leading zeros (still decimal)', '010', [10]],
  ])('accepts %s', (_label, value, expected) => {
    expect(parseEventTypeIds(value)).toEqual(expected);
  });

  it.each([undefined, null, '', '  ', ',', [], [null, '', undefined]])('gives no ids for the empty value %p', (value) => {
    expect(parseEventTypeIds(value)).toEqual([]);
  });

  it.each([
    ['hex', '0x10', '"0x10"'],
    ['an exponent', '1e3', '"1e3"'],
    ['a fraction', '1.5', '"1.5"'],
    ['a number fraction', 1.5, '1.5'],
    ['zero', '0', '"0"'],
    ['a negative', -3, '-3'],
    ['a signed text', '+3', '"+3"'],
    ['Infinity', Infinity, 'an infinite number'],
    ['NaN', Number.NaN, 'a value that is not a number'],
    ['a boolean', true, 'true'],
    ['a boolean in a list', ['12', false], 'false'],
    ['an object', { id: 5 }, 'an object {"id":5}'],
    ['a nested list', [[5]], 'a nested list'],
    ['a slug', 'intro-call', '"intro-call"'],
    ['a bigint', BigInt(5), '5'],
  ])('refuses %s, quoting it and saying what is expected', (_label, value, quoted) => {
    const error = calcomErrorFrom(() => parseEventTypeIds(value, 'Event Types'));
    expect(error.kind).toBe('invalid_input');
    expect(error.message).toContain(`Event Types: ${quoted} is not an event type ID`);
    expect(error.message).toMatch(/expected positive whole numbers in decimal/);
    expect(error.message).not.toContain('[object Object]');
  });

  it.each([2 ** 53, String(2 ** 53), '99999999999999999999'])('refuses %p as too large, naming the largest id', (value) => {
    const error = calcomErrorFrom(() => parseEventTypeIds(value));
    expect(error.kind).toBe('invalid_input');
    expect(error.message).toMatch(/is larger than any event type ID \(at most 9007199254740991\)/);
  });

  it('never prints a secret-shaped value back', () => {
    const jwtLike = `eyJ${'a'.repeat(30)}.eyJ${'b'.repeat(30)}.${'c'.repeat(30)}`;
    const error = calcomErrorFrom(() => parseEventTypeIds(jwtLike));
    expect(error.message).not.toContain(jwtLike);
  });

  it('derives its count limit from the URL length and refuses one id more, saying the limit', () => {
    expect(MAX_EVENT_TYPE_IDS).toBe(400);
    const most = Array.from({ length: MAX_EVENT_TYPE_IDS }, (_unused, index) => Number.MAX_SAFE_INTEGER - index);
    expect(parseEventTypeIds(most)).toHaveLength(MAX_EVENT_TYPE_IDS);
    // The widest allowed list still fits a URL under the limit, on a long self-hosted API URL.
    const longApi = { apiUrl: `https://${'x'.repeat(900)}.example.com` };
    const url = buildBookingsRequest({ instance: longApi, query: { eventTypeIds: most, afterCreatedAt: new Date().toISOString(), sortCreated: 'asc', take: 250, status: ['cancelled'] } }).url;
    expect(url.length).toBeLessThanOrEqual(MAX_REQUEST_URL_LENGTH);
    const error = calcomErrorFrom(() => parseEventTypeIds([...most, 1]));
    expect(error.message).toContain(`${MAX_EVENT_TYPE_IDS + 1} event types is more than the ${MAX_EVENT_TYPE_IDS}`);
    expect(error.message).toContain(String(MAX_REQUEST_URL_LENGTH));
  });

  it('counts distinct ids: repeats do not reach the limit', () => {
    expect(parseEventTypeIds(Array.from({ length: 5000 }, () => '7'))).toEqual([7]);
  });
});

describe('the engine and the bookings request use the same parser, before sending anything', () => {
  const sent: HttpRequest[] = [];
  const execute = async (request: HttpRequest) => {
    sent.push(request);
    throw new Error('no request may be sent');
  };
  beforeEach(() => sent.splice(0));

  it.each([
    ['NaN beside a valid id', [16, Number.NaN]],
    ['past 2^53', [2 ** 53]],
    ['too many', Array.from({ length: MAX_EVENT_TYPE_IDS + 1 }, (_unused, index) => index + 1)],
  ])('pollBookingEvents and listBookingEvents refuse %s', async (_label, ids) => {
    for (const run of [
      () => pollBookingEvents({ event: 'booking_created', filters: { eventTypeIds: ids }, execute, state: undefined }),
      () => listBookingEvents({ event: 'booking_created', filters: { eventTypeIds: ids }, execute }),
    ]) {
      const error = await run().catch((caught: unknown) => caught);
      expect(error).toMatchObject({ kind: 'invalid_input', message: expect.stringMatching(/^Event type filter: /) });
    }
    expect(sent).toHaveLength(0);
  });

  it('buildBookingsRequest refuses the same list', () => {
    const error = calcomErrorFrom(() => buildBookingsRequest({ instance: CALCOM_CLOUD, query: { eventTypeIds: [2 ** 53] } }));
    expect(error.message).toMatch(/^Bookings query eventTypeIds: 9007199254740992 is larger than any event type ID/);
  });
});

import fc from 'fast-check';
import type { ConnectionSecrets } from './secrets';

/**
 * Generated Cal.com answers: what a broken proxy, an old or self-hosted Cal.com, a clock glitch or a
 * hostile server may send. Bodies may echo the connection's secrets, the way Cal.com's 403 "no oAuth
 * client found for access token=…" and some OAuth error texts do.
 */

/** Where a 3xx points: always a host other than the configured one. */
export const FOREIGN_ORIGINS = ['https://evil.example', 'http://evil.example', 'https://api.cal.com.evil.example', 'http://127.0.0.2:8443', 'https://attacker.test:444'] as const;

/** An answer before the secrets are filled in: `echo` names which secret the body repeats, if any. */
export interface AnswerSpec {
  status: number;
  headers: Record<string, string>;
  body: BodySpec;
  echo?: keyof ConnectionSecrets;
}

export type BodySpec = { type: 'text'; text: string } | { type: 'json'; value: unknown };

const hugeNumbers = fc.constantFrom(1e20, 1e308, -1, -0, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 1.5, 0, 4102444800, 4102444800000, 1e21);
const nanStrings = fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '0x10', ' ', '', 'null', 'undefined', '[object Object]', '1,000', '١٢٣', '12abc');

/** Any JSON-ish value, wrong types included. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: hugeNumbers },
  { weight: 1, arbitrary: nanStrings },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], [1, 'a'], { id: null }) },
);

const ISO_NOW = '2026-03-02T09:00:00.000Z';
const dateText = fc.oneof(
  fc.constantFrom(ISO_NOW, '2026-03-02T09:00:00Z', '9999-12-31T23:59:59.999Z', '0001-01-01T00:00:00.000Z', '2026-02-30T00:00:00Z', '2026-03-02', 'yesterday', '', '2026-03-02T09:00:00+99:99'),
  fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms) => new Date(ms).toISOString()),
  anyValue,
);

/** HTTP `Date` header values: right, far future, far past, garbage, absent. */
export const dateHeader: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.integer({ min: -62135596800000, max: 253402300799000 }).map((ms) => new Date(ms).toUTCString()),
  fc.constantFrom('Mon, 02 Mar 2026 09:00:00 GMT', 'Fri, 31 Dec 9999 23:59:59 GMT', 'Thu, 01 Jan 1970 00:00:00 GMT', 'garbage', '', '0', '1772442000', 'Tue, 30 Feb 2026 25:61:61 GMT'),
);

const rateLimitValue = fc.oneof(
  fc.constantFrom('60', '0', '-5', '1772442000', '1772442000000', '1e20', 'NaN', '', ' 30 ', '99999999999999999999', '1.5', 'Infinity'),
  fc.integer({ min: -1e6, max: 4e12 }).map(String),
);
const retryAfter = fc.oneof(fc.constantFrom('120', '-1', '0', 'Fri, 31 Dec 9999 23:59:59 GMT', 'Thu, 01 Jan 1970 00:00:00 GMT', 'soon', '1e20'), dateHeader.map((d) => d ?? ''));

export const headersArb: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      'content-type': fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/html', 'text/plain', ''),
      date: dateHeader,
      'x-ratelimit-reset-default': rateLimitValue,
      'x-ratelimit-reset-short': rateLimitValue,
      'retry-after': retryAfter,
      location: fc.constantFrom(...FOREIGN_ORIGINS).map((origin) => `${origin}/v2/bookings`),
    },
    { requiredKeys: ['content-type'] },
  )
  .map((record) => Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => typeof entry[1] === 'string')));

export const statusArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(200, 201, 204, 301, 302, 303, 307, 308, 400, 401, 403, 404, 410, 414, 422, 429, 500, 502, 503, 504) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 599 }) },
);

/** Text a body may carry a secret in: Cal.com's own phrasing, a form echo, a bare value. */
const ECHO_TEMPLATES = [
  'PermissionsGuard - no oAuth client found for access token=%s',
  'invalid refresh token %s',
  'client_secret=%s&code=%s',
  'The code %s has already been used',
  '%s',
  'Bearer %s is not valid',
];

/** Error bodies in Cal.com's shapes, with a slot (`%s`) for an echoed secret. */
const errorBody = (text: string): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constant({ status: 'error', error: { code: 'ForbiddenException', message: text } }),
    fc.constant({ error: 'invalid_grant', error_description: text }),
    fc.constant({ status: 'error', error: { code: 'BadRequestException', message: 'x', details: { error: 'invalid_request', error_description: text } } }),
    fc.constant({ message: text }),
    fc.constant({ status: 'error', error: { code: 'ThrottlerException', message: text } }),
    fc.constant({ status: 'error', error: { code: 'Forbidden', message: `insufficient_scope. Required: BOOKING_READ. Token has: ${text}` } }),
  );

export const textBody = fc.oneof(
  fc.constantFrom('', ' ', '<!doctype html><html><body>Bad gateway</body></html>', '<html>login</html>', '{"status":"success","data":', '{"status":', 'null', '[]', '"text"', '42', 'true', '{'),
  fc.string({ maxLength: 60 }),
);

/** Every secret a connection can hold; an operation holds only some of them at a time. */
export const ALL_SECRETS: readonly (keyof ConnectionSecrets)[] = ['clientSecret', 'code', 'accessToken', 'refreshToken'];

/**
 * What an API call (profile, event types, bookings) holds: the connection's tokens and client secret.
 * The authorization code was spent at the exchange and is never sent again, so no Cal.com answer to
 * an API call can echo it, and the code answering the call cannot know it: only its shape could give
 * it away, which is what the token cases test.
 */
export const API_CALL_SECRETS: readonly (keyof ConnectionSecrets)[] = ['clientSecret', 'accessToken', 'refreshToken'];

/**
 * A body that is one of `successBodies` (possibly truncated), an error body, or junk. An error body
 * may echo one of `echoable`: the secrets the answered request carried or its connection holds.
 */
export function bodyArb(successBodies: fc.Arbitrary<unknown>, echoable: readonly (keyof ConnectionSecrets)[] = ALL_SECRETS): fc.Arbitrary<{ body: BodySpec; echo?: keyof ConnectionSecrets }> {
  const echoName = fc.constantFrom<keyof ConnectionSecrets>(...echoable);
  return fc.oneof(
    { weight: 4, arbitrary: successBodies.map((value) => ({ body: { type: 'json', value } as BodySpec })) },
    { weight: 1, arbitrary: fc.tuple(successBodies, fc.integer({ min: 1, max: 200 })).map(([value, cut]) => ({ body: { type: 'text', text: JSON.stringify(value).slice(0, cut) } as BodySpec })) },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.constantFrom(...ECHO_TEMPLATES), echoName).chain(([template, echo]) => errorBody(template).map((value) => ({ body: { type: 'json', value } as BodySpec, echo }))),
    },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ECHO_TEMPLATES), echoName).map(([text, echo]) => ({ body: { type: 'text', text } as BodySpec, echo })) },
    { weight: 1, arbitrary: textBody.map((text) => ({ body: { type: 'text', text } as BodySpec })) },
    { weight: 1, arbitrary: anyValue.map((value) => ({ body: { type: 'json', value } as BodySpec })) },
  );
}

export function answerArb(
  successBodies: fc.Arbitrary<unknown>,
  status: fc.Arbitrary<number> = statusArb,
  echoable: readonly (keyof ConnectionSecrets)[] = ALL_SECRETS,
): fc.Arbitrary<AnswerSpec> {
  return fc.tuple(status, headersArb, bodyArb(successBodies, echoable)).map(([s, headers, { body, echo }]) => ({ status: s, headers, body, ...(echo === undefined ? {} : { echo }) }));
}

/** The answer's body text, with every `%s` replaced by the echoed secret. */
export function renderBody(spec: AnswerSpec, secrets: ConnectionSecrets): string {
  const raw = spec.body.type === 'text' ? spec.body.text : safeStringify(spec.body.value);
  if (spec.echo === undefined) return raw;
  const value = secrets[spec.echo];
  // In JSON the secret must be escaped as JSON would send it.
  const inserted = spec.body.type === 'json' ? JSON.stringify(value).slice(1, -1) : value;
  return raw.split('%s').join(inserted);
}

function safeStringify(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

// ---- success bodies -------------------------------------------------------------------------------

/** A token answer with every field possibly of the wrong type or out of range. */
export function tokenBodyArb(): fc.Arbitrary<unknown> {
  const field = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: anyValue });
  return fc
    .record(
      {
        access_token: field(fc.constant('%access')),
        refresh_token: field(fc.constant('%refresh')),
        token_type: fc.oneof(fc.constantFrom('bearer', 'Bearer', 'mac', 'DPoP', 'basic', '%access', ''), anyValue),
        expires_in: fc.oneof(fc.constantFrom(1800, 3600), hugeNumbers, nanStrings, anyValue),
        accessTokenExpiresAt: fc.oneof(hugeNumbers, anyValue),
        scope: fc.oneof(fc.constantFrom('BOOKING_READ PROFILE_READ', 'READ_BOOKING,READ_PROFILE', '', 'ALL'), anyValue),
      },
      { requiredKeys: [] },
    )
    .chain((record) => fc.constantFrom(record, { status: 'success', data: record }, { data: record }));
}

/** Booking fields the adapters map: each may be wrong. */
export function bookingArb(index: number): fc.Arbitrary<unknown> {
  const field = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: anyValue });
  const person = fc.record({ name: field(fc.constant('Guest')), email: field(fc.constant('guest@example.com')), timeZone: field(fc.constant('UTC')) });
  return fc.record({
    id: field(fc.constant(index + 1)),
    uid: field(fc.constant(`uid-${index + 1}`)),
    title: field(fc.constant(`Meeting ${index + 1}`)),
    status: field(fc.constantFrom('accepted', 'cancelled', 'rejected', 'pending', 'awaiting_host')),
    start: field(dateText),
    end: field(dateText),
    createdAt: field(fc.constant(ISO_NOW)),
    updatedAt: field(fc.constantFrom(null, ISO_NOW)),
    eventTypeId: field(fc.constant(7)),
    eventType: field(fc.constant({ id: 7, slug: 'intro' })),
    attendees: field(fc.array(fc.oneof(person, anyValue), { maxLength: 3 })),
    guests: field(fc.array(fc.oneof(fc.constant('g@example.com'), anyValue), { maxLength: 2 })),
    hosts: field(fc.array(fc.oneof(person, anyValue), { maxLength: 2 })),
    bookingFieldsResponses: field(fc.constant({})),
    metadata: field(fc.constant({})),
    rescheduledFromUid: fc.option(field(fc.constant('uid-0')), { nil: undefined }),
  });
}

export const bookingsBodyArb: fc.Arbitrary<unknown> = fc
  .integer({ min: 0, max: 4 })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => bookingArb(i))))
  .chain((items) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constant({ status: 'success', data: items, pagination: { totalItems: items.length, remainingItems: 0, returnedItems: items.length, itemsPerPage: 250, currentPage: 1, totalPages: 1, hasNextPage: false, hasPreviousPage: false } }) },
      { weight: 1, arbitrary: fc.record({ status: fc.constantFrom('success', 'error', 1), data: fc.oneof(fc.constant(items), anyValue), pagination: anyValue }) },
      { weight: 1, arbitrary: fc.constant({ status: 'success', data: { bookings: items, nextCursor: null } }) },
    ),
  );

export const eventTypeArb: fc.Arbitrary<unknown> = fc.record({
  id: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 1000 }) }, { weight: 1, arbitrary: anyValue }),
  title: fc.oneof({ weight: 4, arbitrary: fc.constant('Intro call') }, { weight: 1, arbitrary: anyValue }),
  slug: fc.oneof({ weight: 4, arbitrary: fc.constant('intro') }, { weight: 1, arbitrary: anyValue }),
  lengthInMinutes: fc.oneof(fc.constant(30), anyValue),
});

export const eventTypesBodyArb: fc.Arbitrary<unknown> = fc.array(fc.oneof({ weight: 4, arbitrary: eventTypeArb }, { weight: 1, arbitrary: anyValue }), { maxLength: 4 }).chain((items) =>
  fc.constantFrom({ status: 'success', data: items }, { status: 'success', data: { eventTypeGroups: [{ eventTypes: items }] } }, { data: items }),
);

export const meBodyArb: fc.Arbitrary<unknown> = fc
  .record({
    id: fc.oneof(fc.constant(42), anyValue),
    email: fc.oneof(fc.constant('owner@example.com'), anyValue),
    name: fc.oneof(fc.constant('Owner'), anyValue),
    username: fc.oneof(fc.constant('owner'), anyValue),
    timeZone: fc.oneof(fc.constant('Europe/Paris'), anyValue),
  })
  .map((data) => ({ status: 'success', data }));

/** Token bodies carry `%access`/`%refresh` placeholders: the tokens Cal.com issues are the connection's secrets. */
export function fillTokens(text: string, secrets: ConnectionSecrets): string {
  const escaped = (value: string) => JSON.stringify(value).slice(1, -1);
  return text.split('%access').join(escaped(secrets.accessToken)).split('%refresh').join(escaped(secrets.refreshToken));
}

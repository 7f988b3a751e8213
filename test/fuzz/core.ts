import fc from 'fast-check';
import {
  CalcomError,
  classifyResponse,
  listBookingEvents,
  processBookingsResponse,
  processEventTypesResponse,
  parseInstanceArgument,
  processMeResponse,
  processTokenResponse,
  resolveInstance,
  type HttpExecutor,
  type HttpResponse,
  type InstanceKind,
  type ProcessTokenOptions,
} from '@calcom-oauth/shared';
import { answerArb, API_CALL_SECRETS, bookingsBodyArb, eventTypesBodyArb, fillTokens, meBodyArb, renderBody, statusArb, tokenBodyArb, type AnswerSpec } from './answers';
import { messageProblem, thrownMessage, thrownName, type Finding } from './findings';
import { leaks, redact, secretsArb, type ConnectionSecrets } from './secrets';
import type { FuzzProperty } from './runner';

/** Fixed clock of the core cases, so a counterexample replays the same. */
export const NOW = Date.UTC(2026, 2, 2, 9, 0, 0);
/** The longest wait or token lifetime that still makes sense (a year). */
const MAX_SECONDS = 366 * 24 * 3600;

/** What the core may throw: a CalcomError whose message reads as written, with no secret in it. */
export function checkCoreThrown(error: unknown, secrets: ConnectionSecrets, where: string, echoed: string): Finding[] {
  const message = thrownMessage(error);
  const findings = leaks(message, secrets, `${where} error message`);
  if (!(error instanceof CalcomError)) {
    findings.push({ kind: 'unclassified', signature: `${where}: ${thrownName(error)} escaped`, detail: `${thrownName(error)}: ${redact(message, secrets).slice(0, 200)}` });
    return findings;
  }
  const problem = messageProblem(error.message, echoed);
  if (problem !== undefined) findings.push({ kind: 'unclassified', signature: `${where}: ${problem}`, detail: redact(error.message, secrets).slice(0, 300) });
  if (error.retryAfterSeconds !== undefined && !(Number.isFinite(error.retryAfterSeconds) && error.retryAfterSeconds >= 1 && error.retryAfterSeconds <= 86400)) {
    findings.push({ kind: 'number', signature: `${where}: rate-limit wait out of range`, detail: `retryAfterSeconds = ${error.retryAfterSeconds}` });
  }
  return findings;
}

export function toResponse(answer: AnswerSpec, secrets: ConnectionSecrets): HttpResponse {
  return { status: answer.status, headers: answer.headers, body: fillTokens(renderBody(answer, secrets), secrets) };
}

// ---- token answers -----------------------------------------------------------------------------

interface TokenCase {
  secrets: ConnectionSecrets;
  answer: AnswerSpec;
  refresh: boolean;
  surface: 'legacy' | 'v2';
}

export const coreTokenProperty: FuzzProperty<TokenCase> = {
  name: 'core-token',
  what: 'processTokenResponse over generated token answers',
  weight: 20,
  arbitrary: fc.record({ secrets: secretsArb, answer: answerArb(tokenBodyArb()), refresh: fc.boolean(), surface: fc.constantFrom('legacy', 'v2') }),
  async check({ secrets, answer, refresh, surface }) {
    const response = toResponse(answer, secrets);
    // Every secret the connection holds is offered; a core that takes fewer cannot use the rest.
    const options: ProcessTokenOptions & { knownSecrets?: string[] } = {
      now: NOW,
      surface,
      endpoint: refresh ? 'the token refresh' : 'the code exchange',
      knownSecrets: Object.values(secrets),
      ...(refresh ? { previousRefreshToken: secrets.refreshToken } : {}),
    };
    try {
      const tokens = processTokenResponse(response, options);
      const findings: Finding[] = [];
      if (tokens.expiresAt !== undefined && !(Number.isFinite(tokens.expiresAt) && tokens.expiresAt <= NOW + MAX_SECONDS * 1000 && Number.isFinite(new Date(tokens.expiresAt).getTime()))) {
        findings.push({ kind: 'number', signature: 'token expiry out of range accepted', detail: `expiresAt = ${tokens.expiresAt}` });
      }
      if (answer.status >= 300) findings.push({ kind: 'foreign-host', signature: `HTTP ${answer.status} accepted as tokens`, detail: `status ${answer.status}` });
      return findings;
    } catch (error) {
      return checkCoreThrown(error, secrets, 'processTokenResponse', response.body);
    }
  },
};

// ---- API answers -------------------------------------------------------------------------------

interface ApiCase {
  secrets: ConnectionSecrets;
  parser: 'classify' | 'me' | 'event-types' | 'bookings';
  answer: AnswerSpec;
}

const PARSERS: Record<ApiCase['parser'], fc.Arbitrary<unknown>> = { classify: bookingsBodyArb, me: meBodyArb, 'event-types': eventTypesBodyArb, bookings: bookingsBodyArb };

export const coreApiProperty: FuzzProperty<ApiCase> = {
  name: 'core-api',
  what: 'classifyResponse, processMeResponse, processEventTypesResponse, processBookingsResponse',
  weight: 25,
  arbitrary: fc
    .constantFrom<ApiCase['parser']>('classify', 'me', 'event-types', 'bookings')
    .chain((parser) => fc.record({ secrets: secretsArb, parser: fc.constant(parser), answer: answerArb(PARSERS[parser], statusArb, API_CALL_SECRETS) })),
  async check({ secrets, parser, answer }) {
    const response = toResponse(answer, secrets);
    // The harness plays the adapter here, which hands the core what an API call holds: the
    // request's bearer token and the connection's other secrets (as Zapier's connectionSecrets and
    // the n8n node's credential secrets do). A parser given nothing could only redact by shape.
    const knownSecrets = API_CALL_SECRETS.map((name) => secrets[name]);
    try {
      switch (parser) {
        case 'classify': {
          const error = classifyResponse(response, { endpoint: 'GET /v2/bookings', knownSecrets });
          if (error !== undefined) return checkCoreThrown(error, secrets, 'classifyResponse', response.body);
          return [];
        }
        case 'me':
          processMeResponse(response, { knownSecrets });
          break;
        case 'event-types':
          processEventTypesResponse(response, { knownSecrets });
          break;
        case 'bookings':
          processBookingsResponse(response, { knownSecrets });
          break;
      }
      return answer.status >= 300 ? [{ kind: 'foreign-host', signature: `${parser}: HTTP ${answer.status} read as an answer`, detail: `status ${answer.status}` }] : [];
    } catch (error) {
      return checkCoreThrown(error, secrets, parser, response.body);
    }
  },
};

// ---- hostile settings --------------------------------------------------------------------------

/** Instance URLs a user may type or paste, many of them wrong, some carrying a secret. */
const hostileUrl = (secret: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(
      'https://cal.example.com',
      'https://cal.example.com/',
      'https://cal.example.com/base/',
      'http://localhost:3000',
      'http://127.0.0.1:5555',
      'http://evil.com',
      'https://app.cal.com',
      'HTTPS://CAL.EXAMPLE.COM',
      ' https://cal.example.com ',
      '   ',
      '',
      'cal.example.com',
      'javascript:alert(1)',
      'ftp://cal.example.com',
      'https://',
      'https://cal.example.com:99999',
      'https://[::1]',
      'http://[::1]:3000',
      'http://localhost.evil.com',
      'http://127.0.0.1.nip.io',
      'https://cal.example.com\\@evil.com',
      'https://evil.com%2F@cal.example.com',
      '//evil.com',
    ),
    fc.constantFrom(
      `https://user:${secret}@cal.example.com`,
      `https://cal.example.com/?token=${secret}`,
      `https://cal.example.com/#${secret}`,
      `https://${secret}@cal.example.com`,
      `https://cal.example.com/${encodeURIComponent(secret)}?x=1`,
      `not a url ${secret}`,
    ),
    fc.string({ maxLength: 30 }),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
  );

/** The rules an instance URL must meet, written independently of the core. */
export function acceptableBaseUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return false;
  if (url.protocol === 'https:') return url.hostname !== '';
  if (url.protocol !== 'http:') return false;
  const host = url.hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Event-type ids of every type a form, an expression or an imported workflow can produce. */
export const hostileIdArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 1, max: 100000 }),
  fc.constantFrom(0, -1, 1.5, NaN, Infinity, 2 ** 53, 2 ** 53 + 2, 1e21, '7', '0x10', '1e3', ' 7 ', '', '007', '-3', '7,8', true, false, null, undefined, {}, [], [7], { id: 7 }, '[object Object]'),
  fc.string({ maxLength: 8 }),
);

/**
 * The parts of a typed URL that carry credentials (user info, query, fragment), read with RFC 3986's
 * own splitting regex (appendix B), a backslash ending the authority as the WHATWG parser reads it.
 * A message may quote the rest of what the user typed, path included; never these.
 */
export function credentialParts(typed: string): string[] {
  const match = /^(?:[^:/?#\\]+:)?(?:[/\\]{2}([^/?#\\]*))?[^?#]*(?:\?([^#]*))?(?:#(.*))?$/s.exec(typed.trim());
  if (match === null) return [];
  const authority = match[1] ?? '';
  const at = authority.lastIndexOf('@');
  return [at === -1 ? '' : authority.slice(0, at), match[2] ?? '', match[3] ?? ''].filter((part) => part !== '');
}

/** The secrets a typed value holds in its credential parts: the only ones its messages must hide. */
function secretsInCredentialParts(typed: readonly (string | undefined)[], secrets: ConnectionSecrets): ConnectionSecrets {
  const parts = typed.flatMap((value) => (value === undefined ? [] : credentialParts(value)));
  const hidden = Object.entries(secrets).filter(([, value]) => parts.some((part) => part.includes(value) || part.includes(encodeURIComponent(value))));
  // Names keep their places so a finding names the secret; values not to hide become unmatchable.
  return Object.fromEntries(Object.entries(secrets).map(([name, value]) => [name, hidden.some(([hiddenName]) => hiddenName === name) ? value : `\u0000unmatched-${name}`])) as unknown as ConnectionSecrets;
}

interface SettingsCase {
  secrets: ConnectionSecrets;
  kind: InstanceKind | string;
  appUrl: string | undefined;
  apiUrl: string | undefined;
  argument: string;
  eventTypeIds: unknown[];
}

export const coreSettingsProperty: FuzzProperty<SettingsCase> = {
  name: 'core-settings',
  what: 'resolveInstance, parseInstanceArgument and event-type filters over hostile settings',
  weight: 15,
  arbitrary: secretsArb.chain((secrets) =>
    fc.record({
      secrets: fc.constant(secrets),
      kind: fc.constantFrom('cloud', 'eu', 'self-hosted', 'self-hosted', 'Cloud', ''),
      appUrl: fc.option(hostileUrl(secrets.clientSecret), { nil: undefined }),
      apiUrl: fc.option(hostileUrl(secrets.accessToken), { nil: undefined }),
      argument: fc.oneof(fc.constantFrom('cal.com', 'cal.eu', 'cloud', 'EU'), hostileUrl(secrets.code)),
      eventTypeIds: fc.array(hostileIdArb, { maxLength: 4 }),
    }),
  ),
  async check(input) {
    const { secrets } = input;
    const findings: Finding[] = [];
    const accepted = (where: string, instance: { appUrl: string; apiUrl: string }) => {
      for (const url of [instance.appUrl, instance.apiUrl]) {
        if (!acceptableBaseUrl(url)) findings.push({ kind: 'foreign-host', signature: `${where} accepted an instance URL that breaks the rules`, detail: redact(url, secrets) });
      }
    };
    // A settings message may quote what the user typed (words like "undefined" included), except the
    // credential parts of a URL: the secrets placed there are the ones to look for.
    const typed = [input.kind, input.appUrl, input.apiUrl, input.argument];
    const typedText = typed.filter((value): value is string => typeof value === 'string').join('\n');
    const settingsFindings = (error: unknown, where: string, values: readonly (string | undefined)[]) =>
      checkCoreThrown(error, secretsInCredentialParts(values, secrets), where, typedText).map((finding) => ({ ...finding, detail: redact(finding.detail, secrets) }));
    try {
      accepted('resolveInstance', resolveInstance({ kind: input.kind as InstanceKind, ...(input.appUrl === undefined ? {} : { appUrl: input.appUrl }), ...(input.apiUrl === undefined ? {} : { apiUrl: input.apiUrl }) }));
    } catch (error) {
      findings.push(...settingsFindings(error, 'resolveInstance', [input.appUrl, input.apiUrl]));
    }
    try {
      accepted('parseInstanceArgument', parseInstanceArgument(input.argument, input.apiUrl));
    } catch (error) {
      findings.push(...settingsFindings(error, 'parseInstanceArgument', [input.argument, input.apiUrl]));
    }
    const urls: string[] = [];
    const execute: HttpExecutor = async (request) => {
      urls.push(request.url);
      const page = { status: 'success', data: [], pagination: { hasNextPage: false, totalItems: 0 } };
      return { status: 200, headers: { 'content-type': 'application/json', date: new Date(NOW).toUTCString() }, body: JSON.stringify(page) };
    };
    try {
      await listBookingEvents({ event: 'booking_created', execute, accessToken: secrets.accessToken, filters: { eventTypeIds: input.eventTypeIds as number[] } });
      for (const url of urls) {
        const ids = new URL(url).searchParams.get('eventTypeIds');
        if (ids !== null && !ids.split(',').every((id) => /^[1-9]\d*$/.test(id) && Number.isSafeInteger(Number(id)))) {
          findings.push({ kind: 'number', signature: 'an event-type id that is not a decimal integer was sent', detail: `eventTypeIds=${ids}` });
        }
      }
    } catch (error) {
      // Text the user typed as an id ("NaN", "undefined") may be quoted back to them.
      const typedIds = input.eventTypeIds.filter((id): id is string => typeof id === 'string').join('\n');
      findings.push(...checkCoreThrown(error, secrets, 'listBookingEvents filters', typedIds));
    }
    return findings;
  },
};

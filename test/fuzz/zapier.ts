import '../hosts/zapier-long-run';
import fc from 'fast-check';
import { createAppTester } from 'zapier-platform-core';
import App from '../../zapier-app/src/index';
import { getAccessToken, refreshAccessToken, testAuth } from '../../zapier-app/src/authentication';
import eventTypeList from '../../zapier-app/src/triggers/eventTypeList';
import { bookingTriggers } from '../../zapier-app/src/triggers';
import { answerArb, API_CALL_SECRETS, bookingsBodyArb, eventTypesBodyArb, FOREIGN_ORIGINS, meBodyArb, statusArb, tokenBodyArb, type AnswerSpec } from './answers';
import { toResponse } from './core';
import { hostileIdArb } from './core';
import { messageProblem, thrownMessage, thrownName, type Finding } from './findings';
import { captureConsole, interceptAll, releaseNetwork } from './net';
import { leaks, redact, secretsArb, type ConnectionSecrets } from './secrets';
import type { FuzzProperty } from './runner';

const appTester = createAppTester(App);
const REDIRECT_URI = 'https://zapier.com/dashboard/auth/oauth/return/App123CLIAPI/';
const ALLOWED_HOSTS = new Set(['api.cal.com', 'app.cal.com']);
/** zapier-platform-core's error classes (z.errors.*); anything else escaped the app. */
const ZAPIER_ERRORS = new Set(['AppError', 'ResponseError', 'ThrottledError', 'RefreshAuthError', 'ExpiredAuthError', 'HaltedError']);

type Operation = 'exchange' | 'refresh' | 'test' | 'event_type_list' | string;

interface ZapierCase {
  secrets: ConnectionSecrets;
  operation: Operation;
  surface: 'v2' | 'legacy';
  answer: AnswerSpec;
  eventTypeIds: unknown;
  sample: boolean;
}

type Perform = Parameters<typeof appTester>[0];
const performOf = (trigger: { operation: unknown }): Perform => (trigger.operation as { perform: Perform }).perform;
const TRIGGERS: Record<string, Perform> = Object.fromEntries(bookingTriggers.map((trigger) => [trigger.key, performOf(trigger)]));
const BOOKING_KEYS = Object.keys(TRIGGERS);

/**
 * The secrets an operation holds, the only ones Cal.com's answer to it can echo: the exchange sends
 * the code and the client secret (the connection has no tokens yet); a refresh and every API call
 * hold the connection's tokens and the deployment's client secret, never the spent code.
 */
function heldSecrets(operation: Operation): readonly (keyof ConnectionSecrets)[] {
  return operation === 'exchange' ? ['code', 'clientSecret'] : API_CALL_SECRETS;
}

/** A plausible answer from the other host, so following a redirect would look like success. */
function foreignAnswer(operation: Operation, secrets: ConnectionSecrets) {
  const body =
    operation === 'exchange' || operation === 'refresh'
      ? { access_token: `${secrets.accessToken}`, refresh_token: secrets.refreshToken, token_type: 'bearer', expires_in: 1800 }
      : { status: 'success', data: [], pagination: { hasNextPage: false, totalItems: 0 } };
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** Checks what a Zapier call threw: one of z.errors.* with a written message, no secret in it. */
export function checkZapierThrown(error: unknown, secrets: ConnectionSecrets, where: string, echoed: string): Finding[] {
  const message = thrownMessage(error);
  const findings = leaks(message, secrets, `${where} error message`);
  const name = thrownName(error);
  if (!ZAPIER_ERRORS.has(name)) {
    findings.push({ kind: 'unclassified', signature: `${where}: ${name} escaped`, detail: `${name}: ${redact(message, secrets).slice(0, 200)}` });
    return findings;
  }
  let text = message;
  if (name === 'AppError') {
    try {
      text = String((JSON.parse(message) as { message?: unknown }).message);
    } catch {
      // An AppError message is JSON; kept as is when not.
    }
  }
  const problem = messageProblem(text, echoed);
  if (problem !== undefined) findings.push({ kind: 'unclassified', signature: `${where}: ${name} ${problem}`, detail: redact(text, secrets).slice(0, 300) });
  return findings;
}

export const zapierProperty: FuzzProperty<ZapierCase> = {
  name: 'zapier',
  what: "the Zapier app through zapier-platform-core's appTester, answers served by nock",
  weight: 9,
  arbitrary: fc.constantFrom<Operation>('exchange', 'refresh', 'test', 'event_type_list', ...BOOKING_KEYS).chain((operation) =>
    fc.record({
      secrets: secretsArb,
      operation: fc.constant(operation),
      surface: fc.constantFrom('v2', 'legacy'),
      answer: answerArb(
        operation === 'exchange' || operation === 'refresh' ? tokenBodyArb() : operation === 'test' ? meBodyArb : operation === 'event_type_list' ? eventTypesBodyArb : bookingsBodyArb,
        statusArb,
        heldSecrets(operation),
      ),
      eventTypeIds: fc.oneof(fc.constant(undefined), hostileIdArb, fc.array(hostileIdArb, { maxLength: 3 })),
      sample: fc.boolean(),
    }),
  ),
  async check(input) {
    const { secrets, operation, answer } = input;
    const findings: Finding[] = [];
    // A 1xx is an interim answer no HTTP client hands over as final; Node's Response refuses it outright.
    const response = toResponse(answer.status < 200 ? { ...answer, status: 200 } : answer, secrets);
    const seen = interceptAll((request) => (ALLOWED_HOSTS.has(request.host) ? { status: response.status, headers: answer.headers, body: response.body } : foreignAnswer(operation, secrets)));
    for (const key of ['CALCOM_INSTANCE', 'CALCOM_APP_URL', 'CALCOM_API_URL', 'CALCOM_SCOPES']) delete process.env[key];
    Object.assign(process.env, { CLIENT_ID: 'zapier-fuzz-client', CLIENT_SECRET: secrets.clientSecret, CALCOM_TOKEN_SURFACE: input.surface });
    const authData = { access_token: secrets.accessToken, refresh_token: secrets.refreshToken };
    // Only the exchange's bundle carries the code. zapier-platform-core appends the bundle's
    // inputData to RefreshAuthError and ExpiredAuthError messages ("What happened: Executing …
    // with bundle", app-middlewares/before/add-app-context.js), so a code placed in every bundle
    // would be "leaked" by Zapier itself, in bundles real Zapier never builds.
    const inputData: Record<string, unknown> = operation === 'exchange' ? { code: secrets.code, redirect_uri: REDIRECT_URI, state: 'fuzz-state' } : {};
    if (input.eventTypeIds !== undefined) inputData.eventTypeIds = input.eventTypeIds;
    const meta = input.sample ? { isLoadingSample: true } : {};
    const run = async (): Promise<unknown> => {
      switch (operation) {
        case 'exchange':
          return appTester(getAccessToken, { inputData });
        case 'refresh':
          return appTester(refreshAccessToken, { authData, inputData });
        case 'test':
          return appTester(testAuth, { authData, inputData });
        case 'event_type_list':
          return appTester(performOf(eventTypeList), { authData, inputData, meta });
        default:
          return appTester(TRIGGERS[operation] as Perform, { authData, inputData, meta });
      }
    };
    const outcome = await captureConsole(run);
    releaseNetwork();
    const where = `zapier ${operation === 'exchange' || operation === 'refresh' || operation === 'test' || operation === 'event_type_list' ? operation : 'booking trigger'}`;
    // The user's own Event Types text ("NaN", "undefined") may be quoted back to them.
    const typedIds = [input.eventTypeIds].flat().filter((id): id is string => typeof id === 'string').join('\n');
    if ('error' in outcome && outcome.error !== undefined) findings.push(...checkZapierThrown(outcome.error, secrets, where, `${response.body}\n${typedIds}`));
    for (const line of outcome.lines) findings.push(...leaks(line, secrets, `${where} log line`));
    for (const request of seen) {
      if (!ALLOWED_HOSTS.has(request.host)) {
        findings.push({ kind: 'foreign-host', signature: `${where}: a request went to another host (HTTP ${answer.status} redirect followed)`, detail: `${request.method} ${request.origin}${request.path.split('?')[0]}` });
        if (request.body !== '') findings.push(...leaks(request.body, secrets, `${where} body sent to another host`));
      }
    }
    void FOREIGN_ORIGINS;
    return findings;
  },
};

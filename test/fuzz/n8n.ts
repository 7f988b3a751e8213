import fc from 'fast-check';
import { CalComOAuth2Api } from '../../n8n-node/credentials/CalComOAuth2Api.credentials';
import { N8nHost } from '../hosts/n8n-host';
import { acceptableBaseUrl, hostileIdArb, toResponse } from './core';
import { answerArb, API_CALL_SECRETS, bookingsBodyArb, eventTypesBodyArb, statusArb, type AnswerSpec } from './answers';
import { messageProblem, thrownMessage, thrownName, type Finding } from './findings';
import { leaks, redact, secretsArb, type ConnectionSecrets } from './secrets';
import type { FuzzProperty } from './runner';

// tsx resolves an extensionless "CalComTrigger.node" to the codex JSON next to it (as the main job notes),
// so the node is required by its full name.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CalComTrigger } = require('../../n8n-node/nodes/CalCom/CalComTrigger.node.ts') as typeof import('../../n8n-node/nodes/CalCom/CalComTrigger.node');

const APP_URL = 'https://cal.example.com';
const N8N_ERRORS = new Set(['NodeApiError', 'NodeOperationError']);
const HOSTILE_URLS = ['http://evil.com', '   ', 'https://user:pw@cal.example.com', 'https://cal.example.com/?x=1', 'javascript:alert(1)', 'ftp://cal.example.com', 'https://cal.example.com#f', 'cal.example.com', ''];

/** Whether any HTTP client would open a connection for `url`: only http and https are sent. */
function isSendable(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:';
}

/**
 * What is wrong with a URL the credential resolved, if anything. A URL no client sends (the
 * credential's `calcom-…-must-be-https:` form for a refused setting) reaches nobody and is safe; a
 * sendable one must be on `allowedHost` (none when the settings break the rules) and over https
 * unless it stays on the machine.
 */
function resolvedUrlProblem(value: string, allowedHost: string | undefined): string | undefined {
  if (value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'resolves to a relative or unreadable URL, which a client would resolve against something else';
  }
  if (!isSendable(url)) return undefined;
  if (allowedHost === undefined) return 'resolves to a sendable URL although the settings break the rules';
  if (url.host !== allowedHost) return 'resolves to a sendable URL on another host';
  if (!acceptableBaseUrl(url.origin)) return 'resolves to plain http on a public host';
  return undefined;
}

interface N8nCase {
  secrets: ConnectionSecrets;
  operation: 'poll' | 'event-types';
  event: string;
  answers: AnswerSpec[];
  eventTypeIds: unknown;
  appUrl: string;
  apiUrl: string;
}

export function checkN8nThrown(error: unknown, secrets: ConnectionSecrets, where: string, echoed: string): Finding[] {
  const message = thrownMessage(error);
  const description = error instanceof Error ? String((error as { description?: unknown }).description ?? '') : '';
  const findings = [...leaks(message, secrets, `${where} error message`), ...leaks(description, secrets, `${where} error description`)];
  const name = thrownName(error);
  if (!N8N_ERRORS.has(name)) {
    findings.push({ kind: 'unclassified', signature: `${where}: ${name} escaped`, detail: `${name}: ${redact(message, secrets).slice(0, 200)}` });
    return findings;
  }
  const problem = messageProblem(message, echoed);
  if (problem !== undefined) findings.push({ kind: 'unclassified', signature: `${where}: ${name} ${problem}`, detail: redact(message, secrets).slice(0, 300) });
  return findings;
}

/**
 * The n8n node in the n8n host: activation and a tick (or the event-type dropdown), with a fetch
 * that serves the generated answers in turn, follows redirects the way `redirect: 'follow'` would
 * (so a followed redirect shows up as a request to the other host), and records every host.
 */
export const n8nProperty: FuzzProperty<N8nCase> = {
  name: 'n8n',
  what: 'the n8n node through the n8n host, answers served by a recording fetch',
  weight: 11,
  arbitrary: fc.constantFrom<'poll' | 'event-types'>('poll', 'poll', 'event-types').chain((operation) =>
    fc.record({
      secrets: secretsArb,
      operation: fc.constant(operation),
      event: fc.constantFrom('booking_created', 'booking_cancelled', 'booking_rescheduled', 'meeting_ended', 'booking_updated', 'unknown_event'),
      // A poll and the dropdown hold the credential's tokens and client secret, never the spent code.
      answers: fc.array(answerArb(operation === 'poll' ? bookingsBodyArb : eventTypesBodyArb, statusArb, API_CALL_SECRETS), { minLength: 1, maxLength: 4 }),
      eventTypeIds: fc.oneof(fc.constant([]), hostileIdArb, fc.array(hostileIdArb, { maxLength: 3 })),
      appUrl: fc.oneof({ weight: 6, arbitrary: fc.constant(APP_URL) }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_URLS) }),
      apiUrl: fc.oneof({ weight: 6, arbitrary: fc.constant(APP_URL) }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_URLS) }),
    }),
  ),
  async check(input) {
    const { secrets } = input;
    const findings: Finding[] = [];
    const allowedHost = new URL(APP_URL).host;
    const configuredOk = acceptableBaseUrl(input.appUrl.trim()) && (input.apiUrl.trim() === '' || acceptableBaseUrl(input.apiUrl.trim()));
    const bodies: string[] = [];
    let next = 0;
    const fetchImpl = (async (url: string | URL, init?: RequestInit) => {
      const target = new URL(String(url));
      // What fetch and axios do with a scheme other than http(s): refuse it before any connection.
      if (!isSendable(target)) throw new TypeError(`fetch failed: unknown scheme ${target.protocol}`);
      const foreign = target.host !== allowedHost || !configuredOk || !acceptableBaseUrl(target.origin);
      if (foreign) findings.push({ kind: 'foreign-host', signature: `n8n ${input.operation}: a request went to a host the settings do not allow`, detail: `${init?.method ?? 'GET'} ${target.origin}${target.pathname}` });
      if (target.pathname.endsWith('/token')) {
        const tokens = { access_token: secrets.accessToken, refresh_token: secrets.refreshToken, token_type: 'bearer', expires_in: 1800 };
        return new Response(JSON.stringify(tokens), { status: 200, headers: { 'content-type': 'application/json' } });
      }
      const answer = input.answers[Math.min(next, input.answers.length - 1)] as AnswerSpec;
      next += 1;
      const response = toResponse(answer, secrets);
      bodies.push(response.body);
      const location = response.headers.location;
      if (init?.redirect !== 'manual' && answer.status >= 300 && answer.status < 400 && location !== undefined) {
        findings.push({ kind: 'foreign-host', signature: `n8n ${input.operation}: a redirect to another host was followed`, detail: `HTTP ${answer.status} to ${new URL(location).origin}` });
        const page = { status: 'success', data: [], pagination: { hasNextPage: false, totalItems: 0 } };
        return new Response(JSON.stringify(page), { status: 200, headers: { 'content-type': 'application/json' } });
      }
      const noBody = answer.status === 204 || answer.status === 304 || answer.status < 200;
      return new Response(noBody ? null : response.body, { status: answer.status < 200 ? 200 : answer.status, headers: answer.headers });
    }) as typeof fetch;
    const logs: string[] = [];
    const host = new N8nHost({
      nodeType: new CalComTrigger(),
      credentialType: new CalComOAuth2Api(),
      credential: {
        clientId: 'n8n-fuzz-client',
        clientSecret: secrets.clientSecret,
        instance: 'self-hosted',
        appUrl: input.appUrl,
        apiUrl: input.apiUrl,
        scopes: ['BOOKING_READ', 'EVENT_TYPE_READ'],
        oauthTokenData: { access_token: secrets.accessToken, refresh_token: secrets.refreshToken, token_type: 'bearer', expires_in: 1800, n8n_expires_at: String(Date.now() + 1_800_000) },
      },
      parameters: { event: input.event, eventTypeIds: input.eventTypeIds as never },
      fetch: fetchImpl,
      onLog: (_level, message) => logs.push(message),
    });
    const where = `n8n ${input.operation}`;
    // Cal.com's answers, and the user's own Event Type IDs text, may be quoted.
    const typedIds = [input.eventTypeIds].flat().filter((id): id is string => typeof id === 'string');
    const echoed = () => [...bodies, ...typedIds].join('\n');
    // n8n runs the code exchange and every refresh against the credential's resolved URLs, and
    // opens authUrl in the user's browser: each must be the configured host's, or unsendable.
    try {
      const resolved = host.resolveCredential();
      for (const field of ['authUrl', 'accessTokenUrl']) {
        const problem = resolvedUrlProblem(String(resolved[field] ?? ''), configuredOk ? allowedHost : undefined);
        if (problem !== undefined) findings.push({ kind: 'foreign-host', signature: `n8n credential: ${field} ${problem}`, detail: redact(String(resolved[field]), secrets) });
      }
    } catch (error) {
      findings.push(...checkN8nThrown(error, secrets, 'n8n credential', ''));
    }
    try {
      if (input.operation === 'event-types') await host.loadOptions('getEventTypes');
      else {
        await host.activate();
        await host.tick();
      }
    } catch (error) {
      findings.push(...checkN8nThrown(error, secrets, where, echoed()));
    }
    for (const line of logs) findings.push(...leaks(line, secrets, `${where} log line`));
    for (const event of host.events) findings.push(...leaks(JSON.stringify(event), secrets, `${where} host event`));
    return findings;
  },
};

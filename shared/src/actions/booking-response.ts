import { findBookingProblem } from '../api/bookings';
import type { Booking } from '../api/booking-types';
import { isRecord, parseJsonBody } from '../body';
import { OAUTH_CLIENT_SETTINGS_HINT } from '../classify';
import { CalcomError } from '../errors';
import type { HttpResponse } from '../http';
import { withKnownSecrets, type KnownSecrets } from '../request-secrets';
import { classifyActionResponse } from './refusals';

/** How one operation's answer is read. */
export interface ProcessOptions {
  knownSecrets?: KnownSecrets;
}

/** What the processor of one endpoint expects. */
export interface ExpectedAnswer {
  /** "POST /v2/bookings", for messages. */
  endpoint: string;
  /** Success statuses Cal.com sends for it (201 for create and reschedule, 200 for the rest). */
  statuses: readonly number[];
  /** The scope the endpoint needs with an OAuth token, named when Cal.com's 403 does not say. */
  scope?: string;
}

function malformed(message: string, status: number): CalcomError {
  return new CalcomError('malformed_response', message, { status });
}

/** The error for a non-success answer, with the endpoint's scope named when Cal.com left it out. */
export function failureOf(response: HttpResponse, expected: ExpectedAnswer, knownSecrets: KnownSecrets): CalcomError | undefined {
  const failure = classifyActionResponse(response, expected.endpoint, knownSecrets);
  if (failure?.kind === 'insufficient_scope' && expected.scope !== undefined && (failure.requiredScopes ?? []).length === 0 && !/whatever scopes/.test(failure.message)) {
    return new CalcomError(
      'insufficient_scope',
      `This Cal.com connection lacks ${expected.scope} needed for ${expected.endpoint}; reconnect the account and grant ${expected.scope} (add it to the OAuth client's scopes in ${OAUTH_CLIENT_SETTINGS_HINT} first if it is missing there).`,
      { status: response.status, requiredScopes: [expected.scope], ...(failure.code === undefined ? {} : { code: failure.code }) },
    );
  }
  return failure;
}

/**
 * The `data` of a success envelope `{status: "success", data}` (CALCOM.md §13), checked exactly:
 * anything else is `malformed_response`, never a half-read answer.
 */
export function successData(response: HttpResponse, expected: ExpectedAnswer, knownSecrets: KnownSecrets): unknown {
  const failure = failureOf(response, expected, knownSecrets);
  if (failure !== undefined) throw failure;
  if (!expected.statuses.includes(response.status)) {
    throw malformed(`Cal.com answered ${expected.endpoint} with HTTP ${response.status}, expected ${expected.statuses.join(' or ')}; nothing was read.`, response.status);
  }
  const body = parseJsonBody(response, expected.endpoint, knownSecrets);
  if (!isRecord(body)) throw malformed(`Cal.com answered ${expected.endpoint} with JSON that is not an object.`, response.status);
  if (body.status !== 'success') {
    throw malformed(`Cal.com answered ${expected.endpoint} with status ${JSON.stringify(body.status ?? null)} instead of "success".`, response.status);
  }
  if (!('data' in body)) throw malformed(`Cal.com answered ${expected.endpoint} without "data".`, response.status);
  return body.data;
}

/** A booking checked with the shared shape checks (api/bookings.ts), or `malformed_response` naming the problem. */
export function checkedBooking(item: unknown, endpoint: string, status: number): Booking {
  const problem = findBookingProblem(item);
  if (problem !== undefined) {
    const label = isRecord(item) && typeof item.uid === 'string' && item.uid !== '' ? `booking ${item.uid.slice(0, 60)}` : 'the booking';
    throw malformed(`Cal.com answered ${endpoint} with ${label} that cannot be used: ${problem}.`, status);
  }
  return item as Booking;
}

/**
 * Reads an answer whose `data` is one booking, or (`allowList`, recurring create) a non-empty list of
 * bookings, one per occurrence (CALCOM.md §17).
 */
export function processBookingAnswer(response: HttpResponse, expected: ExpectedAnswer & { allowList?: boolean }, options: ProcessOptions = {}): Booking[] {
  const knownSecrets = options.knownSecrets ?? [];
  return withKnownSecrets(knownSecrets, () => {
    const data = successData(response, expected, knownSecrets);
    if (Array.isArray(data)) {
      if (expected.allowList !== true) throw malformed(`Cal.com answered ${expected.endpoint} with a list where one booking was expected.`, response.status);
      if (data.length === 0) throw malformed(`Cal.com answered ${expected.endpoint} with an empty list of bookings.`, response.status);
      return data.map((item: unknown) => checkedBooking(item, expected.endpoint, response.status));
    }
    return [checkedBooking(data, expected.endpoint, response.status)];
  });
}

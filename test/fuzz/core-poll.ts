import fc from 'fast-check';
import { pollBookingEvents, resolveTuning, type HttpExecutor } from '@calcom-oauth/shared';
import { FakeBookings } from '../../shared/test/polling/support/fake-bookings';
import { answerArb, bookingsBodyArb, dateHeader, type AnswerSpec } from './answers';
import { checkCoreThrown, toResponse } from './core';
import type { Finding } from './findings';
import { leaks, secretsArb, type ConnectionSecrets } from './secrets';
import type { FuzzProperty } from './runner';

/** What one request of a poll meets. */
type RequestFault = { type: 'ok' } | { type: 'date'; date: string | undefined } | { type: 'answer'; answer: AnswerSpec } | { type: 'network'; code: string };

interface Step {
  advanceMs: number;
  /** New bookings: commit delay (ms, within the engine's overlap) and an optional corrupted field. */
  added: Array<{ delayMs: number; corrupt?: { field: string; value: unknown } }>;
  faults: RequestFault[];
}

interface PollCase {
  secrets: ConnectionSecrets;
  steps: Step[];
}

const faultArb: fc.Arbitrary<RequestFault> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ type: 'ok' as const }) },
  { weight: 3, arbitrary: dateHeader.map((date) => ({ type: 'date' as const, date })) },
  { weight: 2, arbitrary: answerArb(bookingsBodyArb).map((answer) => ({ type: 'answer' as const, answer })) },
  { weight: 1, arbitrary: fc.constantFrom('ECONNRESET', 'ETIMEDOUT', 'TimeoutError').map((code) => ({ type: 'network' as const, code })) },
);

const corruptArb = fc.record({
  field: fc.constantFrom('attendees', 'hosts', 'guests', 'uid', 'createdAt', 'start', 'status', 'id', 'eventType', 'title'),
  value: fc.constantFrom(null, 'x', 5, {}, [null], 'not-a-date', ''),
});

const stepArb: fc.Arbitrary<Step> = fc.record({
  advanceMs: fc.integer({ min: 0, max: 15 * 60_000 }),
  added: fc.array(fc.record({ delayMs: fc.integer({ min: 0, max: 60_000 }), corrupt: fc.option(corruptArb, { nil: undefined, freq: 4 }) }), { maxLength: 3 }),
  faults: fc.array(faultArb, { maxLength: 3 }),
});

const CLEAN_POLLS = 2;
/** The engine's default overlap: the clock skew plus commit delay it promises to tolerate (engine notes). */
const OVERLAP_MS = resolveTuning().overlapMs;

/**
 * A stateful caller (n8n's model) polling `booking_created` through a sequence of random faults:
 * bookings keep arriving, answers fail, carry a wrong `Date` or junk. After the faults stop, a
 * couple of clean polls must have reported every well-formed booking exactly once, except where the
 * case left the engine's promise: a `Date` header ahead of Cal.com's clock by more than the overlap
 * minus a booking's commit delay (the overlap covers skew and commit delay together, so the settled
 * bound may pass such a booking; the engine notes say so). Those are still checked for duplicates.
 */
export const corePollProperty: FuzzProperty<PollCase> = {
  name: 'core-poll',
  what: 'pollBookingEvents, stateful, over sequences of faulty answers',
  weight: 10,
  arbitrary: fc.record({ secrets: secretsArb, steps: fc.array(stepArb, { minLength: 1, maxLength: 6 }) }),
  async check({ secrets, steps }) {
    const findings: Finding[] = [];
    const fake = new FakeBookings();
    let queue: RequestFault[] = [];
    // Every body served so far: a message may quote Cal.com's own words, "undefined" included.
    let served = '';
    // The latest `Date` header served: the engine's settled bound may reach it minus the overlap.
    let latestHeaderMs = -Infinity;
    const execute: HttpExecutor = async (request) => {
      const host = new URL(request.url).host;
      if (host !== 'api.cal.com') findings.push({ kind: 'foreign-host', signature: 'the engine called another host', detail: host });
      const fault = queue.shift() ?? { type: 'ok' };
      if (fault.type === 'network') {
        throw fault.code === 'TimeoutError' ? Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }) : Object.assign(new Error(`simulated ${fault.code}`), { code: fault.code });
      }
      if (fault.type === 'answer') {
        const response = toResponse(fault.answer, secrets);
        served += ` ${response.body}`;
        return response;
      }
      const [status, body, headers] = fake.handle(request.url, request.headers, undefined);
      if (fault.type === 'date') {
        if (fault.date === undefined) delete headers.date;
        else {
          headers.date = fault.date;
          const ms = Date.parse(fault.date);
          if (Number.isFinite(ms)) latestHeaderMs = Math.max(latestHeaderMs, ms);
        }
      }
      return { status, headers, body };
    };
    const reported = new Map<string, number>();
    const valid = new Set<string>();
    const beyondTolerance = new Set<string>();
    const corrupted = new Set<string>();
    let state: unknown;
    const poll = async (where: string, clean: boolean) => {
      try {
        // The engine can only redact what it is told: its requests carry the access token, and a caller
        // (as the n8n node does) hands it the connection's other secrets. Without them an echo of the
        // refresh token or client secret is indistinguishable from booking text.
        const knownSecrets = [secrets.clientSecret, secrets.code, secrets.refreshToken];
        const result = await pollBookingEvents({ event: 'booking_created', execute, accessToken: secrets.accessToken, knownSecrets, state });
        state = result.state;
        for (const event of result.events) reported.set(event.booking.uid, (reported.get(event.booking.uid) ?? 0) + 1);
        for (const warning of result.warnings) findings.push(...leaks(warning, secrets, 'a polling warning'));
      } catch (error) {
        findings.push(...checkCoreThrown(error, secrets, 'pollBookingEvents', served));
        if (clean) findings.push({ kind: 'position', signature: 'a clean poll failed after the faults', detail: `${where}: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}` });
      }
    };
    await poll('baseline', true);
    for (const [index, step] of steps.entries()) {
      fake.advance(step.advanceMs);
      for (const added of step.added) {
        const booking = fake.add({ createdAt: fake.now - added.delayMs });
        // Stamped below where a header running ahead may have put the bound: skew plus commit delay beyond the overlap.
        if (fake.now - added.delayMs < latestHeaderMs - OVERLAP_MS) beyondTolerance.add(booking.uid);
        if (added.corrupt === undefined) valid.add(booking.uid);
        else {
          corrupted.add(booking.uid);
          booking.raw = { ...(fake.serialize(booking) as Record<string, unknown>), [added.corrupt.field]: added.corrupt.value };
        }
      }
      queue = [...step.faults];
      await poll(`step ${index + 1}`, false);
    }
    queue = [];
    for (let i = 0; i < CLEAN_POLLS; i += 1) {
      fake.advance(3 * 60_000);
      await poll(`clean poll ${i + 1}`, true);
    }
    for (const uid of valid) {
      const count = reported.get(uid) ?? 0;
      if (count === 0 && !beyondTolerance.has(uid)) findings.push({ kind: 'position', signature: 'a well-formed booking was never reported', detail: `${uid} of ${valid.size}` });
      if (count > 1) findings.push({ kind: 'position', signature: 'a booking was reported twice', detail: `${uid} reported ${count} times` });
    }
    for (const uid of corrupted) {
      if ((reported.get(uid) ?? 0) > 1) findings.push({ kind: 'position', signature: 'a malformed booking was reported twice', detail: uid });
    }
    return findings;
  },
};

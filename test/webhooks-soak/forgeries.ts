/**
 * Deliveries the soak forges and POSTs itself, as someone who knows a subscriber URL could: a booking
 * that never existed signed with another key, a genuine body sent with Cal.com's unsigned marker or
 * without the header, and a genuine delivery's body altered on the way under its original signature.
 * Each carries {@link FORGED_MARK} so the bookkeeping can tell them apart; the receiver never reads it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Rng } from '../emulator/rng';
import { FORGED_MARK } from './receiver';

export type ForgeryKind = 'wrong-key' | 'no-secret-provided' | 'missing-header' | 'tampered-body';
export const FORGERY_KINDS: readonly ForgeryKind[] = ['wrong-key', 'no-secret-provided', 'missing-header', 'tampered-body'];

/** A genuine delivery to copy from: its exact bytes and signature. */
export interface GenuineSample {
  body: string;
  signature: string;
}

function invented(trigger: string, at: string, serial: number): string {
  return JSON.stringify({
    triggerEvent: trigger,
    createdAt: at,
    payload: {
      bookingId: 900_000 + serial, uid: `forged${serial}`, title: 'Forged booking', type: '30min', eventTypeId: 1,
      startTime: '2026-12-01T10:00:00.000Z', endTime: '2026-12-01T10:30:00.000Z', status: 'ACCEPTED',
      organizer: { id: 1, name: 'Alice Example', email: 'alice@example.com', timeZone: 'UTC' },
      attendees: [{ name: 'Mallory', email: 'mallory@example.org', timeZone: 'UTC' }],
    },
  });
}

/** Alters a genuine body so that, if accepted, it would emit a booking the oracle never saw. */
function tamper(body: string, serial: number): string {
  return body.replace(/"uid":"([^"]+)"/, `"uid":"tampered${serial}"`);
}

export async function sendForgery(kind: ForgeryKind, url: string, sample: GenuineSample | undefined, at: string, serial: number, rng: Rng): Promise<number> {
  const trigger = rng.pick(['BOOKING_CREATED', 'BOOKING_CANCELLED', 'BOOKING_REQUESTED', 'BOOKING_REJECTED', 'BOOKING_RESCHEDULED']);
  const headers: Record<string, string> = { 'content-type': 'application/json', [FORGED_MARK]: kind };
  let body: string;
  switch (kind) {
    case 'wrong-key':
      body = invented(trigger, at, serial);
      headers['x-cal-signature-256'] = createHmac('sha256', randomBytes(16).toString('hex')).update(body).digest('hex');
      break;
    case 'no-secret-provided':
      body = sample?.body ?? invented(trigger, at, serial);
      headers['x-cal-signature-256'] = 'no-secret-provided';
      break;
    case 'missing-header':
      body = sample?.body ?? invented(trigger, at, serial);
      break;
    case 'tampered-body':
      body = sample === undefined ? invented(trigger, at, serial) : tamper(sample.body, serial);
      headers['x-cal-signature-256'] = sample?.signature ?? '0'.repeat(64);
      break;
  }
  const response = await fetch(url, { method: 'POST', headers, body });
  await response.arrayBuffer();
  return response.status;
}

import { parseIsoTimestamp } from '../api/bookings';
import { CalcomError } from '../errors';
import { isCalcomId } from '../event-type-ids';

/**
 * Checks of caller input, before anything is sent. Each failure is `invalid_input` naming the field
 * and what it must be, so a user (or an AI agent) can fix it in one go.
 */
function invalid(message: string): CalcomError {
  return new CalcomError('invalid_input', message);
}

/** A booking uid: non-empty text without spaces (it becomes a path segment, encoded). */
export function requireUid(value: unknown, field = 'uid'): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(`${field} is required: the booking's uid (for example from "Find Booking").`);
  const uid = value.trim();
  if (/\s/.test(uid)) throw invalid(`${field} "${uid.slice(0, 60)}" is not a booking uid (it contains spaces).`);
  return uid;
}

/** An ISO-8601 timestamp with Z or an offset, as UTC (Cal.com reads `start` as UTC: CALCOM.md §17). */
export function requireUtcTimestamp(value: unknown, field: string): string {
  const ms = parseIsoTimestamp(value);
  if (ms === undefined) {
    throw invalid(`${field} must be an ISO-8601 date and time with Z or an offset, for example 2026-05-04T09:00:00Z; got ${JSON.stringify(value ?? null)}.`);
  }
  return new Date(ms).toISOString();
}

/** An IANA time zone this runtime knows (Cal.com validates with `IsTimeZone`). */
export function requireTimeZone(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(`${field} is required: an IANA time zone such as Europe/Berlin or UTC.`);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    throw invalid(`${field} "${value.slice(0, 60)}" is not an IANA time zone; use one such as Europe/Berlin, America/New_York or UTC.`);
  }
  return value;
}

/** A Cal.com numeric id (positive safe integer; numeric text accepted, as mapped fields are text). */
export function requireId(value: unknown, field: string): number {
  const id = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  if (!isCalcomId(id)) throw invalid(`${field} must be a Cal.com id (a whole number from 1); got ${JSON.stringify(value ?? null)}.`);
  return id;
}

/** A whole number within bounds. */
export function requireInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${field} must be a whole number from ${min} to ${max}; got ${JSON.stringify(value ?? null)}.`);
  }
  return value;
}

/** Required non-empty text. */
export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(`${field} is required and must be text.`);
  return value;
}

/**
 * Optional text: `undefined` and `""` both mean "not given" (an empty optional field in a Zap or a
 * workflow), so nothing is sent for it.
 */
export function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalid(`${field} must be text; got ${JSON.stringify(value)}.`);
  return value;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An email address (a simple shape check; Cal.com has the final word). */
export function requireEmail(value: unknown, field: string): string {
  if (typeof value !== 'string' || !EMAIL.test(value.trim())) throw invalid(`${field} must be an email address; got ${JSON.stringify(value ?? null)}.`);
  return value.trim();
}

/** An optional boolean; anything but `true`/`false`/absent is refused. */
export function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(`${field} must be true or false; got ${JSON.stringify(value)}.`);
  return value;
}

/** A plain object given by the caller. */
export function optionalRecord(value: unknown, field: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(`${field} must be an object of field names and values.`);
  return value as Record<string, unknown>;
}

/** The input object itself. */
export function requireInput(value: unknown, operation: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${operation} needs its input as an object.`);
  return value as Record<string, unknown>;
}

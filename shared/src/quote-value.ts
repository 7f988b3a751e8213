import { summarizeForMessage } from './redact';

/**
 * A value a caller passed, as a message can quote it: text in quotes (shortened, secret shapes
 * removed), a finite number or a boolean as written, anything else described in words. `String()`
 * would print "NaN", "Invalid Date", "undefined" or "[object Object]", which read as a crash of
 * this code rather than as the caller's value.
 */
export function quoteValue(value: unknown): string {
  if (typeof value === 'string') return `"${summarizeForMessage(value, 40)}"`;
  // NaN and Infinity come from arithmetic (an expression, a failed parse), never from typing.
  if (typeof value === 'number' && Number.isNaN(value)) return 'a value that is not a number';
  if (typeof value === 'number' && !Number.isFinite(value)) return 'an infinite number';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : 'an invalid date';
  if (Array.isArray(value)) return 'a nested list';
  if (typeof value === 'object' && value !== null) {
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch {
      json = undefined;
    }
    return json === undefined ? 'an object' : `an object ${summarizeForMessage(json, 40)}`;
  }
  if (value === undefined) return 'no value';
  return value === null ? 'null' : `a ${typeof value}`;
}

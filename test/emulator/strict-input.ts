/**
 * The custom pipes of the action endpoints (`CreateBookingInputPipe`, `CancelBookingInputPipe`,
 * `RescheduleBookingInputPipe`, `GetSlotsInputPipe` in `packages/platform/types/.../inputs/*-input.pipe.ts`)
 * run class-validator with `forbidNonWhitelisted` and join the failures as `<prop> property is wrong,<constraints>`.
 */

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && ISO_8601.test(value) && !Number.isNaN(Date.parse(value));
}

/** `<prop> property is wrong,<constraint>` for one property. */
export function wrongProperty(property: string, constraint: string): string {
  return `${property} property is wrong,${constraint}`;
}

/** The forbidNonWhitelisted failures of `keys` against the allowed set, one message per unknown key. */
export function unknownProperties(keys: Iterable<string>, allowed: readonly string[]): string[] {
  const out: string[] = [];
  for (const key of keys) if (!allowed.includes(key)) out.push(wrongProperty(key, `property ${key} should not exist`));
  return out;
}

export type JsonBody = { ok: true; body: Record<string, unknown> } | { ok: false; message: string };

/** The JSON object of a request, or why there is none (Nest's body parser and the pipes' "Body is required"). */
export function jsonObjectBody(rawBody: string): JsonBody {
  if (rawBody.trim().length === 0) return { ok: false, message: 'Body is required' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return { ok: false, message: `Unexpected token in JSON at position 0` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, message: 'Body is required' };
  return { ok: true, body: parsed as Record<string, unknown> };
}

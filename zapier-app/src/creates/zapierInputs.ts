import { CalcomError } from '@calcom-oauth/shared';

/**
 * Zapier hands mapped values over as text ("true", "12", "a@x.org,b@y.org") and empty optional
 * fields as "" or absent; these turn them into what the shared operations take, which then check
 * them and name the field in any error.
 */

/** Empty means "not given". */
export function given(raw: unknown): boolean {
  return raw !== undefined && raw !== null && !(typeof raw === 'string' && raw.trim() === '');
}

/** Optional text, trimmed; undefined when empty. */
export function optionalText(raw: unknown): string | undefined {
  if (!given(raw)) return undefined;
  return typeof raw === 'string' ? raw.trim() : String(raw);
}

/** A Zapier boolean field: true/false, or their text forms; undefined when empty. */
export function optionalFlag(raw: unknown, label: string): boolean | undefined {
  if (!given(raw)) return undefined;
  if (typeof raw === 'boolean') return raw;
  const value = String(raw).trim().toLowerCase();
  if (['true', 'yes', '1'].includes(value)) return true;
  if (['false', 'no', '0'].includes(value)) return false;
  throw new CalcomError('invalid_input', `${label} must be true or false; got ${JSON.stringify(raw)}.`);
}

/** A whole number given as a number or as text; undefined when empty (the core checks its range). */
export function optionalNumber(raw: unknown): number | undefined {
  if (!given(raw)) return undefined;
  if (typeof raw === 'number') return raw;
  const text = String(raw).trim();
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : (raw as number);
}

/** A list field: an array, or comma/newline-separated text (one mapped value); empty items dropped. */
export function textList(raw: unknown): string[] {
  if (!given(raw)) return [];
  const items = Array.isArray(raw) ? raw : String(raw).split(/[,\n]/);
  return items.map((item) => String(item).trim()).filter((item) => item !== '');
}

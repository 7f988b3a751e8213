/** IANA time-zone arithmetic with `Intl` only (the emulator has no date library, like the rest of the tests). */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', weekday: 'long',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** class-validator's `IsTimeZone`: whatever `Intl` accepts as an IANA zone. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0) return false;
  try {
    formatter(value);
    return true;
  } catch {
    return false;
  }
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: string;
}

export function localParts(ms: number, timeZone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) parts[part.type] = part.value;
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second), weekday: parts.weekday ?? '',
  };
}

/** Offset of `timeZone` from UTC at the instant `ms`, in minutes (east positive). */
export function offsetMinutes(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** The instant at which the wall clock in `timeZone` shows the given local date and minutes after midnight. */
export function zonedToUtc(year: number, month: number, day: number, minutesOfDay: number, timeZone: string): number {
  const naive = Date.UTC(year, month - 1, day, 0, minutesOfDay);
  let guess = naive - offsetMinutes(naive, timeZone) * 60_000;
  // A second pass settles instants next to a DST change.
  guess = naive - offsetMinutes(guess, timeZone) * 60_000;
  return guess;
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/** `YYYY-MM-DD` of the instant in `timeZone`. */
export function localDate(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/**
 * ISO 8601 with milliseconds and the zone's offset, as luxon's `toISO()` prints slots: `Z` for UTC
 * itself, `+00:00` for a zone that happens to sit at UTC.
 */
export function isoInZone(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  const millis = pad(((ms % 1000) + 1000) % 1000, 3);
  const base = `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}.${millis}`;
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return `${base}Z`;
  const offset = offsetMinutes(ms, timeZone);
  const sign = offset < 0 ? '-' : '+';
  return `${base}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

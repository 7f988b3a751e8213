/**
 * What a fuzz case can find wrong, and how it is tallied.
 *
 * A property run returns findings instead of throwing at the first one, so one pass counts every
 * failing case; each failure class (kind + signature) is then shrunk on its own with fast-check.
 */

/** The four guarantees the suite checks, plus number sanity (bounded values the core hands back). */
export type FindingKind = 'unclassified' | 'secret' | 'foreign-host' | 'position' | 'number';

export interface Finding {
  kind: FindingKind;
  /** Short, stable name of the failure class (the same for every case of one defect). */
  signature: string;
  /** What this case showed, already redacted. */
  detail: string;
}

export const KIND_LABEL: Record<FindingKind, string> = {
  unclassified: 'unclassified error',
  secret: 'secret leaked',
  'foreign-host': 'foreign host',
  position: 'polling position passed an unread booking (or reported one twice)',
  number: 'number out of range',
};

/** Words that only appear in a message when an internal error escaped instead of a written one. */
const INTERNAL_WORDS = /\b(TypeError|RangeError|SyntaxError|ReferenceError)\b|\bundefined\b|\[object Object\]|\bNaN\b|Cannot read propert|is not a function|is not iterable|Invalid time value|Unexpected token/;

/**
 * A message must say something and never read like an internal crash. Words Cal.com itself sent
 * (`echoed`: the body the message may quote) are not held against it.
 */
export function messageProblem(message: unknown, echoed = ''): string | undefined {
  if (typeof message !== 'string' || message.trim() === '') return 'empty message';
  const pattern = new RegExp(INTERNAL_WORDS.source, 'g');
  for (const match of message.matchAll(pattern)) {
    if (!echoed.includes(match[0])) return `message contains "${match[0]}"`;
  }
  return undefined;
}

/** The constructor name of whatever was thrown, for signatures. */
export function thrownName(error: unknown): string {
  if (error instanceof Error) return error.name || error.constructor.name;
  return `non-Error ${typeof error}`;
}

export function thrownMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

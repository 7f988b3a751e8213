import fc from 'fast-check';
import type { Finding } from './findings';

/** The secrets of one generated connection. */
export interface ConnectionSecrets {
  clientSecret: string;
  code: string;
  accessToken: string;
  refreshToken: string;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SYMBOLS = `${ALNUM}-_.~+/=%&?#"\\'<>{}[]:;,!$ `;

function chars(alphabet: string, min: number, max: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...alphabet.split('')), minLength: min, maxLength: max });
}

const base64url = chars(`${ALNUM}-_`, 8, 40);

/**
 * Secret values of every shape a connection may hold: opaque (hex-ish, long), short, with symbols
 * (which URL- and JSON-encoding change), and JWTs. A fixed 3-character marker keeps two secrets of
 * one case apart and keeps a short secret from matching ordinary words of a message.
 */
export function secretArb(marker: string): fc.Arbitrary<string> {
  return fc.oneof(
    chars(ALNUM, 24, 64).map((s) => `${marker}${s}`),
    chars(ALNUM, 5, 9).map((s) => `${marker}${s}`),
    chars(SYMBOLS, 6, 24).map((s) => `${marker}${s}`),
    fc.tuple(base64url, base64url).map(([payload, signature]) => `eyJhbGciOiJIUzI1NiJ9.eyJ${marker}${payload}.${signature}`),
  );
}

const freshSecretsArb: fc.Arbitrary<ConnectionSecrets> = fc.record({
  clientSecret: secretArb('Cs7'),
  code: secretArb('Cd8'),
  accessToken: secretArb('At9'),
  refreshToken: secretArb('Rt6'),
});

/**
 * How many connections the cases share. The core compiles one pattern per known secret and keeps
 * the last 200 (shared/src/redact.ts), as a deployment does for its few connections; ten thousand
 * never-seen secrets would make every case pay the compilation, which was most of the run's time.
 * 40 connections (160 secrets, plus the trimmed forms the Zapier app adds) stay in that cache and
 * still cover every shape many times over; the answers, statuses and settings vary per case.
 */
const CONNECTIONS = 40;
const POOL: readonly ConnectionSecrets[] = fc.sample(freshSecretsArb, { numRuns: CONNECTIONS, seed: 20260302 });

export const secretsArb: fc.Arbitrary<ConnectionSecrets> = fc.constantFrom(...POOL);

/** The forms a secret can take once it lands in a message or a log line. */
function encodings(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), new URLSearchParams({ x: secret }).toString().slice(2)]);
  // A JSON message inside a JSON message (zapier-platform-core's AppError) escapes twice.
  forms.add(JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1));
  return [...forms];
}

/** Every secret of the connection found in `text`, raw, URL-encoded or JSON-escaped. */
export function leaks(text: string, secrets: ConnectionSecrets, where: string): Finding[] {
  const found: Finding[] = [];
  for (const [name, value] of Object.entries(secrets) as Array<[keyof ConnectionSecrets, string]>) {
    if (encodings(value).some((form) => text.includes(form))) {
      found.push({ kind: 'secret', signature: `${name} in ${where}`, detail: `the ${name} appears in ${where}: "${redact(text, secrets).slice(0, 300)}"` });
    }
  }
  return found;
}

/** Replaces every known secret (in every encoding) by its name, for printing counterexamples. */
export function redact(text: string, secrets: ConnectionSecrets): string {
  let out = text;
  const pairs = (Object.entries(secrets) as Array<[string, string]>).flatMap(([name, value]) => encodings(value).map((form) => [form, `<${name}>`] as const));
  pairs.sort((a, b) => b[0].length - a[0].length);
  for (const [form, label] of pairs) out = out.split(form).join(label);
  return out;
}

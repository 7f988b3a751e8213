/**
 * Scrubbing of secrets from text that may end up in an error message or a log line.
 *
 * Cal.com echoes secrets back in some answers (its 403 "no oAuth client found for access
 * token=eyJ…" embeds the whole bearer token), so every message built from a response goes through
 * {@link redactSecrets} before it reaches a user or a platform log. Two layers: the exact values the
 * connection is known to hold (whatever they look like, raw or encoded), then shapes that only
 * secrets have (JWTs, credentials after `Bearer` or `client_secret=`), which must leave prose alone.
 */

/** What replaces a secret. */
export const REDACTED = '[redacted]';

/** Values shorter than this are only removed where they stand alone, or every "a" of a sentence could go. */
const MIN_SUBSTRING_SECRET_LENGTH = 4;

/**
 * A plain word of prose: lower-case, Capitalised or an UPPER_SNAKE name (scope names), optionally
 * followed by sentence punctuation. Such a value after "Bearer" or "token:" is the app's own words
 * ("only bearer tokens are supported"), not a credential; anything with digits, symbols or mixed
 * case inside is treated as one.
 */
const PROSE_WORD = /^(?:[a-z]{1,20}|[A-Z][a-z]{1,20}|[A-Z]+(?:_[A-Z]+)*)[.,:;!?)\]]*$/;

function looksLikeSecret(value: string): boolean {
  return !PROSE_WORD.test(value);
}

const SECRET_KEYS = String.raw`access[_ -]?token|refresh[_ -]?token|client[_ -]?secret|code[_ -]?verifier|id[_ -]?token|api[_ -]?key|password|secret|token`;

/** `Authorization: ` in front of a scheme marks a header echo, where any value is a credential. */
const AUTH_SCHEME = /(\bauthorization\\?["']?\s*[:=]\s*\\?["']?\s*)?\b(Bearer|Basic)(\s+)([^\s"',;\\]+)/gi;

/**
 * `key=value`, `key: value` and JSON `"key":"value"` (also JSON-escaped and URL-encoded) whose key
 * names a secret.
 */
const SECRET_PAIR = new RegExp(
  String.raw`\b(${SECRET_KEYS})((?:\\*"|%22)?\s*(?:=|:|%3D|%3A)\s*)(\\*"|%22)?([^\s"&,;\\]+)`,
  'gi',
);

/** Whether a key is written the way programs write it (client_secret, refreshToken), not as prose ("token"). */
function isMachineKey(key: string): boolean {
  return !/\s/.test(key) && !/^(?:password|secret|token)$/i.test(key);
}

const SHAPES: readonly ((text: string) => string)[] = [
  // JSON Web Tokens (Cal.com access and refresh tokens): base64url JSON header starts with "eyJ".
  (text) => text.replace(/eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){1,2}/g, REDACTED),
  (text) =>
    text.replace(AUTH_SCHEME, (match, header: string | undefined, scheme: string, space: string, value: string) =>
      header !== undefined || looksLikeSecret(value) ? `${header ?? ''}${scheme}${space}${REDACTED}` : match,
    ),
  (text) =>
    text.replace(SECRET_PAIR, (match, key: string, separator: string, quote: string | undefined, value: string) => {
      // Machine syntax (`=`, a quoted value, a program-style key) always holds a value; prose after
      // "token:" only does when the value looks like one.
      const machine = /=|%3D/i.test(separator) || quote !== undefined || isMachineKey(key);
      return machine || looksLikeSecret(value) ? `${key}${separator}${quote ?? ''}${REDACTED}` : match;
    }),
  // Authorization codes in callback URLs or form bodies.
  (text) => text.replace(/([?&]code=)[^&#\s"]+/g, `$1${REDACTED}`),
  // Long opaque strings mixing letters and digits (secrets, hex keys, authorization codes).
  (text) => text.replace(/(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g, REDACTED),
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

const JSON_SHORT_ESCAPES: Readonly<Record<string, string>> = { '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't' };

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;|&#x27;' };

/** A hex number as a pattern accepting either letter case (`%2f` and `%2F`, `\u00e9` and `\u00E9`). */
function hexPattern(value: number, width: number): string {
  return Array.from(value.toString(16).padStart(width, '0'), (digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit)).join('');
}

/**
 * Every way one character of a secret can be written in an echo: as is, percent-encoded (either hex
 * case, `+` for a space), JSON-escaped (`\"`, `\\`, `\/`, `\u00xx`) or as an HTML entity. Mixing is
 * allowed, since encoders differ in what they leave alone.
 */
function characterForms(character: string): string {
  const forms = new Set<string>();
  forms.add(Array.from(new TextEncoder().encode(character), (byte) => `%${hexPattern(byte, 2)}`).join(''));
  forms.add(Array.from({ length: character.length }, (_, i) => `\\\\+u${hexPattern(character.charCodeAt(i), 4)}`).join(''));
  // Escaped once or more (a JSON text quoted inside another JSON string).
  if (character === '"' || character === '/') forms.add(`(?:\\\\)+${escapeRegExp(character)}`);
  if (character === '\\') forms.add('(?:\\\\)+');
  const shortEscape = JSON_SHORT_ESCAPES[character];
  if (shortEscape !== undefined) forms.add(`(?:\\\\)+${shortEscape}`);
  const entity = HTML_ENTITIES[character];
  if (entity !== undefined) forms.add(entity);
  if (character === ' ') forms.add('\\+');
  // The raw character last: alternatives are tried in order, and `%` must not stop short of `%25`.
  forms.add(escapeRegExp(character));
  return `(?:${[...forms].join('|')})`;
}

const patternCache = new Map<string, RegExp>();

/** A pattern matching `secret` raw or in any of the encoded forms of {@link characterForms}. */
function knownSecretPattern(secret: string): RegExp {
  let pattern = patternCache.get(secret);
  if (pattern === undefined) {
    const body = Array.from(secret, characterForms).join('');
    // Short values only where they stand alone, so they cannot take letters out of words.
    const source = secret.length < MIN_SUBSTRING_SECRET_LENGTH ? String.raw`(?<![A-Za-z0-9])${body}(?![A-Za-z0-9])` : body;
    pattern = new RegExp(source, 'g');
    if (patternCache.size > 200) patternCache.clear();
    patternCache.set(secret, pattern);
  }
  return pattern;
}

/** The usable known secrets, longest first so a token containing another is removed whole. */
function knownValues(knownSecrets: readonly (string | undefined | null)[]): string[] {
  const values = knownSecrets.filter((secret): secret is string => typeof secret === 'string' && secret.trim() !== '');
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

/**
 * Returns `text` with tokens, authorization codes, client secrets and other secret-looking values
 * replaced by `[redacted]`.
 *
 * @param text - Any text (a response body, an error message, a URL).
 * @param knownSecrets - Exact values to remove wherever they appear, such as the client secret and
 * tokens of the current connection, also when the echo URL-encodes, JSON-escapes or HTML-escapes
 * them; values under 4 characters are removed only where they stand alone.
 */
export function redactSecrets(text: string, knownSecrets: readonly (string | undefined | null)[] = []): string {
  let result = String(text);
  for (const secret of knownValues(knownSecrets)) result = result.replace(knownSecretPattern(secret), REDACTED);
  for (const shape of SHAPES) result = shape(result);
  return result;
}

/** Redacts, collapses whitespace and cuts `text` to `maxLength` characters for use inside a message. */
export function summarizeForMessage(text: string, maxLength = 300, knownSecrets: readonly (string | undefined | null)[] = []): string {
  const clean = redactSecrets(text, knownSecrets).replace(/\s+/g, ' ').trim();
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}

/**
 * Scrubbing of secrets from text that may end up in an error message or a log line.
 *
 * Cal.com echoes secrets back in some answers (its 403 "no oAuth client found for access
 * token=eyJ…" embeds the whole bearer token), so every message built from a response goes through
 * {@link redactSecrets} before it reaches a user or a platform log.
 */

/** What replaces a secret. */
export const REDACTED = '[redacted]';

const PATTERNS: readonly [RegExp, string][] = [
  // JSON Web Tokens (Cal.com access and refresh tokens): base64url JSON header starts with "eyJ".
  [/eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){1,2}/g, REDACTED],
  // Authorization header values.
  [/\b(Bearer|Basic)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`],
  // key=value and key: value pairs whose key names a secret (query strings, form bodies, JSON, prose).
  [
    /\b(access[_ -]?token|refresh[_ -]?token|client[_ -]?secret|code[_ -]?verifier|id[_ -]?token|api[_ -]?key|password|secret|token)("?\s*[=:]\s*"?)([^\s"&,;]+)/gi,
    `$1$2${REDACTED}`,
  ],
  // Authorization codes in callback URLs or form bodies.
  [/([?&]code=)[^&#\s"]+/g, `$1${REDACTED}`],
  // Long opaque strings mixing letters and digits (secrets, hex keys, authorization codes).
  [/(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g, REDACTED],
];

/**
 * Returns `text` with tokens, authorization codes, client secrets and other secret-looking values
 * replaced by `[redacted]`.
 *
 * @param text - Any text (a response body, an error message, a URL).
 * @param knownSecrets - Exact values to remove wherever they appear, such as the client secret and
 * tokens of the current connection; empty and very short values are ignored.
 */
export function redactSecrets(text: string, knownSecrets: readonly (string | undefined | null)[] = []): string {
  let result = String(text);
  const literals = knownSecrets
    .filter((secret): secret is string => typeof secret === 'string' && secret.length >= 4)
    .sort((a, b) => b.length - a.length);
  for (const secret of literals) result = result.split(secret).join(REDACTED);
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/** Redacts, collapses whitespace and cuts `text` to `maxLength` characters for use inside a message. */
export function summarizeForMessage(text: string, maxLength = 300, knownSecrets: readonly (string | undefined | null)[] = []): string {
  const clean = redactSecrets(text, knownSecrets).replace(/\s+/g, ' ').trim();
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}

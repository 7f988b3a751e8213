/**
 * The tokens a token endpoint's answer carries, read from its raw text so a truncated or otherwise
 * unusable answer still gives them up: a message quoting that answer must not repeat a token Cal.com
 * issued in it under another field (the key-based shapes only catch the value next to its key).
 */
const TOKEN_FIELD = /"(?:access_token|accessToken|refresh_token|refreshToken)"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

export function issuedTokens(body: string): string[] {
  const found: string[] = [];
  for (const match of String(body).matchAll(TOKEN_FIELD)) {
    const escaped = match[1] ?? '';
    try {
      found.push(JSON.parse(`"${escaped}"`) as string);
    } catch {
      found.push(escaped);
    }
  }
  return found;
}

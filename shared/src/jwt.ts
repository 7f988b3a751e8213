import { decodeBase64Url } from './base64url';

/**
 * Reads the payload of a JWT **without verifying its signature**.
 *
 * Only for facts the client may trust about its own token (when it expires, which scopes it holds):
 * Cal.com signs with a key only Cal.com knows, and the token came straight from Cal.com over TLS.
 *
 * @returns the payload object, or `undefined` when the value is not a JWT with a JSON object payload.
 */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined || parts[1] === '') return undefined;
  const bytes = decodeBase64Url(parts[1]);
  if (bytes === undefined) return undefined;
  try {
    const payload: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The `exp` claim of a JWT as epoch milliseconds, or `undefined` when absent or unreadable. */
export function jwtExpiresAt(token: string): number | undefined {
  const exp = decodeJwtPayload(token)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) && exp > 0 ? exp * 1000 : undefined;
}

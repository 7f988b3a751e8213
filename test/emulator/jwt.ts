import { createHmac, timingSafeEqual } from 'node:crypto';

/** HS256 JWTs as `jsonwebtoken` makes them (header `{"alg":"HS256","typ":"JWT"}`), with time from the emulator clock. */

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

function signature(key: string, signingInput: string): string {
  return createHmac('sha256', key).update(signingInput).digest('base64url');
}

export function signJwt(payload: Record<string, unknown>, key: string, nowSeconds: number, expiresInSeconds: number): string {
  const body = base64url(JSON.stringify({ ...payload, iat: nowSeconds, exp: nowSeconds + expiresInSeconds }));
  const signingInput = `${HEADER}.${body}`;
  return `${signingInput}.${signature(key, signingInput)}`;
}

export type JwtVerification =
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** Verifies signature and `exp` (expired when `exp <= now`, as jsonwebtoken does). */
export function verifyJwt(token: string, key: string, nowSeconds: number): JwtVerification {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [header, body, sig] = parts as [string, string, string];
  const expected = Buffer.from(signature(key, `${header}.${body}`));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' };
  let payload: unknown;
  try {
    const decodedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
    if (decodedHeader.alg !== 'HS256') return { ok: false, reason: 'malformed' };
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof payload !== 'object' || payload === null) return { ok: false, reason: 'malformed' };
  const record = payload as Record<string, unknown>;
  if (typeof record.exp === 'number' && record.exp <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, payload: record };
}

/** Reads the payload without verifying (for tests and the request log only). */
export function decodeJwtUnsafe(token: string): Record<string, unknown> | null {
  const body = token.split('.')[1];
  if (!body) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

import { createHmac, randomBytes } from 'node:crypto';

/** Test-only HS256 JWT minted at run time (no JWT-looking literal is committed). */
export function mintJwt(payload: Record<string, unknown>, key: Buffer = randomBytes(32)): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

/** A Cal.com-like access token expiring `ttlSeconds` after `nowMs`. */
export function mintAccessToken(options: { nowMs?: number; ttlSeconds?: number; scope?: string[] } = {}): string {
  const iat = Math.floor((options.nowMs ?? Date.now()) / 1000);
  return mintJwt({ userId: 7, teamId: null, scope: options.scope ?? [], token_type: 'Access Token', clientId: 'client-1', iat, exp: iat + (options.ttlSeconds ?? 1800) });
}

/** A Cal.com-like refresh token. */
export function mintRefreshToken(options: { nowMs?: number } = {}): string {
  const iat = Math.floor((options.nowMs ?? Date.now()) / 1000);
  return mintJwt({ userId: 7, teamId: null, scope: [], token_type: 'Refresh Token', clientId: 'client-1', secret: randomBytes(8).toString('hex'), iat, exp: iat + 30 * 86400 });
}

/** A random client secret shaped like Cal.com's (64 hex characters). */
export function mintClientSecret(): string {
  return randomBytes(32).toString('hex');
}

import { createHash } from 'node:crypto';
import { decodeBase64Url, encodeBase64Url } from '../src/base64url';
import { decodeJwtPayload, jwtExpiresAt } from '../src/jwt';
import { computeCodeChallenge, createPkcePair, randomUrlSafeString } from '../src/pkce';
import { mintJwt } from './support/tokens';

describe('PKCE', () => {
  it('matches the RFC 7636 appendix B example', async () => {
    expect(await computeCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('creates a fresh S256 pair whose challenge is the SHA-256 of the verifier', async () => {
    const first = await createPkcePair();
    const second = await createPkcePair();
    expect(first.codeChallengeMethod).toBe('S256');
    expect(first.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.codeVerifier).not.toBe(second.codeVerifier);
    expect(first.codeChallenge).toBe(createHash('sha256').update(first.codeVerifier).digest('base64url'));
  });

  it('refuses verifiers outside RFC 7636 rules', async () => {
    await expect(computeCodeChallenge('short')).rejects.toMatchObject({ kind: 'invalid_input' });
    await expect(computeCodeChallenge('a'.repeat(129))).rejects.toMatchObject({ kind: 'invalid_input' });
    await expect(computeCodeChallenge(`${'a'.repeat(42)}+`)).rejects.toMatchObject({ kind: 'invalid_input' });
  });

  it('makes random url-safe strings of the requested entropy', () => {
    expect(randomUrlSafeString(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(randomUrlSafeString()).not.toBe(randomUrlSafeString());
  });
});

describe('base64url', () => {
  it('round-trips every length and matches Node', () => {
    for (let length = 0; length < 40; length += 1) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + length * 13) & 0xff);
      const encoded = encodeBase64Url(bytes);
      expect(encoded).toBe(Buffer.from(bytes).toString('base64url'));
      expect(Buffer.from(decodeBase64Url(encoded) ?? [])).toEqual(Buffer.from(bytes));
    }
    expect(decodeBase64Url('ab$c')).toBeUndefined();
    expect(decodeBase64Url('abcde')).toBeUndefined();
    expect(Buffer.from(decodeBase64Url('+/8=') ?? []).toString('hex')).toBe('fbff');
  });
});

describe('JWT payload', () => {
  it('decodes without verifying and reads exp as milliseconds', () => {
    const token = mintJwt({ exp: 1_900_000_000, scope: ['BOOKING_READ'], name: 'Zoë' });
    expect(decodeJwtPayload(token)).toEqual({ exp: 1_900_000_000, scope: ['BOOKING_READ'], name: 'Zoë' });
    expect(jwtExpiresAt(token)).toBe(1_900_000_000_000);
  });

  it('returns undefined for anything that is not a JWT with an object payload', () => {
    expect(decodeJwtPayload('opaque-token')).toBeUndefined();
    expect(decodeJwtPayload('a.b')).toBeUndefined();
    expect(decodeJwtPayload(`x.${Buffer.from('[1]').toString('base64url')}.y`)).toBeUndefined();
    expect(decodeJwtPayload(`x.${Buffer.from('{bad').toString('base64url')}.y`)).toBeUndefined();
    expect(jwtExpiresAt(mintJwt({ sub: 'no-exp' }))).toBeUndefined();
  });
});

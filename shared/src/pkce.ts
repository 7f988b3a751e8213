import { encodeBase64Url } from './base64url';
import { CalcomError } from './errors';

/** A PKCE verifier and its S256 challenge (RFC 7636). Cal.com supports S256 only. */
export interface PkcePair {
  /** Secret kept by the client until the code exchange. */
  codeVerifier: string;
  /** `BASE64URL(SHA256(codeVerifier))`, sent on the authorize URL. */
  codeChallenge: string;
  codeChallengeMethod: 'S256';
}

interface WebCrypto {
  getRandomValues<T extends Uint8Array>(array: T): T;
  subtle: { digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer> };
}

function webCrypto(): WebCrypto {
  // Web Crypto is a global on Node >= 20 and in every browser-like runtime; the bare global avoids
  // importing `node:crypto`, which would tie the bundle to one module system, and `globalThis`,
  // which n8n's community-node scanner refuses.
  const webCrypto = typeof crypto === 'undefined' ? undefined : (crypto as unknown as WebCrypto);
  if (webCrypto?.subtle === undefined || typeof webCrypto.getRandomValues !== 'function') {
    throw new CalcomError('invalid_input', 'This runtime has no Web Crypto (globalThis.crypto); PKCE needs Node.js 20 or later.');
  }
  return webCrypto;
}

const VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;

/** Random string usable as OAuth `state` or PKCE verifier: `bytes` random bytes as base64url. */
export function randomUrlSafeString(bytes = 32): string {
  return encodeBase64Url(webCrypto().getRandomValues(new Uint8Array(bytes)));
}

/**
 * Computes the S256 challenge for a verifier.
 * @throws CalcomError `invalid_input` when the verifier is not 43–128 unreserved characters.
 */
export async function computeCodeChallenge(codeVerifier: string): Promise<string> {
  if (!VERIFIER_PATTERN.test(codeVerifier)) {
    throw new CalcomError('invalid_input', 'A PKCE code verifier must be 43 to 128 characters from A-Z, a-z, 0-9 and "-._~".');
  }
  const digest = await webCrypto().subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier));
  return encodeBase64Url(new Uint8Array(digest));
}

/** Creates a fresh PKCE pair: a 43-character verifier from 32 random bytes and its S256 challenge. */
export async function createPkcePair(): Promise<PkcePair> {
  const codeVerifier = randomUrlSafeString(32);
  return { codeVerifier, codeChallenge: await computeCodeChallenge(codeVerifier), codeChallengeMethod: 'S256' };
}

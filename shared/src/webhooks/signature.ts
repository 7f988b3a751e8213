import { randomUrlSafeString } from '../pkce';

/** The header Cal.com signs deliveries with (CALCOM.md §18). */
export const SIGNATURE_HEADER = 'x-cal-signature-256';

/** What Cal.com puts in {@link SIGNATURE_HEADER} for a webhook that has no secret. */
export const UNSIGNED_SIGNATURE = 'no-secret-provided';

/** Why a delivery was refused; every one of them means "do not emit anything". */
export type ForgedDeliveryReason =
  /** The request carries no `X-Cal-Signature-256` at all. */
  | 'missing_signature'
  /** The header says `no-secret-provided` although this subscription set a secret. */
  | 'unsigned'
  /** The header is not 64 hex digits. */
  | 'malformed_signature'
  /** The HMAC does not match: another secret, or a body changed on the way. */
  | 'bad_signature'
  /** The receiver has no secret to check with (its stored subscription lost it): nothing can be trusted. */
  | 'no_secret_configured';

export type SignatureVerdict = { valid: true } | { valid: false; reason: ForgedDeliveryReason; message: string };

const MESSAGES: Readonly<Record<ForgedDeliveryReason, string>> = {
  missing_signature: 'Refused a webhook call without the X-Cal-Signature-256 header; Cal.com signs every delivery, so it did not come from Cal.com.',
  unsigned: 'Refused an unsigned webhook call ("no-secret-provided"): this subscription has a secret, so a genuine Cal.com delivery is signed with it.',
  malformed_signature: 'Refused a webhook call whose X-Cal-Signature-256 is not a hex HMAC-SHA256; it did not come from Cal.com.',
  bad_signature: 'Refused a webhook call whose X-Cal-Signature-256 does not match its body; it was forged or altered on the way.',
  no_secret_configured: 'Refused a webhook call because this subscription has no stored secret to check it with; turn the trigger off and on again to subscribe anew.',
};

function refuse(reason: ForgedDeliveryReason): SignatureVerdict {
  return { valid: false, reason, message: MESSAGES[reason] };
}

/** A fresh webhook secret: 32 random bytes, base64url (the same generator as PKCE verifiers and `state`). */
export function createWebhookSecret(): string {
  return randomUrlSafeString(32);
}

interface HmacSubtle {
  importKey(format: 'raw', key: Uint8Array, algorithm: { name: 'HMAC'; hash: 'SHA-256' }, extractable: false, usages: ['verify']): Promise<unknown>;
  verify(algorithm: 'HMAC', key: unknown, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
}

function subtle(): HmacSubtle {
  // The bare global, not `globalThis.crypto`: n8n's community-node scanner refuses `globalThis`.
  const webCrypto = typeof crypto === 'undefined' ? undefined : (crypto as unknown as { subtle?: HmacSubtle });
  if (webCrypto?.subtle === undefined) throw new Error('This runtime has no Web Crypto (globalThis.crypto.subtle); webhook signatures need Node.js 20 or later.');
  return webCrypto.subtle;
}

function hexToBytes(hex: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return undefined;
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i += 1) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/**
 * Checks a delivery's `X-Cal-Signature-256`: the hex HMAC-SHA256 of the RAW body with the webhook's
 * secret (Cal.com's `createHmac("sha256", secret).update(body).digest("hex")`, CALCOM.md §18).
 *
 * The comparison is Web Crypto's `subtle.verify`, which compares MACs in constant time, so no byte of
 * the expected signature leaks through timing. It is asynchronous, which both platforms allow
 * (Zapier's `perform` and n8n's `webhook()` are async); no pure-TS HMAC is needed. Cal.com writes
 * lowercase hex; uppercase hex is the same MAC and is accepted. `rawBody` must be the bytes as
 * received (n8n's `req.rawBody`, Zapier's `bundle.rawRequest.content`): re-serialised JSON differs.
 */
export async function verifyWebhookSignature(rawBody: string | Uint8Array, header: string | readonly string[] | undefined, secret: string | undefined): Promise<SignatureVerdict> {
  if (typeof secret !== 'string' || secret === '') return refuse('no_secret_configured');
  // Two signature headers on one request is not something Cal.com sends.
  if (Array.isArray(header) && header.length > 1) return refuse('malformed_signature');
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string' || value.trim() === '') return refuse('missing_signature');
  const given = value.trim();
  if (given === UNSIGNED_SIGNATURE) return refuse('unsigned');
  const signature = hexToBytes(given);
  if (signature === undefined) return refuse('malformed_signature');
  const encoder = new TextEncoder();
  const data = typeof rawBody === 'string' ? encoder.encode(rawBody) : rawBody;
  const key = await subtle().importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  return (await subtle().verify('HMAC', key, signature, data)) ? { valid: true } : refuse('bad_signature');
}

import type { Bundle } from 'zapier-platform-core';
import { SIGNATURE_HEADER } from '@calcom-oauth/shared';

/** What a hook call brings for verification: the body exactly as received and the signature header(s). */
export interface InstantRequest {
  /** `bundle.rawRequest.content`; undefined when Zapier passed no raw request. */
  rawBody: string | undefined;
  /** Every value of the signature header found, in any of the spellings below. */
  signature: string[];
}

/**
 * Reads the raw request of a hook call. Zapier hands a hook's `perform` the request in
 * `bundle.rawRequest` ({method, querystring, headers, content}); in it, headers other than
 * Content-Length and Content-Type are prefixed `Http-` and Camel-Cased, so the signature header
 * arrives as `Http-X-Cal-Signature-256` (zapier-platform CLI README, "bundle.rawRequest"). Names are
 * compared case-insensitively, with or without the prefix, so a change of Zapier's casing cannot
 * turn every genuine delivery into a refusal. `content` is the body as sent: the signature is over
 * those bytes, never over `bundle.cleanedRequest`, which is parsed and re-serialised.
 */
export function readInstantRequest(bundle: Pick<Bundle, 'rawRequest'>): InstantRequest {
  const raw = bundle.rawRequest;
  const rawBody = typeof raw?.content === 'string' ? raw.content : undefined;
  const wanted = new Set([SIGNATURE_HEADER, `http-${SIGNATURE_HEADER}`]);
  const signature = Object.entries(raw?.headers ?? {})
    .filter(([name]) => wanted.has(name.toLowerCase()))
    .flatMap(([, value]) => (Array.isArray(value) ? value : [value]))
    .filter((value): value is string => typeof value === 'string');
  return { rawBody, signature };
}

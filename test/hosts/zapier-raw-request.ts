/**
 * A hook call as Zapier hands it to a REST-hook trigger's `perform` (`bundle.rawRequest`), built from
 * the HTTP request a loopback listener received. Used by the demo and the Zapier instant e2e test.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** What Zapier gives a hook's perform (zapier-platform CLI README, "bundle.rawRequest"). */
export interface ZapierRawRequest {
  method: 'POST';
  querystring: string;
  headers: Record<string, string>;
  content: string;
}

/**
 * Zapier's spelling of request headers in `rawRequest`: Content-Type and Content-Length as they are,
 * every other header prefixed `Http-` and Camel-Cased (`X-Cal-Signature-256` → `Http-X-Cal-Signature-256`).
 */
export function zapierHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const camel = (name: string): string => name.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase()).join('-');
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    out[lower === 'content-type' || lower === 'content-length' ? camel(lower) : `Http-${camel(lower)}`] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

import type { IncomingHttpHeaders } from 'node:http';

/** Which emulated host a request reached: app.cal.com (web) or api.cal.com (API v2). */
export type Origin = 'app' | 'api';

/** A fully read request, so handlers are plain functions of their input. */
export interface EmuRequest {
  method: string;
  url: URL;
  /** Pathname without the query string. */
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  origin: Origin;
  remoteAddress: string;
}

/** A response as data; the server writes it (and faults may corrupt it on the way out). */
export interface EmuResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): EmuResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

export function htmlResponse(status: number, body: string, headers: Record<string, string> = {}): EmuResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, body };
}

export function redirectResponse(location: string, headers: Record<string, string> = {}): EmuResponse {
  return { status: 302, headers: { location, 'cache-control': 'no-store', ...headers }, body: '' };
}

/** The OAuth token endpoints' cache headers (RFC 6749 §5.1, and what Cal.com sends). */
export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export function header(req: EmuRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The Bearer credential, or undefined. Case-insensitive scheme, as Cal.com's `split(" ")[1]` is lenient. */
export function bearerToken(req: EmuRequest): string | undefined {
  const value = header(req, 'authorization');
  if (!value) return undefined;
  const [scheme, token] = value.split(' ');
  if (!scheme || scheme.toLowerCase() !== 'bearer' || !token) return undefined;
  return token;
}

/** Cal.com's `parseUrlFormData`: the body as URLSearchParams, whatever the content type says. */
export function formFields(req: EmuRequest): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(req.rawBody));
}

export function cookies(req: EmuRequest): Record<string, string> {
  const raw = header(req, 'cookie') ?? '';
  const out: Record<string, string> = {};
  for (const part of raw.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

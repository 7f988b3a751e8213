import type { EmuRequest, EmuResponse, Origin } from './http';

/** One request as the emulator saw it, with every credential masked. */
export interface LoggedRequest {
  /** Emulated time of arrival (ISO). */
  at: string;
  origin: Origin;
  method: string;
  /** Path and query; secret query values masked. */
  path: string;
  /** Request headers; `authorization` and `cookie` masked. */
  headers: Record<string, string>;
  /** The body with secret fields masked (form or JSON), or a note when it is neither. */
  body: string;
  /** Null when the request never got an answer (a `timeout` fault). */
  status: number | null;
  /** `location` of redirects, masked. */
  location?: string;
  fault?: string;
}

const MASK = '***';
const SECRET_FIELDS = new Set(['code', 'client_secret', 'refresh_token', 'access_token', 'code_verifier', 'password', 'apikey', 'secret', 'token']);

function maskParams(params: URLSearchParams): string {
  const out = new URLSearchParams();
  for (const [key, value] of params) out.append(key, SECRET_FIELDS.has(key.toLowerCase()) ? MASK : value);
  return out.toString();
}

export function maskUrl(raw: string): string {
  const q = raw.indexOf('?');
  if (q < 0) return raw;
  return `${raw.slice(0, q)}?${maskParams(new URLSearchParams(raw.slice(q + 1)))}`;
}

function maskJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskJson);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELDS.has(k.toLowerCase()) ? MASK : maskJson(v)]));
  }
  return value;
}

/** Anything that looks like a JWT, wherever it hides (an echoed token, a free-text field). */
export function maskTokens(text: string): string {
  return text.replace(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, MASK);
}

export function maskBody(raw: string): string {
  if (raw.length === 0) return '';
  const trimmed = raw.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(maskJson(JSON.parse(raw)));
    } catch {
      return maskTokens(raw);
    }
  }
  return maskTokens(maskParams(new URLSearchParams(raw)));
}

/** Headers that carry credentials under names other than Authorization (Cal.com's platform secret key, API keys). */
const SECRET_HEADER = /secret|token|api[-_]?key|password/i;

function maskHeader(name: string, value: string): string {
  if (name === 'authorization') {
    // Keep the scheme so a reader sees Bearer versus Basic; a value without one is all secret.
    const scheme = /^(\S+)\s+\S/.exec(value)?.[1];
    return scheme === undefined ? MASK : `${scheme} ${MASK}`;
  }
  if (name === 'cookie' || SECRET_HEADER.test(name)) return MASK;
  return maskTokens(value);
}

export function logEntry(req: EmuRequest, at: string, res: EmuResponse | null, fault?: string): LoggedRequest {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    headers[key] = maskHeader(key, text);
  }
  const entry: LoggedRequest = {
    at, origin: req.origin, method: req.method, path: maskUrl(req.url.pathname + req.url.search), headers,
    body: maskBody(req.rawBody), status: res ? res.status : null,
  };
  const location = res?.headers.location;
  if (location) entry.location = maskUrl(location);
  if (fault) entry.fault = fault;
  return entry;
}

/** Bounded in-memory log, so a long soak run does not grow without limit. */
export class RequestLog {
  private readonly entries: LoggedRequest[] = [];
  constructor(private readonly capacity = 5000) {}

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  all(): LoggedRequest[] {
    return this.entries.map((e) => ({ ...e, headers: { ...e.headers } }));
  }

  clear(): void {
    this.entries.length = 0;
  }
}

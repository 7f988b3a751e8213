import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FaultSpec, Faults } from './faults';
import { bearerToken, htmlResponse, jsonResponse, type EmuRequest, type EmuResponse, type Origin } from './http';
import type { OAuthService } from './oauth-service';
import { rateLimitHeaders } from './rate-limiter';
import { logEntry, type RequestLog } from './request-log';
import { route } from './routes';
import type { EmulatorState } from './state';
import { v2Error } from './v2-errors';

const MAX_BODY_BYTES = 1_000_000;

export interface ServerDeps {
  state: EmulatorState;
  oauth: OAuthService;
  faults: Faults;
  log: RequestLog;
  /** Called after a page answered under a `mutate-between-pages` fault, with the uids it served. */
  mutateAfterPage: (req: EmuRequest, servedUids: string[]) => void;
}

/** One listener (app, api, or both when single-origin) with socket tracking for a clean close. */
export class EmulatorServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly held = new Set<ServerResponse>();
  private closed = false;

  constructor(private readonly deps: ServerDeps, private readonly origins: readonly Origin[]) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.statusCode = 500;
          res.end(JSON.stringify({ message: `Emulator error: ${err instanceof Error ? err.message : String(err)}` }));
        }
      });
    });
    this.server.keepAliveTimeout = 5000;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  listen(port: number, host: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const address = this.server.address() as AddressInfo;
        resolve(`http://${host}:${address.port}`);
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    await done;
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          reject(new Error('request body too large'));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }

  private originOf(pathname: string): Origin {
    if (this.origins.length === 1) return this.origins[0] as Origin;
    return pathname.startsWith('/v2') ? 'api' : 'app';
  }

  private async handle(incoming: IncomingMessage, res: ServerResponse): Promise<void> {
    const { state, faults, log } = this.deps;
    const rawBody = await this.readBody(incoming);
    const url = new URL(incoming.url ?? '/', 'http://emulator.invalid');
    const req: EmuRequest = {
      method: (incoming.method ?? 'GET').toUpperCase(),
      url,
      path: url.pathname,
      headers: incoming.headers,
      rawBody,
      origin: this.originOf(url.pathname),
      remoteAddress: incoming.socket.remoteAddress ?? 'unknown',
    };
    const at = state.clock.iso();
    const fault = faults.take(req);

    if (fault?.kind === 'timeout') {
      // Hang: keep the socket open and answer nothing until the client aborts or the emulator closes.
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      log.add(logEntry(req, at, null, 'timeout'));
      return;
    }
    if (fault?.kind === 'slow') await this.delay(fault.delayMs ?? 2000);
    if (this.closed) return;

    let response = this.faultResponse(req, fault) ?? (await this.answer(req));
    if (this.closed) return;
    if (fault?.kind === 'timeout-after-commit') {
      // The write is done; the answer is lost.
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      log.add(logEntry(req, at, null, fault.kind));
      return;
    }
    if (fault?.kind === 'reset-after-commit') {
      log.add(logEntry(req, at, null, fault.kind));
      res.socket?.destroy();
      return;
    }
    if (fault?.kind === 'status-after-commit') response = this.upstreamError(req, fault.status ?? 502);
    if (fault?.kind === 'malformed-json') {
      const cut = Math.max(1, Math.floor(response.body.length / 2));
      response = { ...response, status: response.status, headers: { ...response.headers, 'content-type': 'application/json; charset=utf-8' }, body: `${response.body.slice(0, cut)}<!-- upstream` };
    }
    log.add(logEntry(req, at, response, fault?.kind));
    this.write(res, response, fault?.kind === 'truncated');
    if (fault?.kind === 'mutate-between-pages') this.deps.mutateAfterPage(req, servedUids(response));
  }

  /** Rate limiting (API v2 only) and routing. */
  private async answer(req: EmuRequest): Promise<EmuResponse> {
    const { state, oauth } = this.deps;
    if (req.origin !== 'api' || !req.url.pathname.startsWith('/v2')) return route(state, oauth, req, this.origins);
    const decision = state.rateLimiter.hit(bearerToken(req), req.remoteAddress);
    const headers = rateLimitHeaders(decision);
    const response = decision.blocked ? throttled(state, req) : await route(state, oauth, req, this.origins);
    // A route with its own `@Throttle` bucket (add guests) reports that bucket instead.
    return { ...response, headers: { ...headers, ...response.headers } };
  }

  private faultResponse(req: EmuRequest, fault: FaultSpec | undefined): EmuResponse | null {
    if (!fault) return null;
    const { state } = this.deps;
    if (fault.kind === 'html-error') {
      const status = fault.status ?? 502;
      return htmlResponse(status, `<!DOCTYPE html><html><head><title>${status} Bad Gateway</title></head><body><center><h1>${status} Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>`);
    }
    if (fault.kind !== 'status') return null;
    if (fault.status === 429) {
      const limit = 500;
      return { ...throttled(state, req), headers: { ...throttled(state, req).headers, 'x-ratelimit-limit-default': String(limit), 'x-ratelimit-remaining-default': '0', 'x-ratelimit-reset-default': '60' } };
    }
    return this.upstreamError(req, fault.status ?? 500);
  }

  private upstreamError(req: EmuRequest, status: number): EmuResponse {
    if (req.origin === 'app') return jsonResponse(status, { message: 'Internal Server Error' });
    const code = status === 500 ? 'InternalServerErrorException' : status === 502 ? 'BadGatewayException' : 'ServiceUnavailableException';
    return v2Error(this.deps.state, req, status, code, 'Internal server error');
  }

  private write(res: ServerResponse, response: EmuResponse, truncate: boolean): void {
    const body = Buffer.from(response.body, 'utf8');
    res.sendDate = false;
    res.statusCode = response.status;
    for (const [key, value] of Object.entries(response.headers)) res.setHeader(key, value);
    // Cal.com's clock is the emulator's clock, including the Date header clients may read for skew.
    res.setHeader('date', this.deps.state.clock.date().toUTCString());
    res.setHeader('content-length', String(body.length));
    if (!truncate) {
      res.end(body);
      return;
    }
    res.flushHeaders();
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
  }
}

function throttled(state: EmulatorState, req: EmuRequest): EmuResponse {
  const message = 'CustomThrottlerGuard - Too many requests. Please try again later.';
  return v2Error(state, req, 429, 'ThrottlerException', message, message);
}

function servedUids(response: EmuResponse): string[] {
  try {
    const parsed = JSON.parse(response.body) as { data?: unknown };
    if (!Array.isArray(parsed.data)) return [];
    return parsed.data.flatMap((item) => (typeof item === 'object' && item !== null && typeof (item as { uid?: unknown }).uid === 'string' ? [(item as { uid: string }).uid] : []));
  } catch {
    return [];
  }
}

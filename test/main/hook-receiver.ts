/**
 * The hook URLs Zapier would give the demo's instant Zaps (`bundle.targetUrl`): one loopback listener,
 * one path per Zap. Each call is answered 200 at once, as Zapier's hook endpoint does (Cal.com waits
 * for the answer without a time-out, CALCOM.md §18), and handed on in the shape Zapier gives a hook's
 * `perform` (`bundle.rawRequest`: method, querystring, headers, the body as sent).
 */
import { createServer, type Server } from 'node:http';

import { zapierHeaders, type ZapierRawRequest } from '../hosts/zapier-raw-request';

export type { ZapierRawRequest } from '../hosts/zapier-raw-request';

export type HookHandler = (request: ZapierRawRequest, receivedAt: number) => void;

export class HookReceiver {
  private server: Server | undefined;
  private baseUrl = '';
  private readonly handlers = new Map<string, HookHandler>();

  async listen(): Promise<void> {
    const server = createServer((req, res) => {
      const receivedAt = Date.now();
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const handler = req.method === 'POST' ? this.handlers.get(req.url ?? '') : undefined;
        if (handler === undefined) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success"}');
        handler({ method: 'POST', querystring: '', headers: zapierHeaders(req.headers), content: Buffer.concat(chunks).toString('utf8') }, receivedAt);
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  /** A hook URL of its own for one Zap: Cal.com keeps one webhook per subscriber URL. */
  route(zapName: string, handler: HookHandler): string {
    if (this.baseUrl === '') throw new Error('HookReceiver.listen() first');
    const path = `/hooks/standard/1/${encodeURIComponent(zapName)}`;
    this.handlers.set(path, handler);
    return `${this.baseUrl}${path}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * The loopback redirect listener: where the browser lands after Cal.com's consent page, as in the
 * OAuth for native apps pattern (RFC 8252 §7.3). It only ever listens on a loopback address, answers
 * the callback path once, and closes every socket when done so no port is left behind.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { UsageError } from './args';

export interface RedirectListener {
  /** The redirect URI to register in Cal.com and to send in the authorize URL. */
  readonly redirectUri: string;
  /** Resolves with the full callback URL (code, state or error) the browser was sent to. */
  waitForCallback(timeoutSeconds: number): Promise<URL>;
  close(): Promise<void>;
}

const PAGE = (title: string, text: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1>${title}</h1><p>${text}</p></body></html>`;

function listenHost(hostname: string): string {
  if (hostname === 'localhost') return '127.0.0.1';
  if (hostname === '[::1]') return '::1';
  return hostname;
}

/**
 * Validates a redirect URI for the loopback listener: plain http on a loopback host, an explicit
 * port (0 lets the system pick one, for the demo and tests), no fragment.
 *
 * @throws UsageError naming what to change.
 */
export function parseLoopbackRedirectUri(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--redirect-uri "${raw}" is not a URL; use the form http://127.0.0.1:53682/callback.`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'http:' || !loopback) {
    throw new UsageError(
      `--redirect-uri must be a plain http loopback address such as http://127.0.0.1:53682/callback (this command receives the code itself), not "${raw}".`,
    );
  }
  if (url.hash !== '') throw new UsageError(`--redirect-uri must not contain a #fragment: "${raw}".`);
  return url;
}

/**
 * Starts listening for the OAuth callback at `redirectUri`. With port 0 the actual port is chosen by
 * the system and reflected in {@link RedirectListener.redirectUri}.
 *
 * @throws UsageError when the port is taken or not allowed.
 */
export async function startRedirectListener(redirectUri: string): Promise<RedirectListener> {
  const wanted = parseLoopbackRedirectUri(redirectUri);
  const callbackPath = wanted.pathname;
  let deliver: ((url: URL) => void) | undefined;
  let received: URL | undefined;

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? wanted.host}`);
    if (request.method !== 'GET' || url.pathname !== callbackPath) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not the OAuth callback.');
      return;
    }
    // Answer a duplicate hit (reload, prefetch) politely but keep the first result.
    if (received === undefined) {
      received = new URL(`${wanted.protocol}//${wanted.host}${url.pathname}${url.search}`);
      deliver?.(received);
    }
    const failed = url.searchParams.has('error');
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' })
      .end(
        failed
          ? PAGE('Authorization not completed', 'Cal.com sent the browser back with an error. The terminal says what to fix.')
          : PAGE('Cal.com authorization received', 'You can close this tab and go back to the terminal.'),
      );
  });

  const port = Number(wanted.port === '' ? '80' : wanted.port);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new UsageError(`Port ${port} is already in use; stop what uses it or pick another with --redirect-port (and register that redirect URI in Cal.com).`));
      } else if (error.code === 'EACCES') {
        reject(new UsageError(`Port ${port} needs special privileges here; pick a port above 1024 with --redirect-port.`));
      } else reject(error);
    });
    server.listen(port, listenHost(wanted.hostname), () => resolve());
  });

  const actualPort = (server.address() as AddressInfo).port;
  const actual = new URL(wanted.toString());
  actual.port = String(actualPort);
  let closed = false;

  return {
    redirectUri: actual.toString(),
    waitForCallback(timeoutSeconds: number): Promise<URL> {
      if (received !== undefined) return Promise.resolve(received);
      return new Promise<URL>((resolve, reject) => {
        const timer = setTimeout(() => {
          deliver = undefined;
          reject(
            new UsageError(
              `No answer reached ${actual.toString()} within ${timeoutSeconds} s; finish the consent in the browser, or run again with a longer --timeout.`,
            ),
          );
        }, timeoutSeconds * 1000);
        deliver = (url) => {
          clearTimeout(timer);
          resolve(url);
        };
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback server that accepts every connection and never answers: what a hung Cal.com looks like. */
export interface SilentServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Jest hooks for a time-out suite: a silent server for the whole file, loopback let through nock,
 * and the adapter's time-out (`timeOut.ms`) shortened to `shortMs` for each test, restored after.
 */
export function useSilentServer(nock: { enableNetConnect(host: string): void; disableNetConnect(): void }, timeOut: { ms: number }, shortMs = 300): { readonly url: string } {
  let server: SilentServer | undefined;
  const original = timeOut.ms;
  beforeAll(async () => {
    server = await startSilentServer();
    nock.enableNetConnect('127.0.0.1');
  });
  afterAll(async () => {
    timeOut.ms = original;
    nock.disableNetConnect();
    await server?.close();
  });
  beforeEach(() => {
    timeOut.ms = shortMs;
  });
  return {
    get url(): string {
      if (server === undefined) throw new Error('the silent server starts in beforeAll');
      return server.url;
    },
  };
}

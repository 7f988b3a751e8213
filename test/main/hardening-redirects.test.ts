import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { CalcomError } from '@calcom-oauth/shared';

import { createFetchExecutor } from './fetch-executor';

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('main job executor: redirects and time-outs (issue 15, items 1 and 6)', () => {
  let other: { server: Server; url: string };
  let otherHits = 0;
  let calcom: { server: Server; url: string };

  beforeAll(async () => {
    other = await listen((_request, response) => {
      otherHits += 1;
      response.end('{}');
    });
    calcom = await listen((request, response) => {
      if (request.url?.startsWith('/hang')) return;
      response.writeHead(307, { location: `${other.url.replace('127.0.0.1', 'localhost')}/steal?code=c0de` });
      response.end();
    });
  });
  afterAll(async () => {
    await close(other.server);
    await close(calcom.server);
  });

  it('a 307 is the core redirect error naming the host; the Location host gets nothing', async () => {
    const { execute } = createFetchExecutor(2_000);
    const error = await execute({ method: 'POST', url: `${calcom.url}/v2/auth/oauth2/token`, headers: {}, body: 'client_secret=s' }).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(CalcomError);
    expect((error as CalcomError).status).toBe(307);
    expect((error as CalcomError).message).toContain(`to localhost:${new URL(other.url).port} over http`);
    expect((error as CalcomError).message).not.toContain('c0de');
    expect(otherHits).toBe(0);
  });

  it('with the instance given, a request for another host is refused before it is sent', async () => {
    const { execute, history } = createFetchExecutor(2_000, { apiUrl: calcom.url });
    await expect(execute({ method: 'GET', url: `${other.url}/v2/me`, headers: {} })).rejects.toMatchObject({ kind: 'invalid_input' });
    expect(history).toHaveLength(0);
    expect(otherHits).toBe(0);
  });

  it('a Cal.com that never answers ends in the core time-out error', async () => {
    const { execute } = createFetchExecutor(300, { apiUrl: calcom.url });
    await expect(execute({ method: 'GET', url: `${calcom.url}/hang`, headers: {} })).rejects.toMatchObject({ kind: 'server_unavailable', code: 'time-out' });
  });
});

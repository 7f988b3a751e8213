import nock from 'nock';

/** One request that reached the (intercepted) network. */
export interface SeenRequest {
  method: string;
  origin: string;
  host: string;
  path: string;
  body: string;
}

export type Responder = (request: SeenRequest) => { status: number; headers: Record<string, string>; body: string };

/**
 * Routes every HTTP request of this process, whatever its host, to `responder` through nock, and
 * records it: the Zapier app's requests go out through zapier-platform-core's fetch, so nock is
 * where a redirect to another host becomes visible. Real network access stays off.
 */
export function interceptAll(responder: Responder): SeenRequest[] {
  nock.cleanAll();
  if (!nock.isActive()) nock.activate();
  nock.disableNetConnect();
  const seen: SeenRequest[] = [];
  for (const protocol of ['http', 'https'] as const) {
    for (const method of ['get', 'post'] as const) {
      nock(new RegExp(`^${protocol}://.*`))
        .persist()
        [method](/.*/)
        .reply(function reply(uri, body) {
          const hostHeader = this.req.headers.host;
          const host = Array.isArray(hostHeader) ? hostHeader[0] ?? '' : String(hostHeader ?? '');
          const request = { method: method.toUpperCase(), origin: `${protocol}://${host}`, host, path: uri, body: typeof body === 'string' ? body : JSON.stringify(body) };
          seen.push(request);
          const answer = responder(request);
          return [answer.status, answer.body, answer.headers];
        });
    }
  }
  return seen;
}

/** Leaves nothing behind for whatever runs next in this process. */
export function releaseNetwork(): void {
  nock.cleanAll();
  nock.enableNetConnect();
}

/** nock is loaded once per process; nothing to set up beyond importing it. */
export function quietNock(): void {
  nock.disableNetConnect();
}

/** Captures console output (zapier-platform-core's z.console writes there) while `run` runs. */
export async function captureConsole<T>(run: () => Promise<T>): Promise<{ result?: T; error?: unknown; lines: string[] }> {
  const lines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map((name) => console[name]);
  for (const name of methods) console[name] = (...args: unknown[]) => void lines.push(args.map((arg) => (typeof arg === 'string' ? arg : safeJson(arg))).join(' '));
  try {
    return { result: await run(), lines };
  } catch (error) {
    return { error, lines };
  } finally {
    methods.forEach((name, index) => (console[name] = saved[index] as (typeof console)[typeof name]));
  }
}

function safeJson(value: unknown): string {
  try {
    return value instanceof Error ? `${value.name}: ${value.message}` : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}

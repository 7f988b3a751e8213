/**
 * The command as a process, the way `npm start` runs it (`tsx test/main/cli.ts`): `--once` exits 0 by
 * itself, and the live demo stops cleanly on SIGTERM and SIGINT, leaving no port open behind it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

import { startEmulator } from '../emulator';

const REPO = resolve(__dirname, '..', '..');
const TSX = join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs');

interface Running {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor: (pattern: RegExp, timeoutMs: number) => Promise<RegExpExecArray>;
}

function start(args: string[], extraEnv: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [TSX, 'test/main/cli.ts', ...args], {
    cwd: REPO,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', CI: 'true', ...extraEnv },
  });
  let text = '';
  const waiters: { pattern: RegExp; resolve: (match: RegExpExecArray) => void }[] = [];
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(text);
      if (match !== null) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  return {
    child,
    output: () => text,
    exited,
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolveMatch, reject) => {
        const now = pattern.exec(text);
        if (now !== null) return resolveMatch(now);
        const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output so far:\n${text}`)), timeoutMs);
        waiters.push({
          pattern,
          resolve: (match) => {
            clearTimeout(timer);
            resolveMatch(match);
          },
        });
      }),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  return port;
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return false;
  } catch {
    return true;
  }
}

describe('the npm start process', () => {
  it('exits 0 on its own after one cycle with --once', async () => {
    const run = start(['--once']);
    const { code } = await run.exited;
    expect(run.output()).toMatch(/One full cycle in [\d.]+ s/);
    expect(code).toBe(0);
  }, 60_000);

  it.each(['SIGTERM', 'SIGINT'] as const)('stops the live demo cleanly on %s and frees every port', async (signal) => {
    const run = start(['--poll-seconds', '1']);
    try {
      const [, appUrl, apiUrl] = await run.waitFor(/Cal\.com emulator: app (http:\/\/127\.0\.0\.1:\d+), API (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
      await run.waitFor(/status polls 1 /, 30_000);
      expect(await refused(`${apiUrl}/v2/me`)).toBe(false);
      run.child.kill(signal);
      // A terminal's Ctrl-C also arrives through npm and the toolchain runner: a copy right after
      // the first must not turn the clean stop into a forced exit.
      if (signal === 'SIGINT') setTimeout(() => run.child.kill(signal), 50);
      const { code } = await run.exited;
      expect(code).toBe(0);
      expect(run.output()).toMatch(new RegExp(`${signal} received: stopping cleanly`));
      expect(run.output()).toMatch(/Stopped after \d+ polls; emulator and listeners closed\./);
      expect(await refused(`${appUrl}/auth/login`)).toBe(true);
      expect(await refused(`${apiUrl}/v2/me`)).toBe(true);
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  }, 60_000);

  it('stops waiting for the browser on Ctrl-C when checking a real instance, and frees the redirect port', async () => {
    const emulator = await startEmulator();
    const port = await freePort();
    const client = emulator.registerClient({ redirectUris: [`http://127.0.0.1:${port}/callback`], scopes: ['BOOKING_READ', 'EVENT_TYPE_READ', 'PROFILE_READ'] });
    const check = start(['--instance', emulator.appUrl, '--api-url', emulator.apiUrl, '--client-id', client.clientId, '--redirect-port', String(port), '--no-browser'], {
      // The secret from the environment, as the README recommends (argv is visible to other users).
      CALCOM_CLIENT_SECRET: client.clientSecret ?? '',
    });
    try {
      await check.waitFor(/Waiting up to 300 s for Cal\.com to send the browser back/, 30_000);
      expect(await refused(`http://127.0.0.1:${port}/not-the-callback`)).toBe(false);
      check.child.kill('SIGINT');
      const { code } = await check.exited;
      expect(code).toBe(130);
      expect(check.output()).toMatch(/Stopped before the check finished; nothing was saved\./);
      expect(await refused(`http://127.0.0.1:${port}/not-the-callback`)).toBe(true);
      expect(check.output()).toMatch(/Client check: .* accepted the client id, secret and redirect URI/);
      expect(check.output()).not.toContain(client.clientSecret ?? 'no secret');
    } finally {
      if (check.child.exitCode === null) check.child.kill('SIGKILL');
      await emulator.close();
    }
  }, 60_000);
});

/**
 * Starts the cached real n8n (installed by `test/toolchain/n8n.mjs`) as a throwaway instance for one
 * browser test: a fresh user folder (so a fresh SQLite database and encryption key), free loopback
 * ports for the editor and the task broker (another run may hold 5678/5679), telemetry off, and the
 * custom extension folder to load. `stop()` ends the whole process group, the task runner included.
 *
 * The environment comes from the real-n8n e2e's `n8n-process.ts`; the process handling is this file's
 * own because a browser run can be interrupted while n8n boots, so the caller gets the handle before
 * readiness, and every process (server, task runner, CLI) runs in its own group to be ended whole.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, n8nEnvironment } from './n8n-process';

/** The part of `test/toolchain/n8n.mjs` this file uses (it is untyped JavaScript run on plain Node). */
interface N8nToolchain {
  ensureN8n(options?: { log?: (line: string) => void }): Promise<{ home: string; bin: string; node: string; modules: string; version: string }>;
}

export interface StartN8nOptions {
  /** Folder(s) n8n scans for `*.node.js` and `*.credentials.js` (N8N_CUSTOM_EXTENSIONS). */
  customExtensions: string;
  /** Extra environment, applied last. */
  env?: Record<string, string>;
  /**
   * Called as soon as the process exists, before readiness: a caller interrupted while n8n boots
   * can then still dispose of it.
   */
  onSpawned?: (instance: RunningN8n) => void;
  /** How long to wait for `/healthz/readiness`. Default 120 s (the first start migrates a new database). */
  readyTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RunningN8n {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly baseUrl: string;
  readonly port: number;
  readonly version: string;
  /** N8N_USER_FOLDER of this instance (removed by `stop`). */
  readonly userFolder: string;
  /** Last lines of n8n's output, for failure messages. */
  logTail(lines?: number): string;
  /**
   * Runs an n8n CLI command (e.g. `export:credentials`) against this instance's database and returns
   * its output. Call it after `stop()`: SQLite is then not shared with the server.
   */
  cli(args: string[], timeoutMs?: number): Promise<string>;
  /** SIGTERM, then SIGKILL after a grace period; waits for the exit. The user folder stays. */
  stop(): Promise<void>;
  /** `stop()`, then removes the user folder (database, encryption key, logs). */
  dispose(): Promise<void>;
}

const REPO_ROOT = resolve(__dirname, '..', '..');

async function loadToolchain(): Promise<N8nToolchain> {
  // A computed specifier keeps tsc from looking for types of the plain-JavaScript toolchain script.
  const url = pathToFileURL(join(REPO_ROOT, 'test', 'toolchain', 'n8n.mjs')).href;
  return (await import(url)) as N8nToolchain;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => child.once('exit', () => resolveExit()));
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // Negative pid: the group this test created with `detached`, so the task runner child goes too.
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function waitReady(baseUrl: string, child: ChildProcess, timeoutMs: number, tail: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`n8n exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`n8n was not ready within ${timeoutMs / 1000} s:\n${tail()}`);
}

function runCli(node: string, bin: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs: number, live: Set<ChildProcess>): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(node, [bin, ...args], { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      signalGroup(child, 'SIGKILL');
      if (code === 0) resolveRun(output);
      else reject(new Error(`n8n ${args[0] ?? ''} exited with ${code ?? signal}:\n${output.split('\n').slice(-20).join('\n')}`));
    });
  });
}

/** Starts n8n and resolves once its readiness check passes (database migrated, routes mounted). */
export async function startN8n(options: StartN8nOptions): Promise<RunningN8n> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const toolchain = await loadToolchain();
  const install = await toolchain.ensureN8n({ log });
  const [port, brokerPort] = [await freePort(), await freePort()];
  const userFolder = mkdtempSync(join(tmpdir(), 'n8n-connect-'));
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    // The settings the real-n8n e2e runs with (isolated folder, loopback ports, legacy expression engine, telemetry off).
    ...n8nEnvironment(install, { userFolder, customExtensions: options.customExtensions, port, brokerPort }),
    N8N_PROTOCOL: 'http',
    // n8n derives the OAuth redirect URI from this; the emulator client is registered with exactly that URI.
    N8N_EDITOR_BASE_URL: `${baseUrl}/`,
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
    N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
    EXTERNAL_FRONTEND_HOOKS_URLS: '',
    ...options.env,
  };
  const logFile = join(userFolder, 'n8n-output.log');
  const fd = openSync(logFile, 'a');
  const child = spawn(install.node, [install.bin, 'start'], { env, cwd: userFolder, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const logTail = (lines = 40): string => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no n8n output)';
    }
  };
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      signalGroup(child, 'SIGTERM');
      const grace = setTimeout(() => signalGroup(child, 'SIGKILL'), 20_000);
      await exited(child);
      clearTimeout(grace);
      // The task runner may outlive its parent by a moment; leave nothing of the group behind.
      signalGroup(child, 'SIGKILL');
    })();
    return stopping;
  };
  const liveCli = new Set<ChildProcess>();
  const dispose = async (): Promise<void> => {
    for (const cliChild of liveCli) signalGroup(cliChild, 'SIGKILL');
    await Promise.all([stop(), ...[...liveCli].map(exited)]);
    rmSync(userFolder, { recursive: true, force: true });
  };
  const cli = (args: string[], timeoutMs = 60_000): Promise<string> => runCli(install.node, install.bin, args, env, userFolder, timeoutMs, liveCli);
  const instance: RunningN8n = { baseUrl, port, version: install.version, userFolder, logTail, cli, stop, dispose };
  options.onSpawned?.(instance);
  try {
    await waitReady(baseUrl, child, options.readyTimeoutMs ?? 120_000, () => logTail());
  } catch (error) {
    await dispose();
    throw error;
  }
  return instance;
}

#!/usr/bin/env node
// The README's two commands land here: `npm start` (the main job) and `npm test` (every gate).
// It runs on the machine's plain Node 20 with nothing installed, and fetches what the project
// needs (npm dependencies, Node 22/24, a real n8n, Chromium) before handing over, so the same two
// commands work on a fresh clone, on a developer machine and in CI.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exitCodeOf } from './exit-code.mjs';
import { ensureNode, envWithNode, REPO_ROOT } from './paths.mjs';

const ARTIFACTS = join(REPO_ROOT, '.artifacts');
const log = (line) => process.stdout.write(`${line}\n`);

/** Runs a command with inherited output; resolves with its exit code. Forwards Ctrl-C/SIGTERM. */
function run(command, args, { env = process.env, cwd = REPO_ROOT } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: 'inherit' });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(exitCodeOf(code, signal));
    });
    child.on('error', (error) => {
      log(`cannot start ${command}: ${error.message}`);
      resolve(127);
    });
  });
}

/** Installs npm dependencies when node_modules is missing or older than package-lock.json. */
async function ensureDependencies() {
  const lock = readFileSync(join(REPO_ROOT, 'package-lock.json'));
  const wanted = createHash('sha256').update(lock).digest('hex');
  const stamp = join(REPO_ROOT, 'node_modules', '.calcom-oauth-lock.sha256');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  log('setup: installing npm dependencies (npm ci; install scripts are off, see .npmrc)...');
  const started = Date.now();
  const code = await run('npm', ['ci', '--no-audit', '--no-fund']);
  if (code !== 0) throw new Error(`npm ci failed with exit code ${code}`);
  writeFileSync(stamp, wanted);
  log(`setup: dependencies ready in ${seconds(started)}`);
}

/** The consent page is tested in a real browser; Debian's Chromium is the one this machine can get. */
async function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return;
  if (process.getuid?.() !== 0) {
    throw new Error('Chromium is missing: install it with `sudo apt-get install -y chromium` and run again.');
  }
  log('setup: installing Debian chromium for the consent-page browser test...');
  const started = Date.now();
  let code = await run('apt-get', ['install', '-y', '-qq', 'chromium']);
  if (code !== 0) {
    await run('apt-get', ['update', '-qq']);
    code = await run('apt-get', ['install', '-y', '-qq', 'chromium']);
  }
  if (code !== 0) throw new Error('apt-get install chromium failed');
  log(`setup: chromium ready in ${seconds(started)}`);
}

function seconds(startedAt) {
  return `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
}

const bin = (name) => join(REPO_ROOT, 'node_modules', '.bin', name);
const tsx = (script, args = []) => ['node', [bin('tsx'), script, ...args], { env: envWithNode(24, testEnv()) }];

function testEnv() {
  return {
    ...process.env,
    DISABLE_ZAPIER_ANALYTICS: '1',
    N8N_DIAGNOSTICS_ENABLED: 'false',
    FORCE_COLOR: process.env.FORCE_COLOR ?? '0',
  };
}

/** Counts of the Jest run, read from its JSON report, for the closing summary line. */
function jestCounts() {
  const report = join(ARTIFACTS, 'jest.json');
  if (!existsSync(report)) return { passed: 0, failed: 0, skipped: 0 };
  const json = JSON.parse(readFileSync(report, 'utf8'));
  return { passed: json.numPassedTests, failed: json.numFailedTests, skipped: json.numPendingTests };
}

/** Every gate of the project, in the order a reader would check them. */
function testSteps() {
  return [
    { name: 'typecheck', what: 'tsc --noEmit over every package (strict)', cmd: ['node', [bin('tsc'), '-p', 'tsconfig.json'], { env: envWithNode(24, testEnv()) }] },
    {
      name: 'jest',
      what: 'unit, emulator, browser, adapter, end-to-end and main-job tests',
      before: ensureChromium,
      cmd: ['node', [bin('jest'), '--ci', '--json', `--outputFile=${join(ARTIFACTS, 'jest.json')}`], { env: envWithNode(24, testEnv()) }],
    },
    { name: 'action-soak', what: '1,000 create/cancel/reschedule actions through both adapters with lost answers, 5xx, 429s and expiry', cmd: tsx('test/actions/soak.ts') },
    { name: 'webhook-soak', what: '2,000 booking changes pushed as signed webhooks with drops, duplicates, reordering, delays and forgeries, reconciled by polling', cmd: tsx('test/webhooks-soak/soak.ts') },
    { name: 'fuzz', what: 'fast-check: malformed Cal.com answers and hostile settings through the core, Zapier and n8n', cmd: tsx('test/fuzz/run.ts') },
    { name: 'zapier-gates', what: 'zapier-platform validate --without-style, build zip (Node 22)', cmd: ['node', [join(REPO_ROOT, 'test/toolchain/zapier-gates.mjs')], { env: testEnv() }] },
    { name: 'n8n-gates', what: 'n8n-node build + lint (strict) + pack + community-package scan (Node 24)', cmd: ['node', [join(REPO_ROOT, 'test/toolchain/n8n-gates.mjs')], { env: testEnv() }] },
    { name: 'n8n-e2e', what: 'the packed node in a real n8n 2.x against the emulator', cmd: ['node', [join(REPO_ROOT, 'test/e2e/n8n-real.e2e.mjs')], { env: testEnv() }] },
    { name: 'queue-mode', what: 'n8n queue mode (main, 2 workers, a webhook process, PostgreSQL, Redis): 20 polling and 3 instant workflows on one credential, restarts mid-poll, dropped and forged deliveries, actions on workers', cmd: ['node', [join(REPO_ROOT, 'test/e2e/queue-mode.e2e.mjs')], { env: testEnv() }] },
    { name: 'n8n-connect', what: "n8n's own Connect button in headless Chromium through the emulator's consent page", before: ensureChromium, cmd: tsx('test/e2e/n8n-connect.browser.ts') },
    { name: 'demo-once', what: 'npm start -- --once: the main job, one full cycle on the emulator', cmd: tsx('test/main/cli.ts', ['--once']) },
    { name: 'bench-emulator', what: 'emulator start time, memory and list latency with 10,000 bookings', cmd: tsx('test/emulator/bench.ts') },
    { name: 'bench-polling', what: 'requests and bytes per poll: engine vs naive poller', cmd: tsx('test/polling/bench.ts') },
    { name: 'bench-actions', what: 'Cal.com requests per action and adapter overhead per call vs a bare request', cmd: tsx('test/actions/bench.ts') },
  ];
}

async function runTests(argv) {
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1]?.split(',') : undefined;
  mkdirSync(ARTIFACTS, { recursive: true });
  await ensureDependencies();
  ensureNode(22);
  ensureNode(24);
  const results = [];
  for (const step of testSteps()) {
    if (only && !only.includes(step.name)) continue;
    log(`\n=== ${step.name}: ${step.what}`);
    const started = Date.now();
    let code;
    try {
      await step.before?.();
      const [command, args, options] = step.cmd;
      code = await run(command, args, options);
    } catch (error) {
      log(String(error instanceof Error ? error.message : error));
      code = 1;
    }
    results.push({ name: step.name, ok: code === 0, time: seconds(started) });
    log(`=== ${step.name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${seconds(started)}`);
  }
  log('\nSummary');
  for (const result of results) log(`  ${result.ok ? 'ok    ' : 'FAILED'}  ${result.name.padEnd(16)} ${result.time}`);
  const jest = jestCounts();
  const stepsFailed = results.filter((r) => !r.ok).length;
  const passed = jest.passed + results.filter((r) => r.ok && r.name !== 'jest').length;
  const failed = jest.failed + results.filter((r) => !r.ok && r.name !== 'jest').length + (results.some((r) => r.name === 'jest' && !r.ok) && jest.failed === 0 ? 1 : 0);
  log(`(Jest tests plus ${results.length - 1} gate steps; ${jest.skipped} skipped)`);
  log(`${passed} passed, ${failed} failed`);
  return stepsFailed === 0 ? 0 : 1;
}

async function main() {
  const [command = 'test', ...rest] = process.argv.slice(2);
  switch (command) {
    case 'test':
      return runTests(rest);
    case 'start': {
      await ensureDependencies();
      const [cmd, args, options] = tsx('test/main/cli.ts', rest);
      return run(cmd, args, options);
    }
    case 'typecheck':
    case 'unit':
      return runTests(['--only', command === 'unit' ? 'jest' : 'typecheck']);
    default:
      log(`unknown command "${command}": use start or test`);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

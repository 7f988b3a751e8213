#!/usr/bin/env node
// The Zapier app's offline gates, on the Node 22 the CLI demands (fetched by paths.mjs if missing):
//   1. bundle      `node build.mjs` (what `_zapier-build` runs), so a bundling error is reported as such;
//   2. validate    `zapier-platform validate --without-style --skip-build --format json`: local schema and
//                  functional checks; any reported error fails the gate (the style checks need zapier.com);
//   3. build       `zapier-platform build --skip-validation`: installs the production dependencies from
//                  the registry into a temp copy, writes definition.json, zips, then runs its own
//                  "Testing build" step (loads zapierwrapper.js and index.js from the unzipped zip);
//   4. zip check   the zip holds the bundle, the entry points and the module-sync .mjs files that
//                  .zapierapprc's includeInBuild adds (without them the zip fails on Node >= 22.12).
// Prints each step's time and the zip sizes; exits non-zero on the first failure.
// Plain Node 20 ESM, no dependencies.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { envWithNode, REPO_ROOT } from './paths.mjs';

const APP_DIR = join(REPO_ROOT, 'zapier-app');
const CLI = join(REPO_ROOT, 'node_modules', 'zapier-platform-cli', 'src', 'bin', 'run');
const log = (line) => process.stdout.write(`${line}\n`);

const env = {
  ...envWithNode(22),
  DISABLE_ZAPIER_ANALYTICS: '1',
  NO_UPDATE_NOTIFIER: '1',
  FORCE_COLOR: '0',
};

/** Runs a command in the app directory; resolves with its exit code and captured output. */
function run(command, args, { echo = true } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: APP_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk) => {
      output += chunk;
      if (echo) process.stdout.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => resolve({ code: 127, output: `cannot start ${command}: ${error.message}` }));
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 129 : 1), output }));
  });
}

const cli = (args, options) => run('node', [CLI, ...args], options);

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function findCli() {
  if (existsSync(CLI)) return;
  throw new Error(`zapier-platform-cli is not installed (${CLI} missing); run npm ci at the repository root.`);
}

async function bundle() {
  const { code } = await run('node', ['build.mjs']);
  if (code !== 0) throw new Error(`node build.mjs exited with ${code}`);
}

async function validate() {
  const { code, output } = await cli(['validate', '--without-style', '--skip-build', '--format', 'json'], { echo: false });
  const start = output.indexOf('[');
  let errors;
  try {
    errors = JSON.parse(output.slice(start, output.lastIndexOf(']') + 1));
  } catch {
    process.stdout.write(output);
    throw new Error(`validate printed no JSON error list (exit ${code})`);
  }
  if (!Array.isArray(errors)) throw new Error('validate printed something other than an error list');
  for (const error of errors) log(`  ${error.Property ?? '?'}: ${error.Message ?? JSON.stringify(error)}`);
  if (errors.length > 0 || code !== 0) throw new Error(`validate reported ${errors.length} error(s) (exit ${code})`);
  log('  no schema errors (style checks skipped: they run on zapier.com)');
}

async function build() {
  const { code, output } = await cli(['build', '--skip-validation']);
  if (code !== 0 || !/Build complete/.test(output)) throw new Error(`zapier-platform build failed (exit ${code})`);
}

async function inspectZip() {
  const zip = join(APP_DIR, 'build', 'build.zip');
  const source = join(APP_DIR, 'build', 'source.zip');
  if (!existsSync(zip)) throw new Error('build/build.zip was not written');
  const { code, output } = await run('unzip', ['-Z1', zip], { echo: false });
  if (code !== 0) throw new Error(`cannot list ${zip} (unzip exit ${code})`);
  const entries = new Set(output.split('\n').map((line) => line.trim()).filter(Boolean));
  const required = [
    'zapierwrapper.js',
    'index.js',
    'dist/index.js',
    'definition.json',
    'node_modules/zapier-platform-core/index.js',
    'node_modules/async-function/require.mjs',
    'node_modules/generator-function/require.mjs',
  ];
  const missing = required.filter((entry) => !entries.has(entry));
  if (missing.length > 0) throw new Error(`build.zip lacks ${missing.join(', ')}`);
  const leaked = [...entries].filter((entry) => /(^|\/)(\.env|src\/.*\.ts|test\/)/.test(entry) && !entry.startsWith('node_modules/'));
  if (leaked.length > 0) throw new Error(`build.zip carries files it must not: ${leaked.join(', ')}`);
  log(`  build.zip: ${kib(statSync(zip).size)} (${entries.size} files); source.zip: ${kib(statSync(source).size)}`);
}

const steps = [
  ['bundle', 'esbuild src/index.ts → dist/index.js', bundle],
  ['validate', 'zapier-platform validate --without-style', validate],
  ['build', 'zapier-platform build --skip-validation (includes its "Testing build")', build],
  ['zip', 'zip contents and size', inspectZip],
];

async function main() {
  const started = Date.now();
  const timings = [];
  try {
    findCli();
    for (const [name, what, step] of steps) {
      log(`--- zapier ${name}: ${what}`);
      const stepStarted = Date.now();
      await step();
      timings.push([name, Date.now() - stepStarted]);
    }
  } catch (error) {
    log(`zapier gates FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    for (const [name, ms] of timings) log(`  ${name.padEnd(9)} ${(ms / 1000).toFixed(1)} s`);
  }
  log(`zapier gates ok in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

process.exitCode = await main();

#!/usr/bin/env node
// A real n8n for the end-to-end test, installed from the npm registry into the cache outside the
// clone (2.9 GB, so never inside it). Runs on plain Node 20; n8n itself runs on the cached Node 24.
//
// Only the npm registry is reachable in CI, which rules out a plain `npm install n8n` (Kafka's
// install script downloads from GitHub, isolated-vm needs a compiler toolchain for Node 24). So:
//   1. npm install --ignore-scripts n8n@<pinned>         (PATH with Node 24 first)
//   2. npm rebuild sqlite3 from source against Node 24's headers (the only native module needed)
// isolated-vm is left unbuilt: the e2e run selects N8N_EXPRESSION_ENGINE=legacy.
//
// Usage: node test/toolchain/n8n.mjs          install when missing, print the n8n binary path
//        node test/toolchain/n8n.mjs --check  exit 0 when the install is complete, 1 otherwise
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE_DIR, ensureNode, nodeHome } from './paths.mjs';

/** Pinned exactly: the n8n behaviour the node and the e2e assertions rely on was read in this release. */
export const N8N_VERSION = '2.41.1';

const STAMP = '.calcom-oauth-install-complete';

/** Folder holding the n8n install (its own package.json and node_modules). */
export function n8nHome(version = N8N_VERSION) {
  return join(CACHE_DIR, `n8n-${version}`);
}

/** The n8n CLI entry point (a Node script; run it with the Node 24 binary). */
export function n8nBin(version = N8N_VERSION) {
  return join(n8nHome(version), 'node_modules', 'n8n', 'bin', 'n8n');
}

/** n8n's own node_modules, for loading its sqlite3 module to read the database. */
export function n8nModules(version = N8N_VERSION) {
  return join(n8nHome(version), 'node_modules');
}

function installedVersion(home) {
  try {
    return JSON.parse(readFileSync(join(home, 'node_modules', 'n8n', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function sqliteBinding(home) {
  return join(home, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
}

/** True when sqlite3 loads in Node 24 (a binding built for another ABI would throw). */
function sqliteLoads(home, node24) {
  try {
    execFileSync(node24, ['-e', `require(${JSON.stringify(join(home, 'node_modules', 'sqlite3'))})`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Reports whether the pinned n8n is fully installed, without changing anything. */
export function n8nStatus(version = N8N_VERSION) {
  const home = n8nHome(version);
  const stamped = existsSync(join(home, STAMP)) && readFileSync(join(home, STAMP), 'utf8').trim() === version;
  const packageOk = installedVersion(home) === version;
  const sqliteOk = existsSync(sqliteBinding(home));
  return { home, complete: stamped && packageOk && sqliteOk, packageOk, sqliteOk };
}

function seconds(startedAt) {
  return `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
}

function run(command, args, options, log) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    // One progress line every 30 s, so CI logs show that a multi-minute install is alive.
    const startedAt = Date.now();
    const ticker = setInterval(() => log(`  ... ${command} ${args[0]} still running (${seconds(startedAt)})`), 30_000);
    child.on('error', (error) => {
      clearInterval(ticker);
      reject(error);
    });
    child.on('exit', (code) => {
      clearInterval(ticker);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail}`));
    });
  });
}

function acquireLock(home, log) {
  const lock = join(home, '.install.lock');
  mkdirSync(home, { recursive: true });
  for (let attempt = 0; ; attempt += 1) {
    try {
      mkdirSync(lock);
      return () => rmSync(lock, { recursive: true, force: true });
    } catch {
      // A lock older than 30 minutes belongs to an install that died.
      if (Date.now() - statSync(lock).mtimeMs > 30 * 60_000) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (attempt === 0) log(`toolchain: another process is installing n8n into ${home}; waiting...`);
      execFileSync('sleep', ['5']);
    }
  }
}

/**
 * Installs the pinned n8n into the cache when it is not complete, and returns where it is.
 * Idempotent: a complete install is detected in milliseconds, a partial one is resumed.
 */
export async function ensureN8n({ version = N8N_VERSION, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const node24 = ensureNode(24, log);
  const home = n8nHome(version);
  const result = () => ({ home, bin: n8nBin(version), node: node24, modules: n8nModules(version), version });
  if (n8nStatus(version).complete) return result();

  const release = acquireLock(home, log);
  try {
    // Another process may have finished while this one waited for the lock.
    if (n8nStatus(version).complete) return result();
    const started = Date.now();
    const env = { ...process.env, PATH: `${dirname(node24)}:${process.env.PATH ?? ''}`, npm_config_yes: 'true' };
    writeFileSync(join(home, 'package.json'), `${JSON.stringify({ name: 'n8n-e2e-runtime', private: true, dependencies: { n8n: version } }, null, 2)}\n`);

    if (installedVersion(home) !== version) {
      log(`toolchain: installing n8n ${version} into ${home} (npm install --ignore-scripts; about 5 minutes cold, 2.9 GB)...`);
      const step = Date.now();
      await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', `n8n@${version}`], { cwd: home, env }, log);
      log(`toolchain: n8n packages installed in ${seconds(step)}`);
    } else {
      log(`toolchain: n8n ${version} packages already present in ${home}`);
    }

    if (!existsSync(sqliteBinding(home)) || !sqliteLoads(home, node24)) {
      log('toolchain: building sqlite3 for Node 24 from source (about 1.5 minutes)...');
      const step = Date.now();
      // The headers come with the cached Node 24 package, so node-gyp needs no download.
      const nodedir = join(nodeHome(24), 'node_modules', `node-${process.platform}-${process.arch}`);
      await run('npm', ['rebuild', 'sqlite3', '--foreground-scripts', '--ignore-scripts=false'], { cwd: home, env: { ...env, npm_config_nodedir: nodedir } }, log);
      if (!sqliteLoads(home, node24)) throw new Error('sqlite3 was rebuilt but still does not load in Node 24');
      log(`toolchain: sqlite3 built in ${seconds(step)}`);
    }

    writeFileSync(join(home, STAMP), `${version}\n`);
    log(`toolchain: n8n ${version} ready in ${seconds(started)}`);
    return result();
  } finally {
    release();
  }
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  if (process.argv.includes('--check')) {
    const status = n8nStatus();
    process.stdout.write(`${JSON.stringify(status)}\n`);
    process.exit(status.complete ? 0 : 1);
  }
  const started = Date.now();
  ensureN8n().then(
    (install) => {
      process.stdout.write(`${install.bin}\n`);
      process.stderr.write(`toolchain: n8n check took ${seconds(started)}\n`);
    },
    (error) => {
      process.stderr.write(`toolchain: n8n install failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}

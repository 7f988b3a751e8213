#!/usr/bin/env node
// The n8n community package's release gates, as n8n's own verification would run them:
//   1. build      n8n-node/build.mjs (esbuild: one CJS file per credential/node, shared core inlined)
//   2. lint       `n8n-node lint` in strict mode (the default eslint.config.mjs, checked by the CLI)
//   3. pack       `npm pack` → the tarball n8n would install; its size and file list are printed
//   4. manifest   the packed package.json: zero dependencies, peerDependencies {"n8n-workflow":"*"},
//                 every `n8n` entry present in the tarball, no require() of anything but n8n-workflow
//   5. scan       @n8n/scan-community-package's analyzer on the sources and on the unpacked tarball
// Runs on plain Node 20; the n8n tools run on the cached Node 24 (n8n-workflow 2.x needs it).
// Exit code 0 only when every gate passes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureNode, REPO_ROOT } from './paths.mjs';

const PACKAGE_DIR = join(REPO_ROOT, 'n8n-node');
const log = (line) => process.stdout.write(`${line}\n`);
const seconds = (startedAt) => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;

function run(command, args, { cwd = REPO_ROOT, env = process.env, capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => resolve({ code: 127, stdout, stderr: String(error) }));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

function listFiles(dir) {
  const files = [];
  const walk = (current) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push({ path: relative(dir, path), bytes: statSync(path).size });
    }
  };
  walk(dir);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** Checks the packed manifest and bundles the way n8n's installer and loader will see them. */
function checkManifest(unpacked) {
  const problems = [];
  const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
  if (manifest.dependencies && Object.keys(manifest.dependencies).length > 0) {
    problems.push(`dependencies must be empty, found ${JSON.stringify(manifest.dependencies)}`);
  }
  if (JSON.stringify(manifest.peerDependencies) !== JSON.stringify({ 'n8n-workflow': '*' })) {
    problems.push(`peerDependencies must be exactly {"n8n-workflow":"*"}, found ${JSON.stringify(manifest.peerDependencies)}`);
  }
  if (!manifest.keywords?.includes('n8n-community-node-package')) problems.push('keywords lack n8n-community-node-package');
  const entries = [...(manifest.n8n?.credentials ?? []), ...(manifest.n8n?.nodes ?? [])];
  if (entries.length === 0) problems.push('the n8n block lists no credentials or nodes');
  for (const entry of entries) {
    if (!entry.startsWith('dist/')) problems.push(`n8n entry ${entry} is not under dist/`);
    let source;
    try {
      source = readFileSync(join(unpacked, entry), 'utf8');
    } catch {
      problems.push(`n8n entry ${entry} is missing from the tarball`);
      continue;
    }
    const required = [...source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]);
    const foreign = required.filter((name) => name !== 'n8n-workflow');
    if (foreign.length > 0) problems.push(`${entry} requires ${[...new Set(foreign)].join(', ')}; only n8n-workflow may be required at run time`);
  }
  return problems;
}

async function main() {
  const started = Date.now();
  const node24 = ensureNode(24, log);
  const env24 = { ...process.env, PATH: `${join(node24, '..')}:${join(REPO_ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`, FORCE_COLOR: '0' };
  const results = [];
  const gate = async (name, body) => {
    const gateStarted = Date.now();
    log(`\n--- ${name}`);
    let ok = false;
    try {
      ok = await body();
    } catch (error) {
      log(`${name}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    }
    results.push({ name, ok, time: seconds(gateStarted) });
    log(`--- ${name}: ${ok ? 'ok' : 'FAILED'} in ${seconds(gateStarted)}`);
    return ok;
  };

  const work = mkdtempSync(join(tmpdir(), 'n8n-gates-'));
  let tarball;
  const unpacked = join(work, 'package');
  try {
    const built = await gate('build', async () => (await run(node24, [join(PACKAGE_DIR, 'build.mjs')], { cwd: PACKAGE_DIR, env: env24 })).code === 0);

    await gate('lint (n8n-node lint, strict)', async () => {
      const cli = join(REPO_ROOT, 'node_modules', '@n8n', 'node-cli', 'bin', 'n8n-node.mjs');
      const { code, stdout, stderr } = await run(node24, [cli, 'lint'], { cwd: PACKAGE_DIR, env: env24, capture: true });
      process.stdout.write(stdout);
      process.stdout.write(stderr);
      return code === 0;
    });

    if (!built) throw new Error('build failed; skipping pack and scan');

    await gate('pack (npm pack)', async () => {
      const { code, stdout, stderr } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: PACKAGE_DIR, env: env24, capture: true });
      if (code !== 0) {
        log(stderr);
        return false;
      }
      const [info] = JSON.parse(stdout);
      tarball = join(work, info.filename);
      const untar = await run('tar', ['-xzf', tarball, '-C', work]);
      if (untar.code !== 0) return false;
      for (const file of listFiles(unpacked)) log(`  ${file.path.padEnd(58)} ${(file.bytes / 1024).toFixed(1).padStart(7)} KiB`);
      log(`tarball ${info.filename}: ${(statSync(tarball).size / 1024).toFixed(1)} KiB packed, ${(info.unpackedSize / 1024).toFixed(1)} KiB unpacked, ${info.entryCount} files`);
      return true;
    });

    await gate('manifest (zero runtime dependencies, entries present)', async () => {
      const problems = checkManifest(unpacked);
      for (const problem of problems) log(`  ${problem}`);
      return problems.length === 0;
    });

    await gate('scan (@n8n/scan-community-package analyzer: sources and tarball)', async () => {
      const scanner = pathToFileURL(join(REPO_ROOT, 'node_modules', '@n8n', 'scan-community-package', 'scanner', 'scanner.mjs')).href;
      const script = `
        const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(${JSON.stringify(scanner)});
        const report = (label, result) => {
          process.stdout.write(label + ': ' + (result.passed ? 'passed' : 'FAILED ' + (result.message ?? '')) + '\\n');
          if (!result.passed && result.details) process.stdout.write(result.details + '\\n');
          return result.passed;
        };
        const sources = report('  sources (' + SOURCE_FILE_PATTERNS.join(', ') + ')', await analyzePackage(${JSON.stringify(PACKAGE_DIR)}, SOURCE_FILE_PATTERNS));
        const packed = report('  tarball (**/*.js, package.json)', await analyzePackage(${JSON.stringify(unpacked)}, ['**/*.js', 'package.json']));
        process.exit(sources && packed ? 0 : 1);
      `;
      const { code } = await run(node24, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, env: env24 });
      return code === 0;
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  log('\nn8n gates');
  for (const result of results) log(`  ${result.ok ? 'ok    ' : 'FAILED'}  ${result.name.padEnd(66)} ${result.time}`);
  log(`total ${seconds(started)}`);
  return results.length > 0 && results.every((result) => result.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log(`n8n gates failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

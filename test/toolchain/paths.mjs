// Where the project keeps the toolchains it fetches for itself (Node 22 for the Zapier CLI, Node 24 for
// n8n 2.x, a real n8n for end-to-end runs). They live outside the clone so that a fresh clone on the
// same machine reuses them, and they come from the npm registry only, so a Node-20 machine with no
// other network access can build everything.
// Runs on plain Node 20: no dependencies, no TypeScript.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const CACHE_DIR =
  process.env.CALCOM_OAUTH_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'calcom-oauth-integrations');

/** Exact versions, so that every machine and CI run the same bits. */
export const NODE_VERSIONS = { 22: '22', 24: '24' };

function nodePackageName() {
  // The `node` package on npm picks one of these per platform at install time; installing the
  // platform package directly needs no install script (the repo runs npm with ignore-scripts).
  return `node-${process.platform}-${process.arch}`;
}

/** Directory holding the cached Node `major` install. */
export function nodeHome(major) {
  return join(CACHE_DIR, `node-${major}`);
}

/** Path of the cached Node `major` binary (it may not exist yet: see {@link ensureNode}). */
export function nodeBinary(major) {
  return join(nodeHome(major), 'node_modules', nodePackageName(), 'bin', 'node');
}

/** Folder of the Node `major` binary, for prepending to PATH. */
export function nodeBinDir(major) {
  return dirname(nodeBinary(major));
}

/**
 * Returns the path of a Node `major` binary, installing it from the npm registry into the cache
 * when missing. Prints one progress line when it has to download.
 */
export function ensureNode(major, log = (line) => process.stderr.write(`${line}\n`)) {
  if (process.versions.node.split('.')[0] === String(major)) return process.execPath;
  const binary = nodeBinary(major);
  if (existsSync(binary)) return binary;
  const home = nodeHome(major);
  mkdirSync(home, { recursive: true });
  if (!existsSync(join(home, 'package.json'))) {
    writeFileSync(join(home, 'package.json'), JSON.stringify({ name: `node-${major}-toolchain`, private: true }) + '\n');
  }
  log(`toolchain: fetching Node ${major} from the npm registry into ${home} (one time)...`);
  const started = Date.now();
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `${nodePackageName()}@${NODE_VERSIONS[major]}`], {
    cwd: home,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (!existsSync(binary)) throw new Error(`Node ${major} install finished but ${binary} is missing`);
  log(`toolchain: Node ${major} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return binary;
}

/** Environment for a child process that must run on Node `major` (PATH puts that node first). */
export function envWithNode(major, base = process.env) {
  const bin = dirname(ensureNode(major));
  return { ...base, PATH: `${bin}:${base.PATH ?? ''}` };
}

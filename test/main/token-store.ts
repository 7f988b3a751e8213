/**
 * Where the real-instance check keeps the tokens it obtained, so a later run (or the user) can reuse
 * them: one JSON file per Cal.com host, readable by the user only (0600, in a 0700 folder), outside
 * the repository so it can never be committed.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';

import { UsageError } from './args';

/** The repository root: two folders above this file. */
const REPO_ROOT = resolve(__dirname, '..', '..');

export interface StoredConnection {
  appUrl: string;
  apiUrl: string;
  clientId: string;
  /** Which token endpoint answered: `v2` or `legacy`. */
  surface: 'v2' | 'legacy';
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds. */
  accessTokenExpiresAt?: number;
  /** Normalised scope names as granted. */
  scopes: string[];
  savedAt: string;
}

/** The default folder: `$XDG_CONFIG_HOME/calcom-oauth-integrations` or `~/.config/calcom-oauth-integrations`. */
export function defaultTokenDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'calcom-oauth-integrations');
}

/** The token file for an instance: `tokens-<host>.json`, the host made file-name safe. */
export function tokenFilePath(dir: string, appUrl: string): string {
  const host = new URL(appUrl).host.replace(/[^A-Za-z0-9.-]/g, '_');
  return join(resolve(dir), `tokens-${host}.json`);
}

/** True when `path` is the repository or inside it. */
export function isInsideRepository(path: string): boolean {
  const fromRoot = relative(REPO_ROOT, resolve(path));
  return fromRoot === '' || (!fromRoot.startsWith('..') && !isAbsolute(fromRoot));
}

/**
 * Writes the connection atomically (temporary file then rename) with mode 0600 and returns its path.
 *
 * @throws UsageError when the folder is inside the repository.
 */
export function saveConnection(dir: string, connection: StoredConnection): string {
  if (isInsideRepository(dir)) {
    throw new UsageError(`--token-dir ${dir} is inside the repository, where tokens could be committed; choose a folder outside it.`);
  }
  mkdirSync(resolve(dir), { recursive: true, mode: 0o700 });
  const path = tokenFilePath(dir, connection.appUrl);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(connection, null, 2)}\n`, { mode: 0o600 });
  // The mode given to writeFileSync is filtered by the umask and ignored for an existing file.
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
  return path;
}

/** Reads a stored connection back, or `undefined` when there is none. */
export function loadConnection(dir: string, appUrl: string): StoredConnection | undefined {
  try {
    return JSON.parse(readFileSync(tokenFilePath(dir, appUrl), 'utf8')) as StoredConnection;
  } catch {
    return undefined;
  }
}

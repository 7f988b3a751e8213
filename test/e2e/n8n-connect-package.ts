/**
 * The n8n package as it ships (`n8n-node/build.mjs`), copied into a private folder for
 * N8N_CUSTOM_EXTENSIONS: other runs may rebuild `n8n-node/dist` while this n8n is loading it.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

interface N8nPackageBuild {
  buildPackage(options?: { log?: (line: string) => void }): Promise<Array<{ path: string; bytes: number }>>;
}

const PACKAGE_DIR = resolve(__dirname, '..', '..', 'n8n-node');

/** The credential file n8n must load, relative to the extension folder. */
export const CREDENTIAL_FILE = join('credentials', 'CalComOAuth2Api.credentials.js');

export interface BuiltPackage {
  /** Folder to pass as N8N_CUSTOM_EXTENSIONS. */
  readonly extensionDir: string;
  remove(): void;
}

/** Builds the package and returns a private copy of its `dist` folder. */
export async function buildPackageCopy(log: (line: string) => void): Promise<BuiltPackage> {
  // A computed specifier: build.mjs is plain JavaScript without type declarations.
  const build = (await import(pathToFileURL(join(PACKAGE_DIR, 'build.mjs')).href)) as N8nPackageBuild;
  const files = await build.buildPackage({ log: () => undefined });
  log(`  package built: ${files.length} files`);
  const extensionDir = mkdtempSync(join(tmpdir(), 'n8n-connect-ext-'));
  cpSync(join(PACKAGE_DIR, 'dist'), extensionDir, { recursive: true });
  if (!existsSync(join(extensionDir, CREDENTIAL_FILE))) {
    rmSync(extensionDir, { recursive: true, force: true });
    throw new Error(`the build did not produce ${CREDENTIAL_FILE}`);
  }
  return { extensionDir, remove: () => rmSync(extensionDir, { recursive: true, force: true }) };
}

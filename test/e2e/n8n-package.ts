/** Builds and packs the n8n community package the way it is published, for the real-n8n tests. */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');

/**
 * Runs `n8n-node/build.mjs` and `npm pack`, then unpacks the tarball under `work/custom`. Returns the
 * unpacked package folder, to be given to n8n as `N8N_CUSTOM_EXTENSIONS` (n8n scans it for
 * `**\/*.node.js` and `**\/*.credentials.js` and names the types `CUSTOM.<name>`).
 */
export function packPackage(work: string): { customDir: string; tarballBytes: number } {
	const packageDir = join(REPO_ROOT, 'n8n-node');
	execFileSync(process.execPath, [join(packageDir, 'build.mjs')], { cwd: packageDir, stdio: 'ignore' });
	const output = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: packageDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
	const info = (JSON.parse(output) as Array<{ filename: string; size: number }>)[0];
	if (info === undefined) throw new Error('npm pack produced no tarball');
	const customDir = join(work, 'custom');
	mkdirSync(customDir, { recursive: true });
	execFileSync('tar', ['-xzf', join(work, info.filename), '-C', customDir]);
	return { customDir: join(customDir, 'package'), tarballBytes: info.size };
}

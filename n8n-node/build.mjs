// Builds what the npm tarball ships: one self-contained CommonJS file per credential and node (the
// shared core compiled in, n8n-workflow left to the n8n instance), plus icons and codex files.
// `n8n-node build` would run tsc, which keeps `@calcom-oauth/shared` as a runtime import that no
// installed package could satisfy; bundling is what keeps `dependencies` empty.
//
// Usage: node n8n-node/build.mjs   (any Node >= 20; prints sizes and the time taken)
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');

const entries = {
	'credentials/CalComOAuth2Api.credentials': 'credentials/CalComOAuth2Api.credentials.ts',
	'nodes/CalCom/CalComTrigger.node': 'nodes/CalCom/CalComTrigger.node.ts',
	'nodes/CalCom/CalComInstantTrigger.node': 'nodes/CalCom/CalComInstantTrigger.node.ts',
	'nodes/CalCom/CalCom.node': 'nodes/CalCom/CalCom.node.ts',
};

/** Files copied verbatim, keeping their path relative to the package root. */
const assets = ['icons/calcom.svg', 'icons/calcom.dark.svg', 'nodes/CalCom/CalComTrigger.node.json', 'nodes/CalCom/CalComInstantTrigger.node.json', 'nodes/CalCom/CalCom.node.json'];

export async function buildPackage({ log = (line) => process.stdout.write(`${line}\n`) } = {}) {
	const started = Date.now();
	rmSync(dist, { recursive: true, force: true });
	await build({
		absWorkingDir: root,
		entryPoints: Object.fromEntries(Object.entries(entries).map(([out, source]) => [out, join(root, source)])),
		outdir: dist,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		// n8n 1.x still runs on Node 20; nothing here needs newer syntax.
		target: 'node20',
		external: ['n8n-workflow'],
		alias: { '@calcom-oauth/shared': join(root, '..', 'shared', 'src', 'index.ts') },
		tsconfig: join(root, 'tsconfig.json'),
		sourcemap: false,
		minify: false,
		legalComments: 'none',
		logLevel: 'warning',
	});
	for (const asset of assets) {
		const target = join(dist, asset);
		mkdirSync(dirname(target), { recursive: true });
		copyFileSync(join(root, asset), target);
	}
	const files = [];
	const walk = (dir) => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
			else files.push({ path: relative(root, path), bytes: statSync(path).size });
		}
	};
	walk(dist);
	for (const file of files.sort((a, b) => a.path.localeCompare(b.path))) log(`  ${file.path.padEnd(58)} ${(file.bytes / 1024).toFixed(1).padStart(7)} KiB`);
	log(`build: ${files.length} files in ${((Date.now() - started) / 1000).toFixed(2)} s`);
	return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	buildPackage().catch((error) => {
		process.stderr.write(`build failed: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	});
}

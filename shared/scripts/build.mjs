// Builds @calcom-oauth/shared for both module systems: one esbuild bundle per format (a bundle
// needs no file extensions in its imports, which Node's ESM loader would otherwise demand) and
// tsc declarations next to each. Usage: node scripts/build.mjs [outDir]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const outDir = path.resolve(root, process.argv[2] ?? 'dist');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

rmSync(outDir, { recursive: true, force: true });
const started = Date.now();
for (const [format, dir, type] of [['cjs', 'cjs', 'commonjs'], ['esm', 'esm', 'module']]) {
  const target = path.join(outDir, dir);
  mkdirSync(target, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'src/index.ts')],
    outfile: path.join(target, 'index.js'),
    bundle: true,
    format,
    platform: 'neutral',
    target: 'es2022',
    sourcemap: false,
    logLevel: 'warning',
  });
  // The package itself has no "type", so each folder says how Node must read its .js files.
  writeFileSync(path.join(target, 'package.json'), `${JSON.stringify({ type }, null, 2)}\n`);
}
// Declarations are the same for both formats: emit once (this also type-checks the sources), copy.
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', path.join(outDir, 'cjs')], { stdio: 'inherit' });
cpSync(path.join(outDir, 'cjs'), path.join(outDir, 'esm'), { recursive: true, filter: (source) => !/index\.js$|package\.json$/.test(source) || source === path.join(outDir, 'cjs') });
console.log(`@calcom-oauth/shared built into ${path.relative(process.cwd(), outDir) || '.'} (cjs + esm + .d.ts) in ${Date.now() - started} ms`);

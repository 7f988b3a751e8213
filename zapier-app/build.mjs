// Bundles the app for Zapier: `src/index.ts` → `dist/index.js` (CommonJS, Node 22, the Lambda runtime
// of core 19). The shared core is inlined because a Zapier build zip installs only this package's
// production dependencies from the registry, where `@calcom-oauth/shared` does not exist;
// zapier-platform-core stays external so the zip carries exactly the pinned core.
// Runs on plain Node 20 or 22 (it is `_zapier-build`, which the CLI calls on Node 22).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const started = Date.now();
rmSync(join(here, 'dist'), { recursive: true, force: true });

await build({
  entryPoints: [join(here, 'src', 'index.ts')],
  outfile: join(here, 'dist', 'index.js'),
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  external: ['zapier-platform-core'],
  alias: { '@calcom-oauth/shared': join(here, '..', 'shared', 'src', 'index.ts') },
  // Readable output: Zapier shows stack traces from this file in its monitoring.
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});

if (!process.argv.includes('--quiet')) {
  process.stdout.write(`zapier-app: bundled dist/index.js in ${Date.now() - started} ms\n`);
}

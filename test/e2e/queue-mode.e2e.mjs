#!/usr/bin/env node
// The queue-mode gate: n8n in queue mode (main, two workers, PostgreSQL, Redis) soaked with the packed
// node against the emulator. Installs the pinned n8n into the cache when missing (test/toolchain/n8n.mjs),
// then runs test/e2e/queue-mode.ts with tsx on Node 24 (n8n's Node). `--long` runs the 20-minute soak.
// Runs on plain Node 20. Exit code 0 = passed.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../toolchain/paths.mjs';
import { ensureN8n } from '../toolchain/n8n.mjs';

const started = Date.now();
const install = await ensureN8n({ log: (line) => process.stdout.write(`${line}\n`) });
process.stdout.write(`n8n ${install.version} ready (${((Date.now() - started) / 1000).toFixed(1)} s): ${install.home}\n`);

const child = spawn(install.node, [join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(REPO_ROOT, 'test', 'e2e', 'queue-mode.ts'), ...process.argv.slice(2)], {
  cwd: REPO_ROOT,
  stdio: 'inherit',
  env: {
    ...process.env,
    N8N_E2E_BIN: install.bin,
    N8N_E2E_NODE: install.node,
    N8N_E2E_MODULES: install.modules,
    N8N_E2E_VERSION: install.version,
  },
});
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

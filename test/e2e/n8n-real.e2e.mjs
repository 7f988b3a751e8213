#!/usr/bin/env node
// The n8n end-to-end gate: installs the pinned n8n into the cache when missing (see
// test/toolchain/n8n.mjs), then runs test/e2e/n8n-real.ts and test/e2e/n8n-instant.ts with tsx on Node 24 (n8n's own sqlite3,
// used to read the executions, is built for Node 24). Runs on plain Node 20. Exit code 0 = passed.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../toolchain/paths.mjs';
import { ensureN8n } from '../toolchain/n8n.mjs';

const started = Date.now();
const install = await ensureN8n({ log: (line) => process.stdout.write(`${line}\n`) });
process.stdout.write(`n8n ${install.version} ready (${((Date.now() - started) / 1000).toFixed(1)} s): ${install.home}\n`);

// The polling e2e, then the instant trigger's (test/e2e/n8n-instant.ts), each on its own n8n;
// `node test/e2e/n8n-real.e2e.mjs instant` runs only the second.
const scripts = process.argv[2] === 'instant' ? ['n8n-instant.ts'] : ['n8n-real.ts', 'n8n-instant.ts'];

function runScript(script) {
  return new Promise((resolve) => {
    const child = spawn(install.node, [join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(REPO_ROOT, 'test', 'e2e', script)], {
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
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

let exitCode = 0;
for (const script of scripts) {
  const code = await runScript(script);
  if (code !== 0) exitCode = code;
}
process.exit(exitCode);

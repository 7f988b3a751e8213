// What every real-n8n e2e launcher does (n8n-real.e2e.mjs, queue-mode.e2e.mjs): install the pinned n8n
// into the cache when missing (test/toolchain/n8n.mjs), then run test/e2e scripts with tsx on n8n's
// Node 24 (n8n's own sqlite3, used to read the executions, is built for it), with N8N_E2E_* telling
// them where n8n is (test/e2e/e2e-steps.ts `runtimeFromEnv`). Runs on plain Node 20.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../toolchain/paths.mjs';
import { ensureN8n } from '../toolchain/n8n.mjs';

function runScript(install, script, args) {
  return new Promise((resolve) => {
    const child = spawn(install.node, [join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(REPO_ROOT, 'test', 'e2e', script), ...args], {
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
    // Ctrl-C or a gate's SIGTERM reaches the script, which stops its n8n processes.
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

/**
 * Runs `scripts` (file names in test/e2e) one after another, each with `args`, on the installed n8n.
 * Resolves with 0 when all passed, else the last failing exit code: a failure does not stop the rest.
 */
export async function runOnN8n(scripts, args = []) {
  const started = Date.now();
  const install = await ensureN8n({ log: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write(`n8n ${install.version} ready (${((Date.now() - started) / 1000).toFixed(1)} s): ${install.home}\n`);
  let exitCode = 0;
  for (const script of scripts) {
    const code = await runScript(install, script, args);
    if (code !== 0) exitCode = code;
  }
  return exitCode;
}

#!/usr/bin/env node
// The n8n end-to-end gate: the polling e2e (test/e2e/n8n-real.ts), then the instant trigger's
// (test/e2e/n8n-instant.ts), each on its own n8n, installed on first use (n8n-launch.mjs);
// `node test/e2e/n8n-real.e2e.mjs instant` runs only the second. Runs on plain Node 20. Exit code 0 = passed.
import { runOnN8n } from './n8n-launch.mjs';

process.exit(await runOnN8n(process.argv[2] === 'instant' ? ['n8n-instant.ts'] : ['n8n-real.ts', 'n8n-instant.ts']));

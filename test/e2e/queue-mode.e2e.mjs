#!/usr/bin/env node
// The queue-mode gate: n8n in queue mode (main, two workers, a webhook process, PostgreSQL, Redis)
// soaked with the packed node against the emulator (test/e2e/queue-mode.ts), on the pinned n8n that
// n8n-launch.mjs installs on first use. `--long` runs the 20-minute soak. Runs on plain Node 20. Exit code 0 = passed.
import { runOnN8n } from './n8n-launch.mjs';

process.exit(await runOnN8n(['queue-mode.ts'], process.argv.slice(2)));

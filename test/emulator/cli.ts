/**
 * Runs the emulator standalone:
 *   npx tsx test/emulator/cli.ts [--era 2026] [--port N] [--api-port N] [--single-origin] [--generate [seconds]]
 *                                [--bookings N] [--seed N] [--signed-in] [--frozen]
 * Prints the base URLs and the seeded credentials (generated per run, local only), then serves until
 * SIGINT/SIGTERM. The clock follows real time unless --frozen.
 */
import { isEra } from './eras';
import { Rng } from './rng';
import { startEmulator, type EmulatorOptions } from './index';

interface CliArgs {
  options: EmulatorOptions;
  generateEverySeconds: number | null;
}

function usage(message: string): never {
  process.stderr.write(`${message}\nUsage: npx tsx test/emulator/cli.ts [--era 2023|2025-11|2026] [--port N] [--api-port N] [--single-origin] [--generate [seconds]] [--bookings N] [--seed N] [--signed-in] [--frozen]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): CliArgs {
  const options: EmulatorOptions = { followRealTime: true };
  let generateEverySeconds: number | null = null;
  const int = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < 0) usage(`${flag} needs a non-negative integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const next = argv[i + 1];
    switch (flag) {
      case '--era':
        if (!isEra(next)) usage(`--era must be 2023, 2025-11 or 2026 (got ${String(next)})`);
        options.era = next;
        i += 1;
        break;
      case '--port': options.appPort = int(flag, next); i += 1; break;
      case '--api-port': options.apiPort = int(flag, next); i += 1; break;
      case '--bookings': options.bookings = int(flag, next); i += 1; break;
      case '--seed': options.seed = int(flag, next); i += 1; break;
      case '--single-origin': options.singleOrigin = true; break;
      case '--signed-in': options.signedInUserId = 1; break;
      case '--frozen': options.followRealTime = false; break;
      case '--generate':
        if (next !== undefined && /^\d+$/.test(next)) {
          generateEverySeconds = Math.max(1, Number(next));
          i += 1;
        } else generateEverySeconds = 10;
        break;
      case '--help': case '-h': usage('Cal.com emulator');
      // falls through (usage exits)
      default: usage(`Unknown argument ${String(flag)}`);
    }
  }
  if (options.appPort !== undefined && options.apiPort === undefined && !options.singleOrigin && options.appPort > 0) {
    options.apiPort = options.appPort + 1;
  }
  return { options, generateEverySeconds };
}

async function main(): Promise<void> {
  const { options, generateEverySeconds } = parseArgs(process.argv.slice(2));
  const emulator = await startEmulator(options);
  const out = (line = ''): void => {
    process.stdout.write(`${line}\n`);
  };
  out(`Cal.com emulator (era ${emulator.era}) — local test double, not Cal.com`);
  out(`  app (consent page, /api/auth/oauth/*): ${emulator.appUrl}`);
  out(`  api (/v2/*):                          ${emulator.apiUrl}`);
  out(`  authorize: ${emulator.appUrl}/auth/oauth2/authorize`);
  out(`  clock: ${emulator.clock.iso()}${emulator.clock.followingRealTime ? ' (following real time)' : ' (frozen)'}`);
  out();
  for (const user of Object.values(emulator.seeded.users)) out(`  user ${user.username}: ${user.email} / ${user.password}`);
  out();
  for (const [label, client] of Object.entries(emulator.seeded.clients)) {
    out(`  client ${label} (${client.clientType}, ${client.status}, scopes ${client.scopes.join(',') || '-'})`);
    out(`    client_id:     ${client.clientId}`);
    if (client.clientSecret) out(`    client_secret: ${client.clientSecret}`);
  }
  out(`  redirect URIs: ${emulator.seeded.clients.legacy.redirectUris.join(' ')}`);
  let timer: NodeJS.Timeout | null = null;
  if (generateEverySeconds !== null) {
    const rng = new Rng(options.seed ?? 1);
    timer = setInterval(() => {
      const change = emulator.generator.randomMutation(rng);
      out(`  [${emulator.clock.iso()}] ${change.kind} ${change.uid}`);
    }, generateEverySeconds * 1000);
    out(`  generating a random booking change every ${generateEverySeconds} s`);
  }
  out('Ctrl-C to stop.');
  const stop = (signal: string): void => {
    if (timer) clearInterval(timer);
    out(`\n${signal}: stopping`);
    emulator.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

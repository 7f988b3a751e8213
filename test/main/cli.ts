/**
 * Entry point of `npm start` (run as `tsx test/main/cli.ts <args>` on Node 24 by the toolchain).
 *
 * - no arguments: the live demo on the embedded Cal.com emulator, until Ctrl-C or SIGTERM;
 * - `--once`: one full demo cycle, exit 0 (CI);
 * - `--instance …`: the check of a real Cal.com OAuth client.
 */
import { HELP_TEXT, parseCliOptions } from './args';
import { exitCodeFor, fixSentence } from './fixes';
import { Log, type LogSink } from './log';
import { runRealInstance } from './real-instance';
import { Shutdown } from './shutdown';

export interface CliIo {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  stdout: LogSink;
  /** Stop on SIGINT/SIGTERM (the real process); tests pass their own {@link Shutdown} instead. */
  installSignalHandlers: boolean;
  shutdown?: Shutdown;
}

/** Runs the command and returns the exit code; never throws. */
export async function runCli(io: CliIo): Promise<number> {
  const log = new Log(io.stdout);
  const shutdown = io.shutdown ?? new Shutdown();
  if (io.installSignalHandlers) {
    shutdown.install((signal) => {
      log.close();
      log.line('setup', `${signal} received: stopping cleanly (press Ctrl-C again to force)`);
    });
  }
  try {
    const options = parseCliOptions(io.argv, io.env);
    switch (options.mode) {
      case 'help':
        io.stdout.write(HELP_TEXT);
        return 0;
      case 'demo': {
        // Loaded on demand: the platform SDKs it pulls in are not needed to check a real instance.
        const { runDemo } = await import('./demo');
        return (await runDemo(options, log, shutdown)).exitCode;
      }
      case 'real':
        return await runRealInstance(options, { log, env: io.env, onShutdown: (cleanup) => shutdown.add(cleanup), signal: shutdown.signal });
    }
  } catch (error) {
    log.close();
    if (shutdown.requested) return 0;
    log.fail('fix', fixSentence(error));
    return exitCodeFor(error);
  } finally {
    // The signal handlers stay until the process exits: a late copy of the same Ctrl-C must not
    // find the default handler and kill the process halfway through its exit.
    await shutdown.close();
  }
}

/**
 * zapier-platform-core prints a Lambda memory line ("ZID: … RSSMEM: …") on every call outside test
 * runners; it is Zapier's own telemetry, not part of what a Zap sees, so the demo leaves it out.
 * It must stay a filter: core 19 writes that line with the global console.log and takes no logger;
 * only a Lambda event marked `calledFromCli` silences it, and `createAppTester` cannot mark one.
 */
function silenceZapierMemoryLines(): void {
  const original = console.log.bind(console);
  console.log = (...args: unknown[]) => {
    if (args[0] === 'ZID:') return;
    original(...args);
  };
}

if (require.main === module) {
  silenceZapierMemoryLines();
  void runCli({ argv: process.argv.slice(2), env: process.env, stdout: process.stdout, installSignalHandlers: true }).then((code) => {
    // Exit explicitly once stdout has drained: platform SDKs can leave keep-alive sockets that would
    // otherwise hold the process open after everything of ours is closed.
    process.stdout.write('', () => process.exit(code));
  });
}

/**
 * One `npm start -- --once` run inside the test process, with everything it printed and every secret
 * it handled, for the tests that assert on the main job's output (once.test.ts, instant.test.ts).
 */
import { runDemo, type DemoResult } from './demo';
import { Log, MemorySink } from './log';
import { Shutdown } from './shutdown';

export interface OnceRun {
  result: DemoResult;
  output: string;
  /** Tokens, codes, client secrets, verifiers and webhook secrets the run handled: none may appear in `output`. */
  secrets: string[];
}

export async function runOnceCapturing(): Promise<OnceRun> {
  const sink = new MemorySink();
  const log = new Log(sink);
  const shutdown = new Shutdown();
  try {
    const result = await runDemo({ mode: 'demo', once: true, pollSeconds: 3 }, log, shutdown);
    return { result, output: sink.text, secrets: log.knownSecrets() };
  } finally {
    await shutdown.close();
  }
}

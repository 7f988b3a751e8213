/**
 * `npm start` and `npm test` exit with what their child reported: its own code, or 128 + the number
 * of the signal that ended it. Checked on real child processes, so the signal names are Node's.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const EXIT_CODE_MODULE = resolve(__dirname, 'exit-code.mjs');

/** Runs `childScript` in a child node, then reports what exitCodeOf makes of how it ended. */
function exitCodeAfter(childScript: string): number {
  const probe = `
    import { spawnSync } from 'node:child_process';
    import { exitCodeOf } from ${JSON.stringify(EXIT_CODE_MODULE)};
    const child = spawnSync(process.execPath, ['-e', ${JSON.stringify(childScript)}]);
    process.stdout.write(String(exitCodeOf(child.status, child.signal)));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`probe failed: ${result.stderr}`);
  return Number(result.stdout);
}

describe('toolchain exit codes', () => {
  it.each([
    ['SIGINT (Ctrl-C)', 130],
    ['SIGTERM', 143],
    ['SIGKILL', 137],
    ['SIGHUP', 129],
  ])('a child killed by %s exits 128 + its number (%i)', (label, expected) => {
    const signal = label.split(' ')[0];
    expect(exitCodeAfter(`process.kill(process.pid, '${signal}'); setTimeout(() => {}, 5000);`)).toBe(expected);
  });

  it("passes a child's own exit code through, including a clean stop on Ctrl-C", () => {
    expect(exitCodeAfter('process.exit(0)')).toBe(0);
    expect(exitCodeAfter('process.exit(3)')).toBe(3);
    expect(exitCodeAfter("process.on('SIGINT', () => process.exit(130)); process.kill(process.pid, 'SIGINT'); setTimeout(() => {}, 5000);")).toBe(130);
  });
});

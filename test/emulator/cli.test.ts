import { spawn } from 'node:child_process';
import { join } from 'node:path';

const TSX = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');

test('CLI prints URLs and credentials, serves, and stops cleanly on SIGTERM', async () => {
  const child = spawn(TSX, [join(__dirname, 'cli.ts'), '--era', '2023', '--frozen'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`CLI did not start: ${output}`)), 15_000);
      child.stdout.on('data', () => {
        if (output.includes('Ctrl-C to stop.')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`CLI exited early (${String(code)}): ${output}`)));
    });
    expect(output).toContain('era 2023');
    expect(output).toMatch(/client_secret: [0-9a-f]{64}/);
    const apiUrl = /api \(\/v2\/\*\):\s+(\S+)/.exec(output)?.[1];
    const appUrl = /app \(consent page[^:]*:\s+(\S+)/.exec(output)?.[1];
    expect(apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const login = await fetch(`${appUrl}/auth/login`);
    expect(login.status).toBe(200);
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}, 20_000);

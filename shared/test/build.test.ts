import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

// Builds the package once and loads it the way consumers do: by package name, through the
// "exports" map, with require() and with import, in fresh Node processes.
const root = path.resolve(__dirname, '../..');
const dist = path.resolve(__dirname, '../dist');

const probe = `
  const checks = [];
  const instance = m.resolveInstance({ kind: 'cloud' });
  checks.push(m.CAL_API_VERSIONS.bookings === '2024-08-13');
  checks.push(m.buildAuthorizeUrl({ instance, clientId: 'c', redirectUri: 'https://e.com/cb', state: 's', scopes: m.DEFAULT_TRIGGER_SCOPES }).includes('scope=BOOKING_READ,EVENT_TYPE_READ,PROFILE_READ'));
  const error = m.classifyResponse({ status: 429, headers: { 'x-ratelimit-reset-default': '9' }, body: '' });
  checks.push(error instanceof m.CalcomError && error.retryAfterSeconds === 9);
  checks.push(m.buildRefreshRequest({ surface: 'legacy', instance, clientId: 'c', refreshToken: 'r' }).headers.authorization === 'Bearer r');
  return m.createPkcePair().then((pair) => { checks.push(pair.codeVerifier.length === 43); return checks; });
`;

describe('package build', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [path.resolve(__dirname, '../scripts/build.mjs')], { cwd: root, stdio: 'pipe' });
  }, 120_000);

  it('emits cjs and esm bundles with declarations and module-type markers', () => {
    for (const format of ['cjs', 'esm']) {
      expect(existsSync(path.join(dist, format, 'index.js'))).toBe(true);
      expect(existsSync(path.join(dist, format, 'index.d.ts'))).toBe(true);
      expect(existsSync(path.join(dist, format, 'tokens.d.ts'))).toBe(true);
    }
    expect(JSON.parse(readFileSync(path.join(dist, 'cjs/package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
    expect(JSON.parse(readFileSync(path.join(dist, 'esm/package.json'), 'utf8'))).toEqual({ type: 'module' });
    // Zero runtime dependencies and no platform imports: nothing is left to resolve at run time.
    for (const format of ['cjs', 'esm']) {
      const code = readFileSync(path.join(dist, format, 'index.js'), 'utf8');
      expect(code).not.toMatch(/require\(["'][^"']+["']\)|from ["'][^"']+["']|import\(["']/);
    }
  });

  it('works with require()', () => {
    const out = execFileSync(process.execPath, ['-e', `const m = require('@calcom-oauth/shared'); (async () => { ${probe} })().then((c) => console.log(JSON.stringify(c)));`], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([true, true, true, true, true]);
  });

  it('works with import', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', `import * as m from '@calcom-oauth/shared'; const c = await (async () => { ${probe} })(); console.log(JSON.stringify(c));`], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([true, true, true, true, true]);
  });
});

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { UsageError } from './args';
import { parseForms } from './http-browser';
import { Log, MemorySink } from './log';
import { startRedirectListener } from './loopback';
import { isInsideRepository, loadConnection, saveConnection, tokenFilePath } from './token-store';

describe('token store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'calcom-main-tokens-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const connection = (accessToken: string) => ({
    appUrl: 'https://cal.example.com:8443',
    apiUrl: 'https://api.example.com',
    clientId: 'client',
    surface: 'v2' as const,
    accessToken,
    refreshToken: `${accessToken}-refresh`,
    scopes: ['BOOKING_READ'],
    savedAt: new Date(0).toISOString(),
  });

  it('writes a user-only file named after the host and reads it back', () => {
    const path = saveConnection(dir, connection('first'));
    expect(path).toBe(join(dir, 'tokens-cal.example.com_8443.json'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadConnection(dir, 'https://cal.example.com:8443')?.accessToken).toBe('first');
  });

  it('tightens an existing, more open file when it replaces it', () => {
    const path = tokenFilePath(dir, 'https://cal.example.com:8443');
    writeFileSync(path, '{}', { mode: 0o644 });
    saveConnection(dir, connection('second'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8')).accessToken).toBe('second');
  });

  it('refuses a folder inside the repository', () => {
    expect(isInsideRepository(__dirname)).toBe(true);
    expect(isInsideRepository(dir)).toBe(false);
    expect(() => saveConnection(join(__dirname, 'tokens'), connection('x'))).toThrow(/inside the repository/);
  });
});

describe('redirect listener', () => {
  it('hands over the first callback, answers the browser, and frees the port on close', async () => {
    const listener = await startRedirectListener('http://127.0.0.1:0/callback');
    const port = Number(new URL(listener.redirectUri).port);
    expect(port).toBeGreaterThan(0);
    const waiting = listener.waitForCallback(5);
    const page = await fetch(`${listener.redirectUri}?code=abc&state=xyz`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/close this tab/);
    const url = await waiting;
    expect(url.searchParams.get('code')).toBe('abc');
    expect((await fetch(`http://127.0.0.1:${port}/elsewhere`)).status).toBe(404);
    await listener.close();
    await expect(fetch(listener.redirectUri)).rejects.toThrow();
  });

  it('says which flag to change when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startRedirectListener(`http://127.0.0.1:${port}/callback`)).rejects.toThrow(/--redirect-port/);
    } finally {
      blocker.close();
    }
  });

  it('refuses non-loopback redirect URIs', async () => {
    await expect(startRedirectListener('https://example.com/callback')).rejects.toBeInstanceOf(UsageError);
  });

  it('times out with a sentence naming the redirect URI', async () => {
    const listener = await startRedirectListener('http://127.0.0.1:0/cb');
    try {
      await expect(listener.waitForCallback(0.05)).rejects.toThrow(/No answer reached http:\/\/127\.0\.0\.1:\d+\/cb/);
    } finally {
      await listener.close();
    }
  });
});

describe('log', () => {
  it('scrubs registered secrets and secret-looking values from every line', () => {
    const sink = new MemorySink();
    const log = new Log(sink);
    const secret = `s3cr3t-${Date.now()}`;
    log.addSecret(secret);
    log.line('oauth', `client secret ${secret} and Bearer abc.def`);
    expect(sink.text).not.toContain(secret);
    expect(sink.text).not.toContain('abc.def');
    expect(sink.text).toContain('[redacted]');
  });

  it('prints public URLs intact but refuses one carrying a secret parameter', () => {
    const sink = new MemorySink();
    const log = new Log(sink);
    const clientId = 'a'.repeat(20) + '0123456789abcdef0123456789';
    log.publicUrl('oauth', 'Authorize:', `https://app.cal.com/auth/oauth2/authorize?client_id=${clientId}&state=xyz`);
    expect(sink.text).toContain(clientId);
    expect(() => log.publicUrl('oauth', 'x', 'https://app.cal.com/cb?code=abc')).toThrow(/secret parameter "code"/);
    const opaque = 'f00d'.repeat(10);
    log.publicUrl('oauth', 'x', `https://app.cal.com/authorize?client_id=abc&scope=A,B&extra=${opaque}`);
    expect(sink.text).toContain('client_id=abc&scope=A,B&extra=%5Bredacted%5D');
    expect(sink.text).not.toContain(opaque);
  });
});

describe('form parsing', () => {
  it('reads actions, hidden fields, text and password inputs and named buttons', () => {
    const html = `<form method="post" action="/auth/login?x=1&amp;y=2">
      <input type="hidden" name="callbackUrl" value="auth/oauth2/authorize?a=1&amp;b=2">
      <label>Email <input name="email" autocomplete="username"></label>
      <input name="password" type='password'>
      <button type="submit">Sign in</button></form>
      <form method="post" action=""><button type="submit" name="decision" value="deny">Go back</button>
      <button name="decision" value="allow">Allow</button></form>`;
    const [login, consent] = parseForms(html, new URL('http://127.0.0.1:1/auth/oauth2/authorize?q=1'));
    expect(login?.action.toString()).toBe('http://127.0.0.1:1/auth/login?x=1&y=2');
    expect(login?.method).toBe('POST');
    expect(login?.fields.get('callbackUrl')).toBe('auth/oauth2/authorize?a=1&b=2');
    expect(login?.textFields).toEqual(['email']);
    expect(login?.passwordFields).toEqual(['password']);
    expect(consent?.action.toString()).toBe('http://127.0.0.1:1/auth/oauth2/authorize?q=1');
    expect(consent?.buttons).toEqual([
      { label: 'Go back', name: 'decision', value: 'deny' },
      { label: 'Allow', name: 'decision', value: 'allow' },
    ]);
  });
});

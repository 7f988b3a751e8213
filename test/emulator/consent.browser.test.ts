/**
 * The consent page in a real headless Chromium (Debian's `chromium`, driven by playwright-core).
 * Skips with a loud warning only when /usr/bin/chromium is missing outside CI; in CI it fails instead.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { startEmulator, type Emulator } from './index';
import { postForm } from './test-helpers';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const chromiumMissing = !existsSync(CHROMIUM);
const skip = chromiumMissing && !process.env.CI;
if (skip) {
  console.warn(`\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n` +
    `!! SKIPPING the consent-page browser test: ${CHROMIUM} is missing.\n` +
    `!! Install it with: apt-get install -y chromium   (in CI this test fails instead of skipping)\n` +
    `!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n`);
}

(skip ? describe.skip : describe)('consent page in headless Chromium', () => {
  let emu: Emulator;
  let callbackServer: Server;
  let callbackUrl: string;
  let context: BrowserContext;
  let userDataDir: string;

  beforeAll(async () => {
    if (chromiumMissing) throw new Error(`${CHROMIUM} is missing; CI must install it (apt-get install -y chromium)`);
    callbackServer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>callback</title><p>callback received</p>');
    });
    await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callback`;
    emu = await startEmulator({ era: '2026', bookings: 0 });
    userDataDir = mkdtempSync(join(tmpdir(), 'calcom-emulator-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  }, 30_000);

  afterAll(async () => {
    await context?.close();
    await emu?.close();
    await new Promise<void>((resolve) => (callbackServer ? callbackServer.close(() => resolve()) : resolve()));
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  test('sign in, Allow lands on the redirect with code and state; Go back with access_denied', async () => {
    const client = emu.registerClient({ name: 'Browser test app', redirectUris: [callbackUrl], scopes: ['BOOKING_READ', 'PROFILE_READ'] });
    const authorize = emu.authorizeUrl({ client_id: client.clientId, redirect_uri: callbackUrl, state: 'browser-state', scope: 'BOOKING_READ,PROFILE_READ', response_type: 'code' });
    const page = await context.newPage();

    await page.goto(authorize);
    expect(new URL(page.url()).pathname).toBe('/auth/login');
    await page.getByLabel('Email or username').fill('alice@example.com');
    await page.getByLabel('Password').fill(emu.seeded.users.alice.password);
    await Promise.all([page.waitForURL((url) => url.pathname === '/auth/oauth2/authorize'), page.getByRole('button', { name: 'Sign in' }).click()]);
    expect(await page.textContent('h1')).toContain('Browser test app would like access');
    expect(await page.textContent('body')).toContain('BOOKING_READ');

    await Promise.all([page.waitForURL((url) => url.href.startsWith(callbackUrl)), page.getByRole('button', { name: 'Allow' }).click()]);
    const allowed = new URL(page.url());
    expect(allowed.searchParams.get('state')).toBe('browser-state');
    const code = allowed.searchParams.get('code');
    expect(code).toBeTruthy();
    expect(await page.textContent('body')).toContain('callback received');
    // The code from the browser is real: it exchanges once.
    const exchanged = await postForm(`${emu.appUrl}/api/auth/oauth/token`, { grant_type: 'authorization_code', code: code!, client_id: client.clientId, client_secret: client.clientSecret!, redirect_uri: callbackUrl });
    expect(exchanged.status).toBe(200);

    // Still signed in (session cookie): straight to the consent screen, then Go back.
    await page.goto(authorize);
    await Promise.all([page.waitForURL((url) => url.href.startsWith(callbackUrl)), page.getByRole('button', { name: 'Go back' }).click()]);
    const denied = new URL(page.url());
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('state')).toBe('browser-state');
    expect(denied.searchParams.has('code')).toBe(false);
    await page.close();
  }, 30_000);
});

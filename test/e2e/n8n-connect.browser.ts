/**
 * End-to-end: n8n's own "Connect" button for the "Cal.com OAuth2 API" credential, in headless Chromium,
 * through the local Cal.com emulator's sign-in and consent pages, in a real n8n 2.41.1 that loads the
 * package as built for npm.
 *
 * Proves: the credential form offers the self-hosted instance fields; n8n's authorize URL carries the
 * client, the registered redirect URI and the comma-joined scopes without PKCE; the code exchange goes
 * to Cal.com's v2 token endpoint, form-encoded, with exactly its whitelisted fields; n8n stores
 * `oauthTokenData` with an access and a refresh token of this client; the stored access token passes
 * the credential's own test (GET /v2/me) and the stored refresh token is live.
 *
 * Usage (Node 24, warm n8n cache; about a minute):
 *   PATH=<node24 bin>:$PATH node node_modules/.bin/tsx test/e2e/n8n-connect.browser.ts
 * Artifacts: .artifacts/n8n-connect-connected.png (the connected credential modal); on failure
 * .artifacts/n8n-connect-failure.png and .artifacts/n8n-connect-n8n.log.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startEmulator, type Emulator } from '../emulator/index';
import {
  checkAuthorizeUrl,
  checkCodeExchange,
  checkCredentialTestRequest,
  checkStoredTokens,
  type ExpectedClient,
  type ExportedCredential,
} from './n8n-connect-checks';
import { buildPackageCopy, type BuiltPackage } from './n8n-connect-package';
import { startN8n, type RunningN8n } from './n8n-connect-server';
import { connectThroughConsent, fillNewCredential, launchBrowser, modalCredentialName, setUpOwner, shownRedirectUrl, type BrowserSession } from './n8n-connect-ui';
import { checkN8nCredentialApi } from './n8n-connect-rest';
import { defaultIntegrationScopes } from '@calcom-oauth/shared';

const REPO_ROOT = resolve(__dirname, '..', '..');
const ARTIFACTS = join(REPO_ROOT, '.artifacts');
/** The whole run, warm cache included, must stay well under the 4-minute budget. */
const OVERALL_TIMEOUT_MS = 4 * 60_000;
/** The credential's default scopes (triggers and actions), which it requests when none are picked. */
const SCOPES = defaultIntegrationScopes('v2');

const started = Date.now();
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const say = (line: string): void => {
  process.stdout.write(`[n8n-connect ${seconds(Date.now() - started).padStart(7)}] ${line}\n`);
};

async function stage<T>(name: string, run: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  say(`${name} ...`);
  const result = await run();
  say(`${name}: done in ${seconds(Date.now() - t0)}`);
  return result;
}

interface Resources {
  pkg?: BuiltPackage;
  emulator?: Emulator;
  n8n?: RunningN8n;
  browser?: BrowserSession;
}

async function cleanUp(resources: Resources): Promise<void> {
  const steps: Array<[string, (() => Promise<void> | void) | undefined]> = [
    ['browser', resources.browser && (() => resources.browser?.close())],
    ['n8n', resources.n8n && (() => resources.n8n?.dispose())],
    ['emulator', resources.emulator && (() => resources.emulator?.close())],
    ['package copy', resources.pkg && (() => resources.pkg?.remove())],
  ];
  for (const [name, step] of steps) {
    if (!step) continue;
    try {
      await step();
    } catch (error) {
      say(`cleanup of ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  delete resources.browser;
  delete resources.n8n;
  delete resources.emulator;
  delete resources.pkg;
}

async function saveFailureArtifacts(resources: Resources): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const page of resources.browser?.context.pages() ?? []) {
    const index = resources.browser?.context.pages().indexOf(page) ?? 0;
    const file = join(ARTIFACTS, index === 0 ? 'n8n-connect-failure.png' : `n8n-connect-failure-popup-${index}.png`);
    await page.screenshot({ path: file, timeout: 5000 }).then(() => say(`failure screenshot: ${file} (${page.url()})`), () => undefined);
  }
  if (resources.n8n) {
    const file = join(ARTIFACTS, 'n8n-connect-n8n.log');
    writeFileSync(file, resources.n8n.logTail(400));
    say(`n8n output saved to ${file}; last lines:\n${resources.n8n.logTail(25)}`);
  }
  if (resources.emulator) {
    const lines = resources.emulator.requestLog().map((e) => `  ${e.origin} ${e.method} ${e.path.slice(0, 100)} → ${e.status}`);
    say(`emulator requests (${lines.length}):\n${lines.slice(-30).join('\n')}`);
  }
}

async function run(resources: Resources): Promise<void> {
  resources.pkg = await stage('build n8n-node (esbuild) and copy dist', () => buildPackageCopy(say));
  resources.emulator = await stage('start the Cal.com emulator (2026)', () => startEmulator({ era: '2026' }));
  const emulator = resources.emulator;
  const extensionDir = resources.pkg.extensionDir;
  resources.n8n = await stage('start n8n (fresh user folder, free ports)', () =>
    startN8n({ customExtensions: extensionDir, log: say, onSpawned: (instance) => (resources.n8n = instance) }),
  );
  const n8n = resources.n8n;
  say(`  n8n ${n8n.version} at ${n8n.baseUrl}; Cal.com app ${emulator.appUrl}, API ${emulator.apiUrl}`);

  const redirectUri = `${n8n.baseUrl}/rest/oauth2-credential/callback`;
  const client = emulator.registerClient({ name: 'n8n browser test', redirectUris: [redirectUri], scopes: [...SCOPES] });
  if (!client.clientSecret) throw new Error('the emulator registered a client without a secret');
  const expected: ExpectedClient = { clientId: client.clientId, redirectUri, appUrl: emulator.appUrl, apiUrl: emulator.apiUrl, scopes: SCOPES };
  const alice = emulator.seeded.users.alice;

  resources.browser = await stage('launch headless Chromium', () => launchBrowser());
  const session = resources.browser;
  const owner = { email: 'owner@example.com', password: `Browser-${Date.now()}-test` };
  await stage('set up the n8n owner (REST)', () => setUpOwner(session, n8n.baseUrl, owner));

  const credentialName = await stage('fill a new "Cal.com OAuth2 API" credential in the editor', async () => {
    await fillNewCredential(session.page, n8n.baseUrl, { clientId: client.clientId, clientSecret: client.clientSecret ?? '', appUrl: emulator.appUrl, apiUrl: emulator.apiUrl });
    const shown = await shownRedirectUrl(session.page);
    if (shown !== redirectUri) throw new Error(`the form shows redirect URL ${shown}, expected ${redirectUri}`);
    say(`  form shows OAuth Redirect URL ${shown}`);
    return modalCredentialName(session.page);
  });

  emulator.clearRequestLog();
  const consentUrl = await stage('press Connect, sign in on Cal.com, Allow', () =>
    connectThroughConsent(session.page, { email: alice.email, password: alice.password }, (what) => say(`  ${what}`)),
  );
  const connectLog = emulator.requestLog();

  await stage('screenshot the connected credential modal', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'n8n-connect-connected.png');
    await session.page.screenshot({ path: file });
    say(`  ${file}`);
  });

  say(`  ${checkAuthorizeUrl(consentUrl, expected)}`);
  say(`  ${checkCodeExchange(connectLog, expected)}`);

  const credentialId = await stage("check the credential through n8n's REST API and run its test", async () => {
    const result = await checkN8nCredentialApi(session, n8n.baseUrl, credentialName);
    say(`  ${result.summary}`);
    say(`  ${checkCredentialTestRequest(emulator.requestLog())}`);
    return result.id;
  });

  await stage('close the browser and stop n8n', async () => {
    await session.close();
    delete resources.browser;
    await n8n.stop();
  });

  const tokens = await stage('read the stored credential (n8n export:credentials --decrypted)', async () => {
    const file = join(n8n.userFolder, 'exported-credential.json');
    await n8n.cli(['export:credentials', `--id=${credentialId}`, '--decrypted', `--output=${file}`]);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as ExportedCredential[];
    if (exported.length !== 1 || !exported[0]) throw new Error(`export returned ${exported.length} credentials`);
    const checked = checkStoredTokens(exported[0], expected);
    say(`  ${checked.summary}`);
    return checked;
  });

  await stage('prove the stored refresh token is live (refresh at the emulator)', async () => {
    const response = await fetch(`${emulator.apiUrl}/v2/auth/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken, client_id: client.clientId, client_secret: client.clientSecret ?? '' }),
    });
    if (response.status !== 200) throw new Error(`refresh with the stored refresh token answered HTTP ${response.status}`);
    say('  POST /v2/auth/oauth2/token grant_type=refresh_token → 200');
  });
}

async function main(): Promise<number> {
  const resources: Resources = {};
  let finished = false;
  const abort = async (reason: string, code: number): Promise<void> => {
    if (finished) return;
    finished = true;
    say(`ABORTED: ${reason}`);
    await saveFailureArtifacts(resources).catch(() => undefined);
    await cleanUp(resources);
    process.exit(code);
  };
  const overall = setTimeout(() => void abort(`over ${OVERALL_TIMEOUT_MS / 60_000} minutes`, 1), OVERALL_TIMEOUT_MS);
  process.once('SIGINT', () => void abort('SIGINT', 130));
  process.once('SIGTERM', () => void abort('SIGTERM', 143));
  try {
    await run(resources);
    say(`PASS: the credential was connected through n8n's Connect button in ${seconds(Date.now() - started)}`);
    return 0;
  } catch (error) {
    say(`FAIL: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await saveFailureArtifacts(resources).catch(() => undefined);
    return 1;
  } finally {
    finished = true;
    clearTimeout(overall);
    await cleanUp(resources);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);

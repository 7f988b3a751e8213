/**
 * `npm start -- --instance …` against the emulator playing a real Cal.com. The test is the user: it
 * reads the authorize URL the command prints and goes through the consent page with the HTTP
 * browser (sign in, Allow), while the command waits on its loopback listener.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startEmulator, type ClientRegistration, type Emulator, type Era } from '../emulator';
import { runCli } from './cli';
import { completeConsent } from './consent';
import type { LogSink } from './log';

const AUTHORIZE_URL = /(http:\/\/127\.0\.0\.1:\d+\/auth\/oauth2\/authorize\?\S+)/;

/** Collects output and hands over the authorize URL as soon as it is printed. */
class WatchingSink implements LogSink {
  text = '';
  isTTY = false;
  private found: ((url: string) => void) | undefined;
  readonly authorizeUrl = new Promise<string>((resolve) => {
    this.found = resolve;
  });
  write(chunk: string): void {
    this.text += chunk;
    const match = AUTHORIZE_URL.exec(this.text);
    if (match?.[1] !== undefined) this.found?.(match[1]);
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Scenario {
  era?: Era;
  client: Omit<ClientRegistration, 'redirectUris'> & { redirectUris?: string[] };
  /** Who signs in on the consent page. */
  user?: 'alice' | 'bob';
  extraArgs?: string[];
  /** Do not go through the consent page (the command is expected to stop before). */
  noBrowser?: boolean;
}

interface Outcome {
  code: number;
  output: string;
  consentText?: string;
  secrets: string[];
  tokenDir: string;
}

let emulator: Emulator | undefined;
const tokenDirs: string[] = [];

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
  for (const dir of tokenDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function check(scenario: Scenario): Promise<Outcome> {
  emulator = await startEmulator({ era: scenario.era ?? '2026' });
  const port = await freePort();
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  const client = emulator.registerClient({ redirectUris: [redirectUri], ...scenario.client });
  const tokenDir = mkdtempSync(join(tmpdir(), 'calcom-main-real-'));
  tokenDirs.push(tokenDir);
  const sink = new WatchingSink();
  const run = runCli({
    argv: [
      '--instance', emulator.appUrl,
      '--api-url', emulator.apiUrl,
      '--client-id', client.clientId,
      '--redirect-port', String(port),
      '--token-dir', tokenDir,
      '--no-browser',
      '--timeout', '3',
      ...(client.clientSecret === undefined ? [] : ['--client-secret', client.clientSecret]),
      ...(scenario.extraArgs ?? []),
    ],
    env: {},
    stdout: sink,
    installSignalHandlers: false,
  });
  let consentText: string | undefined;
  if (scenario.noBrowser !== true) {
    const url = await Promise.race([sink.authorizeUrl, run.then(() => undefined)]);
    if (url !== undefined) {
      const person = emulator.seeded.users[scenario.user ?? 'alice'];
      consentText = (await completeConsent(url, { email: person.email, password: person.password, decision: 'allow' })).text;
    }
  }
  const code = await run;
  const secrets = [client.clientSecret ?? ''];
  for (const file of readdirSync(tokenDir)) {
    const stored = JSON.parse(readFileSync(join(tokenDir, file), 'utf8')) as { accessToken: string; refreshToken?: string };
    secrets.push(stored.accessToken, stored.refreshToken ?? '');
  }
  return { code, output: sink.text, ...(consentText === undefined ? {} : { consentText }), secrets: secrets.filter((s) => s !== ''), tokenDir };
}

function expectNoSecrets(outcome: Outcome): void {
  for (const secret of outcome.secrets) expect(outcome.output).not.toContain(secret);
  expect(outcome.output).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
}

function lastLine(output: string): string {
  return output.trim().split('\n').at(-1) ?? '';
}

describe('checking a real Cal.com OAuth client (emulated)', () => {
  it('diagnoses a working 2026 client end to end and stores its tokens 0600 outside the repo', async () => {
    const outcome = await check({ client: { name: 'Integrator app', scopes: ['BOOKING_READ', 'EVENT_TYPE_READ', 'PROFILE_READ'] } });
    expect(outcome.code).toBe(0);
    const out = outcome.output;
    expect(out).toMatch(/Instance: self-hosted Cal\.com: app http:\/\/127\.0\.0\.1:\d+, API http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toMatch(/Client check: POST \/v2\/auth\/oauth2\/token \(v2\) accepted the client id, secret and redirect URI/);
    expect(out).toMatch(/Code received on http:\/\/127\.0\.0\.1:\d+\/callback; state matches/);
    expect(out).toMatch(/Token surface: API v2 POST \/v2\/auth\/oauth2\/token \(2026\) answered/);
    expect(out).toMatch(/Granted scopes: BOOKING_READ, EVENT_TYPE_READ, PROFILE_READ/);
    expect(out).toMatch(/The 7 booking triggers \(Booking Created, .*\) → BOOKING_READ: granted/);
    expect(out).toMatch(/GET \/v2\/me: alice — Alice Example <alice@example\.com>/);
    expect(out).toMatch(/GET \/v2\/bookings: \d+ in total/);
    expect(out).toMatch(/Refresh: POST \/v2\/auth\/oauth2\/token answered with a new access token; a new refresh token was issued and stored \(Cal\.com 2026 revokes the previous one\)/);
    expect(out).toMatch(/Rate limit \(last answer, GET \/v2\/\w+\): limit 500, remaining \d+, reset in \d+ s/);
    expect(lastLine(out)).toMatch(/This OAuth client works for the Zapier triggers and the n8n trigger/);
    const [file] = readdirSync(outcome.tokenDir);
    expect(file).toMatch(/^tokens-127\.0\.0\.1_\d+\.json$/);
    expect(statSync(join(outcome.tokenDir, file ?? '')).mode & 0o777).toBe(0o600);
    expect(outcome.secrets.length).toBeGreaterThanOrEqual(3);
    expectNoSecrets(outcome);
  });

  it('lets the owner through a pending client and says others will be refused', async () => {
    const alice = 1;
    const outcome = await check({ client: { status: 'PENDING', ownerUserId: alice, scopes: ['BOOKING_READ', 'EVENT_TYPE_READ', 'PROFILE_READ'] }, user: 'alice' });
    expect(outcome.code).toBe(0);
    expect(outcome.output).toMatch(/Client: approved, or pending with you as its owner/);
    expectNoSecrets(outcome);
  });

  it('ends with what to fix when a pending client is used by someone else than its owner', async () => {
    const outcome = await check({ client: { status: 'PENDING', ownerUserId: 1, scopes: ['BOOKING_READ', 'EVENT_TYPE_READ', 'PROFILE_READ'] }, user: 'bob' });
    expect(outcome.consentText).toMatch(/OAuth client is not approved/);
    expect(outcome.code).toBe(1);
    expect(lastLine(outcome.output)).toMatch(/fix .*never sent the browser back .*"OAuth client is not approved", wait for Cal\.com's approval/);
    expectNoSecrets(outcome);
  });

  it('stops before the browser when the redirect URI is not registered', async () => {
    const outcome = await check({
      client: { redirectUris: ['http://127.0.0.1:9/elsewhere'], scopes: ['BOOKING_READ', 'PROFILE_READ'] },
      noBrowser: true,
    });
    expect(outcome.code).toBe(1);
    expect(outcome.output).not.toMatch(/auth\/oauth2\/authorize\?/);
    expect(lastLine(outcome.output)).toMatch(/The redirect URI http:\/\/127\.0\.0\.1:\d+\/callback is not registered on this OAuth client: add it exactly in Cal\.com Settings → Developer → OAuth clients/);
    expectNoSecrets(outcome);
  });

  it('stops before the browser when the client secret is wrong', async () => {
    const outcome = await check({ client: { scopes: ['BOOKING_READ'] }, extraArgs: ['--client-secret', 'not-the-secret'], noBrowser: true });
    expect(outcome.code).toBe(1);
    expect(lastLine(outcome.output)).toMatch(/Cal\.com does not accept this client id and client secret \(.*invalid_client\): copy both again/);
    expect(outcome.output).not.toContain('not-the-secret');
  });

  it('names the missing scopes and the --scopes to run again with', async () => {
    const outcome = await check({ client: { scopes: ['BOOKING_READ'] }, extraArgs: ['--scopes', 'BOOKING_READ'] });
    expect(outcome.code).toBe(1);
    expect(outcome.output).toMatch(/booking triggers .* → BOOKING_READ: granted/);
    expect(outcome.output).toMatch(/connection test and label \(GET \/v2\/me\) → PROFILE_READ: NOT granted/);
    expect(outcome.output).toMatch(/GET \/v2\/me failed: .*PROFILE_READ/);
    expect(lastLine(outcome.output)).toMatch(
      /The grant lacks PROFILE_READ, EVENT_TYPE_READ: register them on the OAuth client in Cal\.com Settings → Developer → OAuth clients and run again with --scopes BOOKING_READ,PROFILE_READ,EVENT_TYPE_READ\./,
    );
    expectNoSecrets(outcome);
  });

  it('says which scopes the client is not registered for when more are requested', async () => {
    const outcome = await check({ client: { scopes: ['BOOKING_READ'] } });
    expect(outcome.code).toBe(1);
    expect(lastLine(outcome.output)).toMatch(
      /exceeds the client's registered scopes.*request only scopes registered on the OAuth client, or add them .*; this run asked for BOOKING_READ,EVENT_TYPE_READ,PROFILE_READ \(change that with --scopes\)\.$/,
    );
  });

  it.each([
    ['2025-11', /answered with a new access token; a (new )?refresh token (came back and )?was (issued and )?stored/],
    ['2023', /no refresh token came back, so the current one stays valid \(this Cal\.com does not rotate refresh tokens\)/],
  ] as const)('falls back to the legacy token surface on a %s Cal.com', async (era, refreshLine) => {
    const outcome = await check({ era, client: { scopes: ['READ_BOOKING', 'READ_PROFILE'] }, extraArgs: ['--scopes', 'READ_BOOKING,READ_PROFILE'] });
    expect(outcome.code).toBe(0);
    const out = outcome.output;
    expect(out).toMatch(/Token surface: POST \/v2\/auth\/oauth2\/token answered HTTP 404, so this Cal\.com has no v2 token endpoint/);
    expect(out).toMatch(/scope=READ_BOOKING,READ_PROFILE/);
    expect(out).toMatch(/Token surface: legacy POST \/api\/auth\/oauth\/token answered/);
    expect(out).toMatch(/Granted scopes: READ_BOOKING → BOOKING_READ, READ_PROFILE → PROFILE_READ/);
    expect(out).toMatch(/event-type filter dropdown .* → EVENT_TYPE_READ: not named, but this legacy token is unrestricted on API v2/);
    expect(out).toMatch(refreshLine);
    expect(out).toMatch(/Refresh: POST \/api\/auth\/oauth\/refreshToken answered/);
    expectNoSecrets(outcome);
  });

  it('stops with one sentence when the instance cannot be reached', async () => {
    const closed = await freePort();
    const sink = new WatchingSink();
    const code = await runCli({
      argv: ['--instance', `http://127.0.0.1:${closed}`, '--client-id', 'some-client', '--client-secret', 'some-secret-value', '--no-browser', '--timeout', '2'],
      env: {},
      stdout: sink,
      installSignalHandlers: false,
    });
    expect(code).toBe(1);
    expect(sink.text).not.toMatch(/auth\/oauth2\/authorize\?/);
    expect(lastLine(sink.text)).toMatch(new RegExp(`Could not reach Cal\\.com at http://127\\.0\\.0\\.1:${closed} \\(ECONNREFUSED\\): check the --instance and --api-url values`));
    expect(sink.text).not.toContain('some-secret-value');
  });

  it('refuses a bad command line with the sentence that fixes it, exit code 2', async () => {
    const sink = new WatchingSink();
    const code = await runCli({ argv: ['--instance', 'cal.com'], env: {}, stdout: sink, installSignalHandlers: false });
    expect(code).toBe(2);
    expect(lastLine(sink.text)).toMatch(/fix +✖ A real Cal\.com needs your OAuth client id: add --client-id <id> \(or set CALCOM_CLIENT_ID\)/);
  });

  it('connects a PUBLIC client with PKCE and no secret', async () => {
    const outcome = await check({ client: { clientType: 'PUBLIC', scopes: ['BOOKING_READ', 'EVENT_TYPE_READ', 'PROFILE_READ'] } });
    expect(outcome.code).toBe(0);
    expect(outcome.output).toMatch(/Client: [0-9a-f]{8}… \(public, PKCE\)/);
    expect(outcome.output).toMatch(/1\. Authorize URL: asking for .* with PKCE S256 \(public client\)/);
    expect(outcome.output).toMatch(/code_challenge=[A-Za-z0-9_-]{43}&code_challenge_method=S256/);
    expect(outcome.output).toMatch(/Token surface: API v2 .* answered/);
    expectNoSecrets(outcome);
  });

  it('uses the legacy token surface on a 2026 Cal.com when asked to', async () => {
    const outcome = await check({ client: { scopes: ['BOOKING_READ', 'EVENT_TYPE_READ', 'PROFILE_READ'] }, extraArgs: ['--surface', 'legacy'] });
    expect(outcome.code).toBe(0);
    expect(outcome.output).not.toMatch(/\/v2\/auth\/oauth2\/token/);
    expect(outcome.output).toMatch(/Token surface: legacy POST \/api\/auth\/oauth\/token answered/);
    expect(outcome.output).toMatch(/Refresh: POST \/api\/auth\/oauth\/refreshToken answered with a new access token; a new refresh token was issued/);
    expectNoSecrets(outcome);
  });

  it('says to switch surface when --surface v2 meets a Cal.com without the v2 token endpoint', async () => {
    const outcome = await check({ era: '2025-11', client: { scopes: ['READ_BOOKING', 'READ_PROFILE'] }, extraArgs: ['--surface', 'v2'], noBrowser: true });
    expect(outcome.code).toBe(1);
    expect(lastLine(outcome.output)).toMatch(/This Cal\.com has no v2 token endpoint \(POST \/v2\/auth\/oauth2\/token answered HTTP 404\); run again with --surface legacy or --surface auto\./);
  });
});

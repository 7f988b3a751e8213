/**
 * `npm start -- --instance …`: checks a real Cal.com OAuth client end to end and prints a diagnosis.
 *
 * Order: instance → redirect listener → client check (made-up code) → authorize URL and consent in
 * the user's browser → code exchange (v2, then legacy in auto) → tokens saved (0600, outside the
 * repo) → granted scopes and what each trigger needs → /v2/me → first bookings page → refresh →
 * rate-limit headers. Everything runs through the shared core; every line through the redacting log.
 */
import {
  OAUTH_CLIENT_SETTINGS_HINT,
  DEFAULT_TRIGGER_SCOPES,
  LEGACY_SCOPE_EQUIVALENTS,
  buildMeRequest,
  buildRefreshRequest,
  isCalcomError,
  parseInstanceArgument,
  processMeResponse,
  parseScopes,
  processTokenResponse,
  type CalcomInstance,
  type TokenSet,
  type TokenSurface,
} from '@calcom-oauth/shared';

import { UsageError, type RealInstanceOptions } from './args';
import { fetchFirstBookingsPage } from './bookings-page';
import { probeClient } from './client-probe';
import { createFetchExecutor, type RecordingExecutor } from './fetch-executor';
import { FixableError, fixSentence } from './fixes';
import type { Log } from './log';
import { startRedirectListener, type RedirectListener } from './loopback';
import { describeGrantedScopes, endpointLabel, runOAuthFlow } from './oauth-flow';
import { openInBrowser } from './open-browser';
import { defaultTokenDir, saveConnection, type StoredConnection } from './token-store';
import { describeTriggerCoverage } from './trigger-needs';

export interface RealInstanceIo {
  log: Log;
  env: NodeJS.ProcessEnv;
  /** Registers cleanup to run on Ctrl-C / SIGTERM. */
  onShutdown: (cleanup: () => Promise<void>) => void;
  /** Aborted on Ctrl-C / SIGTERM: the wait for the browser ends at once. */
  signal: AbortSignal;
}

class StoppedError extends Error {}

function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal.aborted) reject(new StoppedError('stopped'));
    signal.addEventListener('abort', () => reject(new StoppedError('stopped')), { once: true });
  });
}

/** Problems found after the connection works: reported, and the first one's fix printed last. */
interface Findings {
  problems: string[];
}

function describeInstance(instance: CalcomInstance): string {
  const name = instance.kind === 'cloud' ? 'Cal.com cloud' : instance.kind === 'eu' ? 'Cal.com EU cloud' : 'self-hosted Cal.com';
  return `${name}: app ${instance.appUrl}, API ${instance.apiUrl}`;
}

function legacyNamesTyped(scopes: string | undefined): boolean {
  return scopes !== undefined && scopes.split(/[\s,]+/).some((scope) => Object.hasOwn(LEGACY_SCOPE_EQUIVALENTS, scope.toUpperCase()));
}

/** Runs the check; returns the process exit code (0 when the client works for the triggers). */
export async function runRealInstance(options: RealInstanceOptions, io: RealInstanceIo): Promise<number> {
  const { log } = io;
  log.addSecret(options.clientSecret);
  let listener: RedirectListener | undefined;
  io.onShutdown(async () => listener?.close());
  try {
    const instance = parseInstanceArgument(options.instance, options.apiUrl);
    log.line('check', `Instance: ${describeInstance(instance)}`);
    const scopes = options.scopes === undefined ? [...DEFAULT_TRIGGER_SCOPES] : parseScopes(options.scopes);
    const legacyScopeNames = legacyNamesTyped(options.scopes);
    log.line('check', `Client: ${options.clientId.slice(0, 8)}… (${options.clientSecret === undefined ? 'public, PKCE' : 'confidential, with secret'})`);

    listener = await startRedirectListener(options.redirectUri ?? `http://127.0.0.1:${options.redirectPort}/callback`);
    log.publicUrl('check', 'Redirect URI (must be registered exactly on the client):', listener.redirectUri);

    const executor = createFetchExecutor(undefined, instance);
    const probe = await probeClient({
      instance,
      clientId: options.clientId,
      ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
      redirectUri: listener.redirectUri,
      surface: options.surface,
      execute: executor.execute,
      log,
    });

    const activeListener = listener;
    const stopped = whenAborted(io.signal);
    stopped.catch(() => undefined);
    const flowRun = runOAuthFlow({
      instance,
      clientId: options.clientId,
      ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
      scopes,
      legacyScopeNames,
      surface: probe.surface,
      listener: activeListener,
      timeoutSeconds: options.timeoutSeconds,
      execute: executor.execute,
      log,
      consent: async (authorizeUrl) => {
        const opened = options.openBrowser && openInBrowser(authorizeUrl, io.env);
        log.line('oauth', opened ? '   Opened in your browser; sign in to Cal.com and press Allow.' : '   Open that URL in a browser signed in to Cal.com and press Allow.');
        log.line('oauth', `   Waiting up to ${options.timeoutSeconds} s for Cal.com to send the browser back to ${activeListener.redirectUri} …`);
      },
    }).catch((error: unknown) => {
      throw explainConsentFailure(error, activeListener.redirectUri, scopes);
    });
    const flow = await Promise.race([flowRun, stopped]);
    await listener.close();

    log.ok('check', `Client: approved, or pending with you as its owner (Cal.com lets only the owner use a pending client; other users see "OAuth client is not approved" until Cal.com approves it)`);
    log.ok('check', `Redirect URI: registered (Cal.com sent the code to ${flow.redirectUri})`);
    log.ok('check', `Token surface: ${flow.surface === 'v2' ? 'API v2 POST /v2/auth/oauth2/token (2026)' : 'legacy POST /api/auth/oauth/token'} answered`);
    log.line('check', `Granted scopes: ${describeGrantedScopes(flow.rawScopes, flow.tokens.scopes)}`);

    const dir = options.tokenDir ?? defaultTokenDir(io.env);
    let tokens = flow.tokens;
    const path = saveConnection(dir, stored(instance, options.clientId, flow.surface, tokens));
    log.ok('tokens', `Saved to ${path} (mode 0600, outside the repository)`);

    const findings: Findings = { problems: [] };
    for (const line of describeTriggerCoverage(tokens.scopes, flow.rawScopes)) {
      if (line.covered) log.ok('check', line.text);
      else {
        log.fail('check', line.text);
        findings.problems.push(line.fix);
      }
    }

    await checkProfile(instance, tokens, executor, log, findings);
    await checkBookings(instance, tokens, executor, log, findings);
    tokens = await checkRefresh(instance, options, flow.surface, tokens, executor, log, findings);
    saveConnection(dir, stored(instance, options.clientId, flow.surface, tokens));
    reportRateLimits(executor, log);

    if (findings.problems.length > 0) {
      log.fail('fix', findings.problems[0] ?? '');
      return 1;
    }
    log.ok('check', 'This OAuth client works for the Zapier triggers and the n8n trigger on this instance.');
    return 0;
  } catch (error) {
    if (error instanceof StoppedError) {
      log.line('check', 'Stopped before the check finished; nothing was saved.');
      return 130;
    }
    log.fail('fix', fixSentence(error));
    return error instanceof UsageError ? 2 : 1;
  } finally {
    await listener?.close();
  }
}

function stored(instance: CalcomInstance, clientId: string, surface: TokenSurface, tokens: TokenSet): StoredConnection {
  return {
    appUrl: instance.appUrl,
    apiUrl: instance.apiUrl,
    clientId,
    surface,
    accessToken: tokens.accessToken,
    ...(tokens.refreshToken === undefined ? {} : { refreshToken: tokens.refreshToken }),
    ...(tokens.expiresAt === undefined ? {} : { accessTokenExpiresAt: tokens.expiresAt }),
    scopes: tokens.scopes,
    savedAt: new Date().toISOString(),
  };
}

/**
 * A time-out while waiting for the browser usually means Cal.com showed an error page instead of the
 * consent screen (it never redirects for client, redirect-URI or approval problems).
 */
function explainConsentFailure(error: unknown, redirectUri: string, requestedScopes: readonly string[]): unknown {
  if (isCalcomError(error) && error.kind === 'bad_request' && /scope/i.test(error.message)) {
    return new FixableError(`${error.message.replace(/\.$/, '')}; this run asked for ${requestedScopes.join(',') || 'no scopes'} (change that with --scopes).`);
  }
  if (error instanceof UsageError && /No answer reached/.test(error.message)) {
    return new FixableError(
      `Cal.com never sent the browser back to ${redirectUri}: if its page said "OAuth client is not approved", wait for Cal.com's approval (only the client's owner can connect before that); if it said the redirect_uri does not match, register ${redirectUri} exactly in ${OAUTH_CLIENT_SETTINGS_HINT}; otherwise press Allow within the time-out.`,
    );
  }
  return error;
}

async function checkProfile(instance: CalcomInstance, tokens: TokenSet, executor: RecordingExecutor, log: Log, findings: Findings): Promise<void> {
  try {
    const profile = processMeResponse(await executor.execute(buildMeRequest({ instance, accessToken: tokens.accessToken })));
    log.ok('api', `GET /v2/me: ${profile.username ?? '(no username)'} — ${profile.name ?? 'no name'} <${profile.email}>, time zone ${profile.timeZone}`);
  } catch (error) {
    log.fail('api', `GET /v2/me failed: ${log.scrub(error instanceof Error ? error.message : String(error))}`);
    findings.problems.push(fixSentence(error));
  }
}

async function checkBookings(instance: CalcomInstance, tokens: TokenSet, executor: RecordingExecutor, log: Log, findings: Findings): Promise<void> {
  try {
    const page = await fetchFirstBookingsPage(instance, tokens.accessToken, executor.execute);
    log.ok('api', `GET /v2/bookings: ${page.summary}`);
    for (const line of page.lines) log.line('api', `   ${line}`);
  } catch (error) {
    log.fail('api', `GET /v2/bookings failed: ${log.scrub(error instanceof Error ? error.message : String(error))}`);
    findings.problems.push(fixSentence(error));
  }
}

async function checkRefresh(
  instance: CalcomInstance,
  options: RealInstanceOptions,
  surface: TokenSurface,
  tokens: TokenSet,
  executor: RecordingExecutor,
  log: Log,
  findings: Findings,
): Promise<TokenSet> {
  if (tokens.refreshToken === undefined) {
    log.warn('oauth', 'Refresh: Cal.com issued no refresh token, so the connection ends when the access token expires');
    return tokens;
  }
  const request = buildRefreshRequest({
    surface,
    instance,
    clientId: options.clientId,
    ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
    refreshToken: tokens.refreshToken,
  });
  try {
    const response = await executor.execute(request);
    const refreshed = processTokenResponse(response, {
      surface,
      previousRefreshToken: tokens.refreshToken,
      endpoint: `the token refresh (${endpointLabel(request.url)})`,
    });
    log.addSecret(refreshed.accessToken);
    log.addSecret(refreshed.refreshToken);
    log.ok('oauth', `Refresh: ${endpointLabel(request.url)} answered with a new access token; ${describeRotation(response.body, tokens.refreshToken, refreshed.refreshToken)}`);
    return refreshed;
  } catch (error) {
    log.fail('oauth', `Refresh failed: ${log.scrub(error instanceof Error ? error.message : String(error))}`);
    findings.problems.push(fixSentence(error));
    return tokens;
  }
}

/** What the refresh did to the refresh token, read from the raw answer (a same-second JWT can repeat byte for byte). */
function describeRotation(body: string, previous: string | undefined, current: string | undefined): string {
  let returned = false;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const data = (typeof parsed.data === 'object' && parsed.data !== null ? parsed.data : parsed) as Record<string, unknown>;
    returned = typeof (data.refresh_token ?? data.refreshToken) === 'string';
  } catch {
    returned = false;
  }
  if (!returned) return 'no refresh token came back, so the current one stays valid (this Cal.com does not rotate refresh tokens)';
  return current !== previous
    ? 'a new refresh token was issued and stored (Cal.com 2026 revokes the previous one)'
    : 'a refresh token came back and was stored';
}

function reportRateLimits(executor: RecordingExecutor, log: Log): void {
  // Data requests carry the access token's bucket; the token endpoint is throttled per IP.
  const seen = executor.history.filter((record) => record.rateLimit !== undefined && record.method === 'GET');
  const last = seen[seen.length - 1];
  if (last?.rateLimit === undefined) {
    log.line('api', 'Rate limit: no X-RateLimit-*-Default headers seen');
    return;
  }
  const { limit, remaining, reset } = last.rateLimit;
  log.line('api', `Rate limit (last answer, ${last.method} ${new URL(last.target).pathname}): limit ${limit ?? '?'}, remaining ${remaining ?? '?'}, reset in ${reset ?? '?'} s`);
}

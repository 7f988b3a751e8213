/**
 * Connects one platform (Zapier or n8n) to the demo's Cal.com the way a user would: a loopback
 * redirect listener, an OAuth client registered for it, and the consent page driven over HTTP like a
 * browser (sign in, Allow), then the same flow code as against a real Cal.com.
 */
import { buildMeRequest, parseInstanceArgument, processMeResponse, type CalcomInstance, type TokenSet, type TokenSurface } from '@calcom-oauth/shared';

import type { ClientCredentials } from '../emulator';

import { completeConsent } from './consent';
import type { DemoCalcom } from './demo-scenario';
import type { RecordingExecutor } from './fetch-executor';
import { FixableError } from './fixes';
import type { Log } from './log';
import { startRedirectListener } from './loopback';
import { describeGrantedScopes, runOAuthFlow, type FlowOverrides } from './oauth-flow';

export interface DemoConnection {
  platform: 'Zapier' | 'n8n';
  instance: CalcomInstance;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  tokens: TokenSet;
  surface: TokenSurface;
}

/**
 * @param platformFlow - For a platform that builds the authorize URL and exchanges the code itself
 * (the Zapier app does, through zapier-platform-core), its way of doing so, given the client.
 */
export async function connectPlatform(
  platform: 'Zapier' | 'n8n',
  calcom: DemoCalcom,
  executor: RecordingExecutor,
  log: Log,
  platformFlow?: (client: ClientCredentials, instance: CalcomInstance) => FlowOverrides,
): Promise<DemoConnection> {
  const { emulator } = calcom;
  const instance = parseInstanceArgument(emulator.appUrl, emulator.apiUrl);
  const listener = await startRedirectListener('http://127.0.0.1:0/callback');
  try {
    const client = calcom.registerClient(platform, listener.redirectUri);
    const clientSecret = client.clientSecret ?? '';
    log.addSecret(clientSecret);
    log.line('oauth', `Connecting ${platform}: OAuth client "${client.name}" registered (confidential, scopes ${client.scopes.join(', ')})`);
    const flow = await runOAuthFlow({
      instance,
      clientId: client.clientId,
      clientSecret,
      scopes: calcom.scopes,
      legacyScopeNames: false,
      surface: 'auto',
      ...(platformFlow === undefined ? {} : { overrides: platformFlow(client, instance) }),
      listener,
      timeoutSeconds: 20,
      execute: executor.execute,
      log,
      consent: async (authorizeUrl) => {
        const outcome = await completeConsent(authorizeUrl, {
          ...calcom.user,
          decision: 'allow',
          onStep: (text) => log.line('oauth', `   ${text}`),
        });
        if (outcome.finalPage.url.origin !== new URL(listener.redirectUri).origin) {
          throw new FixableError(`The consent page did not send the browser back: "${outcome.text.slice(0, 200)}".`);
        }
      },
    });
    log.ok('oauth', `4. Granted scopes: ${describeGrantedScopes(flow.rawScopes, flow.tokens.scopes)}`);
    const profile = processMeResponse(await executor.execute(buildMeRequest({ instance, accessToken: flow.tokens.accessToken })));
    log.ok('oauth', `5. GET /v2/me: ${profile.username ?? profile.email} (${profile.name ?? 'no name'}, ${profile.email}); ${platform} is connected`);
    return { platform, instance, clientId: client.clientId, clientSecret, redirectUri: listener.redirectUri, tokens: flow.tokens, surface: flow.surface };
  } finally {
    await listener.close();
  }
}

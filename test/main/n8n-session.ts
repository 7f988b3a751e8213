/**
 * The n8n side of the demo: the real "Cal.com Trigger" node (`n8n-node/nodes`) with its credential
 * type, run by the n8n-like host — `poll()` with the credential, workflow static data and
 * `httpRequestWithAuthentication` refreshing on 401/403 as n8n 2.x does.
 *
 * One active workflow per event, all using the one stored credential, as in an n8n instance: the
 * credential row is shared, so a refresh made by one workflow (which rotates the refresh token) is
 * what the next workflow reads.
 */
import type { IDataObject } from 'n8n-workflow';

import { BOOKING_EVENT_KEYS, DEFAULT_RATE_LIMIT_WAIT_SECONDS } from '@calcom-oauth/shared';

import { CalComOAuth2Api } from '../../n8n-node/credentials/CalComOAuth2Api.credentials';
// By its full name: n8n's layout puts the codex CalComTrigger.node.json beside it, which tsx would load
// for the extensionless path.
import { CalComTrigger } from '../../n8n-node/nodes/CalCom/CalComTrigger.node.ts';
import { N8nCredentialStore, N8nHost, type N8nHostEvent } from '../hosts/n8n-host';
import type { AdapterEvent, AdapterSession, SessionHooks } from './adapter-session';
import type { DemoCalcom } from './demo-scenario';
import type { DemoConnection } from './demo-connect';
import { itemId, summarizeItem } from './event-format';
import type { Log } from './log';


/** The event keys the node's Event selector offers, in the engine's order. */
export function n8nEventKeys(): string[] {
  const property = new CalComTrigger().description.properties.find((candidate) => candidate.name === 'event');
  const values = (property?.options ?? []).map((option) => String((option as { value: unknown }).value));
  // The editor lists them by label; the demo keeps the engine's order so both adapters read alike.
  const rank = (key: string): number => {
    const index = (BOOKING_EVENT_KEYS as readonly string[]).indexOf(key);
    return index === -1 ? BOOKING_EVENT_KEYS.length : index;
  };
  return values.sort((a, b) => rank(a) - rank(b));
}

/**
 * The wait after a 429: the node's NodeApiError keeps the core's CalcomError facts in its
 * `errorResponse` (see `toNodeError`), `retryAfterSeconds` among them.
 */
export function rateLimitWait(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { httpCode?: unknown; errorResponse?: { retryAfterSeconds?: unknown } };
  if (String(candidate.httpCode) !== '429') return undefined;
  const wait = candidate.errorResponse?.retryAfterSeconds;
  return typeof wait === 'number' ? wait : DEFAULT_RATE_LIMIT_WAIT_SECONDS;
}

function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const candidate = error as { message?: unknown; description?: unknown };
    return [candidate.message, candidate.description].filter((part) => typeof part === 'string' && part !== '').join(' — ');
  }
  return String(error);
}

/** The trigger workflows, and the stored credential they share (the demo's action node uses it too). */
export function createN8nSession(connection: DemoConnection, calcom: DemoCalcom, log: Log): AdapterSession & { readonly credential: N8nCredentialStore } {
  const { tokens, instance } = connection;
  const clock = calcom.emulator.clock;
  // What n8n's OAuth callback stores: the token response plus n8n_expires_at.
  const credential = new N8nCredentialStore({
    instance: 'self-hosted',
    appUrl: instance.appUrl,
    apiUrl: instance.apiUrl,
    scopes: [...calcom.scopes],
    clientId: connection.clientId,
    clientSecret: connection.clientSecret,
    oauthTokenData: {
      access_token: tokens.accessToken,
      token_type: 'bearer',
      ...(tokens.refreshToken === undefined ? {} : { refresh_token: tokens.refreshToken }),
      ...(tokens.expiresAt === undefined ? {} : { expires_in: Math.max(0, Math.round((tokens.expiresAt - clock.now()) / 1000)), n8n_expires_at: String(tokens.expiresAt) }),
    } as IDataObject,
  });
  let hooks: SessionHooks | undefined;
  const onEvent = (event: N8nHostEvent): void => {
    if (event.type === 'refresh' && event.status < 400) {
      hooks?.notice({ kind: 'refreshed', adapter: 'n8n', detail: `n8n's httpRequestWithAuthentication refreshed the credential after Cal.com refused the token; the rotated refresh token is stored` });
    }
  };
  const events = n8nEventKeys();
  const workflows = events.map((event) => ({
    event,
    host: new N8nHost({
      nodeType: new CalComTrigger(),
      credentialType: new CalComOAuth2Api(),
      credential,
      parameters: { event },
      nodeName: 'Cal.com Trigger',
      // n8n's clock and Cal.com's agree; the emulator's clock is Cal.com's.
      now: () => clock.now(),
      onEvent,
    }),
  }));

  /** Runs one poll of one workflow, retrying after a 429 as the next tick would. */
  async function run(workflow: (typeof workflows)[number], first: boolean, activeHooks: SessionHooks): Promise<IDataObject[]> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = first ? await workflow.host.activate() : await workflow.host.tick();
        return result === null ? [] : result.flat().map((item) => item.json);
      } catch (error) {
        const wait = rateLimitWait(error);
        if (wait === undefined || attempt >= 3) throw new Error(`n8n workflow "${workflow.event}" failed: ${messageOf(error)}`);
        activeHooks.notice({ kind: 'rate-limited', adapter: 'n8n', trigger: `the "${workflow.event}" workflow`, waitSeconds: wait });
        await activeHooks.waitOut(wait);
      } finally {
        const data = credential.data.oauthTokenData;
        log.addSecret(typeof data?.access_token === 'string' ? data.access_token : undefined);
        log.addSecret(typeof data?.refresh_token === 'string' ? data.refresh_token : undefined);
      }
    }
  }

  return {
    name: 'n8n',
    credential,
    triggers: events,
    start: async (activeHooks) => {
      hooks = activeHooks;
      for (const workflow of workflows) {
        const emitted = await run(workflow, true, activeHooks);
        if (emitted.length > 0) throw new Error(`n8n workflow "${workflow.event}" emitted ${emitted.length} items on activation; the first poll must only record a baseline.`);
      }
    },
    poll: async (activeHooks) => {
      hooks = activeHooks;
      const delivered: AdapterEvent[] = [];
      for (const workflow of workflows) {
        for (const json of await run(workflow, false, activeHooks)) {
          delivered.push({ adapter: 'n8n', event: workflow.event, id: itemId(json), summary: summarizeItem(json) });
        }
      }
      return delivered;
    },
  };
}

/**
 * The Zapier side of the demo: the real Zapier app (`zapier-app/src`) run by the Zapier-like host
 * over zapier-platform-core. The app builds the authorize URL and exchanges the code itself, as it
 * does on Zapier; then one Zap per booking trigger polls through Zapier's deduper, and a stale token
 * is refreshed the way Zapier does (RefreshAuthError → refreshAccessToken → retry once).
 */
import { BOOKING_EVENT_KEYS, normalizeReportedScopes, type CalcomInstance, type TokenSet } from '@calcom-oauth/shared';

import App from '../../zapier-app/src/index';
import type { ClientCredentials } from '../emulator';
import { createZapierHost, messageOf, type ZapierHost, type ZapierHostEvent } from '../hosts/zapier-host';
import type { AdapterEvent, AdapterSession, SessionHooks } from './adapter-session';
import { itemId, summarizeItem } from './event-format';
import type { Log } from './log';
import type { FlowOverrides } from './oauth-flow';

type Trigger = { key?: string; display?: { hidden?: boolean }; operation?: { type?: string } };

/** The visible polling triggers of the app, in the engine's event order when their keys name an event. */
export function zapierBookingTriggers(app: { triggers?: Record<string, Trigger> } = App as never): string[] {
  const visible = Object.entries(app.triggers ?? {})
    // Instant (hook) triggers are not polled: Zapier calls them with a webhook's request.
    .filter(([, trigger]) => trigger.display?.hidden !== true && trigger.operation?.type !== 'hook')
    .map(([key]) => key);
  const rank = (key: string): number => {
    const index = BOOKING_EVENT_KEYS.findIndex((event) => key.includes(event));
    return index === -1 ? BOOKING_EVENT_KEYS.length : index;
  };
  return visible.sort((a, b) => rank(a) - rank(b));
}

/** The engine's event key a trigger key stands for (the key itself when it names none). */
export function eventOfTrigger(triggerKey: string): string {
  return BOOKING_EVENT_KEYS.find((event) => triggerKey.includes(event)) ?? triggerKey;
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** Core's ThrottledError carries `{message, delay}` as JSON in its message. */
function throttleDelay(error: unknown): number | undefined {
  if (errorName(error) !== 'ThrottledError' || !(error instanceof Error)) return undefined;
  try {
    const delay = (JSON.parse(error.message) as { delay?: unknown }).delay;
    return typeof delay === 'number' ? delay : undefined;
  } catch {
    return undefined;
  }
}

export class ZapierPlatform {
  private host: ZapierHost | undefined;
  private hooks: SessionHooks | undefined;
  private env: Record<string, string> | undefined;

  constructor(private readonly log: Log) {}

  /** The app's own authorize URL and code exchange, run by zapier-platform-core. */
  flow(client: ClientCredentials, instance: CalcomInstance): FlowOverrides {
    this.env = {
      CALCOM_INSTANCE: 'self-hosted',
      CALCOM_APP_URL: instance.appUrl,
      CALCOM_API_URL: instance.apiUrl,
      CALCOM_TOKEN_SURFACE: 'v2',
      CLIENT_ID: client.clientId,
      CLIENT_SECRET: client.clientSecret ?? '',
    };
    const host = createZapierHost({
      app: App,
      env: this.env,
      onEvent: (event) => this.onHostEvent(event),
      onAuthDataChange: (authData) => {
        this.log.addSecret(authData.access_token);
        this.log.addSecret(authData.refresh_token);
      },
    });
    this.host = host;
    return {
      via: 'the Zapier app (zapier-platform-core)',
      authorizeUrl: ({ state, redirectUri }) => host.authorizeUrl({ state, redirectUri }),
      exchange: async ({ code, state, redirectUri }) => {
        const authData = await host.connect({ code, state, redirectUri });
        const tokens: TokenSet = {
          accessToken: authData.access_token ?? '',
          tokenType: 'bearer',
          scopes: normalizeReportedScopes(authData.scope),
          ...(authData.refresh_token === undefined ? {} : { refreshToken: authData.refresh_token }),
          ...(authData.expires_at === undefined ? {} : { expiresAt: Date.parse(authData.expires_at) }),
        };
        if (tokens.accessToken === '') throw new Error('The Zapier app returned no access_token from getAccessToken.');
        return { tokens, surface: 'v2', endpoint: 'getAccessToken → POST /v2/auth/oauth2/token' };
      },
    };
  }

  private onHostEvent(event: ZapierHostEvent): void {
    if (event.type === 'refresh' && event.ok) {
      this.hooks?.notice({
        kind: 'refreshed',
        adapter: 'zapier',
        detail: `Zapier ran the app's refreshAccessToken after a stale-auth error; ${event.rotated ? 'the rotated refresh token is stored' : 'refresh token unchanged'}`,
      });
    }
  }

  /** The app's deployment environment (`zapier env:set`), for the hook operations the demo runs on core itself. */
  appEnv(): Record<string, string> {
    if (this.env === undefined) throw new Error('Connect Zapier first.');
    return this.env;
  }

  /** The connected host, for the Zaps' action steps (the app's creates and searches). */
  actionHost(): ZapierHost {
    if (this.host === undefined) throw new Error('Connect Zapier before running its actions.');
    return this.host;
  }

  /** One Zap per booking trigger on the connected account. */
  session(): AdapterSession {
    const host = this.host;
    if (host === undefined) throw new Error('Connect Zapier before polling.');
    const triggers = zapierBookingTriggers();
    if (triggers.length === 0) throw new Error('The Zapier app defines no visible polling trigger yet.');
    const pollOne = async (trigger: string, hooks: SessionHooks): Promise<Record<string, unknown>[]> => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await host.poll(trigger);
        } catch (error) {
          const delay = throttleDelay(error);
          if (delay === undefined || attempt >= 3) throw new Error(`Zapier trigger ${trigger} failed: ${messageOf(error)}`);
          hooks.notice({ kind: 'rate-limited', adapter: 'zapier', trigger, waitSeconds: delay });
          await hooks.waitOut(delay);
        }
      }
    };
    return {
      name: 'zapier',
      triggers,
      start: async (hooks) => {
        this.hooks = hooks;
        for (const trigger of triggers) await pollOne(trigger, hooks);
      },
      poll: async (hooks) => {
        this.hooks = hooks;
        const events: AdapterEvent[] = [];
        for (const trigger of triggers) {
          for (const item of await pollOne(trigger, hooks)) {
            events.push({ adapter: 'zapier', event: eventOfTrigger(trigger), id: itemId(item), summary: summarizeItem(item) });
          }
        }
        return events;
      },
    };
  }
}

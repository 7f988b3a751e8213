/**
 * The n8n side of the demo's instant path: one active workflow per event with the "Cal.com (OAuth2,
 * Instant) Trigger", each in the n8n webhook host (its own production webhook URL on a loopback
 * port). Activation runs the node's webhookMethods (checkExists, create) and its first poll (the
 * reconciliation's baseline); Cal.com's deliveries reach webhook() over HTTP; `reconcile()` is one
 * tick of every workflow's reconciliation poll, which hands what Cal.com did not deliver to the
 * node's own webhook URL as a signed report, so webhook() alone decides what is new.
 */
import type { IDataObject } from 'n8n-workflow';

import { getBookingEventEntry, SIGNATURE_HEADER, type BookingEventKey } from '@calcom-oauth/shared';

import { CalComOAuth2Api } from '../../n8n-node/credentials/CalComOAuth2Api.credentials';
// By its full name: the codex .node.json beside it is what tsx would load for the extensionless path.
import { CalComInstantTrigger } from '../../n8n-node/nodes/CalCom/CalComInstantTrigger.node.ts';
import { INSTANT_EVENT_KEYS } from '../../n8n-node/nodes/CalCom/instant/description';
import { REPORT_KIND } from '../../n8n-node/nodes/CalCom/instant/report';
import { readSubscription } from '../../n8n-node/nodes/CalCom/instant/state';
import type { Emulator } from '../emulator';
import type { N8nCredentialStore } from '../hosts/n8n-host';
import { N8nWebhookHost, type N8nWebhookCall } from '../hosts/n8n-webhook-host';
import { itemId, summarizeItem } from './event-format';
import type { InstantCall, InstantSession, InstantSink } from './instant-session';
import type { Log } from './log';

/**
 * What tells one emitted change from another in the demo's duplicate count. An n8n item carries no
 * event id (its `id` is the booking's), so: the booking uid, and for an event that happens once per
 * change ("booking updated") also the change's time.
 */
export function n8nEventIdentity(event: BookingEventKey, json: IDataObject): string {
  const uid = String(json.uid ?? itemId(json));
  return getBookingEventEntry(event).occursOncePer === 'change' ? `${uid}@${String(json.occurredAt ?? '')}` : uid;
}

function isReport(body: string): boolean {
  try {
    return (JSON.parse(body) as { kind?: unknown }).kind === REPORT_KIND;
  } catch {
    return false;
  }
}

/** The webhook host, telling the demo about every call n8n's webhook server answered. */
class ObservedWebhookHost extends N8nWebhookHost {
  onCall: ((rawBody: string, outcome: N8nWebhookCall | Error, receivedAt: number) => void) | undefined;

  override async receive(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): Promise<N8nWebhookCall> {
    const receivedAt = Date.now();
    try {
      const call = await super.receive(rawBody, headers);
      this.onCall?.(rawBody.toString('utf8'), call, receivedAt);
      return call;
    } catch (error) {
      this.onCall?.(rawBody.toString('utf8'), error instanceof Error ? error : new Error(String(error)), receivedAt);
      throw error;
    }
  }
}

export interface N8nInstantSession extends InstantSession {
  /** One reconciliation poll of every workflow; returns the problems, one line each. */
  reconcile(): Promise<string[]>;
}

export function createN8nInstantSession(credential: N8nCredentialStore, emulator: Emulator, log: Log): N8nInstantSession {
  const workflows = INSTANT_EVENT_KEYS.map((event) => ({
    event,
    host: new ObservedWebhookHost({
      nodeType: new CalComInstantTrigger(),
      credentialType: new CalComOAuth2Api(),
      credential,
      parameters: { event } as IDataObject,
      nodeName: 'Cal.com Instant Trigger',
      now: () => emulator.clock.now(),
    }),
  }));
  const rememberTokens = (): void => {
    const data = credential.data.oauthTokenData;
    log.addSecret(typeof data?.access_token === 'string' ? data.access_token : undefined);
    log.addSecret(typeof data?.refresh_token === 'string' ? data.refresh_token : undefined);
  };
  const byEvent = (event: string) => {
    const workflow = workflows.find((candidate) => candidate.event === event);
    if (workflow === undefined) throw new Error(`No instant workflow for ${event}`);
    return workflow;
  };

  return {
    name: 'n8n',
    triggers: workflows.map((workflow) => workflow.event),
    async start(sink: InstantSink) {
      for (const { event, host } of workflows) {
        await host.listen();
        host.onCall = (body, outcome, receivedAt) => {
          const call: InstantCall = { adapter: 'n8n', body, subscriberUrl: host.webhookUrl, receivedAt };
          if (outcome instanceof Error) return sink.failed(call, `the "${event}" workflow's webhook() failed: ${outcome.message}`);
          if (outcome.status === 401) return sink.refused(call, String((outcome.body as { message?: unknown } | undefined)?.message ?? 'refused'));
          if (outcome.status >= 400) return sink.failed(call, `the "${event}" workflow's webhook answered ${outcome.status}`);
          const via = isReport(body) ? 'reconciled' : 'webhook';
          sink.emitted(call, (outcome.started ?? []).map(({ json }) => ({ adapter: 'n8n', event, id: n8nEventIdentity(event, json), summary: summarizeItem(json), via })));
        };
        try {
          const emitted = await host.activate();
          if (emitted !== null && emitted.flat().length > 0) throw new Error(`the "${event}" instant workflow emitted on activation; its first poll must only record a baseline`);
        } finally {
          rememberTokens();
        }
        // The webhook secret the hooks stored signs every delivery: never printed.
        const slice = host.persistedStaticData['node:Cal.com Instant Trigger'];
        log.addSecret(typeof slice === 'object' && slice !== null ? readSubscription(slice as IDataObject)?.secret : undefined);
      }
    },
    urlOf: (event) => byEvent(event).host.webhookUrl,
    async forge(forged) {
      await fetch(byEvent(forged.event).host.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: forged.signature },
        body: forged.body,
      });
    },
    // n8n answers a webhook call once webhook() has returned, so an answered call is a handled one.
    idle: async () => undefined,
    async reconcile() {
      const problems: string[] = [];
      for (const { event, host } of workflows) {
        try {
          await host.tick();
        } catch (error) {
          problems.push(`the "${event}" reconciliation failed (${error instanceof Error ? error.message : String(error)}); the next one reads the same changes again`);
        } finally {
          rememberTokens();
        }
      }
      return problems;
    },
    async close() {
      for (const { host } of workflows) await host.close();
    },
  };
}

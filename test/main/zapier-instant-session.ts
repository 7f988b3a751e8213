/**
 * The Zapier side of the demo's instant path: one Zap per instant (REST hook) trigger of the app,
 * turned on through zapier-platform-core (`performSubscribe` with a loopback hook URL as
 * `bundle.targetUrl`), and every call Cal.com makes to a hook URL handed to the trigger's `perform`
 * as Zapier would (`bundle.rawRequest` with the raw body and `Http-X-Cal-Signature-256`,
 * `bundle.subscribeData` from the subscribe). A refusal is the app's 401 error: Zapier runs nothing.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

import { SIGNATURE_HEADER } from '@calcom-oauth/shared';
import { createAppTester } from 'zapier-platform-core';

import App from '../../zapier-app/src/index';
import { messageOf, type ZapierHost } from '../hosts/zapier-host';
import { HookReceiver, type ZapierRawRequest } from './hook-receiver';
import type { InstantCall, InstantSession, InstantSink } from './instant-session';
import { itemId, summarizeItem } from './event-format';
import type { Log } from './log';
import { eventOfTrigger, zapierBookingTriggers } from './zapier-session';

type HookTrigger = { display?: { hidden?: boolean }; operation?: { type?: string; perform?: unknown; performSubscribe?: unknown } };

/** The app's visible hook triggers, in the engine's event order. */
export function zapierInstantTriggers(app: { triggers?: Record<string, HookTrigger> } = App as never): string[] {
  const hooks = Object.fromEntries(Object.entries(app.triggers ?? {}).filter(([, trigger]) => trigger.operation?.type === 'hook'));
  // The polling list's ordering, applied to the hook triggers with the type filter lifted.
  const asPolling = Object.fromEntries(Object.entries(hooks).map(([key, trigger]) => [key, { ...trigger, operation: {} }]));
  return zapierBookingTriggers({ triggers: asPolling });
}

/**
 * Core echoes a function's `z.console` lines to the global console (`create-logger-console.js`); on
 * Zapier they go to the task's log, never to anyone's terminal. The hook calls run inside this
 * storage, so their lines are kept in {@link ZapierInstantSession.taskLog} instead of breaking into
 * the demo's output, and nothing else printed through the console is touched.
 */
const insideHookCall = new AsyncLocalStorage<string[]>();

function keepTaskLogLines(): () => void {
  const original = { log: console.log, error: console.error };
  const divert = (fallback: (...args: unknown[]) => void) => (...args: unknown[]) => {
    const taskLog = insideHookCall.getStore();
    if (taskLog === undefined) fallback(...args);
    else taskLog.push(args.map(String).join(' ').trim());
  };
  console.log = divert(original.log.bind(console));
  console.error = divert(original.error.bind(console));
  return () => Object.assign(console, original);
}

export interface ZapierInstantSession extends InstantSession {
  /** What the hook calls wrote to the task's log (z.console), oldest first. */
  readonly taskLog: string[];
}

/** Core's AppError carries `{message, code, status}` as JSON in its message. */
function isRefusal(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  try {
    const payload = JSON.parse(error.message) as { status?: unknown };
    return payload.status === 401;
  } catch {
    return false;
  }
}

export function createZapierInstantSession(host: ZapierHost, appEnv: Record<string, string>, log: Log): ZapierInstantSession {
  const appTester = createAppTester(App);
  const receiver = new HookReceiver();
  const triggers = zapierInstantTriggers();
  const urls = new Map<string, string>();
  const subscriptions = new Map<string, unknown>();
  const pending = new Set<Promise<void>>();
  const savedEnv = new Map<string, string | undefined>();
  const taskLog: string[] = [];
  let restoreConsole: (() => void) | undefined;

  const operation = (trigger: string, name: 'perform' | 'performSubscribe'): unknown => {
    const fn = (App.triggers?.[trigger]?.operation as Record<string, unknown> | undefined)?.[name];
    if (typeof fn !== 'function') throw new Error(`The Zapier app's ${trigger} has no ${name}`);
    return fn;
  };
  const run = async <T>(trigger: string, name: 'perform' | 'performSubscribe', bundle: Record<string, unknown>): Promise<T> =>
    (await insideHookCall.run(taskLog, () => appTester(operation(trigger, name) as never, { authData: host.authData, inputData: {}, ...bundle } as never))) as T;

  const handle = (trigger: string, sink: InstantSink, request: ZapierRawRequest, call: InstantCall): Promise<void> =>
    run<Record<string, unknown>[]>(trigger, 'perform', { subscribeData: subscriptions.get(trigger), rawRequest: request, cleanedRequest: JSON.parse(request.content) as unknown }).then(
      (items) => sink.emitted(call, items.map((item) => ({ adapter: 'zapier', event: eventOfTrigger(trigger), id: itemId(item), summary: summarizeItem(item), via: 'webhook' }))),
      (error: unknown) => (isRefusal(error) ? sink.refused(call, messageOf(error)) : sink.failed(call, `${trigger} perform failed: ${messageOf(error)}`)),
    );

  return {
    name: 'zapier',
    triggers,
    taskLog,
    async start(sink) {
      restoreConsole = keepTaskLogLines();
      // The deployment's environment (`zapier env:set`) for the hook operations, which run straight
      // on core as Zapier calls them; the polling host applies the same values around its own calls.
      for (const [key, value] of Object.entries(appEnv)) {
        savedEnv.set(key, process.env[key]);
        process.env[key] = value;
      }
      await receiver.listen();
      for (const trigger of triggers) {
        const url = receiver.route(trigger, (request, receivedAt) => {
          const call: InstantCall = { adapter: 'zapier', body: request.content, subscriberUrl: url, receivedAt };
          const work = handle(trigger, sink, request, call).finally(() => pending.delete(work));
          pending.add(work);
        });
        urls.set(eventOfTrigger(trigger), url);
        const subscription = await run<{ secret?: unknown }>(trigger, 'performSubscribe', { targetUrl: url });
        // The webhook secret signs every delivery: never printed.
        if (typeof subscription.secret === 'string') log.addSecret(subscription.secret);
        subscriptions.set(trigger, subscription);
      }
    },
    urlOf(event) {
      const url = urls.get(event);
      if (url === undefined) throw new Error(`No instant Zap for ${event}`);
      return url;
    },
    async forge(forged) {
      await fetch(this.urlOf(forged.event), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: forged.signature },
        body: forged.body,
      });
      await this.idle();
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    async close() {
      await receiver.close();
      restoreConsole?.();
      restoreConsole = undefined;
      for (const [key, value] of savedEnv) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
}

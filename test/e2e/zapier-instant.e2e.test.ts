/**
 * The Zapier app's instant triggers end to end, through zapier-platform-core against the emulator,
 * which pushes signed deliveries (allowLoopbackWebhooks): a local HTTP receiver stands in for
 * Zapier's hook URL (`bundle.targetUrl`) and records each request as Zapier hands it to `perform`
 * (`bundle.rawRequest`). Subscribe → the emulator holds the webhook → a booking change → the emulator
 * delivers → perform on that raw request → exactly the polling trigger's item; forged and repeated
 * calls emit nothing; unsubscribe → the emulator holds no webhook and delivers nothing more.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createAppTester } from 'zapier-platform-core';
import { startEmulator, type Emulator } from '../emulator';
import App from '../../zapier-app/src/index';
import { createZapierHost, messageOf, type ZapierHost } from '../hosts/zapier-host';
import { zapierHeaders } from '../hosts/zapier-raw-request';

const REDIRECT_URI = 'https://zapier.com/dashboard/auth/oauth/return/CalcomOAuthCLIAPI/';

/** What Zapier gives a hook's perform (zapier-platform CLI README, "bundle.rawRequest"). */
interface RawRequest {
  method: 'POST';
  querystring: string;
  headers: Record<string, string>;
  content: string;
}

/** The hook URL Zapier would give the subscription: records every call, answers 200 at once. */
class HookReceiver {
  readonly calls: RawRequest[] = [];
  url = '';
  private server!: Server;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.calls.push({ method: 'POST', querystring: '', headers: zapierHeaders(req.headers), content: Buffer.concat(chunks).toString('utf8') });
        res.end('{"status":"success"}');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/hooks/standard/1/zap`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let emulator: Emulator;
let host: ZapierHost;
let receiver: HookReceiver;
const appTester = createAppTester(App);
let appEnv: Record<string, string> = {};
const savedEnv = new Map<string, string | undefined>();

beforeAll(async () => {
  emulator = await startEmulator({ era: '2026', bookings: 0, allowLoopbackWebhooks: true });
  receiver = new HookReceiver();
  await receiver.start();
  const client = emulator.seeded.clients.scoped;
  appEnv = {
    CALCOM_INSTANCE: 'self-hosted',
    CALCOM_APP_URL: emulator.appUrl,
    CALCOM_API_URL: emulator.apiUrl,
    CALCOM_TOKEN_SURFACE: 'v2',
    CLIENT_ID: client.clientId,
    CLIENT_SECRET: client.clientSecret ?? '',
  };
  host = createZapierHost({ app: App, env: appEnv });
  // The hook operations run straight on appTester (the host polls; Zapier calls hooks), so the
  // deployment's environment is set for this file and restored after it.
  for (const [key, value] of Object.entries(appEnv)) {
    savedEnv.set(key, process.env[key]);
    process.env[key] = value;
  }
});
afterAll(async () => {
  for (const [key, value] of savedEnv) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await emulator?.close();
  await receiver?.stop();
});

/** Runs a hook operation of `triggerKey` the way Zapier does, with the stored connection. */
async function hook<T>(triggerKey: string, operation: 'performSubscribe' | 'performUnsubscribe' | 'perform', bundle: Record<string, unknown>): Promise<T> {
  const fn = (App.triggers?.[triggerKey]?.operation as Record<string, unknown> | undefined)?.[operation];
  if (typeof fn !== 'function') throw new Error(`${triggerKey} has no ${operation}`);
  return (await appTester(fn as never, { authData: host.authData, inputData: {}, ...bundle } as never)) as T;
}

describe('Zapier instant triggers on the emulator', () => {
  let subscribeData: { id: string; secret: string; webhooks: Array<{ id: string }> };
  const deliveries = (): RawRequest[] => receiver.calls;

  it('connects with the default scopes, which include the webhook scopes, and Cal.com grants them', async () => {
    const clientId = emulator.seeded.clients.scoped.clientId;
    const state = 'zap-instant-state';
    const scopes = (new URL(await host.authorizeUrl({ state, redirectUri: REDIRECT_URI })).searchParams.get('scope') ?? '').split(',');
    expect(scopes).toEqual(expect.arrayContaining(['WEBHOOK_READ', 'WEBHOOK_WRITE', 'EVENT_TYPE_WRITE']));
    const location = new URL(emulator.approveHeadless({ clientId, redirectUri: REDIRECT_URI, scopes, state }));
    const authData = await host.connect({ code: location.searchParams.get('code') ?? '', redirectUri: REDIRECT_URI, state });
    expect(authData.scope?.split(' ')).toEqual(expect.arrayContaining(['WEBHOOK_WRITE']));
  });

  it('subscribe: the emulator holds one active, signed user webhook for the hook URL with the event\'s trigger', async () => {
    await expect(host.poll('booking_created')).resolves.toEqual([]);
    subscribeData = await hook('booking_created_instant', 'performSubscribe', { targetUrl: receiver.url });
    const stored = emulator.store.webhooks.get(subscribeData.id);
    expect(stored).toMatchObject({ subscriberUrl: receiver.url, eventTriggers: ['BOOKING_CREATED'], active: true, secret: subscribeData.secret, eventTypeId: null, version: '2021-10-20' });
    expect(emulator.store.webhooks.size).toBe(1);
  });

  it('a booking made in Cal.com is delivered to the hook URL, and perform on that raw request gives exactly the polling trigger\'s item', async () => {
    const made = emulator.generator.createBooking({ eventTypeId: 1 });
    await emulator.settleWebhooks();
    expect(deliveries()).toHaveLength(1);
    const [call] = deliveries() as [RawRequest];
    expect(call.headers['Http-X-Cal-Signature-256']).toMatch(/^[0-9a-f]{64}$/);

    const items = await hook<Record<string, unknown>[]>('booking_created_instant', 'perform', { subscribeData, rawRequest: call, cleanedRequest: JSON.parse(call.content) });
    expect(items.map((item) => [item.id, item.event, item.bookingUid, item.status])).toEqual([[made.uid, 'booking_created', made.uid, 'accepted']]);

    // The polling Zap sees the same change with the same id and the same fields.
    const polled = await host.poll('booking_created');
    expect(polled.map((item) => item.id)).toEqual([made.uid]);
    const [pushed] = items as [Record<string, unknown>];
    for (const key of ['bookingId', 'title', 'start', 'end', 'eventTypeId', 'hostEmail', 'attendeeEmail', 'attendeeName', 'location']) {
      expect([key, pushed[key]]).toEqual([key, polled[0]?.[key]]);
    }
  });

  it('the same delivery again (a Cal.com task retry) runs the Zap no second time', async () => {
    const [call] = deliveries() as [RawRequest];
    await expect(hook('booking_created_instant', 'perform', { subscribeData, rawRequest: call })).resolves.toEqual([]);
  });

  it('forged calls to the hook URL are refused and emit nothing: altered body, another secret, no signature, unsigned', async () => {
    const [genuine] = deliveries() as [RawRequest];
    const forgedBody = genuine.content.replace(/"title":"[^"]*"/, '"title":"Free money"');
    expect(forgedBody).not.toBe(genuine.content);
    const signature = 'Http-X-Cal-Signature-256';
    const forgeries: Array<[RawRequest, RegExp]> = [
      [{ ...genuine, content: forgedBody }, /does not match its body/],
      [{ ...genuine, content: forgedBody, headers: { ...genuine.headers, [signature]: createHmac('sha256', 'guessed-secret').update(forgedBody).digest('hex') } }, /does not match its body/],
      [{ ...genuine, headers: Object.fromEntries(Object.entries(genuine.headers).filter(([name]) => name !== signature)) }, /without the X-Cal-Signature-256 header/],
      [{ ...genuine, headers: { ...genuine.headers, [signature]: 'no-secret-provided' } }, /unsigned/],
    ];
    for (const [rawRequest, reason] of forgeries) {
      const outcome = await hook('booking_created_instant', 'perform', { subscribeData, rawRequest }).then(
        (items) => ({ items }),
        (error: unknown) => ({ error: messageOf(error) }),
      );
      expect(outcome).toEqual({ error: expect.stringMatching(reason) });
      expect(JSON.stringify(outcome)).not.toContain(subscribeData.secret);
    }
  });

  it('unsubscribe: the emulator holds the webhook no more, and a later booking reaches the hook URL no more', async () => {
    await expect(hook('booking_created_instant', 'performUnsubscribe', { subscribeData })).resolves.toEqual({ deleted: 1 });
    expect(emulator.store.webhooks.has(subscribeData.id)).toBe(false);
    const before = deliveries().length;
    emulator.generator.createBooking({ eventTypeId: 1 });
    await emulator.settleWebhooks();
    expect(deliveries()).toHaveLength(before);
    // Unsubscribing twice (Zapier retries a failed unsubscribe) finds it gone and is fine.
    await expect(hook('booking_created_instant', 'performUnsubscribe', { subscribeData })).resolves.toEqual({ deleted: 1 });
  });

  it('subscribing again to a URL already in use reuses that webhook with the new secret: never two', async () => {
    const first = await hook<typeof subscribeData>('booking_cancelled_instant', 'performSubscribe', { targetUrl: receiver.url });
    const second = await hook<typeof subscribeData>('booking_cancelled_instant', 'performSubscribe', { targetUrl: receiver.url });
    expect(second.id).toBe(first.id);
    expect(second.secret).not.toBe(first.secret);
    expect([...emulator.store.webhooks.values()].filter((webhook) => webhook.subscriberUrl === receiver.url)).toHaveLength(1);
    expect(emulator.store.webhooks.get(second.id)?.secret).toBe(second.secret);
    await hook('booking_cancelled_instant', 'performUnsubscribe', { subscribeData: second });
    expect(emulator.store.webhooks.size).toBe(0);
  });
});

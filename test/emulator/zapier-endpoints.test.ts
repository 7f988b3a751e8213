import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type Emulator } from './index';
import { getJson, postJson } from './test-helpers';

let emu: Emulator;
let legacyToken: string;
beforeEach(async () => {
  emu = await startEmulator({ bookings: 10 });
  legacyToken = emu.mintTokens({ clientId: emu.seeded.clients.legacy.clientId, scopes: ['READ_BOOKING', 'READ_PROFILE'] }).access_token;
});
afterEach(async () => {
  await emu.close();
});

const zapier = (handler: string) => `${emu.appUrl}/api/integrations/zapier/${handler}`;

describe('legacy Zapier endpoints', () => {
  test('listBookings: 201, three most recent on own event types, legacy item shape', async () => {
    const res = await getJson(zapier('listBookings'), legacyToken);
    expect(res.status).toBe(201);
    expect(res.body).toHaveLength(3);
    const ownIds = [...emu.store.bookings.values()].filter((b) => b.userId === 1).map((b) => b.id).sort((a, b) => b - a).slice(0, 3);
    const byUid = new Map([...emu.store.bookings.values()].map((b) => [b.uid, b.id]));
    expect(res.body.map((item: { uid: string }) => byUid.get(item.uid))).toEqual(ownIds);
    const item = res.body[0];
    expect(item).not.toHaveProperty('id');
    expect(item).not.toHaveProperty('createdAt');
    expect(item.status).toMatch(/^[A-Z_]+$/);
    expect(item).toHaveProperty('startTime');
    expect(item.user.username).toBe('alice');
  });

  test('literal legacy scopes; new-scope tokens and API-key-only routes fail', async () => {
    const scoped = emu.mintTokens({ clientId: emu.seeded.clients.scoped.clientId, scopes: ['BOOKING_READ', 'PROFILE_READ'] }).access_token;
    expect((await getJson(zapier('listBookings'), scoped)).status).toBe(401);
    const profileOnly = emu.mintTokens({ clientId: emu.seeded.clients.legacy.clientId, scopes: ['READ_PROFILE'] }).access_token;
    expect((await getJson(zapier('listBookings'), profileOnly)).status).toBe(401);
    expect((await getJson(zapier('listOOOEntries'), profileOnly)).status).toBe(200);
    const me = await getJson(zapier('me'), legacyToken);
    expect([me.status, me.body.message]).toEqual([401, 'No API key provided']);
    const del = await fetch(`${zapier('deleteSubscription')}?id=x`, { method: 'DELETE', headers: { authorization: `Bearer ${legacyToken}` } });
    expect(del.status).toBe(400);
    const wrongMethod = await fetch(zapier('listBookings'), { method: 'POST', headers: { authorization: `Bearer ${legacyToken}` } });
    expect([wrongMethod.status, await wrongMethod.json()]).toEqual([405, { message: 'Method Not Allowed (Allow: GET)' }]);
  });

  test('addSubscription creates a webhook row; generator changes are delivered flat to loopback subscribers', async () => {
    const received: Array<{ body: any; signature: string | undefined }> = [];
    const server: Server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => { raw += c.toString(); });
      req.on('end', () => {
        received.push({ body: JSON.parse(raw), signature: req.headers['x-cal-signature-256'] as string | undefined });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const subscriberUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const created = await postJson(zapier('addSubscription'), { subscriberUrl, triggerEvent: 'BOOKING_CANCELLED' }, { authorization: `Bearer ${legacyToken}` });
      expect(created.status).toBe(200);
      expect(await created.json()).toMatchObject({ userId: 1, eventTriggers: ['BOOKING_CANCELLED'], subscriberUrl, active: true, appId: 'zapier', secret: null, version: '2021-10-20' });
      const offsite = await postJson(zapier('addSubscription'), { subscriberUrl: 'https://hooks.zapier.com/x', triggerEvent: 'BOOKING_CANCELLED' }, { authorization: `Bearer ${legacyToken}` });
      expect(offsite.status).toBe(200);
      const booking = emu.generator.createBooking({});
      emu.generator.cancelBooking(booking.uid, 'Ill');
      await emu.settleWebhooks();
      expect(received).toHaveLength(1);
      expect(received[0]!.signature).toBe('no-secret-provided');
      expect(received[0]!.body).toMatchObject({ uid: booking.uid, status: 'CANCELLED', cancellationReason: 'Ill' });
      expect(received[0]!.body).not.toHaveProperty('triggerEvent');
      expect(emu.webhookDeliveries().map((d) => d.outcome).sort()).toEqual([200, 'skipped']);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { startEmulator, type Emulator, type EmulatorOptions } from './index';

/** What the loopback subscriber received. */
interface Received { path: string; headers: IncomingMessage['headers']; body: string; at: number }

/** A real HTTP subscriber; `behave` decides each answer (default 200 at once). */
class Subscriber {
  readonly received: Received[] = [];
  behave: (path: string, res: ServerResponse) => void = (_p, res) => res.end('ok');
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        this.received.push({ path: req.url ?? '', headers: req.headers, body, at: Date.now() });
        this.behave(req.url ?? '', res);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  json(index: number): any {
    return JSON.parse(this.received[index]!.body);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SECRET = 'whsec-test-secret';
const ALL_BOOKING_TRIGGERS = ['BOOKING_CREATED', 'BOOKING_REQUESTED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED', 'BOOKING_REJECTED', 'BOOKING_NO_SHOW_UPDATED', 'MEETING_ENDED'];

let emu: Emulator;
let sub: Subscriber;
let write: string;

async function boot(options: EmulatorOptions = {}): Promise<void> {
  emu = await startEmulator({ era: '2026', bookings: 4, startAt: '2026-03-02T09:00:00Z', allowLoopbackWebhooks: true, ...options });
  write = token(['WEBHOOK_READ', 'WEBHOOK_WRITE', 'EVENT_TYPE_READ', 'EVENT_TYPE_WRITE', 'BOOKING_WRITE']);
}

beforeEach(async () => {
  sub = new Subscriber();
  await sub.start();
  await boot();
});
afterEach(async () => {
  await emu.close();
  await sub.stop();
});

function token(scopes: string[], userId = 1): string {
  const client = scopes.every((s) => s.startsWith('READ_')) ? emu.seeded.clients.legacy : emu.seeded.clients.scoped;
  return emu.mintTokens({ clientId: client.clientId, userId, scopes }).access_token;
}

async function call(method: string, path: string, bearer: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${emu.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', 'cal-api-version': '2024-08-13' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function subscribe(extra: Record<string, unknown> = {}, path = '/v2/webhooks'): Promise<{ id: string; secret: string | null }> {
  const res = await call('POST', path, write, { subscriberUrl: `${sub.url}/hook`, triggers: ALL_BOOKING_TRIGGERS, active: true, secret: SECRET, ...extra });
  expect(res.status).toBe(201);
  return res.body.data;
}

const hmac = (secret: string, body: string): string => createHmac('sha256', secret).update(body).digest('hex');

describe('webhook CRUD', () => {
  test('create, list, get, update and delete a user webhook; the id is a UUID and the secret comes back in clear', async () => {
    const created = await call('POST', '/v2/webhooks', write, { subscriberUrl: `${sub.url}/a`, triggers: ['BOOKING_CREATED'], active: true, secret: 's1' });
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;
    expect(id).toMatch(UUID);
    expect(created.body.data).toEqual({ id, userId: 1, subscriberUrl: `${sub.url}/a`, triggers: ['BOOKING_CREATED'], active: true, payloadTemplate: null, secret: 's1', version: '2021-10-20', time: null, timeUnit: null });

    expect((await call('GET', '/v2/webhooks', write)).body.data.map((w: { id: string }) => w.id)).toEqual([id]);
    expect((await call('GET', `/v2/webhooks/${id}`, write)).body.data.secret).toBe('s1');

    // PATCH strips unknown keys: `eventTriggers` changes nothing and still answers 200.
    const ignored = await call('PATCH', `/v2/webhooks/${id}`, write, { eventTriggers: ['BOOKING_CANCELLED'] });
    expect(ignored.status).toBe(200);
    expect(ignored.body.data.triggers).toEqual(['BOOKING_CREATED']);
    const patched = await call('PATCH', `/v2/webhooks/${id}`, write, { triggers: ['BOOKING_CANCELLED'], active: false });
    expect(patched.body.data).toMatchObject({ triggers: ['BOOKING_CANCELLED'], active: false });

    const deleted = await call('DELETE', `/v2/webhooks/${id}`, write);
    expect(deleted.status).toBe(200);
    expect(deleted.body.data.id).toBe(id);
    expect((await call('GET', `/v2/webhooks/${id}`, write)).status).toBe(404);
  });

  test('event-type webhooks: CRUD under the event type, printed with eventTypeId', async () => {
    const created = await call('POST', '/v2/event-types/1/webhooks', write, { subscriberUrl: `${sub.url}/et`, triggers: ['BOOKING_CREATED'], active: true });
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;
    expect(created.body.data).toMatchObject({ id, eventTypeId: 1, secret: null });
    expect(created.body.data.userId).toBeUndefined();
    expect((await call('GET', '/v2/event-types/1/webhooks', write)).body.data).toHaveLength(1);
    expect((await call('GET', `/v2/event-types/1/webhooks/${id}`, write)).status).toBe(200);
    expect((await call('PATCH', `/v2/event-types/1/webhooks/${id}`, write, { active: false })).body.data.active).toBe(false);
    // Not a user webhook, and not a webhook of another event type.
    expect((await call('GET', `/v2/webhooks/${id}`, write)).status).toBe(403);
    expect((await call('GET', `/v2/event-types/2/webhooks/${id}`, write)).status).toBe(403);
    expect((await call('DELETE', `/v2/event-types/1/webhooks/${id}`, write)).status).toBe(200);
    await call('POST', '/v2/event-types/1/webhooks', write, { subscriberUrl: `${sub.url}/x`, triggers: ['BOOKING_CREATED'], active: true });
    const all = await call('DELETE', '/v2/event-types/1/webhooks', write);
    expect(all).toEqual({ status: 200, body: { status: 'success', data: '1 webhooks deleted' } });
  });

  test("the body follows Cal.com's DTO: triggers and active are required, trigger names and versions are checked", async () => {
    const base = { subscriberUrl: `${sub.url}/v`, triggers: ['BOOKING_CREATED'], active: true };
    const missingActive = await call('POST', '/v2/webhooks', write, { subscriberUrl: base.subscriberUrl, triggers: base.triggers });
    expect(missingActive.status).toBe(400);
    expect(missingActive.body.error.message).toContain('active must be a boolean value');
    const wrongName = await call('POST', '/v2/webhooks', write, { subscriberUrl: base.subscriberUrl, eventTriggers: base.triggers, active: true });
    expect(wrongName.status).toBe(400);
    expect(wrongName.body.error.message).toContain('triggers must be an array');
    expect((await call('POST', '/v2/webhooks', write, { ...base, triggers: ['BOOKING_CONFIRMED'] })).status).toBe(400);
    expect((await call('POST', '/v2/webhooks', write, { ...base, version: '2020-01-01' })).status).toBe(400);
    expect((await call('POST', '/v2/webhooks', write, { ...base, triggers: ['AFTER_HOSTS_CAL_VIDEO_NO_SHOW'] })).status).toBe(400);
    const full = await call('POST', '/v2/webhooks', write, { ...base, version: '2026-07-27', payloadTemplate: '{"uid":"{{uid}}"}' });
    expect(full.body.data).toMatchObject({ version: '2026-07-27', payloadTemplate: '{"uid":"{{uid}}"}' });
  });

  test('a duplicate subscriber URL is a 409 for the same user or event type, not across them or users', async () => {
    const body = { subscriberUrl: `${sub.url}/dup`, triggers: ['BOOKING_CREATED'], active: true };
    expect((await call('POST', '/v2/webhooks', write, body)).status).toBe(201);
    const again = await call('POST', '/v2/webhooks', write, body);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('Webhook with this subscriber url already exists for this user');
    expect((await call('POST', '/v2/event-types/1/webhooks', write, body)).status).toBe(201);
    expect((await call('POST', '/v2/event-types/1/webhooks', write, body)).body.error.message).toBe('Webhook with this subscriber url already exists for this event type');
    expect((await call('POST', '/v2/webhooks', token(['WEBHOOK_WRITE'], 2), body)).status).toBe(201);
    // Moving another webhook onto a taken URL is a 409 as well.
    const other = await call('POST', '/v2/webhooks', write, { ...body, subscriberUrl: `${sub.url}/other` });
    expect((await call('PATCH', `/v2/webhooks/${other.body.data.id}`, write, { subscriberUrl: body.subscriberUrl })).status).toBe(409);
  });

  test('scopes: WEBHOOK_WRITE/READ on user webhooks, EVENT_TYPE_WRITE/READ on event-type webhooks; legacy tokens unrestricted', async () => {
    const body = { subscriberUrl: `${sub.url}/s`, triggers: ['BOOKING_CREATED'], active: true };
    const bookingsOnly = await call('POST', '/v2/webhooks', token(['BOOKING_READ']), body);
    expect(bookingsOnly.status).toBe(403);
    expect(bookingsOnly.body.error.message).toContain('Required: WEBHOOK_WRITE');
    const reader = token(['WEBHOOK_READ']);
    expect((await call('GET', '/v2/webhooks', reader)).status).toBe(200);
    expect((await call('POST', '/v2/webhooks', reader, body)).status).toBe(403);
    const eventTypeReader = token(['EVENT_TYPE_READ']);
    expect((await call('GET', '/v2/event-types/1/webhooks', eventTypeReader)).status).toBe(200);
    const denied = await call('POST', '/v2/event-types/1/webhooks', eventTypeReader, body);
    expect(denied.body.error.message).toContain('Required: EVENT_TYPE_WRITE');
    expect((await call('POST', '/v2/event-types/1/webhooks', token(['WEBHOOK_WRITE']), body)).status).toBe(403);
    const legacy = token(['READ_BOOKING', 'READ_PROFILE']);
    expect((await call('POST', '/v2/webhooks', legacy, body)).status).toBe(201);
    expect((await call('POST', '/v2/event-types/1/webhooks', legacy, body)).status).toBe(201);
  });

  test("owners only: another user's webhook or event type is a 403, as is a team event type", async () => {
    const { id } = await subscribe();
    const bob = token(['WEBHOOK_READ', 'WEBHOOK_WRITE', 'EVENT_TYPE_WRITE'], 2);
    const foreign = await call('GET', `/v2/webhooks/${id}`, bob);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toContain('IsUserWebhookGuard');
    expect((await call('DELETE', `/v2/webhooks/${id}`, bob)).status).toBe(403);
    expect((await call('POST', '/v2/event-types/1/webhooks', bob, { subscriberUrl: `${sub.url}/b`, triggers: ['BOOKING_CREATED'], active: true })).status).toBe(403);
    emu.store.eventTypes.set(60, { ...emu.store.eventType(1), id: 60, slug: 'team-rr', teamId: 5 });
    expect((await call('POST', '/v2/event-types/60/webhooks', write, { subscriberUrl: `${sub.url}/t`, triggers: ['BOOKING_CREATED'], active: true })).status).toBe(403);
    expect((await call('GET', '/v2/event-types/999/webhooks', write)).status).toBe(404);
  });

  test("subscriber URLs: Cal.com's HTTPS/public-host rule by default; the switch admits loopback only", async () => {
    await emu.close();
    await boot({ allowLoopbackWebhooks: false });
    const make = (url: string) => call('POST', '/v2/webhooks', write, { subscriberUrl: url, triggers: ['BOOKING_CREATED'], active: true });
    for (const refused of [`${sub.url}/hook`, 'http://hooks.example.com/x', 'https://10.1.2.3/x', 'https://169.254.169.254/latest', 'https://localhost/x', 'https://192.168.0.9/x', 'not a url']) {
      const res = await make(refused);
      expect([refused, res.status]).toEqual([refused, 400]);
      expect(res.body.error.message).toMatch(/^Webhook URL is not allowed: /);
    }
    expect((await make('https://hooks.example.com/cal')).status).toBe(201);
    // A public URL is accepted but never called: the emulator does not reach the internet.
    emu.generator.createBooking({ eventTypeId: 1 });
    await emu.settleWebhooks();
    expect(emu.webhookDeliveries().map((d) => d.outcome)).toEqual(['skipped']);

    await emu.close();
    await boot({ allowLoopbackWebhooks: true });
    expect((await make(`${sub.url}/hook`)).status).toBe(201);
    expect((await make('http://hooks.example.com/x')).status).toBe(400);
    expect((await make('https://10.1.2.3/x')).status).toBe(400);
  });
});

describe('deliveries', () => {
  test('BOOKING_CREATED: the envelope, UPPERCASE status, startTime/endTime, signed with the secret over the raw body', async () => {
    const { id } = await subscribe();
    const booking = emu.generator.createBooking({ eventTypeId: 1 });
    await emu.settleWebhooks();
    expect(sub.received).toHaveLength(1);
    const got = sub.received[0]!;
    expect(got.headers['x-cal-signature-256']).toBe(hmac(SECRET, got.body));
    expect(got.headers['x-cal-webhook-version']).toBe('2021-10-20');
    expect(got.headers['content-type']).toBe('application/json');
    const body = sub.json(0);
    expect(Object.keys(body).sort()).toEqual(['createdAt', 'payload', 'triggerEvent']);
    expect(body.triggerEvent).toBe('BOOKING_CREATED');
    expect(body.createdAt).toBe('2026-03-02T09:00:00.000Z');
    expect(body.payload).toMatchObject({
      uid: booking.uid, bookingId: booking.id, status: 'ACCEPTED', type: emu.store.eventType(1).slug,
      startTime: new Date(booking.start).toISOString(), endTime: new Date(booking.end).toISOString(),
      organizer: { email: 'alice@example.com' }, attendees: [{ email: booking.attendees[0]!.email }],
    });
    expect(body.payload.start).toBeUndefined();
    const [logged] = emu.webhookDeliveries();
    expect(logged).toMatchObject({ seq: 1, webhookId: id, trigger: 'BOOKING_CREATED', bookingUid: booking.uid, outcome: 200, fault: null, body: got.body, signature: got.headers['x-cal-signature-256'] });
  });

  test('without a secret the header is the literal no-secret-provided', async () => {
    await subscribe({ secret: undefined });
    emu.generator.createBooking({ eventTypeId: 1 });
    await emu.settleWebhooks();
    expect(sub.received[0]!.headers['x-cal-signature-256']).toBe('no-secret-provided');
  });

  test("Cal.com's trigger quirks: requested, confirmation as BOOKING_CREATED, reschedule uids, request-reschedule as a cancellation, rejection", async () => {
    await subscribe();
    const pending = emu.generator.createBooking({ eventTypeId: 9 });
    // The confirmation goes through the API write route.
    expect((await call('POST', `/v2/bookings/${pending.uid}/confirm`, write)).status).toBe(200);
    const moved = emu.generator.createBooking({ eventTypeId: 1 });
    const replacement = emu.generator.rescheduleBooking(moved.uid, moved.start + 86_400_000, { reason: 'Moved', byEmail: 'alice@example.com' });
    const asked = emu.generator.createBooking({ eventTypeId: 1, start: moved.start + 7_200_000 });
    emu.generator.requestReschedule(asked.uid, 'Please pick another time');
    const dropped = emu.generator.createBooking({ eventTypeId: 1, start: moved.start + 14_400_000 });
    emu.generator.cancelBooking(dropped.uid, 'Something came up');
    const declined = emu.generator.createBooking({ eventTypeId: 9, start: moved.start + 21_600_000 });
    emu.generator.rejectBooking(declined.uid, 'Not available');
    await emu.settleWebhooks();
    const bodies = sub.received.map((r) => JSON.parse(r.body));
    const seen = bodies.map((b) => `${b.triggerEvent} ${b.payload.uid} ${b.payload.status}`);
    expect(seen).toEqual([
      `BOOKING_REQUESTED ${pending.uid} PENDING`,
      `BOOKING_CREATED ${pending.uid} ACCEPTED`,
      `BOOKING_CREATED ${moved.uid} ACCEPTED`,
      `BOOKING_RESCHEDULED ${replacement.uid} ACCEPTED`,
      `BOOKING_CREATED ${asked.uid} ACCEPTED`,
      `BOOKING_CANCELLED ${asked.uid} CANCELLED`,
      `BOOKING_CREATED ${dropped.uid} ACCEPTED`,
      `BOOKING_CANCELLED ${dropped.uid} CANCELLED`,
      `BOOKING_REQUESTED ${declined.uid} PENDING`,
      `BOOKING_REJECTED ${declined.uid} REJECTED`,
    ]);
    expect(bodies[3].payload).toMatchObject({ rescheduleUid: moved.uid, rescheduleId: moved.id, rescheduleStartTime: new Date(moved.start).toISOString(), rescheduledBy: 'alice@example.com' });
    expect(bodies[5].payload).toMatchObject({ requestReschedule: true, cancellationReason: 'Please pick another time' });
    expect(bodies[7].payload).toMatchObject({ requestReschedule: false, cancellationReason: 'Something came up' });
    expect(bodies[9].payload.rejectionReason).toBe('Not available');
    for (const r of sub.received) expect(r.headers['x-cal-signature-256']).toBe(hmac(SECRET, r.body));
  });

  test('BOOKING_NO_SHOW_UPDATED from the mark-absent write has its own small payload', async () => {
    await subscribe();
    const booking = emu.generator.createBooking({ eventTypeId: 1 });
    emu.clock.set(booking.start + 60_000);
    // The clock jumped a day: the first token has expired.
    const marked = await call('POST', `/v2/bookings/${booking.uid}/mark-absent`, token(['BOOKING_WRITE']), { attendees: [{ email: booking.attendees[0]!.email, absent: true }] });
    expect(marked.status).toBe(200);
    await emu.settleWebhooks();
    const body = sub.json(1);
    expect(body.triggerEvent).toBe('BOOKING_NO_SHOW_UPDATED');
    expect(body.payload).toMatchObject({ bookingUid: booking.uid, bookingId: booking.id, attendees: [{ email: booking.attendees[0]!.email, noShow: true }] });
  });

  test('MEETING_ENDED is a flat row, and only for bookings made after the webhook was created', async () => {
    const before = emu.generator.createBooking({ eventTypeId: 1 });
    emu.clock.advance(60);
    await subscribe({ triggers: ['MEETING_ENDED'] });
    const after = emu.generator.createBooking({ eventTypeId: 1, start: before.start + 7_200_000 });
    emu.generator.endMeeting(before.uid);
    emu.generator.endMeeting(after.uid);
    await emu.settleWebhooks();
    expect(sub.received).toHaveLength(1);
    const row = sub.json(0);
    expect(row).toMatchObject({ triggerEvent: 'MEETING_ENDED', uid: after.uid, id: after.id, startTime: new Date(after.start).toISOString(), status: 'ACCEPTED' });
    expect(row.payload).toBeUndefined();
    expect(sub.received[0]!.headers['x-cal-signature-256']).toBe(hmac(SECRET, sub.received[0]!.body));
  });

  test('user webhooks fire for own personal event types only; event-type webhooks for their event type only', async () => {
    await subscribe();
    await call('POST', '/v2/event-types/2/webhooks', write, { subscriberUrl: `${sub.url}/et2`, triggers: ['BOOKING_CREATED'], active: true });
    emu.store.eventTypes.set(60, { ...emu.store.eventType(1), id: 60, slug: 'team-rr', teamId: 5 });
    emu.generator.createBooking({ eventTypeId: 60 });
    const onTwo = emu.generator.createBooking({ eventTypeId: 2 });
    emu.generator.createBooking({ userId: 2 });
    await emu.settleWebhooks();
    expect(sub.received.map((r) => `${r.path} ${JSON.parse(r.body).payload.uid}`).sort()).toEqual([`/et2 ${onTwo.uid}`, `/hook ${onTwo.uid}`].sort());
  });

  test('an inactive webhook gets nothing; a payloadTemplate replaces the envelope', async () => {
    const { id } = await subscribe();
    await call('PATCH', `/v2/webhooks/${id}`, write, { active: false });
    await call('POST', '/v2/webhooks', write, { subscriberUrl: `${sub.url}/tpl`, triggers: ['BOOKING_CREATED'], active: true, payloadTemplate: '{"event":"{{triggerEvent}}","who":"{{organizer.email}}"}' });
    emu.generator.createBooking({ eventTypeId: 1 });
    await emu.settleWebhooks();
    expect(sub.received.map((r) => [r.path, r.body])).toEqual([['/tpl', '{"event":"BOOKING_CREATED","who":"alice@example.com"}']]);
  });

  test('no retry after a failure, and a redirect is not followed', async () => {
    await subscribe();
    sub.behave = (path, res) => {
      if (path === '/hook') { res.statusCode = 500; res.end('boom'); return; }
      res.end('ok');
    };
    emu.generator.createBooking({ eventTypeId: 1 });
    await emu.settleWebhooks();
    expect(emu.webhookDeliveries().map((d) => d.outcome)).toEqual([500]);
    expect(sub.received).toHaveLength(1);
    sub.behave = (path, res) => {
      if (path === '/hook') { res.writeHead(302, { location: `${sub.url}/elsewhere` }); res.end(); return; }
      res.end('ok');
    };
    emu.generator.createBooking({ eventTypeId: 1, start: '2026-03-10T10:00:00Z' });
    await emu.settleWebhooks();
    expect(emu.webhookDeliveries().map((d) => d.outcome)).toEqual([500, 302]);
    expect(sub.received.map((r) => r.path)).toEqual(['/hook', '/hook']);
  });
});

describe('delivery faults', () => {
  test('drop: logged as dropped, never sent', async () => {
    await subscribe();
    const fault = emu.deliveryFaults.inject({ kind: 'drop' });
    emu.generator.createBooking({ eventTypeId: 1 });
    emu.generator.createBooking({ eventTypeId: 1, start: '2026-03-10T10:00:00Z' });
    await emu.settleWebhooks();
    expect(fault.hits).toBe(1);
    expect(emu.webhookDeliveries().map((d) => [d.outcome, d.fault])).toEqual([['dropped', 'drop'], [200, null]]);
    expect(sub.received).toHaveLength(1);
  });

  test('duplicate: the same bytes and signature twice', async () => {
    await subscribe();
    emu.deliveryFaults.inject({ kind: 'duplicate' });
    emu.generator.createBooking({ eventTypeId: 1 });
    await emu.settleWebhooks();
    expect(sub.received).toHaveLength(2);
    expect(sub.received[0]!.body).toBe(sub.received[1]!.body);
    expect(sub.received[0]!.headers['x-cal-signature-256']).toBe(sub.received[1]!.headers['x-cal-signature-256']);
    expect(emu.webhookDeliveries().map((d) => d.outcome)).toEqual([200, 200]);
  });

  test('delay: sent after delayMs; settle waits for it', async () => {
    await subscribe();
    emu.deliveryFaults.inject({ kind: 'delay', delayMs: 300 });
    const started = Date.now();
    emu.generator.createBooking({ eventTypeId: 1 });
    await new Promise((r) => setTimeout(r, 50));
    expect(sub.received).toHaveLength(0);
    expect(emu.webhookDeliveries()[0]!.outcome).toBe('pending');
    await emu.settleWebhooks();
    expect(sub.received).toHaveLength(1);
    expect(sub.received[0]!.at - started).toBeGreaterThanOrEqual(290);
  });

  test('flush sends delayed deliveries at once', async () => {
    await subscribe();
    emu.deliveryFaults.inject({ kind: 'delay', delayMs: 60_000 });
    emu.generator.createBooking({ eventTypeId: 1 });
    await emu.flushWebhooks();
    expect(sub.received).toHaveLength(1);
  });

  test('reorder: a held delivery arrives after the next one', async () => {
    await subscribe();
    emu.deliveryFaults.inject({ kind: 'reorder' });
    const first = emu.generator.createBooking({ eventTypeId: 1 });
    const second = emu.generator.createBooking({ eventTypeId: 1, start: '2026-03-10T10:00:00Z' });
    await emu.settleWebhooks();
    expect(sub.received.map((r) => JSON.parse(r.body).payload.uid)).toEqual([second.uid, first.uid]);
    // A lone held delivery still goes out when settling.
    emu.deliveryFaults.inject({ kind: 'reorder' });
    const lone = emu.generator.createBooking({ eventTypeId: 1, start: '2026-03-11T10:00:00Z' });
    await emu.settleWebhooks();
    expect(JSON.parse(sub.received[2]!.body).payload.uid).toBe(lone.uid);
  });

  test('wrong-signature: the header does not verify with the secret', async () => {
    await subscribe();
    emu.deliveryFaults.inject({ kind: 'wrong-signature' });
    emu.generator.createBooking({ eventTypeId: 1 });
    emu.generator.createBooking({ eventTypeId: 1, start: '2026-03-10T10:00:00Z' });
    await emu.settleWebhooks();
    const [forged, genuine] = sub.received;
    expect(forged!.headers['x-cal-signature-256']).toMatch(/^[0-9a-f]{64}$/);
    expect(forged!.headers['x-cal-signature-256']).not.toBe(hmac(SECRET, forged!.body));
    expect(genuine!.headers['x-cal-signature-256']).toBe(hmac(SECRET, genuine!.body));
  });

  test('slow-subscriber: the booking write answers only after the subscriber did (no time-out)', async () => {
    await subscribe();
    sub.behave = (_p, res) => { setTimeout(() => res.end('late'), 400); };
    const pending = emu.generator.createBooking({ eventTypeId: 9 });
    await emu.settleWebhooks();
    emu.deliveryFaults.inject({ kind: 'slow-subscriber' });
    const started = Date.now();
    expect((await call('POST', `/v2/bookings/${pending.uid}/confirm`, write)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect(emu.webhookDeliveries().map((d) => [d.trigger, d.outcome, d.fault])).toEqual([['BOOKING_REQUESTED', 200, null], ['BOOKING_CREATED', 200, 'slow-subscriber']]);
  });

  test('late-meeting-ended: the flat row arrives late, other triggers are untouched', async () => {
    emu.clock.advance(60);
    await subscribe();
    emu.deliveryFaults.inject({ kind: 'late-meeting-ended', delayMs: 300 });
    const booking = emu.generator.createBooking({ eventTypeId: 1 });
    const started = Date.now();
    emu.generator.endMeeting(booking.uid);
    await new Promise((r) => setTimeout(r, 50));
    expect(sub.received.map((r) => JSON.parse(r.body).triggerEvent)).toEqual(['BOOKING_CREATED']);
    await emu.settleWebhooks();
    const late = sub.json(1);
    expect(late).toMatchObject({ triggerEvent: 'MEETING_ENDED', uid: booking.uid });
    expect(sub.received[1]!.at - started).toBeGreaterThanOrEqual(290);
  });

  test('probabilistic faults replay identically from the same seed', async () => {
    const pattern = async (): Promise<string> => {
      await subscribe();
      emu.deliveryFaults.inject({ kind: 'drop', probability: 0.3, times: Infinity });
      for (let i = 0; i < 20; i += 1) emu.generator.createBooking({ eventTypeId: 1, start: Date.parse('2026-03-10T10:00:00Z') + i * 3_600_000 });
      await emu.settleWebhooks();
      return emu.webhookDeliveries().map((d) => (d.outcome === 'dropped' ? 'x' : '.')).join('');
    };
    const first = await pattern();
    await emu.close();
    await boot();
    expect(await pattern()).toBe(first);
    expect(first).toContain('x');
    expect(first).toContain('.');
  });
});

describe('shutdown', () => {
  test('close() does not hang on a subscriber that never answers or on delayed deliveries', async () => {
    await subscribe();
    sub.behave = () => { /* never answers */ };
    emu.generator.createBooking({ eventTypeId: 1 });
    emu.deliveryFaults.inject({ kind: 'delay', delayMs: 60_000 });
    emu.generator.createBooking({ eventTypeId: 1, start: '2026-03-10T10:00:00Z' });
    await new Promise((r) => setTimeout(r, 50));
    await expect(emu.settleWebhooks(200)).rejects.toThrow(/still pending after 200 ms/);
    const started = Date.now();
    await emu.close();
    expect(Date.now() - started).toBeLessThan(1500);
    expect(emu.webhookDeliveries().map((d) => d.outcome)).toEqual(['aborted', 'aborted']);
    emu.generator.createBooking({ eventTypeId: 1, start: '2026-03-11T10:00:00Z' });
    expect(emu.webhookDeliveries()).toHaveLength(2);
    await boot();
  });
});

import { startEmulator, type Emulator } from './index';
import { Rng } from './rng';
import { BOOKINGS_VERSION, getJson } from './test-helpers';

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ bookings: 0 });
});
afterEach(async () => {
  await emu.close();
});

describe('generator', () => {
  test('every mutation stamps updatedAt from the clock; reasons optional', () => {
    const g = emu.generator;
    const a = g.createBooking({});
    expect(a.updatedAt).toBeNull();
    expect(a.createdAt).toBe(emu.clock.now());
    emu.clock.advance(1);
    g.cancelBooking(a.uid);
    expect([a.status, a.cancellationReason, a.updatedAt]).toEqual(['CANCELLED', null, emu.clock.now()]);
    const b = g.createBooking({});
    g.cancelBooking(b.uid, 'Travel', 'guest@example.org');
    expect([b.cancellationReason, b.cancelledByEmail]).toEqual(['Travel', 'guest@example.org']);
    const pending = g.createBooking({ requiresConfirmation: true });
    expect(pending.status).toBe('PENDING');
    emu.clock.advance(1);
    g.confirmBooking(pending.uid);
    expect([pending.status, pending.updatedAt]).toEqual(['ACCEPTED', emu.clock.now()]);
    expect(() => g.confirmBooking(pending.uid)).toThrow('not PENDING');
    const rejected = g.rejectBooking(g.createBooking({ requiresConfirmation: true }).uid, 'No');
    expect(rejected.status).toBe('REJECTED');
  });

  test('equal createdAt on purpose and through a frozen clock', () => {
    const at = '2026-02-01T00:00:00.000Z';
    const x = emu.generator.createBooking({ createdAt: at });
    const y = emu.generator.createBooking({ createdAt: at });
    expect(x.createdAt).toBe(y.createdAt);
    emu.generator.setTimestamps([x.uid, y.uid], 'updatedAt');
    expect(x.updatedAt).toBe(y.updatedAt);
  });

  test('randomMutation is deterministic for a given RNG seed', async () => {
    const run = async () => {
      const e = await startEmulator({ bookings: 20, seed: 7 });
      try {
        const rng = new Rng(42);
        return Array.from({ length: 30 }, () => {
          e.clock.advance(60);
          return e.generator.randomMutation(rng).kind;
        });
      } finally {
        await e.close();
      }
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(2);
  });

  test('seed data is deterministic and visible through the API', async () => {
    const a = await startEmulator({ bookings: 40, seed: 3 });
    const b = await startEmulator({ bookings: 40, seed: 3 });
    try {
      expect([...a.store.bookings.keys()]).toEqual([...b.store.bookings.keys()]);
      expect(a.seeded.clients.legacy.clientId).toBe(b.seeded.clients.legacy.clientId);
      expect(a.seeded.clients.legacy.clientId).toMatch(/^[0-9a-f]{64}$/);
      const t = a.mintTokens({ clientId: a.seeded.clients.legacy.clientId, userId: 1, scopes: [] }).access_token;
      const res = await getJson(`${a.apiUrl}/v2/bookings?take=250`, t, BOOKINGS_VERSION);
      const visible = [...a.store.bookings.values()].filter((bk) => bk.userId === 1 || bk.attendees.some((x) => x.email === 'alice@example.com'));
      expect(res.body.pagination.totalItems).toBe(visible.length);
      const statuses = new Set(res.body.data.map((bk: { status: string }) => bk.status));
      expect(statuses.has('accepted')).toBe(true);
      expect(statuses.has('cancelled')).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

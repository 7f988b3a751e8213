/**
 * The Zapier app's creates and searches end to end: through zapier-platform-core (the Zapier-like
 * host over createAppTester) against the local Cal.com emulator, connected through OAuth on the v2
 * token surface with BOOKING_WRITE granted. A Zap's chain (find slots → book → "New Booking" fires →
 * find → reschedule → cancel), the BOOKING_WRITE actions, the dynamic fields of Create Booking, and
 * the "never a double booking" rule against the emulator's faults and clock: the emulator's own store
 * is the witness of how many bookings exist.
 */
import { startEmulator, type Emulator } from '../emulator';
import App from '../../zapier-app/src/index';
import { REQUEST_TIME_OUT } from '../../zapier-app/src/transport';
import { createZapierHost, messageOf, type ZapierHost, type ZapierHostEvent } from '../hosts/zapier-host';

const REDIRECT_URI = 'https://zapier.com/dashboard/auth/oauth/return/CalcomOAuthCLIAPI/';
// Seeded event types of alice (test/emulator/README.md): 1 a plain 30-minute meeting, 7 with required
// questions, 8 with several durations, 9 requiring confirmation, 10 four weekly occurrences.
const PLAIN = 1;
const WITH_QUESTIONS = 7;
const SEVERAL_LENGTHS = 8;
const NEEDS_CONFIRMATION = 9;
const RECURRING = 10;

let emulator: Emulator;
let host: ZapierHost;
const events: ZapierHostEvent[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ era: '2026', bookings: 0 });
  const client = emulator.seeded.clients.scoped;
  host = createZapierHost({
    app: App,
    // The default scopes (triggers plus actions, BOOKING_WRITE included): the scoped client registers them all.
    env: {
      CALCOM_INSTANCE: 'self-hosted',
      CALCOM_APP_URL: emulator.appUrl,
      CALCOM_API_URL: emulator.apiUrl,
      CALCOM_TOKEN_SURFACE: 'v2',
      CLIENT_ID: client.clientId,
      CLIENT_SECRET: client.clientSecret ?? '',
    },
    onEvent: (event) => events.push(event),
  });
});
afterAll(async () => {
  await emulator?.close();
});

let attendeeCount = 0;
/** A fresh attendee per booking, so the emulator's count by attendee and start is about that booking alone. */
function newAttendee(): { attendeeName: string; attendeeEmail: string; attendeeTimeZone: string } {
  attendeeCount += 1;
  return { attendeeName: `Attendee ${attendeeCount}`, attendeeEmail: `attendee${attendeeCount}@example.org`, attendeeTimeZone: 'Europe/Paris' };
}

/** "Find Available Slots" over the next week of emulated time, in Berlin time; the earliest first. */
async function findSlots(eventTypeId: number, fromMs: number = emulator.clock.now()): Promise<Record<string, unknown>[]> {
  const slots = await host.runSearch('find_available_slots', {
    eventTypeId: String(eventTypeId),
    start: new Date(fromMs).toISOString(),
    end: new Date(fromMs + 7 * 86_400_000).toISOString(),
    timeZone: 'Europe/Berlin',
  });
  expect(slots.length).toBeGreaterThan(0);
  return slots;
}

async function firstSlotUtc(eventTypeId: number, fromMs?: number): Promise<string> {
  const [first] = await findSlots(eventTypeId, fromMs);
  return String(first?.startUtc);
}

async function book(eventTypeId: number, extra: Record<string, unknown> = {}): Promise<{ booking: Record<string, unknown>; attendeeEmail: string; start: string }> {
  const start = await firstSlotUtc(eventTypeId);
  const attendee = newAttendee();
  const booking = await host.runCreate('create_booking', { eventTypeId: String(eventTypeId), start, ...attendee, ...extra });
  return { booking, attendeeEmail: attendee.attendeeEmail, start };
}

const count = (attendeeEmail: string, start: string) => emulator.countBookings({ attendeeEmail, start });

describe('Zapier actions on the emulator (v2 surface, BOOKING_WRITE granted)', () => {
  it('connects through OAuth asking for the default scopes, BOOKING_WRITE included, and Cal.com grants them', async () => {
    const clientId = emulator.seeded.clients.scoped.clientId;
    const state = 'zap-actions-state';
    const authorize = new URL(await host.authorizeUrl({ state, redirectUri: REDIRECT_URI }));
    const scopes = (authorize.searchParams.get('scope') ?? '').split(',').filter(Boolean);
    expect(scopes).toContain('BOOKING_WRITE');
    const location = new URL(emulator.approveHeadless({ clientId, redirectUri: REDIRECT_URI, scopes, state }));
    expect(location.searchParams.get('state')).toBe(state);
    const authData = await host.connect({ code: location.searchParams.get('code') ?? '', redirectUri: REDIRECT_URI, state });
    expect(authData.scope?.split(' ')).toContain('BOOKING_WRITE');
    await expect(host.label()).resolves.toBe(emulator.seeded.users.alice.username);
  });

  it('a Zap chain: Find Available Slots → Create Booking → "New Booking" fires once → Find Booking → Reschedule → Cancel', async () => {
    await expect(host.poll('booking_created')).resolves.toEqual([]);

    const slots = await findSlots(PLAIN);
    const [first, second] = slots;
    // Offset-formatted in the requested zone, with the same instant in UTC next to it.
    expect(String(first?.start)).toMatch(/\+0[12]:00$/);
    expect(Date.parse(String(first?.start))).toBe(Date.parse(String(first?.startUtc)));
    expect(Date.parse(String(first?.startUtc))).toBeLessThan(Date.parse(String(second?.startUtc)));

    const attendee = newAttendee();
    const created = await host.runCreate('create_booking', { eventTypeId: String(PLAIN), start: String(first?.startUtc), ...attendee });
    const uid = String(created.id);
    expect(created).toMatchObject({ bookingUid: uid, status: 'accepted', eventTypeId: PLAIN, attendeeEmail: attendee.attendeeEmail, recovered: null });
    expect(Date.parse(String(created.start))).toBe(Date.parse(String(first?.startUtc)));
    expect(emulator.store.booking(uid).status).toBe('ACCEPTED');
    expect(count(attendee.attendeeEmail, String(first?.startUtc))).toBe(1);

    // The booked slot is gone from the next search.
    expect((await findSlots(PLAIN)).map((slot) => slot.startUtc)).not.toContain(first?.startUtc);

    const fired = await host.poll('booking_created');
    expect(fired.map((item) => item.id)).toEqual([uid]);
    await expect(host.poll('booking_created')).resolves.toEqual([]);

    const found = await host.runSearch('find_booking', { attendeeEmail: attendee.attendeeEmail });
    expect(found.map((item) => item.id)).toEqual([uid]);
    const byUid = await host.runSearch('find_booking', { uid });
    expect(byUid.map((item) => item.id)).toEqual([uid]);

    const moveTo = String(second?.startUtc);
    const moved = await host.runCreate('reschedule_booking', { uid, start: moveTo, reason: 'Clash with a flight' });
    const newUid = String(moved.id);
    expect(newUid).not.toBe(uid);
    expect(moved).toMatchObject({ rescheduledFromUid: uid, status: 'accepted' });
    expect(Date.parse(String(moved.start))).toBe(Date.parse(moveTo));
    expect(emulator.store.booking(uid)).toMatchObject({ status: 'CANCELLED', rescheduledToUid: newUid });
    expect(emulator.store.booking(newUid)).toMatchObject({ status: 'ACCEPTED', fromReschedule: uid });

    const cancelled = await host.runCreate('cancel_booking', { uid: newUid, reason: 'No longer needed' });
    expect(cancelled).toMatchObject({ id: newUid, status: 'cancelled', cancellationReason: 'No longer needed' });
    expect(emulator.store.booking(newUid).status).toBe('CANCELLED');
    expect(host.stats.refreshes).toBe(0);
  });

  it('Confirm Booking and Decline Booking act on requests of an event type that requires confirmation', async () => {
    const toConfirm = await book(NEEDS_CONFIRMATION);
    expect(toConfirm.booking.status).toBe('pending');
    const confirmed = await host.runCreate('confirm_booking', { uid: String(toConfirm.booking.id) });
    expect(confirmed).toMatchObject({ id: toConfirm.booking.id, status: 'accepted' });
    expect(emulator.store.booking(String(toConfirm.booking.id)).status).toBe('ACCEPTED');

    const toDecline = await book(NEEDS_CONFIRMATION);
    expect(toDecline.booking.status).toBe('pending');
    const declined = await host.runCreate('decline_booking', { uid: String(toDecline.booking.id), reason: 'Fully booked' });
    expect(declined).toMatchObject({ id: toDecline.booking.id, status: 'rejected' });
    expect(emulator.store.booking(String(toDecline.booking.id)).status).toBe('REJECTED');
  });

  it('Add Guests adds them to the booking', async () => {
    const { booking } = await book(PLAIN);
    const result = await host.runCreate('add_guests', { uid: String(booking.id), guestEmails: 'grace@example.org, linus@example.org', guestNames: ['Grace', 'Linus'] });
    expect(result.guests).toEqual(expect.arrayContaining(['grace@example.org', 'linus@example.org']));
    expect(emulator.store.booking(String(booking.id)).guests).toEqual(expect.arrayContaining(['grace@example.org', 'linus@example.org']));
  });

  it('the dynamic fields of Create Booking come from the event type in one request, and its answers book it', async () => {
    emulator.clearRequestLog();
    const fields = await host.inputFields('create', 'create_booking', { eventTypeId: String(WITH_QUESTIONS) });
    const apiRequests = emulator.requestLog().filter((entry) => entry.origin === 'api');
    expect(apiRequests.map((entry) => `${entry.method} ${entry.path}`)).toEqual([`GET /v2/event-types/${WITH_QUESTIONS}`]);

    const byKey = new Map(fields.map((field) => [String(field.key), field]));
    expect(byKey.get('eventTypeId')).toMatchObject({ altersDynamicFields: true });
    expect(byKey.get('bookingField_company')).toMatchObject({ required: true });
    const budget = byKey.get('bookingField_budget');
    expect(budget).toMatchObject({ required: true });
    expect((budget?.choices as { value: string }[]).map((choice) => choice.value)).toEqual(['<10k', '10k-50k', '>50k']);

    const lengths = await host.inputFields('create', 'create_booking', { eventTypeId: String(SEVERAL_LENGTHS) });
    const duration = lengths.find((field) => field.key === 'lengthInMinutes');
    expect((duration?.choices as { value: string }[]).map((choice) => choice.value)).toEqual(['15', '30', '60']);

    const { booking } = await book(WITH_QUESTIONS, { bookingField_company: 'Analytical Engines', bookingField_budget: '10k-50k' });
    expect(booking.responses).toMatchObject({ company: 'Analytical Engines', budget: '10k-50k' });
  });

  it('Find Event Type returns the event type with its questions; an unknown id is "nothing found"', async () => {
    const [found] = await host.runSearch('find_event_type', { eventTypeId: String(WITH_QUESTIONS) });
    expect(found).toMatchObject({ id: WITH_QUESTIONS, slug: 'discovery', requiresConfirmation: false });
    expect((found?.bookingFields as { name: string; required: boolean }[]).filter((field) => field.required).map((field) => field.name)).toEqual(expect.arrayContaining(['company', 'budget']));
    await expect(host.runSearch('find_event_type', { eventTypeId: '999' })).resolves.toEqual([]);
  });

  it('a recurring event type: the first occurrence is the result and every occurrence is listed', async () => {
    const { booking } = await book(RECURRING);
    const occurrences = booking.occurrences as { uid: string; start: string }[];
    expect(occurrences).toHaveLength(4);
    expect(occurrences[0]?.uid).toBe(booking.id);
    const series = new Set(occurrences.map((occurrence) => emulator.store.booking(occurrence.uid).recurringEventId));
    expect([...series]).toEqual([expect.any(String)]);
  });

  it('a required question left empty is refused naming the question, and nothing is booked', async () => {
    const start = await firstSlotUtc(WITH_QUESTIONS);
    const attendee = newAttendee();
    const refusal = await host.runCreate('create_booking', { eventTypeId: String(WITH_QUESTIONS), start, ...attendee, bookingField_company: 'Acme' }).catch((error: unknown) => error);
    expect(messageOf(refusal)).toMatch(/budget/);
    expect(count(attendee.attendeeEmail, start)).toBe(0);
  });

  it('a taken slot is refused with a message pointing at Find Available Slots, and the other attendee is not booked', async () => {
    const taken = await book(PLAIN);
    const other = newAttendee();
    const refusal = await host.runCreate('create_booking', { eventTypeId: String(PLAIN), start: taken.start, ...other }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(Error);
    expect((refusal as Error).name).not.toMatch(/RefreshAuthError|ThrottledError|ExpiredAuthError/);
    expect(messageOf(refusal)).toMatch(/taken.*Find Available Slots/);
    expect(count(other.attendeeEmail, taken.start)).toBe(0);
    expect(count(taken.attendeeEmail, taken.start)).toBe(1);
  });

  it('Mark No-Show, once the meeting has started, marks the host and an attendee absent', async () => {
    const { booking, attendeeEmail, start } = await book(PLAIN);
    // Cal.com refuses before the start; the emulated clock moves past it (the token expires on the way).
    emulator.clock.set(Date.parse(start) + 10 * 60_000);
    const result = await host.runCreate('mark_no_show', { uid: String(booking.id), host: 'true', absentAttendees: [attendeeEmail] });
    expect(result).toMatchObject({ id: booking.id, absentHost: true });
    const stored = emulator.store.booking(String(booking.id));
    expect(stored.absentHost).toBe(true);
    expect(stored.attendees.find((attendee) => attendee.email === attendeeEmail)?.absent).toBe(true);
  });

  it('a token expiring mid-Zap: RefreshAuthError → refresh → the action runs once, and one booking exists', async () => {
    // Start from a token fresh at the emulated time, whatever earlier steps did to the clock.
    await host.refresh();
    // A slot far enough ahead to stay bookable once the clock has moved past the token's lifetime.
    const start = await firstSlotUtc(PLAIN, emulator.clock.now() + 86_400_000);
    const attendee = newAttendee();
    const refreshesBefore = host.stats.refreshes;
    emulator.clock.advance(1801);
    events.length = 0;
    const created = await host.runCreate('create_booking', { eventTypeId: String(PLAIN), start, ...attendee });
    expect(events.map((event) => event.type)).toEqual(['call', 'stale-auth', 'refresh', 'call']);
    expect(host.stats.refreshes).toBe(refreshesBefore + 1);
    expect(created.recovered).toBeNull();
    expect(count(attendee.attendeeEmail, start)).toBe(1);
    const creates = emulator.requestLog().filter((entry) => entry.method === 'POST' && entry.path === '/v2/bookings');
    expect(creates.slice(-2).map((entry) => entry.status)).toEqual([401, 201]);
  });

  describe('ambiguous failures of Create Booking', () => {
    const savedTimeOut = REQUEST_TIME_OUT.ms;
    afterEach(() => {
      REQUEST_TIME_OUT.ms = savedTimeOut;
    });

    it('the answer lost after commit (time-out): the booking is found and returned, and exactly one exists', async () => {
      const start = await firstSlotUtc(PLAIN);
      const attendee = newAttendee();
      REQUEST_TIME_OUT.ms = 1_000;
      const fault = emulator.faults.inject({ kind: 'timeout-after-commit', match: '/v2/bookings', method: 'POST' });
      const created = await host.runCreate('create_booking', { eventTypeId: String(PLAIN), start, ...attendee });
      expect(fault.hits).toBe(1);
      expect(created).toMatchObject({ recovered: 'found_after_ambiguous_failure', attendeeEmail: attendee.attendeeEmail, status: 'accepted' });
      expect(Date.parse(String(created.start))).toBe(Date.parse(start));
      expect(count(attendee.attendeeEmail, start)).toBe(1);
    });

    it('a 5xx before commit: write_outcome_unknown saying what to check; a replay then books it once', async () => {
      const start = await firstSlotUtc(PLAIN);
      const attendee = newAttendee();
      const input = { eventTypeId: String(PLAIN), start, ...attendee };
      emulator.faults.inject({ kind: 'status', status: 503, match: '/v2/bookings', method: 'POST' });
      const failure = await host.runCreate('create_booking', input).catch((error: unknown) => error);
      expect((failure as Error).name).not.toMatch(/RefreshAuthError|ThrottledError/);
      expect(JSON.parse((failure as Error).message)).toMatchObject({ code: 'write_outcome_unknown' });
      expect(messageOf(failure)).toMatch(/may or may not have happened/);
      expect(messageOf(failure)).toContain(attendee.attendeeEmail);
      expect(count(attendee.attendeeEmail, start)).toBe(0);

      const replay = await host.runCreate('create_booking', input);
      expect(replay.recovered).toBeNull();
      expect(count(attendee.attendeeEmail, start)).toBe(1);
      // A second replay (Zapier's, or the user's) finds the booking instead of making another one.
      const again = await host.runCreate('create_booking', input);
      expect(again).toMatchObject({ id: replay.id, recovered: 'replay_already_applied' });
      expect(count(attendee.attendeeEmail, start)).toBe(1);
    });
  });
});

import {
  BOOKING_EVENT_CATALOGUE,
  BOOKING_EVENT_KEYS,
  BOOKING_EVENTS,
  bookingEventId,
  exampleBookingEvent,
  findBookingProblem,
  getBookingEventEntry,
  n8nEventName,
  n8nEventOptions,
  zapierTriggerWording,
  type BookingEventKey,
  type CalcomBookingWebhookTrigger,
} from '../../src';

const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to']);
const isTitleCase = (text: string): boolean => text.split(' ').every((word, index) => (index > 0 && SMALL_WORDS.has(word)) || /^[A-Z]/.test(word));

describe('the booking event catalogue', () => {
  it('keeps the keys existing Zaps and n8n workflows store', () => {
    expect([...BOOKING_EVENT_KEYS]).toEqual([
      'booking_created',
      'booking_rescheduled',
      'booking_cancelled',
      'booking_rejected',
      'booking_requested',
      'meeting_ended',
      'booking_updated',
    ]);
    expect(Object.keys(BOOKING_EVENT_CATALOGUE)).toEqual([...BOOKING_EVENT_KEYS]);
    for (const key of BOOKING_EVENT_KEYS) expect(BOOKING_EVENT_CATALOGUE[key].key).toBe(key);
  });

  it.each(BOOKING_EVENT_KEYS.map((key) => [key]))('%s: a title-case name and a description any platform can show', (key) => {
    const entry = getBookingEventEntry(key);
    expect(isTitleCase(entry.name)).toBe(true);
    expect(isTitleCase(entry.noun)).toBe(true);
    expect(entry.happensWhen).toMatch(/^[a-z]/);
    expect(entry.happensWhen).not.toMatch(/[.\s]$/);
    expect(entry.happensWhen).not.toMatch(/Cal\.com/i);
    expect(entry.scope).toBe('BOOKING_READ');
  });

  it('offers "include unconfirmed" on created and rescheduled only, the two rules that wait for confirmation', () => {
    const offering = BOOKING_EVENT_KEYS.filter((key) => BOOKING_EVENT_CATALOGUE[key].offersIncludeUnconfirmed);
    expect(offering).toEqual(['booking_created', 'booking_rescheduled']);
  });

  it('names the Cal.com webhook triggers each event corresponds to', () => {
    const single: Array<[BookingEventKey, CalcomBookingWebhookTrigger]> = [
      ['booking_created', 'BOOKING_CREATED'],
      ['booking_rescheduled', 'BOOKING_RESCHEDULED'],
      ['booking_cancelled', 'BOOKING_CANCELLED'],
      ['booking_rejected', 'BOOKING_REJECTED'],
      ['booking_requested', 'BOOKING_REQUESTED'],
      ['meeting_ended', 'MEETING_ENDED'],
    ];
    for (const [key, trigger] of single) expect(BOOKING_EVENT_CATALOGUE[key].webhookTriggers).toEqual([trigger]);
    const updated = BOOKING_EVENT_CATALOGUE.booking_updated.webhookTriggers;
    // Every trigger that writes the booking row is a change; a meeting ending writes nothing.
    expect(updated).toEqual(expect.arrayContaining(['BOOKING_CREATED', 'BOOKING_REQUESTED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED', 'BOOKING_REJECTED']));
    expect(updated).not.toContain('MEETING_ENDED');
    expect(new Set(updated).size).toBe(updated.length);
  });

  it('gives an event one id whatever found it: the uid, or uid:updatedAt for one per change', () => {
    const booking = { uid: 'abc', updatedAt: '2026-11-20T09:12:44.000Z' };
    for (const key of BOOKING_EVENT_KEYS) {
      expect(bookingEventId(key, booking)).toBe(key === 'booking_updated' ? 'abc:2026-11-20T09:12:44.000Z' : 'abc');
    }
    expect(bookingEventId('booking_updated', { uid: 'abc', updatedAt: null })).toBe('abc:');
  });

  it('throws a named error for a key it does not know', () => {
    expect(() => getBookingEventEntry('booking_paid' as BookingEventKey)).toThrow(/Unknown booking event "booking_paid"; expected one of booking_created/);
  });

  it('keeps the polling rules apart: one definition per catalogued event, with none of the meaning', () => {
    for (const key of BOOKING_EVENT_KEYS) {
      expect(Object.keys(BOOKING_EVENTS[key]).sort()).toEqual(['baseQuery', 'field', 'key', 'oncePerBooking', 'requiresUpdatedAt', 'rule']);
    }
  });
});

describe('platform wording', () => {
  it('renders every event for Zapier: "New …" for a new object, else the name; "Triggers when …."', () => {
    const rendered = BOOKING_EVENT_KEYS.map((key) => {
      const wording = zapierTriggerWording(key);
      const entry = BOOKING_EVENT_CATALOGUE[key];
      expect(wording.description).toBe(`Triggers when ${entry.happensWhen}.`);
      expect(wording.noun).toBe(entry.noun);
      expect(wording.offersIncludeUnconfirmed).toBe(entry.offersIncludeUnconfirmed);
      expect(wording.key).toBe(key);
      return [key, wording.label];
    });
    expect(Object.fromEntries(rendered)).toEqual({
      booking_created: 'New Booking',
      booking_rescheduled: 'Booking Rescheduled',
      booking_cancelled: 'Booking Cancelled',
      booking_rejected: 'Booking Rejected',
      booking_requested: 'New Booking Request',
      meeting_ended: 'Meeting Ended',
      booking_updated: 'Booking Updated',
    });
  });

  it('renders every event for n8n: its name, sorted by name, a one-sentence description without a final period', () => {
    const options = n8nEventOptions();
    expect(options.map((option) => option.value).sort()).toEqual([...BOOKING_EVENT_KEYS].sort());
    expect(options.map((option) => option.name)).toEqual([
      'Booking Cancelled',
      'Booking Created',
      'Booking Rejected',
      'Booking Requested',
      'Booking Rescheduled',
      'Booking Updated',
      'Meeting Ended',
    ]);
    for (const option of options) {
      const entry = BOOKING_EVENT_CATALOGUE[option.value];
      expect(option.name).toBe(entry.name);
      expect(n8nEventName(option.value)).toBe(entry.name);
      expect(option.description).toBe(`Triggers when ${entry.happensWhen}`);
    }
  });

  it('says the same thing about an event on both platforms', () => {
    const n8n = new Map(n8nEventOptions().map((option) => [option.value, option.description]));
    for (const key of BOOKING_EVENT_KEYS) expect(`${n8n.get(key)}.`).toBe(zapierTriggerWording(key).description);
  });
});

describe('example events', () => {
  it.each(BOOKING_EVENT_KEYS.map((key) => [key]))('%s: a booking of Cal.com\'s shape that the event\'s own rule accepts, with the engine\'s id', (key) => {
    const item = exampleBookingEvent(key);
    expect(item.event).toBe(key);
    expect(findBookingProblem(item.booking)).toBeUndefined();
    expect(item.id).toBe(bookingEventId(key, item.booking));
    expect(BOOKING_EVENTS[key].rule(item.booking, { filters: {}, serverTime: Date.parse('2027-01-01T00:00:00.000Z') })).toEqual({ emit: true });
    expect(Number.isNaN(Date.parse(item.occurredAt))).toBe(false);
    expect(item.rescheduledFrom !== undefined).toBe(key === 'booking_rescheduled');
  });

  it('hands out copies: changing one example leaves the next one intact', () => {
    const first = exampleBookingEvent('booking_created');
    first.booking.status = 'cancelled';
    first.booking.attendees![0]!.name = 'Changed';
    const next = exampleBookingEvent('booking_created');
    expect(next.booking.status).toBe('accepted');
    expect(next.booking.attendees?.[0]?.name).toBe('Sam Patel');
  });
});

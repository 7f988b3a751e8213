/**
 * The demo's action loop, through the real adapter code on both platforms: find slots, book, see the
 * "New Booking" trigger fire for that booking in both adapters, reschedule, cancel, see those fire too.
 * Zapier runs the app's searches and creates through zapier-platform-core (the Zapier-like host, with
 * its refresh-and-replay); n8n runs the "Cal.com" node's execute() in the n8n host, on the same stored
 * credential its trigger workflows use.
 */
import type { IDataObject } from 'n8n-workflow';

import { CalComOAuth2Api } from '../../n8n-node/credentials/CalComOAuth2Api.credentials';
// By its full name: the codex CalCom.node.json beside it is what tsx would load for the extensionless path.
import { CalCom } from '../../n8n-node/nodes/CalCom/CalCom.node.ts';
import type { Emulator } from '../emulator';
import { N8nHost, type N8nCredentialStore } from '../hosts/n8n-host';
import type { ZapierHost } from '../hosts/zapier-host';
import type { AdapterEvent, AdapterName } from './adapter-session';
import type { Log } from './log';

/** alice's "30 min meeting", the event type both platforms book. */
const DEMO_EVENT_TYPE = 1;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ActionLoopInput {
  emulator: Emulator;
  zapier: ZapierHost;
  n8nCredential: N8nCredentialStore;
  log: Log;
  /** One poll round of every trigger in both adapters; returns the events it printed. */
  poll: () => Promise<AdapterEvent[]>;
}

export interface ActionLoopResult {
  /** Adapter → the uid it booked, the uid the reschedule made. */
  booked: Record<AdapterName, { uid: string; rescheduledUid: string }>;
  /** What is missing: triggers that did not fire for the loop's bookings. Empty when the loop is whole. */
  missing: string[];
}

interface Booked {
  uid: string;
  start: string;
}

const short = (uid: string) => `${uid.slice(0, 8)}…`;
const utc = (iso: string) => `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The one platform's steps, so both read alike in the log. */
interface Platform {
  name: AdapterName;
  findSlots(from: string, to: string): Promise<string[]>;
  book(start: string): Promise<Booked>;
  reschedule(uid: string, start: string): Promise<Booked>;
  cancel(uid: string): Promise<Booked>;
}

function zapierPlatform(host: ZapierHost, attendee: { name: string; email: string }): Platform {
  const booked = (item: Record<string, unknown>): Booked => ({ uid: String(item.bookingUid ?? item.id), start: String(item.start) });
  return {
    name: 'zapier',
    findSlots: async (from, to) => (await host.runSearch('find_available_slots', { eventTypeId: DEMO_EVENT_TYPE, start: from, end: to, timeZone: 'UTC' })).map((slot) => String(slot.startUtc)),
    book: async (start) => booked(await host.runCreate('create_booking', { eventTypeId: DEMO_EVENT_TYPE, start, attendeeName: attendee.name, attendeeEmail: attendee.email, attendeeTimeZone: 'UTC' })),
    reschedule: async (uid, start) => booked(await host.runCreate('reschedule_booking', { uid, start, reason: 'Moved by the Zap' })),
    cancel: async (uid) => booked(await host.runCreate('cancel_booking', { uid, reason: 'Cancelled by the Zap' })),
  };
}

function n8nPlatform(emulator: Emulator, credential: N8nCredentialStore, attendee: { name: string; email: string }): Platform {
  const node = new CalCom();
  const credentialType = new CalComOAuth2Api();
  const execute = async (parameters: IDataObject): Promise<IDataObject[]> => {
    const host = new N8nHost({ nodeType: node, credentialType, credential, parameters, nodeName: 'Cal.com', now: () => emulator.clock.now() });
    return (await host.execute()).flat().map((item) => item.json);
  };
  const booking = (uid: string) => ({ __rl: true, mode: 'uid', value: uid });
  const booked = (items: IDataObject[]): Booked => ({ uid: String(items[0]?.uid), start: String(items[0]?.start) });
  return {
    name: 'n8n',
    findSlots: async (from, to) =>
      (await execute({ resource: 'slot', operation: 'getAll', eventType: { __rl: true, mode: 'id', value: String(DEMO_EVENT_TYPE) }, start: from, end: to, returnAll: true, additionalFields: { timeZone: 'UTC' } })).map((slot) =>
        String(slot.startUtc ?? slot.start),
      ),
    book: async (start) =>
      booked(
        await execute({
          resource: 'booking',
          operation: 'create',
          eventType: { __rl: true, mode: 'id', value: String(DEMO_EVENT_TYPE) },
          start,
          attendeeName: attendee.name,
          attendeeEmail: attendee.email,
          attendeeTimeZone: 'UTC',
          additionalFields: {},
        }),
      ),
    reschedule: async (uid, start) => booked(await execute({ resource: 'booking', operation: 'reschedule', booking: booking(uid), start, additionalFields: { reason: 'Moved by the workflow' } })),
    cancel: async (uid) => booked(await execute({ resource: 'booking', operation: 'cancel', booking: booking(uid), additionalFields: { reason: 'Cancelled by the workflow' } })),
  };
}

const LABELS: Record<AdapterName, Record<'find' | 'book' | 'reschedule' | 'cancel', string>> = {
  zapier: { find: 'Find Available Slots', book: 'Create Booking', reschedule: 'Reschedule Booking', cancel: 'Cancel Booking' },
  n8n: { find: 'Slot → Get Many', book: 'Booking → Create', reschedule: 'Booking → Reschedule', cancel: 'Booking → Cancel' },
};

export async function runActionLoop(input: ActionLoopInput): Promise<ActionLoopResult> {
  const { emulator, log } = input;
  const platforms = [
    zapierPlatform(input.zapier, { name: 'Grace Zap', email: 'grace.zap@example.org' }),
    n8nPlatform(emulator, input.n8nCredential, { name: 'Linus Flow', email: 'linus.flow@example.org' }),
  ];
  const from = new Date(emulator.clock.now() + DAY_MS).toISOString().slice(0, 10);
  const to = new Date(emulator.clock.now() + 8 * DAY_MS).toISOString().slice(0, 10);
  /** Cal.com requests an action sent, from the emulator's log. */
  const counted = async <T>(work: () => Promise<T>): Promise<{ value: T; requests: string }> => {
    emulator.clearRequestLog();
    const value = await work();
    const requests = emulator.requestLog().length;
    return { value, requests: `${requests} Cal.com request${requests === 1 ? '' : 's'}` };
  };

  const booked = new Map<AdapterName, { slots: string[]; booking: Booked }>();
  for (const [index, platform] of platforms.entries()) {
    const label = LABELS[platform.name];
    const found = await counted(() => platform.findSlots(from, to));
    // Each platform takes a different free slot, so both bookings stand side by side.
    const slots = found.value.slice(index * 3);
    const start = slots[0];
    if (start === undefined) throw new Error(`${label.find} found no free slot of event type ${DEMO_EVENT_TYPE} between ${from} and ${to}.`);
    log.line(platform.name, `action ${label.find} (event type ${DEMO_EVENT_TYPE}, ${from} to ${to}): ${found.value.length} free slots, earliest ${utc(found.value[0] as string)} · ${found.requests}`);
    const made = await counted(() => platform.book(start));
    log.line(platform.name, `action ${label.book} at ${utc(start)} → uid ${short(made.value.uid)} · ${made.requests}`);
    booked.set(platform.name, { slots, booking: made.value });
  }

  const missing: string[] = [];
  const expectFired = (events: AdapterEvent[], kind: string, uid: string, what: string) => {
    for (const adapter of ['zapier', 'n8n'] as const) {
      // By the uid in the summary: Zapier's item id is the uid, n8n's is the engine's event id.
      if (!events.some((event) => event.adapter === adapter && event.event === kind && event.summary.endsWith(`uid ${short(uid)}`))) missing.push(`${adapter} ${kind} for the booking ${what}`);
    }
  };
  const afterBooking = await input.poll();
  for (const platform of platforms) expectFired(afterBooking, 'booking_created', booked.get(platform.name)?.booking.uid ?? '', `${platform.name} made`);
  if (missing.length === 0) log.ok('demo', '"New Booking" fired for both new bookings in both adapters, once each');

  const result = { booked: {} as ActionLoopResult['booked'], missing };
  for (const platform of platforms) {
    const label = LABELS[platform.name];
    const { slots, booking } = booked.get(platform.name) as { slots: string[]; booking: Booked };
    const later = slots[1] ?? slots[0] ?? booking.start;
    const moved = await counted(() => platform.reschedule(booking.uid, later));
    log.line(platform.name, `action ${label.reschedule} ${short(booking.uid)} to ${utc(later)} → new uid ${short(moved.value.uid)} (the old one is cancelled) · ${moved.requests}`);
    const cancelled = await counted(() => platform.cancel(moved.value.uid));
    log.line(platform.name, `action ${label.cancel} ${short(cancelled.value.uid)} · ${cancelled.requests}`);
    result.booked[platform.name] = { uid: booking.uid, rescheduledUid: moved.value.uid };
  }
  const afterChanges = await input.poll();
  for (const platform of platforms) {
    const { rescheduledUid } = result.booked[platform.name];
    expectFired(afterChanges, 'booking_rescheduled', rescheduledUid, `${platform.name} rescheduled`);
    expectFired(afterChanges, 'booking_cancelled', rescheduledUid, `${platform.name} rescheduled and cancelled`);
  }
  return result;
}

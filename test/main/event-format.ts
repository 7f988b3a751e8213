/**
 * One readable line for an event as an adapter delivered it. Works on the item itself (a Zapier
 * trigger result or an n8n item's `json`), whichever fields the adapter kept, so the demo shows
 * exactly what a Zap or a workflow would receive.
 */

type Item = Record<string, unknown>;

function record(value: unknown): Item | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Item) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function minute(iso: string | undefined): string | undefined {
  if (iso === undefined) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The booking inside an item: the item itself, or its `booking` field. */
export function bookingOf(item: Item): Item {
  return record(item.booking) ?? item;
}

export function summarizeItem(item: Item): string {
  const booking = bookingOf(item);
  const parts: string[] = [];
  parts.push(`"${text(booking.title) ?? '(no title)'}"`);
  const start = minute(text(booking.start) ?? text(booking.startTime));
  if (start !== undefined) parts.push(start);
  const status = text(booking.status);
  if (status !== undefined) parts.push(status);
  const reason = text(booking.cancellationReason) ?? text(booking.reschedulingReason);
  if (reason !== undefined) parts.push(`reason "${reason}"`);
  const from = text(booking.rescheduledFromUid) ?? text(item.rescheduledFromUid);
  if (from !== undefined) parts.push(`moved from ${from.slice(0, 8)}…`);
  const uid = text(booking.uid) ?? text(item.uid) ?? text(item.bookingUid);
  if (uid !== undefined) parts.push(`uid ${uid.slice(0, 8)}…`);
  return parts.join(' · ');
}

/** The id a platform dedupes on: the item's `id`, else the booking uid. */
export function itemId(item: Item): string {
  const id = item.id;
  if (typeof id === 'string' || typeof id === 'number') return String(id);
  return text(bookingOf(item).uid) ?? JSON.stringify(item).slice(0, 40);
}

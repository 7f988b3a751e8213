import type { BookingEventKey, CalcomBookingWebhookTrigger } from '../events/catalogue';
import { getBookingEventEntry } from '../events/catalogue';
import type { BookingEventFilters } from '../polling/events';

/** The payload version this package parses; sent explicitly so a server default change cannot alter the body (CALCOM.md §18). */
export const WEBHOOK_PAYLOAD_VERSION = '2021-10-20';

/** Triggers only newer Cal.com servers know; an older one refuses a subscription naming them with a 400 (CALCOM.md §15). */
export const NEWER_SERVER_TRIGGERS: readonly CalcomBookingWebhookTrigger[] = Object.freeze(['BOOKING_LOCATION_UPDATED', 'BOOKING_REASSIGNED']);

/**
 * The triggers a subscription for `event` asks Cal.com for: the catalogue's, plus the ones Cal.com
 * sends instead in its quirks (CALCOM.md §18):
 * - with "include unconfirmed", created and rescheduled also report a booking when it is requested
 *   (`BOOKING_REQUESTED`, which the v2 reschedule also fires for a confirmation-required type);
 * - rescheduled also listens to `BOOKING_CREATED`, which is what confirming a rescheduled booking fires.
 */
export function webhookTriggersFor(event: BookingEventKey, filters: BookingEventFilters = {}): CalcomBookingWebhookTrigger[] {
  const triggers = new Set<CalcomBookingWebhookTrigger>(getBookingEventEntry(event).webhookTriggers);
  if ((event === 'booking_created' || event === 'booking_rescheduled') && filters.includeUnconfirmed === true) triggers.add('BOOKING_REQUESTED');
  if (event === 'booking_rescheduled') triggers.add('BOOKING_CREATED');
  return [...triggers];
}

import { defineTrigger, type Bundle, type PollingTriggerPerform } from 'zapier-platform-core';
import {
  listBookingEvents,
  MAX_LIST_LIMIT,
  parseEventTypeIds,
  SAMPLE_LIMIT,
  zapierTriggerWording,
  type BookingEventFilters,
  type BookingEventKey,
} from '@calcom-oauth/shared';
import { BOOKING_OUTPUT_FIELDS, toZapierBookingEvents, type ZapierBookingEvent } from '../bookingOutput';
import { instanceOf } from '../connection';
import { connectionSecrets, withZapierErrors } from '../errors';
import { sampleFor } from '../samples/booking';
import { createExecutor } from '../transport';

const EVENT_TYPE_FIELD = {
  key: 'eventTypeIds',
  label: 'Event Types',
  helpText: 'Only trigger for bookings of these event types. Leave empty for all event types.',
  dynamic: 'event_type_list.id.title',
  list: true,
  required: false,
} as const;

const INCLUDE_UNCONFIRMED_FIELD = {
  key: 'includeUnconfirmed',
  label: 'Include Unconfirmed Bookings',
  helpText:
    `By default a booking that needs your confirmation triggers once you confirm it. Choose "True" to trigger as soon as it is requested (the "${zapierTriggerWording('booking_requested').label}" trigger covers requests on their own).`,
  type: 'boolean',
  default: 'false',
  required: false,
} as const;

/** Reads the optional event-type filter (one id, a list, or comma-separated text) with the core's one parser. */
export function readEventTypeIds(raw: unknown): number[] | undefined {
  const ids = parseEventTypeIds(raw, EVENT_TYPE_FIELD.label);
  return ids.length === 0 ? undefined : ids;
}

export function readBoolean(raw: unknown): boolean {
  return raw === true || (typeof raw === 'string' && ['true', 'yes', '1'].includes(raw.trim().toLowerCase()));
}

/**
 * How many events to return: a few for "Test trigger" (the editor shows three), the most the engine
 * lists when priming the deduper (every event returned then is marked seen, so more means fewer
 * stale "new" events later), and as many on regular polls, unless Zapier asks for fewer.
 */
export function limitFor(meta: Partial<Bundle['meta']> | undefined): number {
  if (meta?.isLoadingSample === true) return SAMPLE_LIMIT;
  const requested = Number(meta?.limit);
  if (meta?.isPopulatingDedupe !== true && Number.isInteger(requested) && requested > 0) return Math.min(requested, MAX_LIST_LIMIT);
  return MAX_LIST_LIMIT;
}

/**
 * Builds one polling trigger over the shared engine's stateless listing; its key, noun, label,
 * description and inputs come from the core's event catalogue in Zapier's wording.
 */
export function defineBookingTrigger(event: BookingEventKey) {
  const wording = zapierTriggerWording(event);
  const perform = (async (z, bundle) =>
    withZapierErrors(z, 'run', async () => {
      const filters: BookingEventFilters = {};
      const eventTypeIds = readEventTypeIds(bundle.inputData.eventTypeIds);
      if (eventTypeIds !== undefined) filters.eventTypeIds = eventTypeIds;
      if (wording.offersIncludeUnconfirmed && readBoolean(bundle.inputData.includeUnconfirmed)) filters.includeUnconfirmed = true;
      const instance = instanceOf(bundle);
      const result = await listBookingEvents({
        instance,
        event,
        filters,
        execute: createExecutor(z, instance),
        knownSecrets: connectionSecrets(bundle),
        limit: limitFor(bundle.meta),
        // Priming marks every id returned as seen, so it reads past the recent window (once per Zap).
        ...(bundle.meta?.isPopulatingDedupe === true ? { recentWindowHours: null } : {}),
      });
      for (const warning of result.warnings) z.console.warn(warning);
      return toZapierBookingEvents(result.events, (warning) => z.console.warn(warning));
    }, bundle)) satisfies PollingTriggerPerform<Record<string, unknown>, ZapierBookingEvent>;

  const trigger = defineTrigger({
    key: wording.key,
    noun: wording.noun,
    display: { label: wording.label, description: wording.description },
    operation: {
      type: 'polling',
      perform,
      inputFields: wording.offersIncludeUnconfirmed ? [EVENT_TYPE_FIELD, INCLUDE_UNCONFIRMED_FIELD] : [EVENT_TYPE_FIELD],
      outputFields: BOOKING_OUTPUT_FIELDS,
      sample: sampleFor(event),
    },
  });
  return { trigger, perform };
}

import { defineSearch, type SearchPerform } from 'zapier-platform-core';
import { CalcomError, getEventType, type EventTypeDetail } from '@calcom-oauth/shared';
import { withZapierErrors } from '../errors';
import { actionContextFor } from '../creates/actionContext';
import { zapierDisplay } from '../creates/wording';
import { optionalNumber } from '../creates/zapierInputs';

/** An event type flattened for mapping (its id feeds Create Booking and Find Available Slots). */
export type ZapierEventType = {
  id: number;
  title: string;
  slug: string;
  lengthInMinutes: number;
  lengthInMinutesOptions: number[];
  requiresConfirmation: boolean;
  recurring: boolean;
  locations: { type: string; label: string | null }[];
  bookingFields: { name: string; label: string; type: string; required: boolean }[];
};

function toZapierEventType(eventType: EventTypeDetail): ZapierEventType {
  return {
    id: eventType.id,
    title: eventType.title,
    slug: eventType.slug,
    lengthInMinutes: eventType.lengthInMinutes,
    lengthInMinutesOptions: eventType.lengthInMinutesOptions ?? [],
    requiresConfirmation: eventType.requiresConfirmation,
    recurring: eventType.recurring,
    locations: eventType.locations.map((location) => ({ type: location.type, label: location.label ?? null })),
    bookingFields: eventType.bookingFields.map((field) => ({ name: field.name, label: field.label, type: field.type, required: field.required })),
  };
}

export const perform = (async (z, bundle) =>
  withZapierErrors(z, 'run', async () => {
    try {
      return [toZapierEventType(await getEventType(actionContextFor(z, bundle), optionalNumber(bundle.inputData.eventTypeId) as number))];
    } catch (error) {
      if (error instanceof CalcomError && error.kind === 'not_found') return [];
      throw error;
    }
  }, bundle)) satisfies SearchPerform<Record<string, unknown>, ZapierEventType>;

export default defineSearch({
  key: 'find_event_type',
  noun: 'Event Type',
  display: zapierDisplay('get_event_type', 'Find Event Type'),
  operation: {
    perform,
    inputFields: [{ key: 'eventTypeId', label: 'Event Type', required: true, dynamic: 'event_type_list.id.title', helpText: 'Pick one, or map an event type id.' }],
    outputFields: [
      { key: 'id', label: 'Event Type ID', type: 'integer' },
      { key: 'title', label: 'Title', type: 'string' },
      { key: 'slug', label: 'Slug', type: 'string' },
      { key: 'lengthInMinutes', label: 'Duration (Minutes)', type: 'integer' },
      { key: 'lengthInMinutesOptions', label: 'Duration Options (Minutes)', type: 'integer', list: true },
      { key: 'requiresConfirmation', label: 'Requires Confirmation', type: 'boolean' },
      { key: 'recurring', label: 'Recurring', type: 'boolean' },
      { key: 'locations[]type', label: 'Locations Type', type: 'string' },
      { key: 'locations[]label', label: 'Locations Label', type: 'string' },
      { key: 'bookingFields[]name', label: 'Booking Fields Name', type: 'string' },
      { key: 'bookingFields[]label', label: 'Booking Fields Label', type: 'string' },
      { key: 'bookingFields[]type', label: 'Booking Fields Type', type: 'string' },
      { key: 'bookingFields[]required', label: 'Booking Fields Required', type: 'boolean' },
    ],
    sample: {
      id: 1204,
      title: 'Product Demo',
      slug: 'product-demo',
      lengthInMinutes: 30,
      lengthInMinutesOptions: [30, 60],
      requiresConfirmation: false,
      recurring: false,
      locations: [{ type: 'integration', label: 'Cal Video' }],
      bookingFields: [{ name: 'company', label: 'Company', type: 'text', required: true }],
    },
  },
});

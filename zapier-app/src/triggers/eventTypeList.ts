import { defineTrigger, type PollingTriggerPerform } from 'zapier-platform-core';
import { buildEventTypesRequest, processEventTypesResponse } from '@calcom-oauth/shared';
import { instanceOf } from '../connection';
import { connectionSecrets, withZapierErrors } from '../errors';
import { createExecutor } from '../transport';

/** Event types per dropdown page; "Load more" asks for the next one. */
export const EVENT_TYPES_PAGE_SIZE = 50;

interface EventTypeChoice {
  /** The event type id as text: Zapier stores dropdown values as strings. */
  id: string;
  /** "30 Min Meeting (30 min, /30min)": what the user sees in the dropdown. */
  title: string;
  slug: string;
}

function label(eventType: { title: string; slug: string; lengthInMinutes?: number }): string {
  const length = eventType.lengthInMinutes === undefined ? '' : `${eventType.lengthInMinutes} min, `;
  return `${eventType.title} (${length}/${eventType.slug})`;
}

/**
 * Feeds the "Event Type" dropdown of the booking triggers. Cal.com answers with every event type at
 * once, so pages are cut here, in a stable order (by title, then id), from `bundle.meta.page`.
 */
export const perform = (async (z, bundle) =>
  withZapierErrors(z, 'run', async () => {
    const instance = instanceOf(bundle);
    const response = await createExecutor(z, instance)(buildEventTypesRequest({ instance }));
    const { eventTypes, warnings } = processEventTypesResponse(response, { knownSecrets: connectionSecrets(bundle) });
    // A dropdown has no place for a notice: the skipped items are named in the Zap's logs instead.
    for (const warning of warnings) z.console.warn(warning);
    const all = eventTypes
      .sort((a, b) => a.title.localeCompare(b.title) || a.id - b.id)
      .map((eventType) => ({ id: String(eventType.id), title: label(eventType), slug: eventType.slug }));
    const page = Math.max(0, Math.floor(Number(bundle.meta?.page ?? 0)) || 0);
    return all.slice(page * EVENT_TYPES_PAGE_SIZE, (page + 1) * EVENT_TYPES_PAGE_SIZE);
  }, bundle)) satisfies PollingTriggerPerform<Record<string, unknown>, EventTypeChoice>;

export default defineTrigger({
  key: 'event_type_list',
  noun: 'Event Type',
  display: {
    label: 'List Event Types',
    description: 'Lists your Cal.com event types for the event type dropdown.',
    hidden: true,
  },
  operation: {
    type: 'polling',
    canPaginate: true,
    perform,
    outputFields: [
      { key: 'id', label: 'Event Type ID' },
      { key: 'title', label: 'Event Type' },
      { key: 'slug', label: 'Slug' },
    ],
  },
});

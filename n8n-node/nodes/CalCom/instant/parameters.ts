import type { INode, IPollFunctions } from 'n8n-workflow';

import { n8nEventName, parseEventTypeIds, type BookingEventFilters, type BookingEventKey } from '@calcom-oauth/shared';

import { parameterError } from '../errors';
import { readIncludeUnconfirmed } from '../trigger/parameters';
import { INSTANT_EVENT_KEYS, POLLING_ONLY_EVENTS } from './description';

/** What every n8n context of this node offers for reading parameters (poll, hooks, webhook). */
export interface ParameterSource {
	getNode(): INode;
	getNodeParameter(name: string, fallback?: unknown): unknown;
}

export interface InstantParameters {
	event: BookingEventKey;
	filters: BookingEventFilters;
}

function readEvent(context: ParameterSource): BookingEventKey {
	const value = context.getNodeParameter('event');
	if (typeof value === 'string' && (INSTANT_EVENT_KEYS as readonly string[]).includes(value)) return value as BookingEventKey;
	const pollingOnly = typeof value === 'string' && (POLLING_ONLY_EVENTS as readonly string[]).includes(value);
	throw parameterError(
		context.getNode(),
		'Event',
		pollingOnly ? `is "${n8nEventName(value as BookingEventKey)}", which Cal.com's webhooks cannot deliver reliably` : `is ${JSON.stringify(value ?? null).slice(0, 60)}, which this version of the node does not know`,
		pollingOnly
			? 'Use the Cal.com (OAuth2, Polling) Trigger for this event.'
			: `Open the node and choose one of: ${INSTANT_EVENT_KEYS.map(n8nEventName).join(', ')}.`,
	);
}

/** The node's Event, event types and options, validated as the polling trigger validates them. */
export function readInstantParameters(context: ParameterSource): InstantParameters {
	const event = readEvent(context);
	const filters: BookingEventFilters = {};
	const ids = parseEventTypeIds(context.getNodeParameter('eventTypeIds', []), 'Event Type Names or IDs');
	if (ids.length > 0) filters.eventTypeIds = ids;
	// The option reader only calls getNodeParameter and getNode, which every context has.
	if (readIncludeUnconfirmed(context as unknown as IPollFunctions)) filters.includeUnconfirmed = true;
	return { event, filters };
}

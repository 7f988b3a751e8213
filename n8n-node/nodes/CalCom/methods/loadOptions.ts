import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { buildEventTypesRequest, EVENT_TYPES_ENDPOINT, isCalcomError, NO_READABLE_EVENT_TYPES, processEventTypesResponse } from '@calcom-oauth/shared';

import { loadCredentialSecrets, toScrubbedN8nError } from '../errors';
import { loadInstance } from '../instance';
import { createHttpExecutor } from '../transport/httpExecutor';

/** The credential's URLs are fine when Cal.com answered with event types; only their content is not. */
const UNREADABLE_EVENT_TYPES_ADVICE =
	'Cal.com answered, but none of its event types has the id, title and slug the dropdown needs, so this version of the node cannot list them. Give the event type ids as an expression instead (for example "11, 22"), or update the node.';

/** The connected account's event types, for the event-type filter dropdown. */
export async function getEventTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	try {
		const instance = await loadInstance(this);
		const response = await createHttpExecutor(this, instance)(buildEventTypesRequest({ instance }));
		const { eventTypes, warnings } = processEventTypesResponse(response, { knownSecrets: await loadCredentialSecrets(this) });
		// The dropdown has no place for a notice; the skipped items are named in n8n's log instead.
		for (const warning of warnings) this.logger.warn(warning);
		return eventTypes
			.map((eventType) => ({
				name: eventType.lengthInMinutes === undefined ? eventType.title : `${eventType.title} (${eventType.lengthInMinutes} min)`,
				value: eventType.id,
				description: `/${eventType.slug}`,
			}))
			.sort((a, b) => a.name.localeCompare(b.name));
	} catch (error) {
		const failure = await toScrubbedN8nError(this, error, EVENT_TYPES_ENDPOINT);
		if (isCalcomError(error) && error.code === NO_READABLE_EVENT_TYPES) failure.description = UNREADABLE_EVENT_TYPES_ADVICE;
		throw failure;
	}
}

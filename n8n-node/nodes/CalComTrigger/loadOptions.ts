import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { buildEventTypesRequest, parseEventTypesResponse } from '@calcom-oauth/shared';

import { loadCredentialSecrets, toScrubbedN8nError } from './errors';
import { loadInstance } from './instance';
import { createHttpExecutor } from './transport/httpExecutor';

/** The connected account's event types, for the event-type filter dropdown. */
export async function getEventTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	try {
		const instance = await loadInstance(this);
		const response = await createHttpExecutor(this, instance)(buildEventTypesRequest({ instance }));
		return parseEventTypesResponse(response, { knownSecrets: await loadCredentialSecrets(this) })
			.map((eventType) => ({
				name: eventType.lengthInMinutes === undefined ? eventType.title : `${eventType.title} (${eventType.lengthInMinutes} min)`,
				value: eventType.id,
				description: `/${eventType.slug}`,
			}))
			.sort((a, b) => a.name.localeCompare(b.name));
	} catch (error) {
		throw await toScrubbedN8nError(this, error, 'GET /v2/event-types');
	}
}

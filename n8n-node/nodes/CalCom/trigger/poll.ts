import { NodeOperationError, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import {
	BOOKINGS_ENDPOINT,
	malformedBookingWarning,
	n8nEventName,
	parseEventTypeIds,
	pollBookingEvents,
	sampleBookingEvents,
	type BookingEventFilters,
	type BookingEventItem,
	type BookingEventKey,
	type CalcomInstance,
	type HttpExecutor,
} from '@calcom-oauth/shared';

import { loadCredentialSecrets, toScrubbedN8nError } from '../errors';
import { loadInstance } from '../instance';
import { readEvent, readIncludeUnconfirmed } from './parameters';
import { createHttpExecutor } from '../transport/httpExecutor';

/** Key of the engine's state inside the node's static data (`node:<node name>` in the workflow). */
export const STATE_KEY = 'calcomPollState';

function readFilters(context: IPollFunctions): BookingEventFilters {
	const filters: BookingEventFilters = {};
	// An expression may give one id, a list, or the ids as comma-separated text ("11, 22").
	const ids = parseEventTypeIds(context.getNodeParameter('eventTypeIds', []) as unknown, 'Event Type Names or IDs');
	if (ids.length > 0) filters.eventTypeIds = ids;
	if (readIncludeUnconfirmed(context)) filters.includeUnconfirmed = true;
	return filters;
}

/**
 * One output item per event: the booking as the engine returns it, plus which event it is. A booking
 * whose shape is not Cal.com's (attendees that is not a list, a host that is not an object...) is
 * skipped with a warning naming it: workflows map those fields, and the poll still delivers the rest.
 */
export function toItems(events: readonly BookingEventItem[], warn: (message: string) => void): INodeExecutionData[] {
	const items: INodeExecutionData[] = [];
	for (const item of events) {
		const warning = malformedBookingWarning(item.booking);
		if (warning !== undefined) {
			warn(warning);
			continue;
		}
		items.push({
			json: {
				event: item.event,
				occurredAt: item.occurredAt,
				...item.booking,
				...(item.rescheduledFrom === undefined ? {} : { rescheduledFrom: item.rescheduledFrom }),
			} as IDataObject,
		});
	}
	return items;
}

interface PollInput {
	event: BookingEventKey;
	filters: BookingEventFilters;
	instance: CalcomInstance;
	execute: HttpExecutor;
	/** The credential's secrets, scrubbed by the core before it cuts Cal.com's text to length. */
	knownSecrets: string[];
}

/** "Fetch Test Event": a few recent real events; never reads or writes the polling state. */
async function sample(context: IPollFunctions, input: PollInput): Promise<INodeExecutionData[][]> {
	let events: BookingEventItem[];
	try {
		const result = await sampleBookingEvents(input);
		for (const warning of result.warnings) context.logger.warn(warning);
		events = result.events;
	} catch (error) {
		throw await toScrubbedN8nError(context, error, BOOKINGS_ENDPOINT);
	}
	const items = toItems(events, (warning) => context.logger.warn(warning));
	if (items.length === 0) {
		const label = n8nEventName(input.event);
		const scope = input.filters.eventTypeIds === undefined ? '' : ' for the selected event types';
		throw new NodeOperationError(context.getNode(), `No bookings found in Cal.com for "${label}"${scope}.`, {
			description: `Make such a change in Cal.com (for example, create a test booking${input.event === 'booking_created' ? '' : ' and then change it accordingly'}), then click "Fetch Test Event" again.`,
		});
	}
	return [items];
}

/**
 * A poll of an active workflow. The engine's state lives in the node's static data; it is replaced
 * only after a poll that read everything it needed, so a failed poll repeats the same reads next
 * time and nothing is lost or reported twice. The first poll only records a baseline.
 */
async function poll(context: IPollFunctions, input: PollInput): Promise<INodeExecutionData[][] | null> {
	const staticData = context.getWorkflowStaticData('node');
	let result;
	try {
		result = await pollBookingEvents({ ...input, state: staticData[STATE_KEY] });
	} catch (error) {
		throw await toScrubbedN8nError(context, error, BOOKINGS_ENDPOINT);
	}
	for (const warning of result.warnings) context.logger.warn(warning);
	staticData[STATE_KEY] = result.state as unknown as IDataObject;
	context.logger.debug(
		`Cal.com ${input.event} poll: ${result.events.length} event(s), ${result.stats.requests} request(s), ${result.stats.bytes} bytes${result.baseline ? ', baseline recorded' : ''}${result.more ? ', more to read next poll' : ''}`,
	);
	const items = toItems(result.events, (warning) => context.logger.warn(warning));
	return items.length === 0 ? null : [items];
}

/** `poll()` of the Cal.com trigger. */
export async function pollCalCom(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const event = readEvent(this);
	let input: PollInput;
	try {
		const instance = await loadInstance(this);
		input = { event, filters: readFilters(this), instance, execute: createHttpExecutor(this, instance), knownSecrets: await loadCredentialSecrets(this) };
	} catch (error) {
		throw await toScrubbedN8nError(this, error, BOOKINGS_ENDPOINT);
	}
	return this.getMode() === 'manual' ? await sample(this, input) : await poll(this, input);
}

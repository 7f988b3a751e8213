import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { BOOKING_EVENT_KEYS, n8nEventName, type BookingEventKey } from '@calcom-oauth/shared';

import { parameterError } from '../errors';
import { triggerProperties } from './description';

function displayName(name: string): string {
	return triggerProperties.find((property) => property.name === name)?.displayName ?? name;
}

function shown(value: unknown): string {
	if (typeof value === 'string') return `"${value.slice(0, 60)}"`;
	if (value === undefined || value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
	return 'not a single value';
}

/**
 * The Event parameter. A workflow imported from another version, or edited by hand, can hold a key
 * this version does not know; that is a parameter to fix, named as the editor shows it.
 */
export function readEvent(context: IPollFunctions): BookingEventKey {
	const value = context.getNodeParameter('event') as unknown;
	if (typeof value === 'string' && (BOOKING_EVENT_KEYS as readonly string[]).includes(value)) return value as BookingEventKey;
	const choices = BOOKING_EVENT_KEYS.map(n8nEventName).join(', ');
	throw parameterError(
		context.getNode(),
		displayName('event'),
		`is ${shown(value)}, which this version of the node does not know`,
		`Open the node and choose one of: ${choices}.`,
	);
}

/** The "Include Unconfirmed Bookings" option; anything but a boolean (an expression, an imported value) is refused. */
export function readIncludeUnconfirmed(context: IPollFunctions): boolean {
	const options = context.getNodeParameter('options', {}) as unknown;
	const label = displayName('options');
	if (typeof options !== 'object' || options === null || Array.isArray(options)) {
		throw parameterError(context.getNode(), label, `is ${shown(options)}, not a set of options`, 'Open the node and set its options again.');
	}
	const known = triggerProperties.find((property) => property.name === 'options')?.options ?? [];
	for (const name of Object.keys(options)) {
		if (!known.some((option) => option.name === name)) {
			throw parameterError(context.getNode(), label, `holds "${name}", which this version of the node does not know`, `Remove "${name}" from the node's options.`);
		}
	}
	const value = (options as IDataObject).includeUnconfirmed;
	if (value === undefined || typeof value === 'boolean') return value === true;
	const option = known.find((candidate) => candidate.name === 'includeUnconfirmed');
	const optionLabel = option !== undefined && 'displayName' in option ? option.displayName : 'includeUnconfirmed';
	throw parameterError(
		context.getNode(),
		`${label} → ${optionLabel}`,
		`is ${shown(value)}, not true or false`,
		'Switch the option on or off, or make its expression return true or false.',
	);
}

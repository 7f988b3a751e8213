import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { BOOKING_PAGE_URL_EXAMPLE, BOOKING_PAGE_URL_PATTERN } from '@calcom-oauth/shared';

import { operationError, parameterError } from '../errors';

/** The booking an operation acts on: picked from a search, given by uid, or pasted as its page URL. */
export const bookingLocator: INodeProperties = {
	displayName: 'Booking',
	name: 'booking',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The booking, by its uid (the "uid" field of Booking → Get Many, Booking → Create or a Cal.com trigger item), picked from the list, or by the URL of its Cal.com booking page',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchBookings', searchable: true },
		},
		{
			displayName: 'By UID',
			name: 'uid',
			type: 'string',
			placeholder: 'e.g. 2NtaeaVcKfpmSZ4CthFdfk',
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: `e.g. ${BOOKING_PAGE_URL_EXAMPLE}`,
			extractValue: { type: 'regex', regex: BOOKING_PAGE_URL_PATTERN },
			validation: [
				{
					type: 'regex',
					properties: { regex: BOOKING_PAGE_URL_PATTERN, errorMessage: 'Not a Cal.com booking page URL (…/booking/<uid>)' },
				},
			],
		},
	],
};

/** The event type to book, list slots of, or read: picked from the list or given by id. */
export const eventTypeLocator: INodeProperties = {
	displayName: 'Event Type',
	name: 'eventType',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The event type, picked from the list or by its numeric ID, as Event Type → Get Many lists it',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchEventTypes', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 123456',
			validation: [{ type: 'regex', properties: { regex: '^\\s*[0-9]+\\s*$', errorMessage: 'An event type ID is a whole number' } }],
		},
	],
};

/** n8n's usual pair for list operations; the node pages through Cal.com itself. */
export const returnAllOrLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/**
 * A resource locator's value. n8n throws a plain Error when a "By URL" value does not match its
 * pattern; it becomes a parameter error here, so it reads as a wrong value, not as a node defect.
 */
function locatorValue(context: IExecuteFunctions, name: string, itemIndex: number, fix: string): unknown {
	try {
		return context.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	} catch (error) {
		const message = error instanceof Error ? error.message.replace(/^ERROR: /, '') : String(error);
		throw operationError(context.getNode(), message, fix);
	}
}

/** The uid of the booking chosen in {@link bookingLocator}. */
export function readBookingUid(context: IExecuteFunctions, itemIndex: number): string {
	const value = locatorValue(context, 'booking', itemIndex, `Paste the URL of the booking's page (${BOOKING_PAGE_URL_EXAMPLE}), or give its uid with "By UID".`);
	const uid = typeof value === 'string' ? value.trim() : '';
	if (uid === '') {
		throw parameterError(
			context.getNode(),
			'Booking',
			'is empty',
			'Pick a booking from the list, or give its uid (the "uid" field of Booking → Get Many, Booking → Create or a Cal.com trigger item).',
		);
	}
	return uid;
}

/** The id of the event type chosen in {@link eventTypeLocator}. */
export function readEventTypeId(context: IExecuteFunctions, itemIndex: number): number {
	const value = locatorValue(context, 'eventType', itemIndex, 'Pick an event type from the list, or give its numeric ID.');
	const id = typeof value === 'number' ? value : Number(String(value ?? '').trim());
	if (!Number.isSafeInteger(id) || id <= 0) {
		throw parameterError(
			context.getNode(),
			'Event Type',
			`is "${String(value ?? '')}", not an event type ID`,
			'Pick an event type from the list, or give its numeric ID (the "id" field of Event Type → Get Many).',
		);
	}
	return id;
}

/** `{ limit }` or `{ returnAll: true }` from {@link returnAllOrLimit}. */
export function readPaging(context: IExecuteFunctions, itemIndex: number): { limit: number } | { returnAll: true } {
	if (context.getNodeParameter('returnAll', itemIndex, false) === true) return { returnAll: true };
	return { limit: Number(context.getNodeParameter('limit', itemIndex, 50)) };
}

/** Applies {@link readPaging} to a list Cal.com returns whole (slots, event types). */
export function page<T>(context: IExecuteFunctions, itemIndex: number, values: readonly T[]): T[] {
	const paging = readPaging(context, itemIndex);
	return 'returnAll' in paging ? [...values] : values.slice(0, paging.limit);
}

/** A trimmed string parameter, or undefined when left empty. */
export function optionalText(collection: IDataObject, name: string): string | undefined {
	const value = collection[name];
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Splits a comma-separated list parameter ("a@x.com, b@y.com"), dropping empty entries. */
export function commaList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map(String).map((entry) => entry.trim()).filter((entry) => entry !== '');
	if (typeof value !== 'string') return [];
	return value
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

/**
 * A JSON-object parameter (n8n hands a `json` field over as text or, from an expression, as an
 * object); names the parameter when it is not an object.
 */
export function jsonObject(context: IExecuteFunctions, parameter: string, value: unknown): Record<string, unknown> | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			throw parameterError(context.getNode(), parameter, 'is not valid JSON', 'Give a JSON object, for example {"notes": "Agenda attached"}.');
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw parameterError(context.getNode(), parameter, 'is not a JSON object', 'Give a JSON object, for example {"notes": "Agenda attached"}.');
	}
	return parsed as Record<string, unknown>;
}

/** The wording every time parameter uses, so an agent formats times one way. */
export const UTC_TIME_HINT = 'ISO-8601, UTC, for example 2026-05-01T14:00:00Z (an offset such as +02:00 is also accepted)';

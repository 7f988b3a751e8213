import type { INodeProperties } from 'n8n-workflow';

import { BOOKING_EVENTS, BOOKING_EVENT_KEYS, type BookingEventKey } from '@calcom-oauth/shared';

/** Default event: the one most workflows start from. */
const DEFAULT_EVENT: BookingEventKey = 'booking_created';

/** Every trigger property except n8n's own Poll Times, which n8n adds to every polling node. */
export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		required: true,
		default: DEFAULT_EVENT,
		// Sorted by label, as n8n's option lists are.
		options: [...BOOKING_EVENT_KEYS]
			.map((key) => ({ name: BOOKING_EVENTS[key].label, value: key, description: BOOKING_EVENTS[key].description }))
			.sort((a, b) => a.name.localeCompare(b.name)),
	},
	{
		displayName: 'Event Type Names or IDs',
		name: 'eventTypeIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getEventTypes' },
		default: [],
		description:
			'Only bookings of these event types. Leave empty for all. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Include Unconfirmed Bookings',
				name: 'includeUnconfirmed',
				type: 'boolean',
				default: false,
				description:
					'Whether Booking Created and Booking Rescheduled also fire for bookings still awaiting the host’s confirmation. Off: such bookings fire once confirmed, like Cal.com’s own BOOKING_CREATED webhook.',
			},
		],
	},
];

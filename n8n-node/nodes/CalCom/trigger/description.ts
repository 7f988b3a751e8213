import type { INodeProperties } from 'n8n-workflow';

import { BOOKING_EVENT_CATALOGUE, BOOKING_EVENT_KEYS, n8nEventName, n8nEventOptions, type BookingEventKey } from '@calcom-oauth/shared';

/** Default event: the one most workflows start from. */
const DEFAULT_EVENT: BookingEventKey = 'booking_created';

/** The events that offer "Include Unconfirmed Bookings", as the Event parameter names them. */
const CONFIRMABLE_EVENT_NAMES = BOOKING_EVENT_KEYS.filter((key) => BOOKING_EVENT_CATALOGUE[key].offersIncludeUnconfirmed)
	.map(n8nEventName)
	.join(' and ');

/** Every trigger property except n8n's own Poll Times, which n8n adds to every polling node. */
export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		required: true,
		default: DEFAULT_EVENT,
		options: n8nEventOptions(),
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
				description: `Whether ${CONFIRMABLE_EVENT_NAMES} also fire for bookings still awaiting the host’s confirmation. Off: such bookings fire once confirmed, like Cal.com’s own webhooks.`,
			},
		],
	},
];

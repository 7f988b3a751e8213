import type { INodeProperties } from 'n8n-workflow';

import * as booking from './booking';
import * as eventType from './eventType';
import * as slot from './slot';

/** The node's parameters: the resource, then each resource's operations and their fields. */
export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Booking', value: 'booking' },
			{ name: 'Event Type', value: 'eventType' },
			{ name: 'Slot', value: 'slot' },
		],
		default: 'booking',
	},
	...booking.description,
	...eventType.description,
	...slot.description,
];

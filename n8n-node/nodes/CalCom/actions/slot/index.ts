import type { INodeProperties } from 'n8n-workflow';

import { BOOKING_OPERATIONS } from '@calcom-oauth/shared';

import type { NodeOperation } from '../operation';
import { scopeNote } from '../scopeNote';
import * as getAll from './getAll.operation';

export const operations: Record<string, NodeOperation> = { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['slot'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many available slots',
				description: `Lists the free start times of an event type in a period, earliest first, one item per slot. Use a slot's "startUtc" as the start of Booking → Create or Booking → Reschedule. ${scopeNote(BOOKING_OPERATIONS.find_available_slots.scope)}.`,
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];

import type { INodeProperties } from 'n8n-workflow';

import { BOOKING_OPERATIONS } from '@calcom-oauth/shared';

import type { NodeOperation } from '../operation';
import { scopeNote } from '../scopeNote';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations: Record<string, NodeOperation> = { get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['eventType'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get an event type',
				description: `Gets one event type by ID: length, durations offered, locations and its booking questions ("bookingFields", with which are required for Booking → Create). ${scopeNote(BOOKING_OPERATIONS.get_event_type.scope)}.`,
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many event types',
				description: `Lists the connected account's event types (ID, title, slug, length), one item each; use an ID with Slot → Get Many and Booking → Create. ${scopeNote(BOOKING_OPERATIONS.list_event_types.scope)}.`,
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];

import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { findBookings, type ActionContext, type FindBookingsFilters } from '@calcom-oauth/shared';

import { asItems } from '../operation';
import { optionalText, readPaging, returnAllOrLimit, UTC_TIME_HINT } from '../common';

type BookingStatusFilter = NonNullable<FindBookingsFilters['status']>[number];

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Attendee Email',
				name: 'attendeeEmail',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: 'Only bookings this person attends',
			},
			{
				displayName: 'Ends Before',
				name: 'beforeEnd',
				type: 'string',
				default: '',
				placeholder: 'e.g. 2026-06-01T00:00:00Z',
				description: `Only bookings that end before this time: ${UTC_TIME_HINT}`,
			},
			{
				displayName: 'Event Type Names or IDs',
				name: 'eventTypeIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getEventTypes' },
				default: [],
				description:
					'Only bookings of these event types. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Starts After',
				name: 'afterStart',
				type: 'string',
				default: '',
				placeholder: 'e.g. 2026-05-01T00:00:00Z',
				description: `Only bookings that start after this time: ${UTC_TIME_HINT}`,
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				default: [],
				description: 'Only bookings in these states; several are combined with OR',
				options: [
					{ name: 'Cancelled', value: 'cancelled' },
					{ name: 'Past', value: 'past' },
					{ name: 'Recurring', value: 'recurring' },
					{ name: 'Unconfirmed (Awaiting the Host)', value: 'unconfirmed' },
					{ name: 'Upcoming', value: 'upcoming' },
				],
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['booking'], operation: ['getAll'] } }, properties);

function eventTypeIds(value: unknown): number[] {
	const values = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : value === undefined ? [] : [value];
	return values.map((entry) => Number(String(entry).trim())).filter((id) => Number.isSafeInteger(id) && id > 0);
}

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ActionContext): Promise<IDataObject[]> {
	const given = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const attendeeEmail = optionalText(given, 'attendeeEmail');
	const afterStart = optionalText(given, 'afterStart');
	const beforeEnd = optionalText(given, 'beforeEnd');
	const status = Array.isArray(given.status) ? (given.status as BookingStatusFilter[]) : [];
	const ids = eventTypeIds(given.eventTypeIds);
	const filters: FindBookingsFilters = {
		...(attendeeEmail === undefined ? {} : { attendeeEmail }),
		...(afterStart === undefined ? {} : { afterStart }),
		...(beforeEnd === undefined ? {} : { beforeEnd }),
		...(status.length === 0 ? {} : { status }),
		...(ids.length === 0 ? {} : { eventTypeIds: ids }),
	};
	return asItems(await findBookings(context, filters, readPaging(this, itemIndex)));
}

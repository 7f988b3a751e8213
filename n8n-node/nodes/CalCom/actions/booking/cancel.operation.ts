import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { cancelBooking, type ActionContext } from '@calcom-oauth/shared';

import { bookingLocator, optionalText, readBookingUid } from '../common';
import { bookingItems } from './output';

const properties: INodeProperties[] = [
	bookingLocator,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Cancel Later Occurrences',
				name: 'cancelSubsequentBookings',
				type: 'boolean',
				default: false,
				description: 'Whether to also cancel every later occurrence of a recurring booking (this one and all after it)',
			},
			{
				displayName: 'Reason',
				name: 'reason',
				type: 'string',
				default: '',
				description: 'Why the booking is cancelled; Cal.com shows it to the attendees',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['booking'], operation: ['cancel'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ActionContext): Promise<IDataObject[]> {
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const reason = optionalText(extra, 'reason');
	const result = await cancelBooking(context, {
		uid: readBookingUid(this, itemIndex),
		...(reason === undefined ? {} : { reason }),
		...(extra.cancelSubsequentBookings === true ? { cancelSubsequentBookings: true } : {}),
	});
	return bookingItems(result);
}

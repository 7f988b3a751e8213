import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { declineBooking, type ActionContext } from '@calcom-oauth/shared';

import { bookingLocator, readBookingUid } from '../common';
import { bookingItems } from './output';

const properties: INodeProperties[] = [
	bookingLocator,
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		description: 'Why the request is declined; Cal.com sends it to the attendee',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['booking'], operation: ['decline'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ActionContext): Promise<IDataObject[]> {
	const reason = String(this.getNodeParameter('reason', itemIndex, '')).trim();
	return bookingItems(await declineBooking(context, { uid: readBookingUid(this, itemIndex), ...(reason === '' ? {} : { reason }) }));
}

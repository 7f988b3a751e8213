import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { getBooking, type ActionContext } from '@calcom-oauth/shared';

import { asItems } from '../operation';
import { bookingLocator, readBookingUid } from '../common';

const properties: INodeProperties[] = [bookingLocator];

export const description = updateDisplayOptions({ show: { resource: ['booking'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ActionContext): Promise<IDataObject[]> {
	return asItems([await getBooking(context, readBookingUid(this, itemIndex))]);
}

import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { confirmBooking, type ActionContext } from '@calcom-oauth/shared';

import { bookingLocator, readBookingUid } from '../common';
import { bookingItems } from './output';

const properties: INodeProperties[] = [bookingLocator];

export const description = updateDisplayOptions({ show: { resource: ['booking'], operation: ['confirm'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ActionContext): Promise<IDataObject[]> {
	return bookingItems(await confirmBooking(context, { uid: readBookingUid(this, itemIndex) }));
}

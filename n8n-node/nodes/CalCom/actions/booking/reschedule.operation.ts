import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { rescheduleBooking, type ActionContext } from '@calcom-oauth/shared';

import { bookingLocator, optionalText, readBookingUid, UTC_TIME_HINT } from '../common';
import { bookingItems } from './output';

const properties: INodeProperties[] = [
	bookingLocator,
	{
		displayName: 'New Start Time',
		name: 'start',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 2026-05-01T15:30:00Z',
		description: `When the meeting should start instead: ${UTC_TIME_HINT}. Get a valid start from Slot → Get Many first (its "startUtc" field).`,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Reason',
				name: 'reason',
				type: 'string',
				default: '',
				description: 'Why the booking moves; Cal.com shows it to the attendees',
			},
			{
				displayName: 'Rescheduled By',
				name: 'rescheduledBy',
				type: 'string',
				default: '',
				placeholder: 'name@email.com',
				description: 'Email of the person moving the booking (the host or an attendee)',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['booking'], operation: ['reschedule'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ActionContext): Promise<IDataObject[]> {
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const reason = optionalText(extra, 'reason');
	const rescheduledBy = optionalText(extra, 'rescheduledBy');
	const result = await rescheduleBooking(context, {
		uid: readBookingUid(this, itemIndex),
		start: String(this.getNodeParameter('start', itemIndex)).trim(),
		...(reason === undefined ? {} : { reason }),
		...(rescheduledBy === undefined ? {} : { rescheduledBy }),
	});
	// The item is the NEW booking (Cal.com gives it a new uid); the old uid stays mappable.
	return bookingItems(result).map((item) => ({ ...item, previousUid: result.previousUid }));
}

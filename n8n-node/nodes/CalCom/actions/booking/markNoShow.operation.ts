import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { markNoShow, type ActionContext } from '@calcom-oauth/shared';

import { parameterError } from '../../errors';
import { bookingLocator, readBookingUid } from '../common';
import { bookingItems } from './output';

const properties: INodeProperties[] = [
	bookingLocator,
	{
		displayName: 'Host Absent',
		name: 'host',
		type: 'boolean',
		default: false,
		description: 'Whether the host did not show up',
	},
	{
		displayName: 'Attendees',
		name: 'attendees',
		type: 'fixedCollection',
		placeholder: 'Add Attendee',
		typeOptions: { multipleValues: true },
		default: {},
		description: 'Attendees to mark absent (or present again), by the email they booked with',
		options: [
			{
				displayName: 'Attendee',
				name: 'attendee',
				values: [
					{
						displayName: 'Email',
						name: 'email',
						type: 'string',
						placeholder: 'name@email.com',
						default: '',
						description: 'Email of the attendee as on the booking ("attendees" of Booking → Get)',
					},
					{
						displayName: 'Absent',
						name: 'absent',
						type: 'boolean',
						default: true,
						description: 'Whether the attendee did not show up (off marks them present again)',
					},
				],
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['booking'], operation: ['markNoShow'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ActionContext): Promise<IDataObject[]> {
	const host = this.getNodeParameter('host', itemIndex, false) === true;
	const listed = (this.getNodeParameter('attendees.attendee', itemIndex, []) as IDataObject[]) ?? [];
	const attendees = listed
		.map((entry) => ({ email: String(entry.email ?? '').trim(), absent: entry.absent !== false }))
		.filter((entry) => entry.email !== '');
	if (!host && attendees.length === 0) {
		throw parameterError(this.getNode(), 'Host Absent', 'is off and no attendee is listed', 'Turn on "Host Absent" or add the attendees who did not show up.');
	}
	const result = await markNoShow(context, {
		uid: readBookingUid(this, itemIndex),
		...(host ? { host: true } : {}),
		...(attendees.length === 0 ? {} : { attendees }),
	});
	return bookingItems(result);
}

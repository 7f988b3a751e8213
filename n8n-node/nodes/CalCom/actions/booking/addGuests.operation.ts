import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { addGuests, type ActionContext } from '@calcom-oauth/shared';

import { parameterError } from '../../errors';
import { bookingLocator, readBookingUid } from '../common';
import { bookingItems } from './output';

const properties: INodeProperties[] = [
	bookingLocator,
	{
		displayName: 'Guests',
		name: 'guests',
		type: 'fixedCollection',
		placeholder: 'Add Guest',
		typeOptions: { multipleValues: true },
		default: {},
		description: 'People to add to the booking, at most 10 per run; Cal.com allows 5 runs per minute',
		options: [
			{
				displayName: 'Guest',
				name: 'guest',
				values: [
					{
						displayName: 'Email',
						name: 'email',
						type: 'string',
						placeholder: 'name@email.com',
						default: '',
						description: 'Email of the guest; Cal.com sends the invitation there',
					},
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						description: 'Name of the guest (optional)',
					},
				],
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['booking'], operation: ['addGuests'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ActionContext): Promise<IDataObject[]> {
	const listed = (this.getNodeParameter('guests.guest', itemIndex, []) as IDataObject[]) ?? [];
	const guests = listed
		.map((entry) => {
			const email = String(entry.email ?? '').trim();
			const name = String(entry.name ?? '').trim();
			return name === '' ? { email } : { email, name };
		})
		.filter((entry) => entry.email !== '');
	if (guests.length === 0) throw parameterError(this.getNode(), 'Guests', 'lists no email', 'Add at least one guest with an email.');
	return bookingItems(await addGuests(context, { uid: readBookingUid(this, itemIndex), guests }));
}

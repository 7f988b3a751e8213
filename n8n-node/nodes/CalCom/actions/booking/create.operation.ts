import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { createBooking, type ActionContext, type CreateBookingInput } from '@calcom-oauth/shared';

import { parameterError } from '../../errors';
import { bookingItems } from './output';
import { commaList, eventTypeLocator, jsonObject, optionalText, readEventTypeId, UTC_TIME_HINT } from '../common';

const properties: INodeProperties[] = [
	eventTypeLocator,
	{
		displayName: 'Start Time',
		name: 'start',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 2026-05-01T14:00:00Z',
		description: `When the meeting starts: ${UTC_TIME_HINT}. Get a valid start from Slot → Get Many first (its "startUtc" field); any other time is refused as taken or unavailable.`,
	},
	{
		displayName: 'Attendee Name',
		name: 'attendeeName',
		type: 'string',
		default: '',
		required: true,
		description: 'Full name of the person booking the meeting',
	},
	{
		displayName: 'Attendee Email',
		name: 'attendeeEmail',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'Email of the person booking; Cal.com sends the confirmation there. Needed unless the event type books by phone number.',
	},
	{
		displayName: 'Attendee Time Zone',
		name: 'attendeeTimeZone',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Europe/Berlin',
		description: "The attendee's IANA time zone (for example America/New_York or UTC); Cal.com writes the confirmation in it",
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Attendee Language',
				name: 'language',
				type: 'string',
				default: '',
				placeholder: 'e.g. en',
				description: 'Language code for the attendee’s emails (for example en, de, fr)',
			},
			{
				displayName: 'Attendee Phone Number',
				name: 'phoneNumber',
				type: 'string',
				default: '',
				placeholder: 'e.g. +14155550123',
				description: 'Phone number in international format (E.164), for event types that ask for one',
			},
			{
				displayName: 'Booking Field Responses',
				name: 'bookingFieldsResponses',
				type: 'json',
				default: '{}',
				description:
					'Answers to the event type’s own booking questions, as a JSON object keyed by the question’s name (see "bookingFields" of Event Type → Get); a required question left out is refused with its name',
			},
			{
				displayName: 'Duration (Minutes)',
				name: 'lengthInMinutes',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30,
				description: 'Length of the meeting, only for event types that offer several durations ("lengthInMinutesOptions" of Event Type → Get)',
			},
			{
				displayName: 'Guests',
				name: 'guests',
				type: 'string',
				default: '',
				placeholder: 'e.g. ana@example.com, li@example.com',
				description: 'Comma-separated emails of further people to invite',
			},
			{
				displayName: 'Location',
				name: 'location',
				type: 'string',
				default: '',
				description: 'Where the meeting takes place, one of the event type’s locations ("locations" of Event Type → Get); empty uses its default',
			},
			{
				displayName: 'Metadata',
				name: 'metadata',
				type: 'json',
				default: '{}',
				description: 'Your own key-value pairs stored with the booking, as a JSON object of strings',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['booking'], operation: ['create'] } }, properties);

function stringValues(context: IExecuteFunctions, record: Record<string, unknown> | undefined): Record<string, string> | undefined {
	if (record === undefined) return undefined;
	for (const [key, value] of Object.entries(record)) {
		if (typeof value !== 'string') {
			throw parameterError(context.getNode(), 'Metadata', `has a non-text value at "${key}"`, 'Cal.com stores metadata as text: put the value in quotes.');
		}
	}
	return Object.keys(record).length === 0 ? undefined : (record as Record<string, string>);
}

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ActionContext): Promise<IDataObject[]> {
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const email = String(this.getNodeParameter('attendeeEmail', itemIndex, '')).trim();
	const phoneNumber = optionalText(extra, 'phoneNumber');
	const language = optionalText(extra, 'language');
	const guests = commaList(extra.guests);
	const location = optionalText(extra, 'location');
	const responses = jsonObject(this, 'Booking Field Responses', extra.bookingFieldsResponses);
	const metadata = stringValues(this, jsonObject(this, 'Metadata', extra.metadata));
	const input: CreateBookingInput = {
		eventTypeId: readEventTypeId(this, itemIndex),
		start: String(this.getNodeParameter('start', itemIndex)).trim(),
		attendee: {
			name: String(this.getNodeParameter('attendeeName', itemIndex)).trim(),
			timeZone: String(this.getNodeParameter('attendeeTimeZone', itemIndex)).trim(),
			...(email === '' ? {} : { email }),
			...(phoneNumber === undefined ? {} : { phoneNumber }),
			...(language === undefined ? {} : { language }),
		},
		...(guests.length === 0 ? {} : { guests }),
		...(typeof extra.lengthInMinutes === 'number' ? { lengthInMinutes: extra.lengthInMinutes } : {}),
		...(location === undefined ? {} : { location }),
		...(responses === undefined || Object.keys(responses).length === 0 ? {} : { bookingFieldsResponses: responses }),
		...(metadata === undefined ? {} : { metadata }),
	};
	return bookingItems(await createBooking(context, input));
}

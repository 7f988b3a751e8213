import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { findAvailableSlots, type ActionContext } from '@calcom-oauth/shared';

import { asItems } from '../operation';
import { eventTypeLocator, optionalText, page, readEventTypeId, returnAllOrLimit, UTC_TIME_HINT } from '../common';

const properties: INodeProperties[] = [
	eventTypeLocator,
	{
		displayName: 'From',
		name: 'start',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 2026-05-01T00:00:00Z',
		description: `Start of the period to search: ${UTC_TIME_HINT}`,
	},
	{
		displayName: 'To',
		name: 'end',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 2026-05-08T00:00:00Z',
		description: `End of the period to search: ${UTC_TIME_HINT}`,
	},
	...returnAllOrLimit,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Duration (Minutes)',
				name: 'duration',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30,
				description: 'Meeting length, only for event types that offer several durations',
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'e.g. Europe/Berlin',
				description: 'IANA time zone the "start" field of each slot is written in (default UTC); "startUtc" is always UTC',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['slot'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ActionContext): Promise<IDataObject[]> {
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const timeZone = optionalText(extra, 'timeZone');
	const slots = await findAvailableSlots(context, {
		eventTypeId: readEventTypeId(this, itemIndex),
		start: String(this.getNodeParameter('start', itemIndex)).trim(),
		end: String(this.getNodeParameter('end', itemIndex)).trim(),
		...(timeZone === undefined ? {} : { timeZone }),
		...(typeof extra.duration === 'number' ? { duration: extra.duration } : {}),
	});
	return asItems(page(this, itemIndex, slots));
}

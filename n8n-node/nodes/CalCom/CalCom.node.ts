import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { properties } from './actions/description';
import { router } from './actions/router';
import { searchBookings, searchEventTypes } from './methods/listSearch';
import { getEventTypes } from './methods/loadOptions';

export class CalCom implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cal.com',
		name: 'calCom',
		icon: { light: 'file:../../icons/calcom.svg', dark: 'file:../../icons/calcom.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Books, reschedules, cancels, confirms and declines Cal.com meetings, finds bookings and free slots, and reads event types, connecting with OAuth2 (Cal.com cloud, EU or self-hosted). Times are ISO-8601 in UTC; time zones are IANA names. To book, get a free start from Slot → Get Many first. Creating a booking is not idempotent.',
		defaults: { name: 'Cal.com' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'calComOAuth2Api', required: true }],
		properties,
	};

	methods = {
		listSearch: { searchBookings, searchEventTypes },
		loadOptions: { getEventTypes },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

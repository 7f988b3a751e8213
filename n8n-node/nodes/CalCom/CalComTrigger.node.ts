import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { triggerProperties } from './trigger/description';
import { getEventTypes } from './methods/loadOptions';
import { pollCalCom } from './trigger/poll';

export class CalComTrigger implements INodeType {
	description: INodeTypeDescription = {
		// n8n's lint wants trigger names to end in "Trigger"; the brackets set it apart from n8n's built-in
		// webhook-based "Cal.com Trigger" in the node picker.
		displayName: 'Cal.com (OAuth2, Polling) Trigger',
		name: 'calComTrigger',
		icon: { light: 'file:../../icons/calcom.svg', dark: 'file:../../icons/calcom.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description:
			'Starts the workflow on Cal.com booking events, connecting with OAuth2 and polling, so no public webhook URL is needed. Unlike the built-in Cal.com Trigger (webhooks, API key), it also offers rejected, requested and updated bookings.',
		defaults: { name: 'Cal.com Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'calComOAuth2Api', required: true }],
		properties: triggerProperties,
	};

	methods = {
		loadOptions: { getEventTypes },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollCalCom.call(this);
	}
}

import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { checkExists, create, remove } from './instant/hooks';
import { instantTriggerProperties } from './instant/description';
import { receiveDelivery } from './instant/receive';
import { reconcile } from './instant/reconcile';
import { getEventTypes } from './methods/loadOptions';

/**
 * A separate node rather than a version of the polling trigger, so polling workflows keep their node
 * as it is. One node hosts both paths: n8n activates its webhook and its poll side by side
 * (workflow-trigger-activator.js); n8n-node/README.md, "Instant trigger: how it is hosted", says how
 * the two share one dedupe memory without n8n's static-data saves undoing each other.
 */
export class CalComInstantTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cal.com (OAuth2, Instant) Trigger',
		name: 'calComInstantTrigger',
		icon: { light: 'file:../../icons/calcom.svg', dark: 'file:../../icons/calcom.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description:
			'Starts the workflow within seconds of a Cal.com booking event (signed webhooks, OAuth2), and reconciles on a schedule so a delivery Cal.com dropped is still emitted, once',
		defaults: { name: 'Cal.com Instant Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'calComOAuth2Api', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: instantTriggerProperties,
	};

	methods = {
		loadOptions: { getEventTypes },
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await remove.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery.call(this);
	}

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await reconcile.call(this);
	}
}

import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { getEventType, type ActionContext } from '@calcom-oauth/shared';

import { asItems } from '../operation';
import { eventTypeLocator, readEventTypeId } from '../common';

const properties: INodeProperties[] = [eventTypeLocator];

export const description = updateDisplayOptions({ show: { resource: ['eventType'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ActionContext): Promise<IDataObject[]> {
	return asItems([await getEventType(context, readEventTypeId(this, itemIndex))]);
}

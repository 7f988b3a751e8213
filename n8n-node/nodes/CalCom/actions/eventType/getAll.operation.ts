import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { listEventTypes, type ActionContext } from '@calcom-oauth/shared';

import { asItems } from '../operation';
import { page, returnAllOrLimit } from '../common';

const properties: INodeProperties[] = [...returnAllOrLimit];

export const description = updateDisplayOptions({ show: { resource: ['eventType'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number, context: ActionContext): Promise<IDataObject[]> {
	const { eventTypes, warnings } = await listEventTypes(context);
	// An item has no place for a notice; the skipped event types are named in n8n's log.
	for (const warning of warnings) this.logger.warn(warning);
	return asItems(page(this, itemIndex, eventTypes));
}

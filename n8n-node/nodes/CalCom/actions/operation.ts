import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ActionContext } from '@calcom-oauth/shared';

/** One resource → operation of the node: its parameters and what it does for one input item. */
export interface NodeOperation {
	description: INodeProperties[];
	/** Returns the JSON of each output item (one per booking, slot or event type); the router pairs them. */
	execute(this: IExecuteFunctions, itemIndex: number, context: ActionContext): Promise<IDataObject[]>;
}

/** Cal.com's objects are plain JSON; n8n's item type wants IDataObject. */
export function asItems(values: readonly object[]): IDataObject[] {
	return values.map((value) => ({ ...value }) as IDataObject);
}

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ActionContext } from '@calcom-oauth/shared';

import { parameterError } from '../errors';
import { createActionContext } from './context';
import { actionError } from './errors';
import type { NodeOperation } from './operation';
import { operations as booking } from './booking';
import { operations as eventType } from './eventType';
import { operations as slot } from './slot';

const RESOURCES: Record<string, Record<string, NodeOperation>> = { booking, eventType, slot };

function findOperation(context: IExecuteFunctions, resource: string, operation: string): NodeOperation {
	const found = RESOURCES[resource]?.[operation];
	if (found === undefined) {
		throw parameterError(
			context.getNode(),
			'Operation',
			`"${resource} → ${operation}" is not one this version of the node knows`,
			'Choose the resource and operation again in the node (an imported or newer workflow may hold another value).',
		);
	}
	return found;
}

/**
 * Runs the chosen operation once per input item. Every output item is paired with the input item it
 * came from. With "Continue On Fail", a failed item becomes one output item holding the error
 * message and what to do, and the next items still run; otherwise the first failure stops the node.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	// Built on first use, so a credential problem is reported per item like any other failure.
	let context: ActionContext | undefined;
	for (let itemIndex = 0; itemIndex < items.length; itemIndex += 1) {
		const resource = String(this.getNodeParameter('resource', itemIndex));
		const operation = String(this.getNodeParameter('operation', itemIndex));
		try {
			context ??= await createActionContext(this);
			const results = await findOperation(this, resource, operation).execute.call(this, itemIndex, context);
			for (const json of results) output.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			const failure = await actionError(this, error, `Cal.com ${resource} → ${operation}`);
			if (!this.continueOnFail()) throw failure;
			const json: IDataObject = { error: failure.message };
			if (typeof failure.description === 'string' && failure.description !== '') json.description = failure.description;
			output.push({ json, pairedItem: { item: itemIndex } });
		}
	}
	return [output];
}

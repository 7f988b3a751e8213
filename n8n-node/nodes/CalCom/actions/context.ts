import type { IExecuteFunctions } from 'n8n-workflow';

import type { ActionContext } from '@calcom-oauth/shared';

import { loadCredentialSecrets } from '../errors';
import { loadInstance } from '../instance';
import { createHttpExecutor } from '../transport/httpExecutor';

/**
 * What every operation needs to talk to Cal.com, built once per execution: the credential's
 * instance, n8n's authenticated transport, and the credential's secrets for scrubbing messages.
 */
export async function createActionContext(context: IExecuteFunctions): Promise<ActionContext> {
	const instance = await loadInstance(context);
	return {
		execute: createHttpExecutor(context, instance),
		instance,
		knownSecrets: await loadCredentialSecrets(context),
	};
}

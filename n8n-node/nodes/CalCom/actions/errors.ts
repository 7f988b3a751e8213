import type { IExecuteFunctions, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isCalcomError } from '@calcom-oauth/shared';

import { toScrubbedN8nError } from '../errors';

/**
 * What to do next after an action failed, where the package's advice (written for the trigger,
 * which simply polls again) would mislead: an action is not repeated by itself.
 */
const ACTION_ADVICE: Readonly<Record<string, string>> = {
	rate_limited: 'Cal.com refused the request before doing anything: wait the time it gives, then run the node again.',
	server_unavailable:
		'Cal.com did not answer. A read can simply be run again later; for a change, first check in Cal.com (or with Booking → Get) whether it happened.',
	write_outcome_unknown:
		'Do not run this node again before checking: look for the booking with Booking → Get Many (attendee email and start time) or in Cal.com, because the change may already have been made.',
};

/** The n8n error for a failed operation, scrubbed of the credential's secrets, with advice for actions. */
export async function actionError(context: IExecuteFunctions, error: unknown, operationLabel: string): Promise<NodeApiError | NodeOperationError> {
	const failure = await toScrubbedN8nError(context, error, operationLabel);
	const advice = isCalcomError(error) ? ACTION_ADVICE[error.kind] : undefined;
	if (advice !== undefined) failure.description = advice;
	return failure;
}

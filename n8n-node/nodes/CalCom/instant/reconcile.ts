import { NodeOperationError, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import { BOOKINGS_ENDPOINT, pollBookingEvents, sampleBookingEvents, SIGNATURE_HEADER, type BookingEventItem } from '@calcom-oauth/shared';

import { loadCredentialSecrets, toScrubbedN8nError } from '../errors';
import { loadInstance } from '../instance';
import { toItems } from '../trigger/poll';
import { createHttpExecutor, REQUEST_TIME_OUT } from '../transport/httpExecutor';
import { readInstantParameters } from './parameters';
import { buildReport, signBody } from './report';
import { readSubscription, RECONCILE_KEY } from './state';

/**
 * The reconciliation's running engine state. n8n keeps one in-memory Workflow per activation and
 * hands every poll the same static-data object of it; keying by that object ties the state to one
 * activation, and keeping it out of static data means the poller never changes the copy n8n would
 * save over the webhook's writes.
 */
const running = new WeakMap<object, { state: unknown }>();

async function deliverReport(context: IPollFunctions, events: readonly BookingEventItem[], state: unknown): Promise<void> {
	const staticData = context.getWorkflowStaticData('node');
	const subscription = readSubscription(staticData);
	if (subscription === undefined) {
		throw new NodeOperationError(context.getNode(), 'The Cal.com Instant Trigger has no webhook subscription to reconcile into.', {
			description: 'Deactivate and activate the workflow again so n8n subscribes to Cal.com anew.',
		});
	}
	const body = buildReport(events, state);
	try {
		await context.helpers.httpRequest({
			method: 'POST',
			url: subscription.subscriberUrl,
			body,
			headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: await signBody(body, subscription.secret) },
			json: false,
			encoding: 'text',
			timeout: REQUEST_TIME_OUT.ms,
		});
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		throw new NodeOperationError(context.getNode(), `The reconciliation found ${events.length} change(s) but could not hand them to this workflow's webhook URL: ${reason.slice(0, 200)}`, {
			description: 'n8n must reach its own production webhook URL (WEBHOOK_URL). The next reconciliation reads the same changes again; nothing is lost.',
		});
	}
}

/**
 * `poll()` of the instant trigger: the reconciliation. The first poll of an activation records the
 * engine's baseline (saved with the activation) or, after a restart, resumes from the stored state
 * without a request. Later polls read Cal.com with the polling engine (one request when idle) and
 * hand any change to the node's own webhook URL as a signed report, where `webhook()` drops what a
 * Cal.com delivery already emitted and starts one execution for the rest. The poll itself never
 * emits: n8n would then save its stale copy of static data over the webhook's dedupe memory.
 */
export async function reconcile(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const { event, filters } = readInstantParameters(this);
	let instance;
	let knownSecrets: string[];
	try {
		instance = await loadInstance(this);
		knownSecrets = await loadCredentialSecrets(this);
	} catch (error) {
		throw await toScrubbedN8nError(this, error, BOOKINGS_ENDPOINT);
	}
	const input = { event, filters, instance, execute: createHttpExecutor(this, instance), knownSecrets };
	if (this.getMode() === 'manual') {
		const sample = await sampleBookingEvents(input).catch(async (error: unknown) => {
			throw await toScrubbedN8nError(this, error, BOOKINGS_ENDPOINT);
		});
		const items = toItems(sample.events, (warning) => this.logger.warn(warning));
		return items.length === 0 ? null : [items];
	}
	const staticData = this.getWorkflowStaticData('node');
	const known = running.get(staticData);
	if (known === undefined && staticData[RECONCILE_KEY] !== undefined) {
		running.set(staticData, { state: staticData[RECONCILE_KEY] });
		return null;
	}
	let result;
	try {
		result = await pollBookingEvents({ ...input, state: known?.state });
	} catch (error) {
		throw await toScrubbedN8nError(this, error, BOOKINGS_ENDPOINT);
	}
	for (const warning of result.warnings) this.logger.warn(warning);
	if (known === undefined) {
		// The activation's first poll: n8n saves static data once activation is done.
		staticData[RECONCILE_KEY] = result.state as unknown as IDataObject;
	} else if (result.events.length > 0) {
		await deliverReport(this, result.events, result.state);
	}
	running.set(staticData, { state: result.state });
	this.logger.debug(`Cal.com ${event} reconciliation: ${result.events.length} change(s), ${result.stats.requests} request(s), ${result.stats.bytes} bytes${result.baseline ? ', baseline recorded' : ''}`);
	return null;
}

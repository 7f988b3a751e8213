import type { IHookFunctions } from 'n8n-workflow';

import { findWebhook, subscribeWebhooks, unsubscribeWebhooks, webhookEndpoint, webhookTriggersFor, type ActionContext } from '@calcom-oauth/shared';

import { loadCredentialSecrets, toScrubbedN8nError } from '../errors';
import { loadInstance } from '../instance';
import { createHttpExecutor } from '../transport/httpExecutor';
import { readInstantParameters } from './parameters';
import { clearInstantState, readSubscription, writeSubscription, type StoredSubscription } from './state';

async function actionContext(context: IHookFunctions, extraSecrets: string[] = []): Promise<ActionContext> {
	const instance = await loadInstance(context);
	return { instance, execute: createHttpExecutor(context, instance), knownSecrets: [...(await loadCredentialSecrets(context)), ...extraSecrets] };
}

function sameTriggers(stored: StoredSubscription, wanted: readonly string[]): boolean {
	return [...stored.triggers].sort().join(',') === [...wanted].sort().join(',');
}

function sameEventTypes(stored: StoredSubscription, wanted: readonly number[] | undefined): boolean {
	const have = stored.webhooks.map((webhook) => webhook.eventTypeId ?? 0).sort((a, b) => a - b);
	const want = (wanted === undefined || wanted.length === 0 ? [0] : [...wanted]).sort((a, b) => a - b);
	return have.join(',') === want.join(',');
}

/**
 * n8n's `checkExists`: true only when the stored subscription is for this URL, event and event types,
 * and every one of its Cal.com webhooks is still there and active; otherwise n8n calls `create`, which
 * reuses or replaces what holds the URL. A Cal.com failure throws, so activation reports it.
 */
export async function checkExists(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node');
	const stored = readSubscription(staticData);
	if (stored === undefined) return false;
	const { event, filters } = readInstantParameters(this);
	const url = this.getNodeWebhookUrl('default');
	// An edited event, option or event type needs other triggers or targets: subscribe anew.
	if (stored.subscriberUrl !== url || !sameTriggers(stored, webhookTriggersFor(event, filters)) || !sameEventTypes(stored, filters.eventTypeIds)) return false;
	try {
		const ctx = await actionContext(this, [stored.secret]);
		for (const webhook of stored.webhooks) {
			const found = await findWebhook(ctx, webhook.eventTypeId === undefined ? {} : { eventTypeId: webhook.eventTypeId }, webhook.id);
			if (found === undefined || !found.active || found.subscriberUrl !== url) return false;
		}
		return true;
	} catch (error) {
		throw await toScrubbedN8nError(this, error, webhookEndpoint('get', {}));
	}
}

/** n8n's `create`: one signed Cal.com webhook (or one per chosen event type) for this node's URL. */
export async function create(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node');
	const { event, filters } = readInstantParameters(this);
	const subscriberUrl = this.getNodeWebhookUrl('default');
	if (subscriberUrl === undefined) throw new Error('n8n gave no webhook URL for the Cal.com Instant Trigger');
	try {
		const subscription = await subscribeWebhooks(await actionContext(this), { subscriberUrl, event, filters });
		writeSubscription(staticData, { ...subscription, subscriberUrl });
		this.logger.info(`Cal.com: subscribed ${subscription.webhooks.length} webhook(s) (${subscription.webhooks.map((webhook) => webhook.origin).join(', ')}) for ${event}`);
		return true;
	} catch (error) {
		throw await toScrubbedN8nError(this, error, webhookEndpoint('create', {}));
	}
}

/** n8n's `delete`: removes the Cal.com webhooks (one already gone counts as removed) and forgets the state. */
export async function remove(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node');
	const stored = readSubscription(staticData);
	if (stored !== undefined) {
		try {
			await unsubscribeWebhooks(await actionContext(this, [stored.secret]), stored);
		} catch (error) {
			throw await toScrubbedN8nError(this, error, webhookEndpoint('delete', {}));
		}
	}
	clearInstantState(staticData);
	return true;
}

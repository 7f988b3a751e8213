import type { IDataObject } from 'n8n-workflow';

import { createEventDedupe, isRecord, type EventDedupe, type EventDedupeState, type WebhookSubscription } from '@calcom-oauth/shared';

/**
 * The node's slice of workflow static data (`node:<name>`). Who writes what, and why it stays
 * coherent (n8n-node/README.md, "Instant trigger: how it is hosted"):
 * - {@link SUBSCRIPTION_KEY}: the webhook hooks (create at activation, delete at deactivation);
 * - {@link DEDUPE_KEY}: `webhook()` only; n8n loads static data from the database for each webhook
 *   request and saves it after the response;
 * - {@link RECONCILE_KEY}: the first poll of an activation (the baseline, saved with the activation),
 *   then `webhook()` when a reconciliation report hands it over.
 * The poller never writes after its first poll: its copy of static data is the activation's, kept in
 * memory and saved whole when a poll emits, so any later write from it would undo the webhook's.
 */
export const SUBSCRIPTION_KEY = 'calcomInstantWebhook';
export const DEDUPE_KEY = 'calcomInstantDedupe';
export const RECONCILE_KEY = 'calcomInstantReconcile';

/** What the hooks store: the subscription (with its secret: never log it) and where Cal.com delivers. */
export interface StoredSubscription extends WebhookSubscription {
	subscriberUrl: string;
}

export function readSubscription(staticData: IDataObject): StoredSubscription | undefined {
	const stored = staticData[SUBSCRIPTION_KEY] as unknown;
	if (!isRecord(stored) || typeof stored.secret !== 'string' || typeof stored.subscriberUrl !== 'string' || !Array.isArray(stored.webhooks)) return undefined;
	const webhooks = stored.webhooks.filter((webhook): webhook is StoredSubscription['webhooks'][number] => isRecord(webhook) && typeof webhook.id === 'string');
	const triggers = Array.isArray(stored.triggers) ? stored.triggers.filter((trigger): trigger is string => typeof trigger === 'string') : [];
	return { secret: stored.secret, subscriberUrl: stored.subscriberUrl, triggers, webhooks };
}

export function writeSubscription(staticData: IDataObject, subscription: StoredSubscription): void {
	staticData[SUBSCRIPTION_KEY] = JSON.parse(JSON.stringify(subscription)) as IDataObject;
}

/** Forgets the subscription and both memories, so a later activation starts from a fresh baseline. */
export function clearInstantState(staticData: IDataObject): void {
	delete staticData[SUBSCRIPTION_KEY];
	delete staticData[DEDUPE_KEY];
	delete staticData[RECONCILE_KEY];
}

/**
 * Entries admitted by this process and not yet seen back in the database. n8n loads static data
 * before `webhook()` and saves it after the response, so two requests handled at once would each
 * save their own admission and drop the other's; this process-wide copy closes that gap for the
 * requests one n8n process handles. Keyed by workflow id, node id and webhook ids.
 */
const admittedHere = new Map<string, EventDedupeState>();

function entries(state: unknown): Array<[string, number]> {
	if (!isRecord(state) || !Array.isArray(state.seen)) return [];
	return state.seen.filter((entry): entry is [string, number] => Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number');
}

/** The stored dedupe memory together with what this process admitted for the same node. */
export function dedupeMemory(staticData: IDataObject, processKey: string): EventDedupeState {
	const merged = new Map<string, [string, number]>();
	for (const entry of [...entries(staticData[DEDUPE_KEY]), ...entries(admittedHere.get(processKey))]) merged.set(`${entry[0]}\u0000${entry[1]}`, entry);
	return { v: 1, seen: [...merged.values()].sort((a, b) => a[1] - b[1]) };
}

function rememberDedupe(staticData: IDataObject, processKey: string, state: EventDedupeState): void {
	admittedHere.set(processKey, state);
	staticData[DEDUPE_KEY] = JSON.parse(JSON.stringify(state)) as IDataObject;
}

/**
 * The dedupe as `webhook()` keeps it: each admission reads the stored memory merged with this
 * process's (see {@link dedupeMemory}) and writes both back at once, synchronously, so no other
 * request of this process can slip between reading and recording an event.
 */
export function storedDedupe(staticData: IDataObject, processKey: string): EventDedupe {
	return {
		admit(item) {
			const dedupe = createEventDedupe(dedupeMemory(staticData, processKey));
			const admitted = dedupe.admit(item);
			rememberDedupe(staticData, processKey, dedupe.state());
			return admitted;
		},
		state: () => dedupeMemory(staticData, processKey),
	};
}

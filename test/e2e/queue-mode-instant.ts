/**
 * Scenario 3 of the queue-mode soak, the instant half: "Cal.com (OAuth2, Instant) Trigger" workflows
 * on the soak's one credential. Main subscribes them at activation with the webhook process's URL
 * (WEBHOOK_URL); Cal.com's deliveries reach the webhook process, which queues executions for the
 * workers; deliveries Cal.com drops are found by the reconciliation poll in main, which hands them
 * to the same webhook URL. Every change must arrive once, and a forged call must start nothing.
 */
import { randomUUID } from 'node:crypto';

import { SIGNATURE_HEADER } from '@calcom-oauth/shared';

import type { Emulator } from '../emulator';
import { TRIGGER_NAME, WORKFLOW_PREFIX, type EventKey, type WorkflowSpec } from './queue-mode-stream';

const INSTANT_EVENTS: readonly EventKey[] = ['booking_created', 'booking_cancelled', 'booking_rescheduled'];
/** Under the soak's prefix, so the drain and the worker-kill accounting cover them too. */
const INSTANT_PREFIX = `${WORKFLOW_PREFIX}I`;

export interface InstantSpec extends WorkflowSpec {
	webhookId: string;
}

export function instantSpecs(): InstantSpec[] {
	return INSTANT_EVENTS.map((event, index) => ({
		id: `${INSTANT_PREFIX}${index}`.padEnd(16, 'x'),
		name: `Cal.com queue soak: ${event} (instant)`,
		event,
		eventTypeIds: [],
		webhookId: randomUUID(),
	}));
}

/** The instant trigger node; reconciliation every minute (the node's default is five). */
export function instantTriggerNode(spec: InstantSpec, credential: { id: string; name: string }) {
	return {
		id: `${spec.id}-trigger`,
		name: TRIGGER_NAME,
		type: 'CUSTOM.calComInstantTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: spec.webhookId,
		parameters: { event: spec.event, eventTypeIds: [], options: {}, pollTimes: { item: [{ mode: 'everyMinute' }] } },
		credentials: { calComOAuth2Api: credential },
	};
}

/** Cal.com webhooks subscribed to the webhook process, one per instant workflow once main activated them. */
export function subscribedWebhooks(cal: Emulator, webhookBaseUrl: string): string[] {
	return [...cal.store.webhooks.values()].filter((webhook) => webhook.subscriberUrl.startsWith(webhookBaseUrl)).map((webhook) => webhook.subscriberUrl);
}

/**
 * A delivery that did not come from Cal.com: a genuine-looking body with a signature under another
 * key. Returns the HTTP status n8n answered (the node answers 401 and starts nothing).
 */
export async function sendForgedDelivery(subscriberUrl: string): Promise<number> {
	const body = JSON.stringify({
		triggerEvent: 'BOOKING_CREATED',
		createdAt: new Date().toISOString(),
		payload: { uid: `forged-${randomUUID()}`, bookingId: 999_999, title: 'Forged', startTime: new Date().toISOString(), endTime: new Date().toISOString(), status: 'ACCEPTED' },
	});
	const response = await fetch(subscriberUrl, {
		method: 'POST',
		headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: 'f'.repeat(64) },
		body,
	});
	await response.arrayBuffer();
	return response.status;
}

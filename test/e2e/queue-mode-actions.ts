/**
 * Scenario 3 of the queue-mode soak, the action half: requests reach n8n's separate `webhook` process,
 * which queues them; workers run the "Cal.com" action node, which books through the same credential
 * the 20 polling workflows refresh in main. Every request must give exactly one booking, and every
 * execution must have run on a worker (from the workers' own "started execution" log lines).
 */
import { randomUUID } from 'node:crypto';

import type { Emulator } from '../emulator';
import { availableSlots } from '../emulator/slots';
import type { QueueModeDatabase } from './queue-mode-db';

export const ACTION_WORKFLOW_ID = 'calcomQActBookxx';
export const ACTION_WEBHOOK_PATH = 'calcom-queue-book';
const ACTION_NODE = 'Create Booking';
const EVENT_TYPE_ID = 1;
export const ACTION_ATTENDEE_DOMAIN = 'queue-soak.example.org';

/** Incoming webhook → Cal.com booking create, answered as soon as n8n has queued the execution. */
export function actionWorkflowJson(credential: { id: string; name: string }) {
	return {
		id: ACTION_WORKFLOW_ID,
		name: 'Cal.com queue soak: book from a webhook',
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		nodes: [
			{
				id: `${ACTION_WORKFLOW_ID}-in`,
				name: 'Booking request',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path: ACTION_WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
			},
			{
				id: `${ACTION_WORKFLOW_ID}-create`,
				name: ACTION_NODE,
				type: 'CUSTOM.calCom',
				typeVersion: 1,
				position: [250, 0],
				parameters: {
					resource: 'booking',
					operation: 'create',
					eventType: { __rl: true, mode: 'id', value: String(EVENT_TYPE_ID) },
					start: '={{ $json.body.start }}',
					attendeeName: '={{ $json.body.name }}',
					attendeeEmail: '={{ $json.body.email }}',
					attendeeTimeZone: 'Europe/London',
					additionalFields: {},
				},
				credentials: { calComOAuth2Api: credential },
			},
		],
		connections: { 'Booking request': { main: [[{ node: ACTION_NODE, type: 'main', index: 0 }]] } },
	};
}

export interface ActionTally {
	requests: number;
	accepted: number;
	bookings: number;
	lost: number;
	duplicated: number;
	onWorkers: number;
	executions: Record<string, number>;
	failures: string[];
}

/** Free starts of the booked event type, a day ahead and spread out, so each request can succeed. */
function freeStarts(cal: Emulator, count: number): string[] {
	const eventType = cal.store.eventTypes.get(EVENT_TYPE_ID);
	if (eventType === undefined) throw new Error(`the emulator's seed has no event type ${EVENT_TYPE_ID}`);
	const now = cal.clock.now();
	const slots = availableSlots(cal.store, eventType, { from: now + 86_400_000, to: now + 14 * 86_400_000, durationMinutes: eventType.lengthInMinutes, now });
	const spaced = slots.filter((_, index) => index % 2 === 0).slice(0, count);
	if (spaced.length < count) throw new Error(`only ${spaced.length} free slots for ${count} booking requests`);
	return spaced.map((ms) => new Date(ms).toISOString());
}

/**
 * Posts `count` booking requests to the webhook process, waits for their executions to finish, and
 * compares the emulator's bookings with the requests: one booking per request, none twice.
 */
export async function runActionRequests(options: {
	cal: Emulator;
	store: QueueModeDatabase;
	webhookBaseUrl: string;
	count: number;
	workerExecutionIds: () => Set<string>;
	timeoutMs?: number;
}): Promise<ActionTally> {
	const { cal, store, count } = options;
	const starts = freeStarts(cal, count);
	const run = randomUUID().slice(0, 8);
	const emails = starts.map((_, index) => `attendee-${run}-${index}@${ACTION_ATTENDEE_DOMAIN}`);
	const before = new Set((await store.executions(ACTION_NODE, ACTION_WORKFLOW_ID)).map((execution) => execution.id));
	let accepted = 0;
	const refused: string[] = [];
	// Concurrent, as webhooks arrive: the queue hands them to both workers.
	await Promise.all(
		starts.map(async (start, index) => {
			const response = await fetch(`${options.webhookBaseUrl}/webhook/${ACTION_WEBHOOK_PATH}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ start, name: `Queue Soak ${index}`, email: emails[index] }),
			});
			const text = await response.text();
			if (response.ok) accepted += 1;
			else refused.push(`request ${index}: HTTP ${response.status} ${text.slice(0, 200)}`);
		}),
	);
	const deadline = Date.now() + (options.timeoutMs ?? 180_000);
	let executions = (await store.executions(ACTION_NODE, ACTION_WORKFLOW_ID)).filter((execution) => !before.has(execution.id));
	while (Date.now() < deadline) {
		executions = (await store.executions(ACTION_NODE, ACTION_WORKFLOW_ID)).filter((execution) => !before.has(execution.id));
		const finished = executions.filter((execution) => !['new', 'running', 'waiting'].includes(execution.status));
		if (finished.length >= accepted) break;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	const byEmail = new Map<string, number>();
	for (const booking of cal.store.bookings.values()) {
		for (const attendee of booking.attendees) {
			if (emails.includes(attendee.email)) byEmail.set(attendee.email, (byEmail.get(attendee.email) ?? 0) + 1);
		}
	}
	const statuses: Record<string, number> = {};
	for (const execution of executions) statuses[execution.status] = (statuses[execution.status] ?? 0) + 1;
	const onWorker = options.workerExecutionIds();
	return {
		requests: count,
		accepted,
		bookings: [...byEmail.values()].reduce((sum, n) => sum + n, 0),
		lost: emails.filter((email) => !byEmail.has(email)).length,
		duplicated: [...byEmail.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0),
		onWorkers: executions.filter((execution) => onWorker.has(String(execution.id))).length,
		executions: statuses,
		failures: [...refused, ...executions.filter((execution) => execution.status !== 'success').map((execution) => `#${execution.id} ${execution.status}: ${execution.error ?? 'no error recorded'}`)],
	};
}

/**
 * The "Cal.com" action node in the real n8n: a manual workflow Slot → Get Many, Booking → Create (first
 * slot), Booking → Reschedule (second slot), Booking → Cancel, run through n8n's REST API like the
 * editor's "Execute workflow" button, then checked against n8n's stored execution and the emulator's
 * store. Also: n8n lists the node's AI-tool variant among its node types.
 */
import type { Emulator } from '../emulator';
import type { N8nDatabase, StoredExecution } from './n8n-db';
import type { N8nSession } from './n8n-rest';

export const ACTION_WORKFLOW_ID = 'calcomE2eActions01';
export const ACTION_CREDENTIAL_ID = 'calcomE2eActionsCr';
const ACTION_CREDENTIAL_NAME = 'Cal.com actions (emulator)';
/** The seeded "30 min meeting" of alice: a fixed length, no questions, no confirmation. */
const EVENT_TYPE_ID = 1;
const ATTENDEE_EMAIL = 'ada.n8n-e2e@example.org';

export const ACTION_NODES = {
	trigger: 'Start',
	slots: 'Free Slots',
	create: 'Create Booking',
	reschedule: 'Reschedule Booking',
	cancel: 'Cancel Booking',
} as const;

type Item = Record<string, unknown>;

function calComNode(name: string, index: number, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) {
	return {
		id: `calcom-e2e-action-${index}`,
		name,
		type: 'CUSTOM.calCom',
		typeVersion: 1,
		position: [220 * index, 0],
		parameters,
		credentials: { calComOAuth2Api: { id: ACTION_CREDENTIAL_ID, name: ACTION_CREDENTIAL_NAME } },
		...extra,
	};
}

/** The credential the action workflow uses: its own token family, so its refreshes never race the triggers'. */
export function actionCredential(data: Record<string, unknown>) {
	return { id: ACTION_CREDENTIAL_ID, name: ACTION_CREDENTIAL_NAME, type: 'calComOAuth2Api', data };
}

/** Slots are searched from `fromMs` for a week (the event type's notice and alice's hours apply). */
export function actionWorkflowJson(fromMs: number) {
	const eventType = { __rl: true, mode: 'id', value: String(EVENT_TYPE_ID) };
	const byUid = (expression: string) => ({ __rl: true, mode: 'uid', value: expression });
	const nodes = [
		{ id: 'calcom-e2e-action-0', name: ACTION_NODES.trigger, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		calComNode(ACTION_NODES.slots, 1, {
			resource: 'slot',
			operation: 'getAll',
			eventType,
			start: new Date(fromMs).toISOString(),
			end: new Date(fromMs + 7 * 86_400_000).toISOString(),
			returnAll: false,
			limit: 2,
			additionalFields: { timeZone: 'Europe/London' },
		}),
		// Two slot items arrive; one booking is wanted, so the node runs once, on the first.
		calComNode(
			ACTION_NODES.create,
			2,
			{
				resource: 'booking',
				operation: 'create',
				eventType,
				start: '={{ $json.startUtc }}',
				attendeeName: 'Ada Lovelace',
				attendeeEmail: ATTENDEE_EMAIL,
				attendeeTimeZone: 'Europe/London',
				additionalFields: {},
			},
			{ executeOnce: true },
		),
		calComNode(ACTION_NODES.reschedule, 3, {
			resource: 'booking',
			operation: 'reschedule',
			booking: byUid('={{ $json.uid }}'),
			start: `={{ $('${ACTION_NODES.slots}').all()[1].json.startUtc }}`,
			additionalFields: { reason: 'E2E: moved by the workflow' },
		}),
		calComNode(ACTION_NODES.cancel, 4, {
			resource: 'booking',
			operation: 'cancel',
			booking: byUid('={{ $json.uid }}'),
			additionalFields: { reason: 'E2E: cancelled by the workflow' },
		}),
	];
	const chain = [ACTION_NODES.trigger, ACTION_NODES.slots, ACTION_NODES.create, ACTION_NODES.reschedule, ACTION_NODES.cancel];
	const connections = Object.fromEntries(chain.slice(0, -1).map((from, index) => [from, { main: [[{ node: chain[index + 1], type: 'main', index: 0 }]] }]));
	return { id: ACTION_WORKFLOW_ID, name: 'Cal.com actions e2e', nodes, connections, active: false, settings: { executionOrder: 'v1' }, pinData: {} };
}

function check(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Error(`assertion failed: ${message}`);
}

/** What the action workflow did, for the trigger assertions that follow. */
export interface ActionOutcome {
	createdUid: string;
	newUid: string;
	summary: string[];
}

/** Runs the workflow as the editor's "Execute workflow" does, and waits for n8n to store the execution. */
export async function runActionWorkflow(session: N8nSession, store: N8nDatabase, timeoutMs = 90_000): Promise<StoredExecution> {
	const started = await session.post<{ data: { executionId?: string; waitingForWebhook?: boolean } }>(`/rest/workflows/${ACTION_WORKFLOW_ID}/run`, {
		triggerToStartFrom: { name: ACTION_NODES.trigger },
	});
	const executionId = Number(started.data.executionId);
	check(Number.isSafeInteger(executionId), `n8n started an execution (it answered ${JSON.stringify(started)})`);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const execution = (await store.executions(ACTION_WORKFLOW_ID)).find((candidate) => candidate.id === executionId);
		if (execution !== undefined && execution.status !== 'running' && execution.status !== 'new' && execution.nodes.length > 0) return execution;
		if (Date.now() > deadline) throw new Error(`execution #${executionId} did not finish within ${timeoutMs / 1000} s (last seen: ${JSON.stringify(execution ?? null)})`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

function only(execution: StoredExecution, node: string): Item {
	const items = execution.items[node] ?? [];
	check(items.length === 1, `"${node}" output one item (got ${items.length}: ${JSON.stringify(items).slice(0, 400)})`);
	return items[0] as Item;
}

/** Each node's output as n8n stored it, and the emulator's store, tell the same story. */
export function checkActionRun(execution: StoredExecution, cal: Emulator): ActionOutcome {
	check(
		execution.status === 'success',
		`the action workflow succeeded (got ${execution.status}${execution.error ? `: ${execution.error}` : ''}; nodes ${execution.nodes.join(', ')}; ${JSON.stringify(execution.items).slice(0, 600)})`,
	);
	check(execution.mode === 'manual', `it ran as a manual execution (mode ${execution.mode})`);
	check(JSON.stringify(execution.nodes) === JSON.stringify(Object.values(ACTION_NODES)), `every node ran once, in order (got ${execution.nodes.join(' → ')})`);

	const slots = execution.items[ACTION_NODES.slots] ?? [];
	check(slots.length === 2, `Slot → Get Many honoured its limit of 2 (got ${slots.length})`);
	const [first, second] = slots.map((slot) => String(slot.startUtc));
	check(first !== undefined && second !== undefined && Date.parse(first) < Date.parse(second), `two increasing slots (got ${first}, ${second})`);
	check(slots.every((slot) => slot.timeZone === 'Europe/London' && Date.parse(String(slot.start)) === Date.parse(String(slot.startUtc))), 'each slot is written in the asked zone and carries the same instant in UTC');

	const created = only(execution, ACTION_NODES.create);
	const createdUid = String(created.uid);
	check(typeof created.uid === 'string' && created.uid !== '', `Create returned the booking's uid (got ${JSON.stringify(created)})`);
	check(created.status === 'accepted', `the created booking is accepted (got ${String(created.status)})`);
	check(Date.parse(String(created.start)) === Date.parse(first), `it starts at the first slot ${first} (got ${String(created.start)})`);

	const moved = only(execution, ACTION_NODES.reschedule);
	const newUid = String(moved.uid);
	check(typeof moved.uid === 'string' && newUid !== createdUid, `Reschedule returned the NEW booking with a new uid (got ${newUid})`);
	check(moved.previousUid === createdUid, `the rescheduled item names the booking it replaced as previousUid (got ${String(moved.previousUid)})`);
	check(Date.parse(String(moved.start)) === Date.parse(second), `it starts at the second slot ${second} (got ${String(moved.start)})`);

	const cancelled = only(execution, ACTION_NODES.cancel);
	check(cancelled.uid === newUid && cancelled.status === 'cancelled', `Cancel returned the new booking, cancelled (got ${String(cancelled.uid)} ${String(cancelled.status)})`);

	const ours = [...cal.store.bookings.values()].filter((booking) => booking.attendees.some((attendee) => attendee.email === ATTENDEE_EMAIL));
	const original = ours.find((booking) => booking.uid === createdUid);
	const replacement = ours.find((booking) => booking.uid === newUid);
	check(ours.length === 2 && original !== undefined && replacement !== undefined, `the emulator holds exactly the created booking and its replacement (got ${ours.map((booking) => booking.uid).join(', ')})`);
	check(original.status === 'CANCELLED' && original.rescheduledToUid === newUid, `the emulator cancelled the original with rescheduledToUid ${newUid} (got ${original.status}, ${String(original.rescheduledToUid)})`);
	check(replacement.fromReschedule === createdUid && replacement.status === 'CANCELLED' && replacement.cancellationReason === 'E2E: cancelled by the workflow', `the replacement came from the reschedule and was cancelled with the workflow's reason (got ${replacement.status}, ${String(replacement.cancellationReason)})`);
	const creates = cal.requestLog().filter((entry) => entry.method === 'POST' && entry.path.split('?')[0] === '/v2/bookings');
	check(creates.length === 1 && creates[0]?.status === 201, `exactly one POST /v2/bookings, answered 201 (got ${creates.map((entry) => entry.status).join(', ')})`);

	return {
		createdUid,
		newUid,
		summary: [
			`slots ${first}, ${second}`,
			`created ${createdUid} (accepted) → rescheduled to ${newUid} (previousUid ${createdUid}) → cancelled`,
			`emulator: ${createdUid} CANCELLED, rescheduledToUid ${newUid}; ${newUid} CANCELLED; 1 POST /v2/bookings`,
		],
	};
}

interface NodeTypeSummary {
	name: string;
	displayName: string;
	outputs?: unknown;
	properties?: Array<{ name: string }>;
}

/**
 * The editor's node list (`/types/nodes.json`, behind the session) holds the node and the tool variant
 * n8n derives from `usableAsTool` (its `convertNodeToAiTool`: name + "Tool", no inputs, an `ai_tool`
 * output, a "Tool Description" parameter). A package loaded from N8N_CUSTOM_EXTENSIONS is named
 * `CUSTOM.<name>`; installed from npm the same variant is `n8n-nodes-calcom-oauth.calComTool`.
 */
export async function checkToolVariant(session: N8nSession): Promise<string> {
	const types = await session.get<NodeTypeSummary[]>('/types/nodes.json');
	const node = types.find((type) => type.name === 'CUSTOM.calCom');
	const tool = types.find((type) => type.name === 'CUSTOM.calComTool');
	const ours = types.filter((type) => type.name.startsWith('CUSTOM.')).map((type) => type.name);
	check(node !== undefined, `n8n lists CUSTOM.calCom among its node types (ours: ${ours.join(', ')})`);
	check(tool !== undefined, `n8n lists the AI-tool variant CUSTOM.calComTool (ours: ${ours.join(', ')})`);
	check(tool.displayName === 'Cal.com Tool', `the tool is shown as "Cal.com Tool" (got ${tool.displayName})`);
	check(JSON.stringify(tool.outputs) === JSON.stringify(['ai_tool']), `the tool's only output is ai_tool (got ${JSON.stringify(tool.outputs)})`);
	const parameters = (tool.properties ?? []).map((property) => property.name);
	check(parameters.includes('toolDescription') && parameters.includes('resource') && parameters.includes('operation'), `the tool keeps resource/operation and gains toolDescription (got ${parameters.slice(0, 8).join(', ')}…)`);
	return `node types: ${ours.join(', ')}; ${tool.name} "${tool.displayName}" outputs ${JSON.stringify(tool.outputs)}`;
}

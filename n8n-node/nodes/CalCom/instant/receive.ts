import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import {
	reconcileEvents,
	receiveDelivery as receiveCalcomDelivery,
	SIGNATURE_HEADER,
	verifyWebhookSignature,
	type BookingEventItem,
	type EventDedupe,
	type ReceivedDelivery,
} from '@calcom-oauth/shared';

import { toItems } from '../trigger/poll';
import { readInstantParameters } from './parameters';
import { readReport, type ReconciliationReport } from './report';
import { readSubscription, RECONCILE_KEY, storedDedupe, type StoredSubscription } from './state';

interface RawRequest {
	rawBody?: unknown;
	headers?: Record<string, string | string[] | undefined>;
}

interface ResponseLike {
	status(code: number): ResponseLike;
	json(body: unknown): unknown;
}

/** The exact bytes n8n read (`req.rawBody`, set by its raw-body reader for JSON bodies): the signature is over them. */
function rawBodyOf(request: RawRequest): Uint8Array | string | undefined {
	const raw = request.rawBody;
	if (raw instanceof Uint8Array || typeof raw === 'string') return raw;
	return undefined;
}

function textOf(raw: Uint8Array | string): string {
	return typeof raw === 'string' ? raw : new TextDecoder().decode(raw);
}

function answer(context: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	(context.getResponseObject() as unknown as ResponseLike).status(status).json(body);
	// n8n starts no execution for a call answered here.
	return { noWebhookResponse: true };
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/** One subscription's memory: a new subscription (another activation) starts afresh. */
function processKeyOf(context: IWebhookFunctions, subscription: StoredSubscription | undefined): string {
	return `${context.getWorkflow().id ?? ''}:${context.getNode().id}:${subscription?.webhooks.map((webhook) => webhook.id).join(',') ?? ''}`;
}

/**
 * The node's own reconciliation report, signed with the subscription's secret like a Cal.com
 * delivery: its items go through the same dedupe as deliveries, and its engine state is kept.
 */
async function receiveReport(
	context: IWebhookFunctions,
	report: ReconciliationReport,
	raw: Uint8Array | string,
	header: string | string[] | undefined,
	secret: string | undefined,
	dedupe: EventDedupe,
): Promise<ReceivedDelivery> {
	const verdict = await verifyWebhookSignature(raw, header, secret);
	if (!verdict.valid) return { outcome: 'refused', reason: verdict.reason, message: verdict.message };
	const { event } = readInstantParameters(context);
	if (report.state !== undefined) context.getWorkflowStaticData('node')[RECONCILE_KEY] = report.state as IDataObject;
	return { outcome: 'accepted', items: reconcileEvents({ events: report.items.filter((item: BookingEventItem) => item.event === event) }, dedupe) };
}

/**
 * `webhook()`: a Cal.com delivery or the node's own reconciliation report. Both are verified against
 * the raw body with the subscription's secret (a delivery through the core's `receiveDelivery`, the
 * same verify, parse, map and dedupe the Zapier hooks and the webhook soak use); a forged or unsigned
 * call is answered 401 and starts nothing. A verified one becomes the polling trigger's items, minus
 * what either path already emitted (one dedupe memory, written here only, each admission as it is
 * made, so requests this process handles at once see each other). n8n answers as soon as the
 * execution is started (responseMode onReceived), which matters because Cal.com waits for the answer
 * without a time-out.
 */
export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject() as unknown as RawRequest;
	const staticData = this.getWorkflowStaticData('node');
	const subscription = readSubscription(staticData);
	const raw = rawBodyOf(request);
	const header = this.getHeaderData()[SIGNATURE_HEADER];
	const dedupe = storedDedupe(staticData, processKeyOf(this, subscription));
	const report = raw === undefined ? undefined : readReport(parseJson(textOf(raw)));
	const received =
		report === undefined || raw === undefined
			? await receiveCalcomDelivery(raw ?? '', header, subscription?.secret, readInstantParameters(this), dedupe)
			: await receiveReport(this, report, raw, header, subscription?.secret, dedupe);
	if (received.outcome === 'refused') {
		this.logger.warn(`Cal.com Instant Trigger: ${received.message}`);
		return answer(this, 401, { message: received.message });
	}
	if (raw === undefined) return answer(this, 415, { message: 'Send the delivery as application/json.' });
	if (received.warning !== undefined) this.logger.warn(`Cal.com Instant Trigger: ignored a delivery: ${received.warning}`);
	const items = toItems(received.items, (warning) => this.logger.warn(warning));
	this.logger.debug(`Cal.com Instant Trigger: ${report === undefined ? 'delivery' : 'reconciliation report'} with ${received.items.length} new item(s), ${items.length} emitted`);
	if (items.length === 0) return { webhookResponse: { received: true, emitted: 0 } };
	return { workflowData: [items] };
}

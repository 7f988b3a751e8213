import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import {
	createEventDedupe,
	deliveryToEventItems,
	parseWebhookDelivery,
	SIGNATURE_HEADER,
	verifyWebhookSignature,
	type BookingEventItem,
} from '@calcom-oauth/shared';

import { toItems } from '../trigger/poll';
import { readInstantParameters } from './parameters';
import { readReport } from './report';
import { dedupeMemory, readSubscription, rememberDedupe, RECONCILE_KEY } from './state';

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

/**
 * `webhook()`: a Cal.com delivery or the node's own reconciliation report. Both are verified against
 * the raw body with the subscription's secret; a forged or unsigned call is answered 401 and starts
 * nothing. A verified one becomes the polling trigger's items, minus what either path already
 * emitted (one dedupe memory, written here only). n8n answers as soon as the execution is started
 * (responseMode onReceived), which matters because Cal.com waits for the answer without a time-out.
 */
export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject() as unknown as RawRequest;
	const staticData = this.getWorkflowStaticData('node');
	const subscription = readSubscription(staticData);
	const raw = rawBodyOf(request);
	const header = this.getHeaderData()[SIGNATURE_HEADER];
	const verdict = await verifyWebhookSignature(raw ?? '', header, subscription?.secret);
	if (!verdict.valid) {
		this.logger.warn(`Cal.com Instant Trigger: ${verdict.message}`);
		return answer(this, 401, { message: verdict.message });
	}
	if (raw === undefined) return answer(this, 415, { message: 'Send the delivery as application/json.' });
	const text = textOf(raw);
	const { event, filters } = readInstantParameters(this);
	const report = readReport(parseJson(text));
	let offered: BookingEventItem[];
	if (report !== undefined) {
		offered = report.items.filter((item) => item.event === event);
		if (report.state !== undefined) staticData[RECONCILE_KEY] = report.state as IDataObject;
	} else {
		const parsed = parseWebhookDelivery(text);
		if (!parsed.ok) {
			this.logger.warn(`Cal.com Instant Trigger: ignored a delivery: ${parsed.warning}`);
			return { webhookResponse: { received: true, emitted: 0 } };
		}
		offered = deliveryToEventItems(parsed.delivery, { event, filters });
	}
	// One subscription's memory: a new subscription (another activation) starts afresh.
	const processKey = `${this.getWorkflow().id ?? ''}:${this.getNode().id}:${subscription?.webhooks.map((webhook) => webhook.id).join(',') ?? ''}`;
	// From here to rememberDedupe nothing awaits: requests this process handles at once see each other.
	const dedupe = createEventDedupe(dedupeMemory(staticData, processKey));
	const fresh = offered.filter((item) => dedupe.admit(item));
	rememberDedupe(staticData, processKey, dedupe.state());
	const items = toItems(fresh, (warning) => this.logger.warn(warning));
	this.logger.debug(`Cal.com Instant Trigger: ${report === undefined ? 'delivery' : 'reconciliation report'} with ${offered.length} item(s), ${items.length} new`);
	if (items.length === 0) return { webhookResponse: { received: true, emitted: 0 } };
	return { workflowData: [items] };
}

/**
 * {@link N8nHost} with what n8n 2.41 does around a webhook trigger, for a node that has both
 * `webhooks`/`webhookMethods` and `poll()` (the Cal.com Instant Trigger). Read from n8n 2.41.1:
 * - activation (`workflows/triggers/workflow-trigger-activator.js` activateInternal): one in-memory
 *   Workflow built from the database row; `checkExists` then `create` (webhook.service.js
 *   createWebhookIfNotExists) and the first poll run on it, then its static data is saved once;
 * - later polls use that same in-memory Workflow; its static data is saved, whole, only when a poll
 *   emits (trigger-execution-context.factory.js `__emit` → saveStaticData);
 * - every production webhook request builds a new Workflow from the database row
 *   (`webhooks/live-webhooks.js` executeWebhook), parses the body keeping `req.rawBody`
 *   (`middlewares/body-parser.js`), runs `webhook()`, and saves that Workflow's whole static data
 *   when the response is settled (live-webhooks.js, the callback around `saveStaticData`);
 * - `{ noWebhookResponse: true }` starts no execution; `workflowData` starts one and, in
 *   responseMode onReceived, answers 200 at once; `webhookResponse` alone answers it with 200;
 * - deactivation builds another Workflow from the database, runs `delete` and saves it.
 * The webhook is a real loopback HTTP listener, so the emulator can push to it.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

import type { IDataObject, IHookFunctions, IHttpRequestOptions, INodeExecutionData, INodeType, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { N8nHost, type N8nHostOptions } from './n8n-host';

/** One call n8n's webhook server answered. */
export interface N8nWebhookCall {
	status: number;
	body: unknown;
	/** Items of the execution the call started, or undefined when it started none. */
	started: INodeExecutionData[] | undefined;
}

interface PendingRequest {
	rawBody: Buffer;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	response: { status: number; body: unknown; sent: boolean };
}

const WEBHOOK_ID = 'b7c1d6c4-9b1e-4f0f-8a51-3c9f2e7d1a00';

function clone<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks)));
		request.on('error', reject);
	});
}

export class N8nWebhookHost extends N8nHost {
	/** While true the webhook server answers 503 without running the node, as an n8n behind a failing proxy would. */
	unavailable = false;
	/** Every webhook call answered, oldest first. */
	readonly webhookCalls: N8nWebhookCall[] = [];
	private server: Server | undefined;
	private baseUrl = '';
	private pending: PendingRequest | undefined;
	private readonly webhookPath: string;
	private readonly nodeType: INodeType;

	constructor(options: N8nHostOptions) {
		super(options);
		this.nodeType = options.nodeType;
		const webhook = options.nodeType.description.webhooks?.[0];
		if (webhook === undefined) throw new Error('N8nWebhookHost needs a node with a webhook description');
		this.webhookPath = `/webhook/${WEBHOOK_ID}/${String(webhook.path)}`;
	}

	/** The production URL n8n gives the node (`getNodeWebhookUrl('default')`). */
	get webhookUrl(): string {
		if (this.baseUrl === '') throw new Error('N8nWebhookHost.listen() first');
		return `${this.baseUrl}${this.webhookPath}`;
	}

	/** Starts n8n's webhook server on a loopback port. */
	async listen(): Promise<void> {
		this.server = createServer((request, response) => {
			void (async () => {
				const rawBody = await readBody(request);
				if (this.unavailable) {
					response.writeHead(503).end();
					return;
				}
				if (request.method !== 'POST' || request.url !== this.webhookPath) {
					response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'webhook not registered' }));
					return;
				}
				const call = await this.receive(rawBody, request.headers);
				response.writeHead(call.status, { 'content-type': 'application/json' }).end(JSON.stringify(call.body ?? null));
			})().catch((error: unknown) => {
				response.writeHead(500).end(String(error));
			});
		});
		await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
	}

	async close(): Promise<void> {
		const server = this.server;
		if (server === undefined) return;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
		this.server = undefined;
	}

	/** Publishes the workflow: `checkExists`, `create` when it says false, the first poll, one save. */
	override async activate(): Promise<INodeExecutionData[][] | null> {
		const methods = this.webhookMethods();
		const context = this.createContext('trigger', true, this.staticData, undefined) as unknown as IHookFunctions;
		if (!(await methods.checkExists.call(context))) await methods.create.call(context);
		return await super.activate();
	}

	/** Unpublishes it: `delete` on static data loaded from the database, then saved; the poller is gone. */
	async deactivate(): Promise<void> {
		const fromDatabase = clone(this.persistedStaticData);
		const context = this.createContext('trigger', false, fromDatabase, undefined) as unknown as IHookFunctions;
		await this.webhookMethods().delete.call(context);
		this.persistedStaticData = fromDatabase;
		this.restart();
	}

	/** One production webhook request, handled as n8n's live-webhooks.js does. */
	async receive(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): Promise<N8nWebhookCall> {
		const webhook = this.nodeType.webhook;
		if (webhook === undefined) throw new Error('The node has no webhook() method');
		const fromDatabase = clone(this.persistedStaticData);
		const contentType = String(headers['content-type'] ?? '');
		let body: unknown = {};
		if (contentType.startsWith('application/json') && rawBody.length > 0) body = JSON.parse(rawBody.toString('utf8'));
		const pending: PendingRequest = { rawBody, headers, body, response: { status: 200, body: undefined, sent: false } };
		this.pending = pending;
		const context = this.createContext('trigger', false, fromDatabase, undefined) as unknown as IWebhookFunctions;
		this.pending = undefined;
		const result: IWebhookResponseData = await webhook.call(context);
		let call: N8nWebhookCall;
		if (result.noWebhookResponse === true) {
			call = { status: pending.response.status, body: pending.response.body, started: undefined };
		} else if (result.workflowData !== undefined) {
			const items = result.workflowData.flat();
			this.executions.push({ id: this.executions.length + 1, mode: 'trigger', items: clone(items), startedAt: new Date().toISOString() });
			call = { status: 200, body: { message: 'Workflow was started' }, started: items };
		} else {
			call = { status: 200, body: result.webhookResponse ?? { message: 'Webhook call received' }, started: undefined };
		}
		// The whole static data of this request's Workflow replaces the row, whatever else wrote it meanwhile.
		this.persistedStaticData = fromDatabase;
		this.webhookCalls.push(call);
		return call;
	}

	protected override createContext(mode: 'trigger' | 'manual', activation: boolean, staticData: IDataObject, currentParameters: IDataObject | undefined) {
		const base = super.createContext(mode, activation, staticData, currentParameters);
		const pending = this.pending;
		const host = this;
		return {
			...base,
			getWorkflow: () => ({ id: 'calcomInstantWorkflow', name: 'Cal.com instant', active: true }),
			getNodeWebhookUrl: (name: string) => (name === 'default' ? host.webhookUrl : undefined),
			getWebhookName: () => 'default',
			getRequestObject: () => ({ rawBody: pending?.rawBody, headers: pending?.headers, body: pending?.body }),
			getHeaderData: () => pending?.headers ?? {},
			getBodyData: () => (pending?.body ?? {}) as IDataObject,
			getResponseObject: () => {
				const response = {
					status(code: number) {
						if (pending !== undefined) pending.response.status = code;
						return response;
					},
					json(body: unknown) {
						if (pending !== undefined) Object.assign(pending.response, { body, sent: true });
						return response;
					},
				};
				return response;
			},
			helpers: {
				...base.helpers,
				// n8n-core's httpRequest: axios, which throws for a status outside 2xx.
				httpRequest: async (options: IHttpRequestOptions) => {
					const response = await fetch(options.url, {
						method: options.method ?? 'GET',
						headers: options.headers as Record<string, string>,
						...(options.body === undefined ? {} : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
					});
					const text = await response.text();
					if (response.status < 200 || response.status >= 300) throw new Error(`Request failed with status code ${response.status}`);
					return text;
				},
			},
		};
	}

	private webhookMethods() {
		const methods = this.nodeType.webhookMethods?.default;
		if (methods?.checkExists === undefined || methods.create === undefined || methods.delete === undefined) throw new Error('The node has no default webhookMethods');
		return { checkExists: methods.checkExists, create: methods.create, delete: methods.delete };
	}
}

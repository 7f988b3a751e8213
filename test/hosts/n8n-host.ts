/**
 * A small, faithful stand-in for n8n 2.41 around a polling trigger: enough of n8n to run `poll()`
 * and `loadOptions` the way a real instance does, without installing n8n (2.9 GB) or running its
 * server. Used by the node's unit tests (with nock) and by the main job (against the emulator).
 *
 * What it reproduces, read from n8n 2.41.1 (`n8n-core` request-helpers/oauth.js,
 * `@n8n/client-oauth2`, `cli` credentials-helper.js and the poll trigger executor):
 * - credentials: hidden OAuth URL fields pinned to their defaults, `$self` expressions resolved by
 *   n8n-workflow's own expression engine, fields hidden by displayOptions dropped;
 * - `httpRequestWithAuthentication` for an `oAuth2Api` child: `Authorization: Bearer`, an HTTP error
 *   thrown as NodeApiError wrapping an axios-like error, refresh when the status matches
 *   `tokenExpiredStatusCode` (credential property first, then the request option, then 401;
 *   `skipRefreshWhileTokenIsFresh` for non-401 codes), the exact form body of body mode, merged
 *   token data `{...old, ...response}` plus `n8n_expires_at`, single flight per credential with
 *   reuse of a token another caller already refreshed, invalid_grant turned into n8n's
 *   "needs to be reconnected" error, and exactly one retry;
 * - static data under `node:<name>`, written to the "database" only after activation and when a
 *   poll emits; manual runs work on a copy that is thrown away.
 */
import {
	NodeApiError,
	NodeHelpers,
	NodeOperationError,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type INode,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeParameterResourceLocator,
	type INodeProperties,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypes,
	type IOAuth2Options,
	type IPollFunctions,
} from 'n8n-workflow';

/** One thing that happened inside the host, for assertions and for showing n8n's behaviour live. */
export type N8nHostEvent =
	| { type: 'request'; method: string; url: string; attempt: 1 | 2 }
	| { type: 'response'; method: string; url: string; status: number; attempt: 1 | 2 }
	| { type: 'network-error'; method: string; url: string; message: string }
	/** `fields`: the names sent in the refresh form; their values (refresh token, client secret) stay out of events. */
	| { type: 'refresh'; url: string; fields: string[]; status: number; reusedFromConcurrentRefresh?: false }
	| { type: 'refresh-reused'; reason: 'stored token already changed' }
	| { type: 'refresh-failed'; status?: number; error: string }
	| { type: 'poll'; mode: 'trigger' | 'manual'; activation: boolean; emitted: number | null; durationMs: number }
	| { type: 'poll-error'; mode: 'trigger' | 'manual'; message: string }
	| { type: 'static-data-saved'; reason: 'activation' | 'emit' };

/** What an execution started by the trigger received. */
export interface N8nHostExecution {
	id: number;
	mode: 'trigger' | 'manual';
	items: INodeExecutionData[];
	startedAt: string;
}

/** Stored credential data, as `n8n import:credentials` would take it. */
export type StoredCredentialData = ICredentialDataDecryptedObject & {
	oauthTokenData?: IDataObject;
};

export interface N8nHostOptions {
	/** The node under test (an instance of its class). */
	nodeType: INodeType;
	/** The credential type the node uses (an instance of its class). */
	credentialType: ICredentialType;
	/**
	 * Stored credential data (client id and secret, visible fields, `oauthTokenData`), or an
	 * {@link N8nCredentialStore} shared by several hosts: one credential row used by several
	 * workflows, refreshed single-flight across all of them, as n8n does.
	 */
	credential: StoredCredentialData | N8nCredentialStore;
	/** The node's parameters as saved in the workflow; missing ones take the description's defaults. */
	parameters?: IDataObject;
	/** Node name; static data is keyed by it (`node:<name>`). Default "Cal.com Trigger". */
	nodeName?: string;
	/** Node type as a custom-directory load names it. Default `CUSTOM.<description name>`. */
	nodeTypeName?: string;
	/** Previously persisted workflow static data (`workflow_entity.staticData`). */
	staticData?: IDataObject;
	/** Replaces global fetch, e.g. to count bytes; nock intercepts the default one. */
	fetch?: typeof fetch;
	/** Clock for `n8n_expires_at` and timestamps. */
	now?: () => number;
	/** Receives every {@link N8nHostEvent} as it happens. */
	onEvent?: (event: N8nHostEvent) => void;
	/** Receives what the node logs through `this.logger`. */
	onLog?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
	/**
	 * Which n8n's refresh rule to follow. `2.41` (default): `tokenExpiredStatusCode` and
	 * `skipRefreshWhileTokenIsFresh` as described above. `only-401`: n8n 1.x, whose
	 * `httpRequestWithAuthentication` refreshed on HTTP 401 only, whatever the options said.
	 */
	refreshRule?: '2.41' | 'only-401';
	/**
	 * The node's "On Error" setting (regular nodes only). `continueRegularOutput` or
	 * `continueErrorOutput` make `continueOnFail()` true, as in n8n 2.41. Default `stopWorkflow`.
	 */
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
}

/** n8n's pinned OAuth fields (cli/src/oauth/dcr-managed-fields.ts, 2.41). */
const OAUTH_PINNED_FIELDS = [
	'useDynamicClientRegistration',
	'authUrl',
	'accessTokenUrl',
	'grantType',
	'authentication',
	'usePkce',
	'requestTokenUrl',
	'signatureMethod',
];

/** `@n8n/client-oauth2` constants.ts ERROR_RESPONSES (the messages n8n shows for OAuth error codes). */
const OAUTH_ERROR_MESSAGES: Record<string, string> = {
	invalid_request:
		'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.',
	invalid_client:
		'Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).',
	invalid_grant:
		'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
	unauthorized_client: 'The client is not authorized to request an authorization code using this method.',
	unsupported_grant_type: 'The authorization grant type is not supported by the authorization server.',
	invalid_scope: 'The requested scope is invalid, unknown, or malformed.',
};

/** n8n-core's TOKEN_EXPIRY_BUFFER_MS: a token this close to expiry no longer counts as fresh. */
const TOKEN_EXPIRY_BUFFER_MS = 60_000;

/** The shape axios gives an HTTP error; NodeApiError reads `response.status` when the class is named AxiosError. */
export class AxiosError extends Error {
	readonly isAxiosError = true;
	readonly response: { status: number; statusText: string; headers: Record<string, string>; data: unknown; config: { url: string } };
	readonly config: { url: string; method: string };
	readonly status: number;

	constructor(url: string, method: string, status: number, statusText: string, headers: Record<string, string>, data: unknown) {
		super(`Request failed with status code ${status}`);
		this.name = 'AxiosError';
		this.status = status;
		this.config = { url, method };
		this.response = { status, statusText, headers, data, config: { url } };
	}
}

/** `@n8n/client-oauth2` AuthError: an OAuth error body from the token endpoint. */
export class OAuthAuthError extends Error {
	readonly code = 'EAUTH';
	constructor(
		message: string,
		readonly body: IDataObject,
	) {
		super(message);
		this.name = 'AuthError';
	}
}

function headerRecord(headers: Headers): Record<string, string> {
	const result: Record<string, string> = {};
	headers.forEach((value, name) => {
		result[name.toLowerCase()] = value;
	});
	return result;
}

function getPath(source: IDataObject, path: string): unknown {
	let current: unknown = source;
	for (const part of path.split('.')) {
		if (typeof current !== 'object' || current === null) return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

function clone<T>(value: T): T {
	return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function mockNodeTypes(): INodeTypes {
	const passThrough = {
		description: { name: 'mock', displayName: 'Mock', group: [], version: 1, description: '', defaults: {}, inputs: [], outputs: [], properties: [] },
	} as unknown as INodeType;
	return {
		getByName: () => passThrough,
		getByNameAndVersion: () => passThrough,
		getKnownTypes: () => ({}),
	};
}

/**
 * What n8n 2.41's `CredentialsHelper.getDecrypted` hands a node: stored values over the type's
 * defaults, hidden pinned OAuth fields forced back to their defaults, fields hidden by displayOptions
 * dropped, then every expression resolved with `$self` bound to the credential itself. The parent
 * `oAuth2Api` fields the child does not redeclare (client id and secret) are carried over as stored.
 */
export function resolveCredentialData(credentialType: ICredentialType, stored: StoredCredentialData): ICredentialDataDecryptedObject {
	const properties: INodeProperties[] = credentialType.properties;
	const data: IDataObject = { ...stored };
	for (const field of OAUTH_PINNED_FIELDS) {
		if (properties.some((property) => property.name === field && property.type === 'hidden')) delete data[field];
	}
	const withDefaults = (NodeHelpers.getNodeParameters(properties, data as never, true, false, null, null) ?? {}) as IDataObject;
	if (stored.oauthTokenData !== undefined) withDefaults.oauthTokenData = stored.oauthTokenData;
	for (const key of ['clientId', 'clientSecret']) {
		if (stored[key] !== undefined) withDefaults[key] = stored[key];
	}
	const workflow = new Workflow({ nodes: [], connections: {}, active: false, nodeTypes: mockNodeTypes() });
	const mockNode: INode = { id: 'mock', name: '', typeVersion: 1, type: 'mock', position: [0, 0], parameters: {} };
	return workflow.expression.getComplexParameterValue(mockNode, withDefaults as never, 'internal', {}, undefined, undefined, withDefaults) as ICredentialDataDecryptedObject;
}

/**
 * n8n-core's `extractValueRLC`: a resource locator value gives its `value`, passed through its mode's
 * `extractValue` regex (exactly one group) when the mode has one; a non-match fails with n8n's text.
 */
function extractResourceLocatorValue(properties: INodeProperties[], name: string, value: unknown): unknown {
	if (typeof value !== 'object' || value === null || !('mode' in value) || !('value' in value)) return value;
	const locator = value as INodeParameterResourceLocator;
	const property = properties.find((candidate) => candidate.name === name && candidate.type === 'resourceLocator');
	const mode = property?.modes?.find((candidate) => candidate.name === locator.mode);
	if (property === undefined || mode?.extractValue === undefined) return locator.value;
	if (typeof locator.value !== 'string') throw new Error(`ERROR: ${property.displayName} parameter's value is invalid. Please enter a valid ${mode.displayName}.`);
	const extracted = new RegExp(mode.extractValue.regex).exec(locator.value);
	if (extracted === null) {
		throw new Error(`ERROR: ${property.displayName} parameter's value is invalid. This is likely because the URL entered is incorrect`);
	}
	return extracted[1];
}

/**
 * One row of n8n's `credentials_entity`: the stored data and the refresh lock n8n keeps per
 * credential id. Share one between hosts to model several workflows using one credential.
 */
export class N8nCredentialStore {
	/** The stored data; n8n replaces `oauthTokenData` after every refresh. */
	data: StoredCredentialData;
	/** The refresh in progress for this credential, if any (n8n's single flight). */
	refreshInFlight: Promise<IDataObject> | undefined;

	constructor(data: StoredCredentialData) {
		this.data = clone(data);
	}
}

/**
 * Runs a polling trigger the way n8n 2.41 does. Create one per workflow; it keeps the credential
 * store, the persisted static data and the executions across polls.
 */
export class N8nHost {
	/** The credential row this host's workflow uses (possibly shared with other hosts). */
	readonly credentialStore: N8nCredentialStore;
	/** Workflow static data as last persisted to the database. */
	persistedStaticData: IDataObject;
	/** Executions started by emitted polls, oldest first. */
	readonly executions: N8nHostExecution[] = [];
	/** Everything that happened, oldest first. */
	readonly events: N8nHostEvent[] = [];
	/** Messages the node logged. */
	readonly logs: Array<{ level: string; message: string }> = [];

	private liveStaticData: IDataObject;
	private readonly options: N8nHostOptions;
	private readonly node: INode;
	private readonly credentialId = 'calcomCredential1';
	private activated = false;

	constructor(options: N8nHostOptions) {
		this.options = options;
		this.credentialStore = options.credential instanceof N8nCredentialStore ? options.credential : new N8nCredentialStore(options.credential);
		this.persistedStaticData = clone(options.staticData ?? {});
		this.liveStaticData = clone(this.persistedStaticData);
		const description = options.nodeType.description;
		const credentialName = options.credentialType.name;
		this.node = {
			id: 'node-1',
			name: options.nodeName ?? 'Cal.com Trigger',
			type: options.nodeTypeName ?? `CUSTOM.${description.name}`,
			typeVersion: Array.isArray(description.version) ? (description.version.at(-1) ?? 1) : description.version,
			position: [0, 0],
			parameters: clone(options.parameters ?? {}) as INode['parameters'],
			credentials: { [credentialName]: { id: this.credentialId, name: 'Cal.com account' } },
		};
	}

	/** The credential as stored (n8n's database row, decrypted); refreshes write here. */
	get credential(): StoredCredentialData {
		return this.credentialStore.data;
	}

	set credential(data: StoredCredentialData) {
		this.credentialStore.data = data;
	}

	/** Static data as the running workflow sees it (in memory, possibly ahead of {@link persistedStaticData}). */
	get staticData(): IDataObject {
		return this.liveStaticData;
	}

	/** The node's own slice of static data (`node:<name>`), as the running workflow sees it. */
	get nodeStaticData(): IDataObject | undefined {
		return this.liveStaticData[`node:${this.node.name}`] as IDataObject | undefined;
	}

	/**
	 * Publishes the workflow: runs the first poll at once (activation mode), which must not throw,
	 * starts an execution when it returns items, then saves static data.
	 */
	async activate(): Promise<INodeExecutionData[][] | null> {
		const result = await this.runPoll('trigger', true);
		this.activated = true;
		this.saveStaticData('activation');
		return result;
	}

	/** One cron tick of an active workflow. Returns what the poll returned; a throw is a failed execution. */
	async tick(): Promise<INodeExecutionData[][] | null> {
		if (!this.activated) throw new Error('N8nHost.tick() before activate(): n8n only ticks active workflows');
		return await this.runPoll('trigger', false);
	}

	/** The editor's "Fetch test event": manual mode on a throw-away copy of static data. */
	async fetchTestEvent(): Promise<INodeExecutionData[][] | null> {
		return await this.runPoll('manual', false);
	}

	/** Restarts n8n: in-memory static data changes that were never persisted are lost. */
	restart(): void {
		this.liveStaticData = clone(this.persistedStaticData);
		this.activated = false;
	}

	/** Runs a `methods.loadOptions` entry as the editor would when a dropdown opens. */
	async loadOptions(method: string, currentParameters: IDataObject = {}): Promise<INodePropertyOptions[]> {
		const loader = this.options.nodeType.methods?.loadOptions?.[method];
		if (loader === undefined) throw new Error(`The node has no loadOptions method "${method}"`);
		const context = this.createContext('manual', false, this.liveStaticData, currentParameters) as unknown as ILoadOptionsFunctions;
		return await loader.call(context);
	}

	/** Runs a `methods.listSearch` entry as the editor does when a resource locator's list opens. */
	async listSearch(method: string, filter?: string, currentParameters: IDataObject = {}): Promise<INodeListSearchResult> {
		const search = this.options.nodeType.methods?.listSearch?.[method];
		if (search === undefined) throw new Error(`The node has no listSearch method "${method}"`);
		const context = this.createContext('manual', false, this.liveStaticData, currentParameters) as unknown as ILoadOptionsFunctions;
		return await search.call(context, filter);
	}

	/**
	 * Runs a regular node's `execute()` once over `items`, as a manual workflow run does. Parameters
	 * are resolved like n8n's workflow loader (`NodeHelpers.getNodeParameters`: defaults of the
	 * properties whose displayOptions match), and `getNodeParameter(..., { extractValue: true })`
	 * applies a resource locator mode's `extractValue` regex as n8n-core's extract-value.ts does.
	 * Expressions are not evaluated: give literal values.
	 */
	async execute(items: INodeExecutionData[] = [{ json: {} }]): Promise<INodeExecutionData[][]> {
		const execute = this.options.nodeType.execute;
		if (execute === undefined) throw new Error('The node has no execute() method');
		const description = this.options.nodeType.description;
		const resolved = (NodeHelpers.getNodeParameters(description.properties, this.node.parameters, true, false, this.node, description) ??
			{}) as IDataObject;
		const base = this.createContext('manual', false, this.liveStaticData, resolved);
		const onError = this.options.onError ?? 'stopWorkflow';
		const context = {
			...base,
			getInputData: () => clone(items),
			continueOnFail: () => onError === 'continueRegularOutput' || onError === 'continueErrorOutput',
			getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown, options?: { extractValue?: boolean }) => {
				const value = getPath(resolved, name);
				if (value === undefined) {
					if (fallback !== undefined) return fallback;
					throw new Error(`Could not get parameter "${name}"`);
				}
				if (options?.extractValue !== true) return clone(value);
				return extractResourceLocatorValue(description.properties, name, value);
			},
		} as unknown as IExecuteFunctions;
		return (await execute.call(context)) as INodeExecutionData[][];
	}

	/** The credential after n8n's defaults, pinned fields and expressions, as `getCredentials` returns it. */
	resolveCredential(): ICredentialDataDecryptedObject {
		return resolveCredentialData(this.options.credentialType, this.credential);
	}

	private emit(event: N8nHostEvent): void {
		this.events.push(event);
		this.options.onEvent?.(event);
	}

	private now(): number {
		return this.options.now?.() ?? Date.now();
	}

	private saveStaticData(reason: 'activation' | 'emit'): void {
		this.persistedStaticData = clone(this.liveStaticData);
		this.emit({ type: 'static-data-saved', reason });
	}

	private async runPoll(mode: 'trigger' | 'manual', activation: boolean): Promise<INodeExecutionData[][] | null> {
		const poll = this.options.nodeType.poll;
		if (poll === undefined) throw new Error('The node has no poll() method');
		// Manual runs load the workflow afresh and never save its static data.
		const staticData = mode === 'manual' ? clone(this.liveStaticData) : this.liveStaticData;
		const context = this.createContext(mode, activation, staticData, undefined) as unknown as IPollFunctions;
		const started = this.now();
		let result: INodeExecutionData[][] | null;
		try {
			result = await poll.call(context);
		} catch (error) {
			this.emit({ type: 'poll-error', mode, message: error instanceof Error ? error.message : String(error) });
			throw error;
		}
		const items = result === null ? null : result.flat();
		this.emit({ type: 'poll', mode, activation, emitted: items === null ? null : items.length, durationMs: this.now() - started });
		if (items !== null) {
			this.executions.push({ id: this.executions.length + 1, mode, items: clone(items), startedAt: new Date(this.now()).toISOString() });
			if (mode === 'trigger') this.saveStaticData('emit');
		}
		return result;
	}

	protected createContext(mode: 'trigger' | 'manual', activation: boolean, staticData: IDataObject, currentParameters: IDataObject | undefined) {
		const node = this.node;
		const description = this.options.nodeType.description;
		const parameterDefault = (name: string): unknown => {
			const [head] = name.split('.');
			const property = description.properties.find((candidate) => candidate.name === head);
			if (property === undefined) return undefined;
			return name.includes('.') ? getPath({ [head as string]: property.default as IDataObject }, name) : property.default;
		};
		const getNodeParameter = (name: string, fallback?: unknown): unknown => {
			const source = currentParameters ?? (node.parameters as IDataObject);
			const value = getPath(source, name);
			if (value !== undefined) return clone(value);
			const fromDefault = parameterDefault(name);
			if (fromDefault !== undefined) return clone(fromDefault);
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		};
		const log = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string) => {
			this.logs.push({ level, message });
			this.options.onLog?.(level, message);
		};
		const host = this;
		const context = {
			getNode: () => clone(node),
			getMode: () => mode,
			getActivationMode: () => (activation ? 'activate' : mode === 'manual' ? 'manual' : 'init'),
			getTimezone: () => 'UTC',
			getNodeParameter,
			getCurrentNodeParameter: (name: string) => getPath(currentParameters ?? (node.parameters as IDataObject), name),
			getCurrentNodeParameters: () => clone(currentParameters ?? node.parameters),
			getWorkflowStaticData: (type: string) => {
				const key = type === 'global' ? 'global' : `node:${node.name}`;
				if (typeof staticData[key] !== 'object' || staticData[key] === null) staticData[key] = {};
				return staticData[key] as IDataObject;
			},
			getCredentials: async (type: string) => {
				if (type !== this.options.credentialType.name) throw new Error(`Node does not have credential type "${type}"`);
				return host.resolveCredential();
			},
			logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
			helpers: {
				returnJsonArray: (data: IDataObject | IDataObject[]) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
				httpRequestWithAuthentication: async function (
					this: unknown,
					credentialsType: string,
					requestOptions: IHttpRequestOptions,
					additional?: { oauth2?: IOAuth2Options },
				) {
					return await host.requestOAuth2(credentialsType, requestOptions, additional?.oauth2);
				},
			},
		};
		return context;
	}

	private tokenExpiredStatusCodes(credentials: ICredentialDataDecryptedObject, options: IOAuth2Options | undefined): number[] {
		const own = credentials.tokenExpiredStatusCode as unknown;
		if (own !== undefined) return (Array.isArray(own) ? own : [own]).map(Number);
		const fromRequest = options?.tokenExpiredStatusCode ?? 401;
		return Array.isArray(fromRequest) ? fromRequest : [fromRequest];
	}

	private storedTokenIsFresh(): boolean {
		const expiresAt = Number(this.credential.oauthTokenData?.n8n_expires_at);
		return Number.isFinite(expiresAt) && this.now() + TOKEN_EXPIRY_BUFFER_MS < expiresAt;
	}

	/** n8n-core `requestOAuth2(..., isN8nRequest = true)`. */
	private async requestOAuth2(credentialsType: string, requestOptions: IHttpRequestOptions, oauth2: IOAuth2Options | undefined): Promise<unknown> {
		if (credentialsType !== this.options.credentialType.name) {
			throw new NodeOperationError(this.node, `Node "${this.node.name}" does not have any credentials of type "${credentialsType}" set`);
		}
		const credentials = this.resolveCredential();
		const tokenData = credentials.oauthTokenData as IDataObject | undefined;
		if (tokenData === undefined) throw new NodeApiError(this.node, new Error('OAuth credentials not connected') as never);
		const usedToken = String(tokenData.access_token ?? '');
		const expired = new Set(this.tokenExpiredStatusCodes(credentials, oauth2));
		const shouldRefresh = (status: number | undefined): boolean => {
			if (this.options.refreshRule === 'only-401') return status === 401;
			if (status === undefined || oauth2?.skipTokenRefresh === true || !expired.has(status)) return false;
			if (status === 401 || oauth2?.skipRefreshWhileTokenIsFresh !== true) return true;
			return !this.storedTokenIsFresh();
		};
		try {
			return await this.send(requestOptions, usedToken, 1);
		} catch (error) {
			const status = error instanceof AxiosError ? error.response.status : undefined;
			if (!shouldRefresh(status)) throw new NodeApiError(this.node, error as never);
			let fresh: IDataObject;
			try {
				fresh = await this.refreshSingleFlight(credentials, usedToken);
			} catch (refreshError) {
				if (refreshError instanceof NodeOperationError) throw new NodeApiError(this.node, refreshError as never);
				throw new NodeApiError(this.node, refreshError as never);
			}
			try {
				return await this.send(requestOptions, String(fresh.access_token ?? ''), 2);
			} catch (retryError) {
				throw new NodeApiError(this.node, retryError as never);
			}
		}
	}

	private async send(requestOptions: IHttpRequestOptions, accessToken: string, attempt: 1 | 2): Promise<unknown> {
		const method = (requestOptions.method ?? 'GET').toUpperCase();
		const url = new URL(requestOptions.url, requestOptions.baseURL);
		for (const [name, value] of Object.entries(requestOptions.qs ?? {})) {
			if (value !== undefined) url.searchParams.set(name, String(value));
		}
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries(requestOptions.headers ?? {})) {
			if (value !== undefined) headers[name] = String(value);
		}
		headers.Authorization = `Bearer ${accessToken}`;
		if (requestOptions.json === true && !Object.keys(headers).some((name) => name.toLowerCase() === 'accept')) headers.Accept = 'application/json';
		let body: string | undefined;
		if (method !== 'GET' && method !== 'HEAD' && requestOptions.body !== undefined) {
			body = typeof requestOptions.body === 'string' ? requestOptions.body : JSON.stringify(requestOptions.body);
		}
		this.emit({ type: 'request', method, url: url.toString(), attempt });
		const fetchImpl = this.options.fetch ?? fetch;
		let response: Response;
		let text: string;
		// n8n-core's convertN8nRequestToAxios: `disableFollowRedirect` → axios maxRedirects 0 (the 3xx
		// is answered as it is), `timeout` → axios' time-out, which rejects with ECONNABORTED.
		const timeoutMs = typeof requestOptions.timeout === 'number' && requestOptions.timeout > 0 ? requestOptions.timeout : undefined;
		try {
			response = await fetchImpl(url, {
				method,
				headers,
				...(body === undefined ? {} : { body }),
				redirect: requestOptions.disableFollowRedirect === true ? 'manual' : 'follow',
				...(timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(timeoutMs) }),
			});
			text = await response.text();
		} catch (error) {
			this.emit({ type: 'network-error', method, url: url.toString(), message: error instanceof Error ? error.message : String(error) });
			// Not `instanceof Error`: fetch's DOMException may come from another realm (Jest's sandbox).
			if (timeoutMs !== undefined && (error as { name?: unknown } | null)?.name === 'TimeoutError') {
				throw Object.assign(new Error(`timeout of ${timeoutMs}ms exceeded`), { name: 'AxiosError', code: 'ECONNABORTED', isAxiosError: true });
			}
			throw error;
		}
		const responseHeaders = headerRecord(response.headers);
		this.emit({ type: 'response', method, url: url.toString(), status: response.status, attempt });
		// Axios parses JSON unless responseType is text; n8n maps `encoding` onto responseType.
		let data: unknown = text;
		if (requestOptions.encoding === undefined || requestOptions.encoding === 'json') {
			try {
				data = text === '' ? text : JSON.parse(text);
			} catch {
				data = text;
			}
		}
		const ignore = requestOptions.ignoreHttpStatusErrors;
		// axios' default validateStatus accepts 2xx only, so an unfollowed 3xx rejects as well.
		const throws =
			(response.status < 200 || response.status >= 300) &&
			(ignore === undefined || ignore === false || (typeof ignore === 'object' && ignore.except.includes(response.status)));
		if (throws) throw new AxiosError(url.toString(), method, response.status, response.statusText, responseHeaders, data);
		if (requestOptions.returnFullResponse === true) {
			return { body: data, headers: responseHeaders, statusCode: response.status, statusMessage: response.statusText };
		}
		return data;
	}

	private async refreshSingleFlight(credentials: ICredentialDataDecryptedObject, usedToken: string): Promise<IDataObject> {
		// n8n runs one refresh per credential at a time; a caller that waited re-reads the stored
		// token and reuses it when another caller already replaced it.
		const store = this.credentialStore;
		while (store.refreshInFlight !== undefined) {
			try {
				await store.refreshInFlight;
			} catch {
				// The other caller's failure is its own; this caller decides below.
			}
		}
		const current = this.credential.oauthTokenData;
		if (current !== undefined && String(current.access_token ?? '') !== usedToken) {
			this.emit({ type: 'refresh-reused', reason: 'stored token already changed' });
			return current;
		}
		const flight = this.refresh(credentials);
		store.refreshInFlight = flight;
		try {
			return await flight;
		} finally {
			store.refreshInFlight = undefined;
		}
	}

	/** `ClientOAuth2Token.refresh` in body mode, then n8n's merge and save. */
	private async refresh(credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		const tokenData = (this.credential.oauthTokenData ?? {}) as IDataObject;
		const refreshToken = tokenData.refresh_token;
		if (typeof refreshToken !== 'string' || refreshToken === '') {
			throw new Error('OAuth access token expired and no refresh token is available. Please reconnect the credentials.');
		}
		const form: Record<string, string> = { refresh_token: refreshToken, grant_type: 'refresh_token' };
		const headers: Record<string, string> = {
			Accept: 'application/json, application/x-www-form-urlencoded',
			'Content-Type': 'application/x-www-form-urlencoded',
		};
		const clientId = String(credentials.clientId ?? '');
		const clientSecret = String(credentials.clientSecret ?? '');
		if (clientSecret !== '') {
			if (credentials.authentication === 'body') {
				form.client_id = clientId;
				form.client_secret = clientSecret;
			} else {
				headers.Authorization = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
			}
		} else {
			form.client_id = clientId;
		}
		const url = String(credentials.accessTokenUrl ?? '');
		const fetchImpl = this.options.fetch ?? fetch;
		let response: Response;
		try {
			response = await fetchImpl(url, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
		} catch (error) {
			this.emit({ type: 'refresh-failed', error: error instanceof Error ? error.message : String(error) });
			throw error;
		}
		const text = await response.text();
		this.emit({ type: 'refresh', url, fields: Object.keys(form), status: response.status });
		if (response.status >= 500) {
			this.emit({ type: 'refresh-failed', status: response.status, error: `HTTP ${response.status}` });
			throw new AxiosError(url, 'POST', response.status, response.statusText, headerRecord(response.headers), text);
		}
		let body: IDataObject;
		try {
			const contentType = response.headers.get('content-type') ?? '';
			body = contentType.startsWith('application/x-www-form-urlencoded')
				? Object.fromEntries(new URLSearchParams(text))
				: (JSON.parse(text) as IDataObject);
		} catch {
			this.emit({ type: 'refresh-failed', status: response.status, error: 'response is not JSON' });
			throw new Error(`Expected JSON response from OAuth2 token endpoint but received: ${text.slice(0, 100)}`);
		}
		if (response.status >= 400 || response.status >= 300) {
			const code = body.error;
			this.emit({ type: 'refresh-failed', status: response.status, error: typeof code === 'string' ? code : JSON.stringify(code ?? null) });
			if (code === 'invalid_grant') {
				throw new NodeOperationError(this.node, 'The credential "Cal.com account" needs to be reconnected.', {
					description:
						'Access could not be refreshed because the connected account has revoked access, the refresh token expired, or the account password or permissions changed. Open the credential and reconnect it to continue.',
					level: 'warning',
					failure: { cause: 'credential-invalid' },
				});
			}
			const message = (typeof code === 'string' ? OAUTH_ERROR_MESSAGES[code] : undefined) ?? body.error_description ?? code;
			if (message) throw new OAuthAuthError(typeof message === 'string' ? message : String(message), body);
			throw new AxiosError(url, 'POST', response.status, response.statusText, headerRecord(response.headers), text);
		}
		const merged: IDataObject = { ...tokenData, ...body };
		const expiresIn = Number(body.expires_in);
		if (Number.isFinite(expiresIn) && expiresIn > 0) merged.n8n_expires_at = String(this.now() + expiresIn * 1000);
		this.credential = { ...this.credential, oauthTokenData: merged };
		return merged;
	}
}

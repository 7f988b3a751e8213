/**
 * A small stand-in for Zapier's runtime around a CLI app, built on zapier-platform-core's own
 * `createAppTester` (the same code path `zapier-platform invoke` and the app's unit tests use), plus
 * the parts of production Zapier that the tester leaves out. Used by the app's end-to-end test and by
 * the main job (against the emulator) to show what a Zap would see.
 *
 * What it adds to the tester, following Zapier's documented behaviour:
 * - a stored connection (`authData`) that every call receives;
 * - stale credentials: when a call throws `RefreshAuthError` (the app does so on any API 401 and
 *   on Cal.com's 403 expiry quirk), run `refreshAccessToken`, merge
 *   its result into the stored `authData`, and retry the call once. One refresh at a time per
 *   connection, because Cal.com rotates refresh tokens and revokes the previous one;
 * - `ExpiredAuthError` marks the connection stale (Zapier then emails the user and pauses the Zap);
 * - `bundle.meta` filled in as production does (the tester leaves it undefined);
 * - the polling deduper: the first poll of a Zap primes the seen-id table with
 *   `meta.isPopulatingDedupe` and triggers nothing; later polls return only ids never seen, in the
 *   order the trigger returned them (newest first). One table per trigger key and input, like one per Zap;
 * - action steps (creates and searches) run with the same refresh-and-retry, and the Zap editor's
 *   input-field resolution (static fields plus what the dynamic-fields functions return for the
 *   step's current input, as Zapier re-runs it when an `altersDynamicFields` field changes);
 * - the app's environment (`zapier-platform env:set`) applied to `process.env` around each call.
 *   Calls of one host are serialized; do not run two hosts with different env at the same time.
 */
import { createAppTester } from 'zapier-platform-core';

type AuthData = Record<string, string>;
type AnyFunction = (z: unknown, bundle: unknown) => unknown;
/** What createAppTester can run: a function of the app, or an `inputFields` array it resolves. */
type Runnable = AnyFunction | readonly unknown[];
type Item = Record<string, unknown> & { id?: unknown };

/** One thing that happened inside the host, for assertions and for showing Zapier's behaviour live. */
export type ZapierHostEvent =
  | { type: 'call'; operation: string; attempt: 1 | 2 }
  | { type: 'stale-auth'; operation: string; message: string }
  | { type: 'refresh'; ok: true; rotated: boolean }
  | { type: 'refresh'; ok: false; error: string }
  | { type: 'connection-expired'; operation: string; message: string }
  | { type: 'primed'; trigger: string; seen: number }
  | { type: 'poll'; trigger: string; returned: number; fresh: number; durationMs: number };

export interface ZapierHostOptions {
  /** The app definition (the default export of `zapier-app/src/index.ts`). */
  app: object;
  /** A stored connection, if the account is already connected. */
  authData?: AuthData;
  /** The app's environment (`CLIENT_ID`, `CLIENT_SECRET`, `CALCOM_INSTANCE`...), applied around each call. */
  env?: Record<string, string>;
  /** Called after every change of the stored connection (connect, refresh). */
  onAuthDataChange?: (authData: AuthData) => void;
  /** Everything that happens, in order. */
  onEvent?: (event: ZapierHostEvent) => void;
}

export interface PollOptions {
  /** `bundle.meta.limit`; -1 (no limit) by default, like production. */
  limit?: number;
}

export interface ZapierHost {
  /** Step 1 of connecting: the URL Zapier opens in the user's browser; `fields` are what the user typed into the app's auth fields. */
  authorizeUrl(input: { state: string; redirectUri: string; fields?: AuthData }): Promise<string>;
  /** Step 2: exchanges the code Cal.com redirected back with; stores the auth fields plus what getAccessToken returned, as Zapier does. */
  connect(input: { code: string; redirectUri: string; state?: string; fields?: AuthData }): Promise<AuthData>;
  /** The connection test (`authentication.test`), with refresh-and-retry. */
  runAuthTest(): Promise<Record<string, unknown>>;
  /** The connection label Zapier shows, computed from a fresh test run. */
  label(): Promise<string>;
  /** Runs `refreshAccessToken` now and stores the result. */
  refresh(): Promise<AuthData>;
  /**
   * One scheduled poll of a Zap on `triggerKey` with `inputData`: the first one primes the deduper
   * and returns []; later ones return the items whose id was never seen, newest first.
   */
  poll(triggerKey: string, inputData?: Record<string, unknown>, options?: PollOptions): Promise<Item[]>;
  /** "Test trigger" in the Zap editor (`meta.isLoadingSample`): returns what the trigger returns, no dedupe. */
  loadSample(triggerKey: string, inputData?: Record<string, unknown>): Promise<Item[]>;
  /** One page of a dynamic dropdown fed by a trigger (`meta.isFillingDynamicDropdown`, `meta.page`). */
  dropdown(triggerKey: string, page?: number, inputData?: Record<string, unknown>): Promise<Item[]>;
  /** An action step of a Zap running a create with `inputData`: its result (one object). */
  runCreate(createKey: string, inputData: Record<string, unknown>): Promise<Item>;
  /** A search step: everything it found (Zapier uses the first item; an empty list is "nothing found"). */
  runSearch(searchKey: string, inputData: Record<string, unknown>): Promise<Item[]>;
  /** The Zap editor's fields of a create or search for `inputData`, dynamic ones resolved. */
  inputFields(kind: 'create' | 'search', key: string, inputData?: Record<string, unknown>): Promise<Item[]>;
  /** The stored connection (a copy). */
  readonly authData: AuthData;
  /** True once Zapier would have marked the connection as needing a reconnect. */
  readonly stale: boolean;
  /** Counters for demos and assertions. */
  readonly stats: { calls: number; refreshes: number; polls: number; emitted: number };
}

/** The part of a create or search definition the host runs. */
interface ActionDefinition {
  operation?: { perform?: unknown; inputFields?: unknown };
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** Core's AppError and ThrottledError carry JSON (`{message, code, status}` / `{message, delay}`) as their message. */
function payloadOf(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return {};
  try {
    const parsed: unknown = JSON.parse(error.message);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The human message of an error thrown by the app, unwrapped from core's JSON envelope. */
export function messageOf(error: unknown): string {
  const inner = payloadOf(error).message;
  if (typeof inner === 'string') return inner;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Zapier marks a connection stale when refreshAccessToken fails with ExpiredAuthError or with a 4xx
 * other than 408/409/423/425/429 (docs.zapier.com, "4xx errors in refreshAccessToken", 2025-09-08).
 */
function refreshFailureMakesStale(error: unknown): boolean {
  if (errorName(error) === 'ExpiredAuthError') return true;
  const status = payloadOf(error).status;
  return typeof status === 'number' && status >= 400 && status < 500 && ![408, 409, 423, 425, 429].includes(status);
}

function requireFunction(value: unknown, what: string): AnyFunction {
  if (typeof value !== 'function') throw new Error(`The app has no ${what} function.`);
  return value as AnyFunction;
}

/** Production's `bundle.meta` defaults (`zapier-platform invoke` uses the same). */
function meta(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    isBulkRead: false,
    isFillingDynamicDropdown: false,
    isLoadingSample: false,
    isPopulatingDedupe: false,
    isTestingAuth: false,
    limit: -1,
    page: 0,
    timezone: null,
    ...overrides,
  };
}

function dedupeKey(triggerKey: string, inputData: Record<string, unknown>): string {
  const sorted = Object.keys(inputData)
    .sort()
    .map((key) => [key, inputData[key]]);
  return `${triggerKey}:${JSON.stringify(sorted)}`;
}

/** Creates a Zapier-like host around `options.app`. */
export function createZapierHost(options: ZapierHostOptions): ZapierHost {
  const app = options.app as {
    authentication?: { test?: unknown; connectionLabel?: unknown; oauth2Config?: Record<string, unknown> };
    triggers?: Record<string, { operation?: { perform?: unknown } }>;
    creates?: Record<string, ActionDefinition>;
    searches?: Record<string, ActionDefinition>;
  };
  const appTester = createAppTester(app);
  let authData: AuthData = { ...(options.authData ?? {}) };
  let stale = false;
  let queue: Promise<unknown> = Promise.resolve();
  let refreshing: Promise<AuthData> | undefined;
  const seen = new Map<string, Set<string>>();
  const stats = { calls: 0, refreshes: 0, polls: 0, emitted: 0 };
  const emit = (event: ZapierHostEvent) => options.onEvent?.(event);

  const oauth = () => app.authentication?.oauth2Config ?? {};

  /** Serializes calls and applies the app's env around each one. */
  function exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = async () => {
      const saved = new Map<string, string | undefined>();
      for (const [key, value] of Object.entries(options.env ?? {})) {
        saved.set(key, process.env[key]);
        process.env[key] = value;
      }
      try {
        return await work();
      } finally {
        for (const [key, value] of saved) {
          if (value === undefined) delete process.env[key];
          else process.env[key] = value;
        }
      }
    };
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  }

  function store(next: AuthData) {
    authData = next;
    options.onAuthDataChange?.({ ...authData });
  }

  async function invoke<T>(fn: Runnable, bundle: Record<string, unknown>): Promise<T> {
    stats.calls += 1;
    return (await appTester(fn as never, { authData: { ...authData }, ...bundle } as never)) as T;
  }

  async function refreshNow(): Promise<AuthData> {
    // Single flight: a second caller waits for the refresh in progress instead of spending the
    // (rotating) refresh token a second time.
    if (refreshing !== undefined) return refreshing;
    refreshing = (async () => {
      try {
        const result = await invoke<AuthData>(requireFunction(oauth().refreshAccessToken, 'refreshAccessToken'), {});
        const rotated = result.refresh_token !== undefined && result.refresh_token !== authData.refresh_token;
        // Zapier merges what refreshAccessToken returns into the stored connection.
        store({ ...authData, ...result });
        stats.refreshes += 1;
        emit({ type: 'refresh', ok: true, rotated });
        return { ...authData };
      } catch (error) {
        emit({ type: 'refresh', ok: false, error: messageOf(error) });
        if (refreshFailureMakesStale(error)) {
          stale = true;
          emit({ type: 'connection-expired', operation: 'refreshAccessToken', message: messageOf(error) });
        }
        throw error;
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  }

  /** Runs an authenticated operation the way production does: refresh once on stale auth, then retry once. */
  async function withAuth<T>(operation: string, fn: Runnable, bundle: Record<string, unknown>): Promise<T> {
    if (stale) throw new Error(`The connection needs to be reconnected; Zapier would not run ${operation}.`);
    emit({ type: 'call', operation, attempt: 1 });
    try {
      return await invoke<T>(fn, bundle);
    } catch (error) {
      if (errorName(error) === 'ExpiredAuthError') {
        stale = true;
        emit({ type: 'connection-expired', operation, message: messageOf(error) });
        throw error;
      }
      if (errorName(error) !== 'RefreshAuthError') throw error;
      emit({ type: 'stale-auth', operation, message: messageOf(error) });
      await refreshNow();
      emit({ type: 'call', operation, attempt: 2 });
      return invoke<T>(fn, bundle);
    }
  }

  function performOf(triggerKey: string): AnyFunction {
    const trigger = app.triggers?.[triggerKey];
    if (trigger === undefined) throw new Error(`The app has no trigger "${triggerKey}" (it has ${Object.keys(app.triggers ?? {}).join(', ')}).`);
    return requireFunction(trigger.operation?.perform, `${triggerKey} perform`);
  }

  function actionOf(kind: 'create' | 'search', key: string): ActionDefinition {
    const actions = (kind === 'create' ? app.creates : app.searches) ?? {};
    const action = actions[key];
    if (action === undefined) throw new Error(`The app has no ${kind} "${key}" (it has ${Object.keys(actions).join(', ')}).`);
    return action;
  }

  async function runTrigger(triggerKey: string, inputData: Record<string, unknown>, metaOverrides: Record<string, unknown>): Promise<Item[]> {
    const items = await withAuth<unknown>(triggerKey, performOf(triggerKey), { inputData, meta: meta(metaOverrides) });
    if (!Array.isArray(items)) throw new Error(`Trigger ${triggerKey} returned ${typeof items}, not an array.`);
    return items as Item[];
  }

  const host: ZapierHost = {
    authorizeUrl: ({ state, redirectUri, fields = {} }) =>
      exclusive(() => invoke<string>(requireFunction(oauth().authorizeUrl, 'authorizeUrl'), { inputData: { ...fields, state, redirect_uri: redirectUri } })),

    connect: ({ code, redirectUri, state, fields = {} }) =>
      exclusive(async () => {
        const result = await invoke<AuthData>(requireFunction(oauth().getAccessToken, 'getAccessToken'), {
          inputData: { ...fields, code, redirect_uri: redirectUri, ...(state === undefined ? {} : { state }) },
        });
        stale = false;
        store({ ...fields, ...result });
        return { ...authData };
      }),

    runAuthTest: () => exclusive(() => withAuth(`authentication.test`, requireFunction(app.authentication?.test, 'authentication.test'), {})),

    label: () =>
      exclusive(async () => {
        const testResult = await withAuth<Record<string, unknown>>('authentication.test', requireFunction(app.authentication?.test, 'authentication.test'), {});
        const connectionLabel = app.authentication?.connectionLabel;
        if (typeof connectionLabel === 'function') {
          return invoke<string>(connectionLabel as AnyFunction, { inputData: testResult });
        }
        if (typeof connectionLabel === 'string') {
          // String labels see authData and the test result hoisted to the top level.
          const scope: Record<string, unknown> = { ...authData, ...testResult };
          return connectionLabel.replace(/{{\s*([\w.]+)\s*}}/g, (_, path: string) => String(path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], scope) ?? ''));
        }
        return '';
      }),

    refresh: () => exclusive(() => refreshNow()),

    poll: (triggerKey, inputData = {}, pollOptions = {}) =>
      exclusive(async () => {
        const started = Date.now();
        const key = dedupeKey(triggerKey, inputData);
        const table = seen.get(key);
        stats.polls += 1;
        if (table === undefined) {
          const items = await runTrigger(triggerKey, inputData, { isPopulatingDedupe: true, limit: pollOptions.limit ?? -1 });
          seen.set(key, new Set(items.map((item) => String(item.id))));
          emit({ type: 'primed', trigger: triggerKey, seen: items.length });
          emit({ type: 'poll', trigger: triggerKey, returned: items.length, fresh: 0, durationMs: Date.now() - started });
          return [];
        }
        const items = await runTrigger(triggerKey, inputData, { limit: pollOptions.limit ?? -1 });
        const fresh = items.filter((item) => !table.has(String(item.id)));
        for (const item of fresh) table.add(String(item.id));
        stats.emitted += fresh.length;
        emit({ type: 'poll', trigger: triggerKey, returned: items.length, fresh: fresh.length, durationMs: Date.now() - started });
        return fresh;
      }),

    loadSample: (triggerKey, inputData = {}) => exclusive(() => runTrigger(triggerKey, inputData, { isLoadingSample: true, limit: 3 })),

    dropdown: (triggerKey, page = 0, inputData = {}) => exclusive(() => runTrigger(triggerKey, inputData, { isFillingDynamicDropdown: true, page })),

    runCreate: (createKey, inputData) =>
      exclusive(async () => {
        const perform = requireFunction(actionOf('create', createKey).operation?.perform, `${createKey} perform`);
        const result = await withAuth<unknown>(`creates.${createKey}`, perform, { inputData, meta: meta() });
        if (typeof result !== 'object' || result === null || Array.isArray(result)) throw new Error(`Create ${createKey} returned ${Array.isArray(result) ? 'an array' : typeof result}, not one object.`);
        return result as Item;
      }),

    runSearch: (searchKey, inputData) =>
      exclusive(async () => {
        const perform = requireFunction(actionOf('search', searchKey).operation?.perform, `${searchKey} perform`);
        const result = await withAuth<unknown>(`searches.${searchKey}`, perform, { inputData, meta: meta() });
        if (!Array.isArray(result)) throw new Error(`Search ${searchKey} returned ${typeof result}, not an array.`);
        return result as Item[];
      }),

    inputFields: (kind, key, inputData = {}) =>
      exclusive(async () => {
        const fields = actionOf(kind, key).operation?.inputFields;
        if (!Array.isArray(fields)) throw new Error(`The ${kind} "${key}" has no inputFields array.`);
        // Core resolves the array itself: static fields as they are, each function with this bundle.
        return withAuth<Item[]>(`${kind}s.${key}.inputFields`, fields, { inputData, meta: meta() });
      }),

    get authData() {
      return { ...authData };
    },
    get stale() {
      return stale;
    },
    get stats() {
      return { ...stats };
    },
  };
  return host;
}

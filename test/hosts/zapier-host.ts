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
 * - the app's environment (`zapier-platform env:set`) applied to `process.env` around each call.
 *   Calls of one host are serialized; do not run two hosts with different env at the same time.
 */
import { createAppTester } from 'zapier-platform-core';

type AuthData = Record<string, string>;
type AnyFunction = (z: unknown, bundle: unknown) => unknown;
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
  /** Step 1 of connecting: the URL Zapier opens in the user's browser. */
  authorizeUrl(input: { state: string; redirectUri: string }): Promise<string>;
  /** Step 2: exchanges the code Cal.com redirected back with; stores and returns the connection. */
  connect(input: { code: string; redirectUri: string; state?: string }): Promise<AuthData>;
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
  /** One run of a Zap's action step (a create), with the same refresh-and-retry as production. */
  create(createKey: string, inputData: Record<string, unknown>): Promise<Item>;
  /** One run of a search step (what a "Find …" step or a search-powered field runs). */
  search(searchKey: string, inputData: Record<string, unknown>): Promise<Item[]>;
  /** The stored connection (a copy). */
  readonly authData: AuthData;
  /** True once Zapier would have marked the connection as needing a reconnect. */
  readonly stale: boolean;
  /** Counters for demos and assertions. */
  readonly stats: { calls: number; refreshes: number; polls: number; emitted: number };
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
    creates?: Record<string, { operation?: { perform?: unknown } }>;
    searches?: Record<string, { operation?: { perform?: unknown } }>;
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

  async function invoke<T>(fn: AnyFunction, bundle: Record<string, unknown>): Promise<T> {
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
  async function withAuth<T>(operation: string, fn: AnyFunction, bundle: Record<string, unknown>): Promise<T> {
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

  async function runTrigger(triggerKey: string, inputData: Record<string, unknown>, metaOverrides: Record<string, unknown>): Promise<Item[]> {
    const items = await withAuth<unknown>(triggerKey, performOf(triggerKey), { inputData, meta: meta(metaOverrides) });
    if (!Array.isArray(items)) throw new Error(`Trigger ${triggerKey} returned ${typeof items}, not an array.`);
    return items as Item[];
  }

  const host: ZapierHost = {
    authorizeUrl: ({ state, redirectUri }) =>
      exclusive(() => invoke<string>(requireFunction(oauth().authorizeUrl, 'authorizeUrl'), { inputData: { state, redirect_uri: redirectUri } })),

    connect: ({ code, redirectUri, state }) =>
      exclusive(async () => {
        const result = await invoke<AuthData>(requireFunction(oauth().getAccessToken, 'getAccessToken'), {
          inputData: { code, redirect_uri: redirectUri, ...(state === undefined ? {} : { state }) },
        });
        stale = false;
        store({ ...result });
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

    create: (createKey, inputData) =>
      exclusive(() => {
        const perform = requireFunction(app.creates?.[createKey]?.operation?.perform, `${createKey} perform`);
        return withAuth<Item>(createKey, perform, { inputData, meta: meta() });
      }),

    search: (searchKey, inputData) =>
      exclusive(() => {
        const perform = requireFunction(app.searches?.[searchKey]?.operation?.perform, `${searchKey} perform`);
        return withAuth<Item[]>(searchKey, perform, { inputData, meta: meta() });
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

import {
  CALCOM_CLOUD,
  CALCOM_EU,
  CalcomError,
  LEGACY_SCOPE_NAMES,
  defaultIntegrationScopes,
  normalizeBaseUrl,
  parseScopes,
  resolveInstance,
  toLegacyScopes,
  type CalcomInstance,
  type InstanceKind,
  type TokenSurface,
} from '@calcom-oauth/shared';

/**
 * Deployment settings of this Zapier integration. They come from the environment Zapier gives the
 * app at run time (`zapier-platform env:set <version> KEY=value`), never from the user. A connection
 * chooses its own instance when it is made (`connection.ts`); these settings then supply the app's
 * cloud clients, and serve whole only connections made before the region choice existed.
 */
export interface AppConfig {
  instance: CalcomInstance;
  /** `v2` (`POST /v2/auth/oauth2/token`, Cal.com cloud and current self-hosted) or `legacy` (`/api/auth/oauth/*`, older self-hosted). */
  surface: TokenSurface;
  /** Scopes asked for on the authorize page, current names (sent as legacy names on the legacy surface). */
  scopes: string[];
  clientId: string;
  clientSecret: string;
}

/** Names of the environment variables read, in one place for the README and error messages. */
export const ENV = {
  instance: 'CALCOM_INSTANCE',
  appUrl: 'CALCOM_APP_URL',
  apiUrl: 'CALCOM_API_URL',
  surface: 'CALCOM_TOKEN_SURFACE',
  scopes: 'CALCOM_SCOPES',
  clientId: 'CLIENT_ID',
  clientSecret: 'CLIENT_SECRET',
  /** The EU cloud's own OAuth client: cal.eu is a separate installation with clients of its own. */
  clientIdEu: 'CLIENT_ID_EU',
  clientSecretEu: 'CLIENT_SECRET_EU',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

const INSTANCE_KINDS: readonly InstanceKind[] = ['cloud', 'eu', 'self-hosted'];

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function fail(message: string): never {
  throw new CalcomError('invalid_input', message);
}

/** How to change a setting, appended to every message that asks for one. */
const HOW_TO_SET = 'with zapier-platform env:set';

/** The core's message without its closing full stop, to continue the sentence. */
function clause(error: CalcomError): string {
  return error.message.replace(/\.$/, '');
}

/** The instance URL in `name`, checked by the core with the variable's own name in its message. */
function readUrl(env: Env, name: string): string | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  try {
    return normalizeBaseUrl(value, name);
  } catch (error) {
    if (error instanceof CalcomError) fail(`${clause(error)}; correct ${name} ${HOW_TO_SET}.`);
    throw error;
  }
}

/** The Cal.com instance from `CALCOM_INSTANCE` (`cloud` by default, `eu`, or `self-hosted` with `CALCOM_APP_URL`/`CALCOM_API_URL`). */
export function readInstance(env: Env = process.env): CalcomInstance {
  const kind = (read(env, ENV.instance) ?? 'cloud').toLowerCase();
  if (!INSTANCE_KINDS.includes(kind as InstanceKind)) {
    fail(`${ENV.instance}="${kind}" is not supported; set it to "cloud", "eu" or "self-hosted" ${HOW_TO_SET}.`);
  }
  const appUrl = readUrl(env, ENV.appUrl);
  const apiUrl = readUrl(env, ENV.apiUrl);
  if (kind === 'self-hosted' && appUrl === undefined) {
    fail(`${ENV.instance}=self-hosted needs ${ENV.appUrl} (and ${ENV.apiUrl} when the API has its own origin); set them ${HOW_TO_SET}.`);
  }
  if (kind !== 'self-hosted') {
    const preset = kind === 'eu' ? CALCOM_EU : CALCOM_CLOUD;
    for (const [name, value, fixed] of [[ENV.appUrl, appUrl, preset.appUrl], [ENV.apiUrl, apiUrl, preset.apiUrl]] as const) {
      if (value !== undefined && value !== fixed) {
        fail(`${ENV.instance}=${kind} always uses ${fixed}, not ${name}=${value}; unset ${name}, or set ${ENV.instance}=self-hosted to use it, ${HOW_TO_SET}.`);
      }
    }
  }
  return resolveInstance({
    kind: kind as InstanceKind,
    ...(appUrl === undefined ? {} : { appUrl }),
    ...(apiUrl === undefined ? {} : { apiUrl }),
  });
}

/** The token surface from `CALCOM_TOKEN_SURFACE` (`v2` by default). */
export function readSurface(env: Env = process.env): TokenSurface {
  const surface = (read(env, ENV.surface) ?? 'v2').toLowerCase();
  if (surface !== 'v2' && surface !== 'legacy') {
    fail(`${ENV.surface}="${surface}" is not supported; set it to "v2" (default) or "legacy" (older self-hosted Cal.com) ${HOW_TO_SET}.`);
  }
  return surface;
}

/**
 * Scopes from `CALCOM_SCOPES` (commas or spaces, legacy names accepted), else the core's default for
 * triggers and actions (BOOKING_READ, EVENT_TYPE_READ, PROFILE_READ, BOOKING_WRITE; on the legacy
 * surface, which has no write scope, BOOKING_READ and PROFILE_READ).
 */
export function readScopes(env: Env = process.env, surface: TokenSurface = readSurface(env)): string[] {
  const raw = read(env, ENV.scopes);
  if (raw === undefined) return [...defaultIntegrationScopes(surface)];
  const scopes = parseSetting(raw);
  if (scopes.length === 0) {
    fail(`${ENV.scopes} lists no scope; set it to the scopes to ask for, or unset it to ask for ${defaultScopes(surface)}, ${HOW_TO_SET}.`);
  }
  if (surface === 'legacy') requireLegacyNames(scopes);
  return scopes;
}

function defaultScopes(surface: TokenSurface): string {
  return defaultIntegrationScopes(surface).join(', ');
}

function parseSetting(raw: string): string[] {
  try {
    return parseScopes(raw);
  } catch (error) {
    // The core's sentence ("Unknown Cal.com scope: …") already names the bad value and the close matches.
    if (error instanceof CalcomError) fail(`${ENV.scopes} is not valid: ${clause(error)}; correct it ${HOW_TO_SET}.`);
    throw error;
  }
}

/** The legacy surface can only ask for scopes that have a legacy name; say so before any authorize page. */
function requireLegacyNames(scopes: readonly string[]): void {
  try {
    toLegacyScopes(scopes);
  } catch (error) {
    if (!(error instanceof CalcomError)) throw error;
    const impossible = scopes.filter((scope) => {
      try {
        toLegacyScopes([scope]);
        return false;
      } catch {
        return true;
      }
    });
    fail(
      `${ENV.scopes} lists ${impossible.join(', ')}, which ${ENV.surface}=legacy cannot ask for (legacy Cal.com OAuth clients only know ${LEGACY_SCOPE_NAMES.join(' and ')}); remove ${impossible.length > 1 ? 'them' : 'it'} from ${ENV.scopes}, or set ${ENV.surface}=v2 if this Cal.com has the v2 token endpoint, ${HOW_TO_SET}.`,
    );
  }
}

/**
 * Client id and secret of one of the app's own Cal.com OAuth clients; only ever from the environment.
 * `forWhat` names the instance the client serves, so the developer knows where to register it.
 */
export function readClient(
  env: Env = process.env,
  names: { clientId: string; clientSecret: string } = { clientId: ENV.clientId, clientSecret: ENV.clientSecret },
  forWhat = "the Cal.com OAuth client's credentials",
): Pick<AppConfig, 'clientId' | 'clientSecret'> {
  const clientId = read(env, names.clientId);
  const clientSecret = read(env, names.clientSecret);
  const missing: string[] = [];
  if (clientId === undefined) missing.push(names.clientId);
  if (clientSecret === undefined) missing.push(names.clientSecret);
  if (missing.length > 0) {
    fail(`This Zapier integration has no ${missing.join(' or ')}; its developer must set ${forWhat} ${HOW_TO_SET}.`);
  }
  return { clientId: clientId as string, clientSecret: clientSecret as string };
}

/** The instance kind `CALCOM_INSTANCE` names (US cloud when unset), unvalidated: which instance `CLIENT_ID` serves. */
export function environmentInstanceKind(env: Env = process.env): string {
  return (read(env, ENV.instance) ?? 'cloud').toLowerCase();
}

/**
 * Everything the app needs to talk to Cal.com, read when an operation runs (not when the app is
 * loaded), so `env:set` takes effect without a rebuild and nothing is frozen into definition.json.
 */
export function readConfig(env: Env = process.env): AppConfig {
  const surface = readSurface(env);
  return { instance: readInstance(env), surface, scopes: readScopes(env, surface), ...readClient(env) };
}

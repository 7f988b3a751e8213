/**
 * Command-line and environment parsing for the main job. Pure: no I/O, so every rule is unit-tested.
 *
 * Two modes come out of it: the embedded demo (no `--instance`) and the check of a real Cal.com OAuth
 * client (`--instance` or `CALCOM_INSTANCE`). Every bad input becomes a {@link UsageError} whose
 * message is one sentence saying what to change in the command.
 */

import { OAUTH_CLIENT_SETTINGS_HINT } from '@calcom-oauth/shared';

/** How the token requests are sent: Cal.com's 2026 API v2 endpoint, the older web routes, or v2 with fallback. */
export type TokenSurfaceChoice = 'v2' | 'legacy' | 'auto';

export interface DemoOptions {
  mode: 'demo';
  /** One full cycle, then exit 0 (CI). */
  once: boolean;
  /** Seconds between two polls of the live demo. */
  pollSeconds: number;
}

export interface RealInstanceOptions {
  mode: 'real';
  /** As typed: `cal.com`, `cal.eu` or a base URL. */
  instance: string;
  /** Separate API v2 base URL for a self-hosted instance. */
  apiUrl?: string;
  clientId: string;
  /** Absent for a PUBLIC client, which then uses PKCE. */
  clientSecret?: string;
  /** Loopback port of the redirect listener; the redirect URI is `http://127.0.0.1:<port>/callback`. */
  redirectPort: number;
  /** A full loopback redirect URI, when the one registered in Cal.com differs from the default shape. */
  redirectUri?: string;
  /** Scopes as typed; `undefined` means the triggers' defaults. */
  scopes?: string;
  surface: TokenSurfaceChoice;
  /** Folder for the token file; defaults to the user's config folder. */
  tokenDir?: string;
  /** Open the authorize URL in a browser when one is available. */
  openBrowser: boolean;
  /** How long to wait for the browser to come back to the redirect listener. */
  timeoutSeconds: number;
}

export type CliOptions = DemoOptions | RealInstanceOptions | { mode: 'help' };

/** A mistake in the command line or environment; the message says what to change. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Port of the default redirect URI `http://127.0.0.1:53682/callback`, the one to register in Cal.com. */
export const DEFAULT_REDIRECT_PORT = 53682;

const VALUE_FLAGS = new Set([
  'instance',
  'api-url',
  'client-id',
  'client-secret',
  'redirect-port',
  'redirect-uri',
  'scopes',
  'surface',
  'token-dir',
  'timeout',
  'poll-seconds',
]);
const BOOLEAN_FLAGS = new Set(['once', 'no-browser', 'help']);

/** Environment variables read, each the fallback of one flag. */
const ENVIRONMENT: Record<string, string> = {
  instance: 'CALCOM_INSTANCE',
  'api-url': 'CALCOM_API_URL',
  'client-id': 'CALCOM_CLIENT_ID',
  'client-secret': 'CALCOM_CLIENT_SECRET',
  'redirect-port': 'CALCOM_REDIRECT_PORT',
  'redirect-uri': 'CALCOM_REDIRECT_URI',
  scopes: 'CALCOM_SCOPES',
  surface: 'CALCOM_TOKEN_SURFACE',
  'token-dir': 'CALCOM_TOKEN_DIR',
};

function splitArguments(argv: readonly string[]): { values: Map<string, string>; flags: Set<string> } {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    if (!argument.startsWith('--')) {
      throw new UsageError(`Unexpected argument "${argument}"; options start with "--" (see --help).`);
    }
    const equals = argument.indexOf('=');
    const name = argument.slice(2, equals === -1 ? undefined : equals);
    if (BOOLEAN_FLAGS.has(name)) {
      if (equals !== -1) throw new UsageError(`--${name} takes no value; remove "${argument.slice(equals)}".`);
      flags.add(name);
      continue;
    }
    if (!VALUE_FLAGS.has(name)) throw new UsageError(`Unknown option --${name}; run with --help for the list.`);
    let value: string | undefined;
    if (equals !== -1) value = argument.slice(equals + 1);
    else {
      value = argv[index + 1];
      index += 1;
    }
    if (value === undefined || (equals === -1 && value.startsWith('--'))) {
      throw new UsageError(`--${name} needs a value, for example --${name} ${exampleFor(name)}.`);
    }
    values.set(name, value);
  }
  return { values, flags };
}

function exampleFor(name: string): string {
  switch (name) {
    case 'instance':
      return 'cal.com';
    case 'redirect-port':
      return String(DEFAULT_REDIRECT_PORT);
    case 'surface':
      return 'auto';
    case 'scopes':
      return 'BOOKING_READ,PROFILE_READ';
    default:
      return '<value>';
  }
}

function integerIn(raw: string, name: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw.trim())) throw new UsageError(`--${name} must be a whole number between ${min} and ${max}, not "${raw}".`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new UsageError(`--${name} must be between ${min} and ${max}, not ${value}.`);
  return value;
}

/**
 * Parses `argv` (without the node and script paths) and the environment into options.
 *
 * @throws UsageError for an unknown option, a missing value, a bad number, or a real-instance run
 * without a client id.
 */
export function parseCliOptions(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliOptions {
  const { values, flags } = splitArguments(argv);
  if (flags.has('help')) return { mode: 'help' };
  const get = (name: string): string | undefined => {
    const fromArgs = values.get(name);
    if (fromArgs !== undefined) return fromArgs.trim() === '' ? undefined : fromArgs.trim();
    const variable = ENVIRONMENT[name];
    const fromEnv = variable === undefined ? undefined : env[variable];
    return fromEnv === undefined || fromEnv.trim() === '' ? undefined : fromEnv.trim();
  };

  const instance = get('instance');
  if (instance === undefined) {
    for (const name of ['client-id', 'client-secret', 'api-url', 'redirect-uri']) {
      if (values.has(name)) {
        throw new UsageError(`--${name} only applies to a real Cal.com; add --instance cal.com (or cal.eu, or your https URL).`);
      }
    }
    return {
      mode: 'demo',
      once: flags.has('once'),
      pollSeconds: values.has('poll-seconds') ? integerIn(values.get('poll-seconds') ?? '', 'poll-seconds', 1, 3600) : 3,
    };
  }
  if (flags.has('once')) throw new UsageError('--once runs the embedded demo; remove it when checking a real Cal.com with --instance.');

  const clientId = get('client-id');
  if (clientId === undefined) {
    const fromEnv = values.get('instance') === undefined ? ` (CALCOM_INSTANCE=${instance} in the environment asked for a real Cal.com; unset it to run the demo)` : '';
    throw new UsageError(
      `A real Cal.com needs your OAuth client id: add --client-id <id> (or set CALCOM_CLIENT_ID), from ${OAUTH_CLIENT_SETTINGS_HINT}${fromEnv}.`,
    );
  }
  const surface = (get('surface') ?? 'auto').toLowerCase();
  if (surface !== 'auto' && surface !== 'v2' && surface !== 'legacy') {
    throw new UsageError(`--surface must be auto, v2 or legacy, not "${surface}".`);
  }
  const redirectPortRaw = get('redirect-port');
  const options: RealInstanceOptions = {
    mode: 'real',
    instance,
    clientId,
    redirectPort: redirectPortRaw === undefined ? DEFAULT_REDIRECT_PORT : integerIn(redirectPortRaw, 'redirect-port', 1, 65535),
    surface,
    openBrowser: !flags.has('no-browser'),
    timeoutSeconds: values.has('timeout') ? integerIn(values.get('timeout') ?? '', 'timeout', 1, 3600) : 300,
  };
  const optional: [keyof RealInstanceOptions, string][] = [
    ['apiUrl', 'api-url'],
    ['clientSecret', 'client-secret'],
    ['redirectUri', 'redirect-uri'],
    ['scopes', 'scopes'],
    ['tokenDir', 'token-dir'],
  ];
  for (const [key, name] of optional) {
    const value = get(name);
    if (value !== undefined) (options as unknown as Record<string, unknown>)[key] = value;
  }
  return options;
}

/** The text printed by `--help`. */
export const HELP_TEXT = `Usage:
  npm start                         live demo on the embedded Cal.com emulator (Ctrl-C to stop)
  npm start -- --once               one full demo cycle, then exit (CI)
  npm start -- --instance <cal.com | cal.eu | https://your.host> --client-id <id> [--client-secret <secret>]
                                    check a real Cal.com OAuth client end to end

Options for a real Cal.com (environment variable in brackets):
  --instance <x>          cal.com, cal.eu or the https URL of a self-hosted Cal.com  [CALCOM_INSTANCE]
  --api-url <url>         API v2 base URL of a self-hosted Cal.com, when not the app URL  [CALCOM_API_URL]
  --client-id <id>        OAuth client id  [CALCOM_CLIENT_ID]
  --client-secret <s>     OAuth client secret; omit for a PUBLIC (PKCE) client  [CALCOM_CLIENT_SECRET]
  --redirect-port <n>     loopback port; redirect URI http://127.0.0.1:<n>/callback (default ${DEFAULT_REDIRECT_PORT})  [CALCOM_REDIRECT_PORT]
  --redirect-uri <uri>    the exact loopback redirect URI registered, if not the default shape  [CALCOM_REDIRECT_URI]
  --scopes <list>         scopes to request, commas or spaces (default: what the triggers need)  [CALCOM_SCOPES]
  --surface <s>           token endpoint: auto (v2, then legacy), v2 or legacy  [CALCOM_TOKEN_SURFACE]
  --token-dir <dir>       where to store tokens (default ~/.config/calcom-oauth-integrations)  [CALCOM_TOKEN_DIR]
  --no-browser            print the authorize URL without opening a browser
  --timeout <s>           how long to wait for the browser (default 300)

Demo options:
  --poll-seconds <n>      seconds between polls (default 3)
`;

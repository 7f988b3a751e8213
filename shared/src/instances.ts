import { CalcomError } from './errors';
import { matchesLoopbackHost } from './instance-rules';
import { summarizeForMessage } from './redact';
import { showTypedUrl } from './typed-url';

/** Where a Cal.com account lives: the US cloud, the EU cloud, or a self-hosted installation. */
export type InstanceKind = 'cloud' | 'eu' | 'self-hosted';

/**
 * A Cal.com installation. The web app (authorize page, legacy token routes) and API v2 live on
 * different origins on Cal.com's clouds, so both are kept.
 */
export interface CalcomInstance {
  kind: InstanceKind;
  /** Web app base URL without trailing slash, e.g. `https://app.cal.com`. */
  appUrl: string;
  /** API v2 base URL without trailing slash (paths such as `/v2/bookings` are appended), e.g. `https://api.cal.com`. */
  apiUrl: string;
}

/** Cal.com's US cloud. */
export const CALCOM_CLOUD: Readonly<CalcomInstance> = Object.freeze({
  kind: 'cloud',
  appUrl: 'https://app.cal.com',
  apiUrl: 'https://api.cal.com',
});

/** Cal.com's EU cloud. */
export const CALCOM_EU: Readonly<CalcomInstance> = Object.freeze({
  kind: 'eu',
  appUrl: 'https://app.cal.eu',
  apiUrl: 'https://api.cal.eu',
});

const EXPECTED = 'an absolute https URL such as https://cal.example.com (http is allowed only for localhost)';

/** True for hosts that never leave the machine, where plain http is acceptable (local tests, emulator). */
export function isLoopbackHost(hostname: string): boolean {
  return matchesLoopbackHost(hostname);
}

/**
 * Validates a base URL typed by a user and returns it in canonical form: scheme and host
 * lower-cased, default port dropped, trailing slashes removed. A path prefix is kept, for
 * installations served under a sub-path.
 *
 * @param raw - The URL as entered.
 * @param label - What the URL is, used in the error message (e.g. "Cal.com app URL").
 * @throws CalcomError `invalid_input` saying what is wrong and what is expected.
 */
export function normalizeBaseUrl(raw: string, label: string): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') throw new CalcomError('invalid_input', `${label} is empty; expected ${EXPECTED}.`);
  // Echoed in messages, which reach platform logs: a pasted URL may carry a token or key in its
  // user info, query or fragment, so only the rest is quoted.
  const shown = summarizeForMessage(showTypedUrl(text), 200);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CalcomError('invalid_input', `${label} "${shown}" is not a valid URL; expected ${EXPECTED}.`);
  }
  if (url.username !== '' || url.password !== '') {
    // The raw value is not echoed: it holds credentials.
    throw new CalcomError('invalid_input', `${label} must not contain a user name or password; expected ${EXPECTED}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CalcomError('invalid_input', `${label} "${shown}" uses ${url.protocol.replace(':', '')}; expected ${EXPECTED}.`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new CalcomError(
      'invalid_input',
      `${label} "${shown}" uses http on a public host, which would send tokens unencrypted; use https://${url.host}${url.pathname === '/' ? '' : url.pathname}.`,
    );
  }
  if (url.search !== '' || text.includes('?')) {
    throw new CalcomError('invalid_input', `${label} "${shown}" has a query string; expected only scheme, host and optional path.`);
  }
  if (url.hash !== '' || text.includes('#')) {
    throw new CalcomError('invalid_input', `${label} "${shown}" has a #fragment; expected only scheme, host and optional path.`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

/** Input of {@link resolveInstance}. */
export interface InstanceSettings {
  kind: InstanceKind;
  /** Required for `self-hosted`. */
  appUrl?: string;
  /** For `self-hosted`: API v2 base URL; defaults to `appUrl`. */
  apiUrl?: string;
}

/**
 * Turns stored connection settings into a {@link CalcomInstance}.
 *
 * For the clouds the URLs are fixed; passing different ones is refused rather than silently ignored.
 * A self-hosted instance needs `appUrl`; its API defaults to the same base URL (a single reverse
 * proxy serving both is the common self-hosted layout), and can be set apart with `apiUrl`.
 *
 * @throws CalcomError `invalid_input` for an unknown kind, a missing or bad URL.
 */
export function resolveInstance(settings: InstanceSettings): CalcomInstance {
  const { kind } = settings;
  if (kind === 'cloud' || kind === 'eu') {
    const preset = kind === 'cloud' ? CALCOM_CLOUD : CALCOM_EU;
    for (const [field, value] of [['appUrl', settings.appUrl], ['apiUrl', settings.apiUrl]] as const) {
      if (value === undefined || value.trim() === '') continue;
      if (normalizeBaseUrl(value, `Cal.com ${field}`) !== preset[field]) {
        throw new CalcomError(
          'invalid_input',
          `The ${kind === 'cloud' ? 'Cal.com cloud' : 'Cal.com EU cloud'} always uses ${preset[field]} as ${field}; choose "self-hosted" to use ${showTypedUrl(value.trim())}.`,
        );
      }
    }
    return { ...preset };
  }
  if (kind !== 'self-hosted') {
    throw new CalcomError('invalid_input', `Unknown Cal.com instance kind "${String(kind)}"; expected "cloud", "eu" or "self-hosted".`);
  }
  if (settings.appUrl === undefined || settings.appUrl.trim() === '') {
    throw new CalcomError('invalid_input', `A self-hosted Cal.com instance needs its app URL; expected ${EXPECTED}.`);
  }
  const appUrl = normalizeBaseUrl(settings.appUrl, 'Cal.com app URL');
  const apiUrl =
    settings.apiUrl === undefined || settings.apiUrl.trim() === ''
      ? appUrl
      : normalizeBaseUrl(settings.apiUrl, 'Cal.com API URL');
  return { kind: 'self-hosted', appUrl, apiUrl };
}

/**
 * Parses the instance argument of a command line: `cal.com` (or `cloud`), `cal.eu` (or `eu`), or
 * the app URL of a self-hosted installation (`https://cal.example.com`). A URL equal to a cloud's app
 * URL resolves to that cloud.
 *
 * @param value - The argument as typed.
 * @param apiUrl - Optional separate API v2 base URL for a self-hosted installation.
 * @throws CalcomError `invalid_input` when the value is neither a known cloud nor a valid URL.
 */
export function parseInstanceArgument(value: string, apiUrl?: string): CalcomInstance {
  const text = (value ?? '').trim();
  const lowered = text.toLowerCase();
  if (lowered === 'cal.com' || lowered === 'cloud') return resolveInstance({ kind: 'cloud', apiUrl });
  if (lowered === 'cal.eu' || lowered === 'eu') return resolveInstance({ kind: 'eu', apiUrl });
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new CalcomError(
      'invalid_input',
      `Instance "${summarizeForMessage(showTypedUrl(text), 200)}" is not recognised; expected "cal.com", "cal.eu" or the https URL of a self-hosted Cal.com.`,
    );
  }
  const appUrl = normalizeBaseUrl(text, 'Cal.com app URL');
  if (appUrl === CALCOM_CLOUD.appUrl) return resolveInstance({ kind: 'cloud', apiUrl });
  if (appUrl === CALCOM_EU.appUrl) return resolveInstance({ kind: 'eu', apiUrl });
  return resolveInstance({ kind: 'self-hosted', appUrl, apiUrl });
}

/** Domains of Cal.com's own clouds: no self-hosted installation can live on them. */
const CALCOM_CLOUD_DOMAINS: readonly string[] = Object.freeze(
  [CALCOM_CLOUD, CALCOM_EU].map((preset) => new URL(preset.appUrl).hostname.replace(/^app\./, '')),
);

/** True when `hostname` is one of Cal.com's cloud domains (cal.com, cal.eu) or a host under them. */
export function isCalcomCloudHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return CALCOM_CLOUD_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/** Input of {@link resolveSelfHostedInstance}: the URLs as typed, and what each field is called where the user typed it. */
export interface SelfHostedSettings {
  appUrl?: string;
  apiUrl?: string;
  labels?: { appUrl: string; apiUrl: string };
}

/**
 * Resolves a self-hosted installation from URLs a user typed, with the instance rules of
 * {@link normalizeBaseUrl} and one more: a URL on Cal.com's own cloud domains is refused, so a
 * self-hosted OAuth client (and its secret) is never sent to Cal.com's cloud, and the user picks the
 * region instead.
 *
 * @throws CalcomError `invalid_input` naming the field and what to change.
 */
export function resolveSelfHostedInstance(settings: SelfHostedSettings): CalcomInstance {
  const labels = settings.labels ?? { appUrl: 'Cal.com app URL', apiUrl: 'Cal.com API URL' };
  if (settings.appUrl === undefined || settings.appUrl.trim() === '') {
    throw new CalcomError('invalid_input', `${labels.appUrl} is empty; a self-hosted Cal.com needs the URL of its web app, ${EXPECTED}.`);
  }
  const appUrl = normalizeBaseUrl(settings.appUrl, labels.appUrl);
  const apiUrl = settings.apiUrl === undefined || settings.apiUrl.trim() === '' ? appUrl : normalizeBaseUrl(settings.apiUrl, labels.apiUrl);
  for (const [label, url] of [[labels.appUrl, appUrl], [labels.apiUrl, apiUrl]] as const) {
    const { hostname } = new URL(url);
    if (!isCalcomCloudHost(hostname)) continue;
    const region = hostname === 'cal.eu' || hostname.endsWith('.cal.eu') ? 'Cal.com EU (app.cal.eu)' : 'Cal.com (app.cal.com)';
    throw new CalcomError(
      'invalid_input',
      `${label} ${url} is Cal.com's own cloud, not a self-hosted installation; choose the region ${region} instead of Self-hosted.`,
    );
  }
  return resolveInstance({ kind: 'self-hosted', appUrl, apiUrl });
}

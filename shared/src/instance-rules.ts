/**
 * The rules a Cal.com base URL must obey, described once as data. The core's `normalizeBaseUrl`
 * applies them with the WHATWG URL parser; {@link baseUrlCheckerSource} turns the same description
 * into plain JavaScript for runtimes that cannot call the core, such as n8n's sandboxed expression
 * engine, which computes the credential's token URLs on its own.
 */

/** Hosts where plain http is acceptable because traffic never leaves the machine (regex sources, lower-case host). */
const LOOPBACK_HOST_PATTERNS: readonly string[] = Object.freeze([
  '^localhost$',
  '\\.localhost$',
  '^\\[::1\\]$',
  '^127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$',
]);

/** True when `hostname` (as the WHATWG parser prints it) never leaves the machine. */
export function matchesLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return LOOPBACK_HOST_PATTERNS.some((pattern) => new RegExp(pattern).test(host));
}

/** Why a base URL was refused, as a slug that fits in a URL scheme. */
export type BaseUrlRefusal =
  | 'is-empty'
  | 'has-user-info'
  | 'must-be-https'
  | 'has-query'
  | 'has-fragment'
  | 'has-unsupported-form'
  | 'instance-unknown';

/** What each refusal asks the user to fix. */
export const BASE_URL_REFUSALS: Readonly<Record<BaseUrlRefusal, string>> = Object.freeze({
  'is-empty': 'enter the URL',
  'has-user-info': 'remove the user name and password',
  'must-be-https': 'use https (http only for localhost)',
  'has-query': 'remove the ?query',
  'has-fragment': 'remove the #fragment',
  'has-unsupported-form':
    'write it as https://host[:port][/path] with a plain ASCII host name (no spaces, backslashes, IP shorthands, IPv6 other than [::1], or xn-- labels)',
  'instance-unknown': 'choose Cal.com Cloud, Cal.com EU Cloud or Self-Hosted',
});

/**
 * A URL no HTTP client sends anywhere: its scheme is neither http nor https, so axios, fetch and
 * browsers refuse it before opening a connection, and the scheme itself tells the user what to fix
 * (e.g. `calcom-app-url-must-be-https:`), since that is what their "unsupported protocol" error shows.
 */
export function refusedBaseUrl(field: 'app' | 'api' | 'instance', reason: BaseUrlRefusal): string {
  return field === 'instance' ? `calcom-${reason}:` : `calcom-${field}-url-${reason}:`;
}

const isRefusedBaseUrlSource = '^calcom-[a-z-]+:';

/** True for a value produced by {@link refusedBaseUrl}. */
export function isRefusedBaseUrl(url: string): boolean {
  return new RegExp(isRefusedBaseUrlSource).test(url);
}

// A conservative grammar of base URLs whose canonical form can be computed without a URL parser:
// scheme, "//", a lower-cased ASCII host name, a dotted quad without leading zeros or [::1], an
// optional port, and a path of characters the WHATWG parser leaves as they are. Anything else
// (IDN, IPv4 shorthands, "\" read as "/", tabs dropped mid-URL, dot segments, ...) is refused
// rather than guessed at, because a guess could name a different host than the core would.
const LABEL = '[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?';
const NAME_HOST = `(?:${LABEL}\\.)*[a-z](?:[a-z0-9-]*[a-z0-9])?`;
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4_HOST = `${OCTET}(?:\\.${OCTET}){3}`;
const PATH_CHARS = "[A-Za-z0-9._~!$&'()*+,;=:@%/-]";

/** Regex sources of the grammar, exported so tests can show the checker uses exactly these. */
const BASE_URL_GRAMMAR = Object.freeze({
  scheme: '^([a-z][a-z0-9+.-]*):',
  authority: `^(https?)://(${NAME_HOST}|${IPV4_HOST}|\\[::1\\])(?::(\\d{1,5}))?(/${PATH_CHARS}*)?$`,
  dotSegment: '(^|/)(\\.|%2e){1,2}(/|$)',
  idnLabel: '(^|\\.)xn--',
});

/** Default port per allowed scheme, dropped from the canonical form as the WHATWG parser does. */
const DEFAULT_PORTS: Readonly<Record<'http' | 'https', number>> = Object.freeze({ https: 443, http: 80 });

/**
 * JavaScript source of a function `(raw) => string` applying the base URL rules: it returns the
 * canonical URL exactly as `normalizeBaseUrl` would, or {@link refusedBaseUrl} for `field` when
 * the value breaks a rule or falls outside the conservative grammar. The source is ES5, uses no
 * global (only literals and string/regex methods), and contains no `{{`, `}}` or `.constructor`, so it can be embedded in
 * template expression languages.
 */
export function baseUrlCheckerSource(field: 'app' | 'api'): string {
  const refuse = (reason: BaseUrlRefusal) => JSON.stringify(refusedBaseUrl(field, reason));
  // Regex literals, not `new RegExp`: some expression sandboxes expose no globals at all.
  const regex = (source: string, flags = '') => new RegExp(source, flags).toString();
  const loopback = LOOPBACK_HOST_PATTERNS.map((pattern) => `${regex(pattern)}.test(host)`).join(' || ');
  const body = [
    `var text = typeof raw === "string" ? raw.trim() : "";`,
    `if (text === "") return ${refuse('is-empty')};`,
    `var scheme = ${regex(BASE_URL_GRAMMAR.scheme, 'i')}.exec(text);`,
    `var authority = text.replace(${regex('^[^:]*:/*', '')}, "").split(${regex('[/?#\\\\]')})[0];`,
    `if (authority.indexOf("@") !== -1) return ${refuse('has-user-info')};`,
    `var lower = scheme ? scheme[1].toLowerCase() : "";`,
    `if (lower !== "https" && lower !== "http") return ${refuse('must-be-https')};`,
    `var host = authority.replace(${regex(':\\d*$')}, "").toLowerCase();`,
    `if (lower === "http" && !(${loopback})) return ${refuse('must-be-https')};`,
    `if (text.indexOf("?") !== -1) return ${refuse('has-query')};`,
    `if (text.indexOf("#") !== -1) return ${refuse('has-fragment')};`,
    `var parts = ${regex(BASE_URL_GRAMMAR.authority, 'i')}.exec(text);`,
    `if (!parts) return ${refuse('has-unsupported-form')};`,
    `var name = parts[2].toLowerCase();`,
    `var path = parts[4] || "";`,
    `if (${regex(BASE_URL_GRAMMAR.idnLabel)}.test(name) || ${regex(BASE_URL_GRAMMAR.dotSegment, 'i')}.test(path)) return ${refuse('has-unsupported-form')};`,
    `var port = parts[3] === undefined ? "" : "" + +parts[3];`,
    `if (port !== "" && +port > 65535) return ${refuse('has-unsupported-form')};`,
    `if (port === (lower === "https" ? "${DEFAULT_PORTS.https}" : "${DEFAULT_PORTS.http}")) port = "";`,
    `return lower + "://" + name + (port === "" ? "" : ":" + port) + path.replace(${regex('/+$')}, "");`,
  ];
  return `function (raw) { ${body.join(' ')} }`;
}

/** The cloud presets the resolver source picks from (kept here to avoid an import cycle with instances.ts). */
interface PresetBaseUrls {
  cloud: { appUrl: string; apiUrl: string };
  eu: { appUrl: string; apiUrl: string };
}

/**
 * JavaScript source of a function `(kind, appUrl, apiUrl) => [appBase, apiBase]` that resolves an
 * instance the way `resolveInstance` does for a connection's stored fields: a missing or blank kind
 * is the US cloud, the clouds ignore the URL fields, a self-hosted API URL left empty or blank is
 * the app URL. When any field breaks a rule both entries are the same refused URL, so no request
 * reaches any host; the core would refuse the whole instance too. Same embedding guarantees as
 * {@link baseUrlCheckerSource}.
 */
export function instanceResolverSource(presets: PresetBaseUrls): string {
  const pair = (app: string, api: string) => `[${JSON.stringify(app)}, ${JSON.stringify(api)}]`;
  const unknown = JSON.stringify(refusedBaseUrl('instance', 'instance-unknown'));
  const body = [
    `var refused = ${new RegExp(isRefusedBaseUrlSource).toString()};`,
    `var chosen = typeof kind === "string" && kind.trim() !== "" ? kind : "cloud";`,
    `if (chosen === "cloud") return ${pair(presets.cloud.appUrl, presets.cloud.apiUrl)};`,
    `if (chosen === "eu") return ${pair(presets.eu.appUrl, presets.eu.apiUrl)};`,
    `if (chosen !== "self-hosted") return [${unknown}, ${unknown}];`,
    `var app = (${baseUrlCheckerSource('app')})(appUrl);`,
    `if (refused.test(app)) return [app, app];`,
    `var blankApi = typeof apiUrl !== "string" || apiUrl.trim() === "";`,
    `var api = blankApi ? app : (${baseUrlCheckerSource('api')})(apiUrl);`,
    `if (refused.test(api)) return [api, api];`,
    `return [app, api];`,
  ];
  return `function (kind, appUrl, apiUrl) { ${body.join(' ')} }`;
}

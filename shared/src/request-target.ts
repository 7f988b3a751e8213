import { CalcomError } from './errors';
import type { HttpRequest } from './http';
import { isLoopbackHost, type CalcomInstance } from './instances';
import { summarizeForMessage } from './redact';
import type { KnownSecrets } from './request-secrets';

/** The instance's base URLs a request may go to: its API, its web app (legacy token routes), or both. */
export type RequestTargetInstance = Partial<Pick<CalcomInstance, 'appUrl' | 'apiUrl'>>;

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

function isUnder(target: URL, base: URL): boolean {
  if (target.origin !== base.origin) return false;
  const prefix = base.pathname.replace(/\/+$/, '');
  return prefix === '' || target.pathname === prefix || target.pathname.startsWith(`${prefix}/`);
}

/** Host (and port) of a URL, for messages: never its path, query, fragment or user info. */
function hostOf(url: URL, knownSecrets?: KnownSecrets): string {
  return summarizeForMessage(url.host, 120, knownSecrets);
}

/**
 * Refuses, before anything is sent, a request whose URL is not under the configured instance's app
 * or API base URL, or that would travel over plain http to a public host. Adapters call it on every
 * request they are about to send, so that a bug upstream (a URL built from a redirect, a pagination
 * link, a mistyped base) can never hand the bearer token, client secret, code or refresh token to
 * another host.
 *
 * @throws CalcomError `invalid_input` naming only the hosts involved; nothing was sent.
 */
export function assertRequestTarget(
  request: Pick<HttpRequest, 'method' | 'url'>,
  instance: RequestTargetInstance,
  knownSecrets?: readonly (string | undefined)[],
): void {
  const bases = [instance.apiUrl, instance.appUrl]
    .filter((base): base is string => typeof base === 'string' && base !== '')
    .map(parse)
    .filter((base): base is URL => base !== undefined);
  const allowed = [...new Set(bases.map((base) => base.host))].join(' or ') || 'no configured host';
  const target = parse(request.url);
  if (target === undefined) {
    throw new CalcomError('invalid_input', `Refused to send ${request.method} to an address that is not an absolute URL; only ${allowed} may be called. Nothing was sent; this is a bug in the integration.`);
  }
  const secure = target.protocol === 'https:' || (target.protocol === 'http:' && isLoopbackHost(target.hostname));
  const plain = target.username === '' && target.password === '';
  if (secure && plain && bases.some((base) => isUnder(target, base))) return;
  const why = !secure
    ? `it uses ${target.protocol.replace(/:$/, '')}, which would send credentials unencrypted`
    : !plain
      ? 'it carries a user name or password'
      : 'it is not the configured Cal.com instance';
  throw new CalcomError(
    'invalid_input',
    `Refused to send ${request.method} to ${hostOf(target, knownSecrets)}: ${why}; only ${allowed} may be called. Nothing was sent; check the Cal.com instance URL settings.`,
  );
}

/**
 * Where a redirect's `Location` points, for an error message: the host alone (a Location can carry
 * codes or tokens in its query, and user info), "another path on the same host" for a relative one.
 */
export function describeRedirectTarget(location: string | undefined, knownSecrets?: KnownSecrets): string {
  const value = location?.trim() ?? '';
  if (value === '') return 'no address (no Location header)';
  const absolute = parse(value);
  if (absolute !== undefined) {
    if (absolute.host === '') return 'an address without a host';
    const scheme = absolute.protocol === 'https:' ? '' : ` over ${absolute.protocol.replace(/:$/, '')}`;
    return `${hostOf(absolute, knownSecrets)}${scheme}`;
  }
  if (value.startsWith('//')) {
    const protocolRelative = parse(`https:${value}`);
    return protocolRelative === undefined ? 'an unreadable address' : hostOf(protocolRelative, knownSecrets);
  }
  return 'another path on the same host';
}

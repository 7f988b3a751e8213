/**
 * Checks an OAuth client before anyone opens a browser: a code exchange with a code that cannot
 * exist. Cal.com checks the client, its secret and the redirect URI before it looks the code up
 * (the processing order in shared/CALCOM.md §3), so the error it answers says which of them it accepted — and a
 * made-up code consumes nothing. It also shows whether the instance has the 2026 v2 token endpoint.
 */
import {
  OAUTH_CLIENT_SETTINGS_HINT,
  nextTokenSurface,
  buildCodeExchangeRequest,
  classifyResponse,
  isCalcomError,
  readErrorBody,
  type CalcomInstance,
  type HttpExecutor,
  type TokenSurface,
} from '@calcom-oauth/shared';

import type { TokenSurfaceChoice } from './args';
import { FixableError } from './fixes';
import type { Log } from './log';
import { endpointLabel } from './oauth-flow';

/** Never a real code: Cal.com's codes are base64url without dots. */
const PROBE_CODE = 'calcom-oauth-check.not-a-real-code';
/** A syntactically valid PKCE verifier, for public clients on v2 (which require the field). */
const PROBE_VERIFIER = 'calcom-oauth-check-verifier-0000000000000000000000';

export interface ProbeInput {
  instance: CalcomInstance;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  surface: TokenSurfaceChoice;
  execute: HttpExecutor;
  log: Log;
}

export interface ProbeResult {
  /** The surfaces worth trying for the real exchange, in order. */
  surface: TokenSurfaceChoice;
  /** False when the instance has no v2 token endpoint. */
  v2Available: boolean | undefined;
  credentials: 'accepted' | 'unverified';
  redirectUri: 'registered' | 'unverified';
}


/**
 * Runs the probe and logs what it learned.
 *
 * @throws FixableError when Cal.com says the client id/secret or the redirect URI is wrong.
 */
export async function probeClient(input: ProbeInput): Promise<ProbeResult> {
  const { log } = input;
  const order: TokenSurface[] = input.surface === 'legacy' ? ['legacy'] : ['v2', 'legacy'];
  let v2Available: boolean | undefined;
  const unreachable: string[] = [];
  for (const surface of order) {
    if (surface === 'legacy' && input.surface === 'v2') break;
    if (surface === 'legacy' && input.surface === 'auto' && v2Available === true) break;
    const request = buildCodeExchangeRequest({
      surface,
      instance: input.instance,
      clientId: input.clientId,
      code: PROBE_CODE,
      redirectUri: input.redirectUri,
      ...(input.clientSecret === undefined ? { codeVerifier: PROBE_VERIFIER } : { clientSecret: input.clientSecret }),
    });
    let response;
    try {
      response = await input.execute(request);
    } catch (error) {
      const code = isCalcomError(error) && error.code !== undefined ? error.code : 'no answer';
      unreachable.push(`${new URL(request.url).origin} (${code})`);
      log.warn('check', `Client check: ${new URL(request.url).origin}${new URL(request.url).pathname} could not be reached (${code})`);
      if (surface === 'v2') v2Available = false;
      continue;
    }
    if (nextTokenSurface(surface, response) === 'legacy') {
      v2Available = false;
      log.line('check', `Token surface: ${endpointLabel(request.url)} answered HTTP ${response.status}, so this Cal.com has no v2 token endpoint; the legacy one will be used`);
      if (input.surface === 'v2') {
        throw new FixableError(`This Cal.com has no v2 token endpoint (${endpointLabel(request.url)} answered HTTP ${response.status}); run again with --surface legacy or --surface auto.`);
      }
      continue;
    }
    if (surface === 'v2') v2Available = true;
    const info = readErrorBody(response);
    const error = classifyResponse(response, { endpoint: endpointLabel(request.url), tokenEndpoint: true, knownSecrets: [input.clientSecret] });
    const where = `${endpointLabel(request.url)} (${surface})`;
    if (error?.kind === 'redirect_mismatch') {
      throw new FixableError(`The redirect URI ${input.redirectUri} is not registered on this OAuth client: add it exactly in ${OAUTH_CLIENT_SETTINGS_HINT}, or pass the registered loopback URI with --redirect-uri.`);
    }
    if (error?.code === 'invalid_client') {
      throw new FixableError(
        `Cal.com does not accept this client id${input.clientSecret === undefined ? ' without a client secret' : ' and client secret'} (${where} answered invalid_client): copy both again from ${OAUTH_CLIENT_SETTINGS_HINT}${input.clientSecret === undefined ? ', or add --client-secret for a confidential client' : ''}.`,
      );
    }
    const reason = `${info.code ?? ''} ${info.message ?? ''}`.toLowerCase();
    if (error?.code === 'invalid_grant' && /code|grant_invalid|expired/.test(info.message?.toLowerCase() ?? '')) {
      log.ok('check', `Client check: ${where} accepted the client id${input.clientSecret === undefined ? '' : ', secret'} and redirect URI (it refused only the made-up code, as it should)`);
      return { surface: surface === 'v2' && input.surface === 'auto' ? 'auto' : surface, v2Available, credentials: 'accepted', redirectUri: 'registered' };
    }
    if (error?.code === 'invalid_grant') {
      // The legacy route sends no description: a redirect mismatch and a bad code look alike there.
      log.line('check', `Client check: ${where} answered invalid_grant without a reason; the consent step will tell whether the redirect URI is registered`);
      return { surface: surface === 'v2' && input.surface === 'auto' ? 'auto' : surface, v2Available, credentials: 'unverified', redirectUri: 'unverified' };
    }
    log.line('check', `Client check: ${where} answered HTTP ${response.status}${reason.trim() === '' ? '' : ` (${log.scrub(reason.trim())})`}, which does not say whether the client is right; going on`);
    return { surface: surface === 'v2' && input.surface === 'auto' ? 'auto' : surface, v2Available, credentials: 'unverified', redirectUri: 'unverified' };
  }
  if (unreachable.length > 0 && unreachable.length === order.length) {
    throw new FixableError(
      `Could not reach Cal.com at ${[...new Set(unreachable)].join(' or ')}: check the --instance${input.instance.kind === 'self-hosted' ? ' and --api-url values' : ' value'} and this machine's network connection.`,
    );
  }
  return { surface: v2Available === false ? 'legacy' : input.surface, v2Available, credentials: 'unverified', redirectUri: 'unverified' };
}

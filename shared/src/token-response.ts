import { isRecord, parseJsonBody } from './body';
import { classifyResponse } from './classify';
import { CalcomError } from './errors';
import type { HttpResponse } from './http';
import { issuedTokens } from './issued-tokens';
import { decodeJwtPayload, jwtExpiresAt } from './jwt';
import { withKnownSecrets, type KnownSecrets } from './request-secrets';
import { normalizeReportedScopes } from './scopes';
import type { TokenSurface } from './tokens';

/** Tokens of one connection, in the shape adapters store. */
export interface TokenSet {
  accessToken: string;
  /** The newest refresh token; the previous one when Cal.com sent none (before Nov 2025). */
  refreshToken?: string;
  /** Always `bearer` with Cal.com. */
  tokenType: string;
  /** When the access token expires, epoch milliseconds; from `expires_in`, else the JWT `exp`. */
  expiresAt?: number;
  /** Granted scopes, normalised (legacy names mapped to current ones); empty when unknown or none. */
  scopes: string[];
  /** The surface that issued the tokens, when the caller said so. */
  surface?: TokenSurface;
}

/** Options of {@link processTokenResponse}. */
export interface ProcessTokenOptions {
  /** Kept when the response carries no refresh token (refresh answers before Nov 2025). */
  previousRefreshToken?: string;
  /** Clock for `expires_in`, epoch ms; defaults to `Date.now()`. */
  now?: number;
  /** Recorded on the result. */
  surface?: TokenSurface;
  /** For messages: "the code exchange", "the token refresh". */
  endpoint?: string;
  /**
   * Values no message may contain: the secrets of the token request ({@link requestSecrets}: client
   * secret, code, verifier, refresh token), which Cal.com's error text may repeat.
   */
  knownSecrets?: KnownSecrets;
}

function pickString(record: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = record[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** Cal.com's access tokens live 30 minutes; a lifetime past a year is a misread number, not a token policy. */
export const MAX_ACCESS_TOKEN_LIFETIME_SECONDS = 366 * 24 * 60 * 60;

/** Below this an epoch is in seconds: 1e11 s is the year 5138, 1e11 ms is 1973. */
const EPOCH_MILLISECONDS_FROM = 1e11;

/**
 * A non-negative number as Cal.com may send it (a JSON number or decimal text), or undefined. An
 * unusable one is ignored rather than refused: the tokens beside it are good, and after a code
 * exchange refusing them would lose the connection (the code is spent).
 */
function pickNumber(record: Record<string, unknown>, ...names: string[]): number | undefined {
  for (const name of names) {
    const value = record[name];
    const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : undefined;
    if (number !== undefined && Number.isFinite(number) && number >= 0) return number;
  }
  return undefined;
}

/**
 * The expiry as epoch ms when it is one a token can have: not before 1970 and at most
 * {@link MAX_ACCESS_TOKEN_LIFETIME_SECONDS} ahead (which also keeps it a valid `Date`).
 */
function plausibleExpiry(epochMs: number | undefined, now: number): number | undefined {
  if (epochMs === undefined || !Number.isFinite(epochMs) || epochMs <= 0) return undefined;
  return epochMs <= now + MAX_ACCESS_TOKEN_LIFETIME_SECONDS * 1000 ? Math.round(epochMs) : undefined;
}

/**
 * When the access token expires: `expires_in` (seconds), else `accessTokenExpiresAt` (an epoch,
 * milliseconds or seconds), else the JWT `exp` (seconds). A source out of range gives way to the next;
 * none left means unknown, and the API's 401/403 then triggers the refresh.
 */
function readExpiry(body: Record<string, unknown>, accessToken: string, now: number): number | undefined {
  const expiresIn = pickNumber(body, 'expires_in', 'expiresIn');
  const fromExpiresIn = expiresIn === undefined || expiresIn > MAX_ACCESS_TOKEN_LIFETIME_SECONDS ? undefined : plausibleExpiry(now + expiresIn * 1000, now);
  if (fromExpiresIn !== undefined) return fromExpiresIn;
  const epoch = pickNumber(body, 'accessTokenExpiresAt');
  const fromEpoch = plausibleExpiry(epoch !== undefined && epoch < EPOCH_MILLISECONDS_FROM ? epoch * 1000 : epoch, now);
  return fromEpoch ?? plausibleExpiry(jwtExpiresAt(accessToken), now);
}

function scopeValue(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((scope): scope is string => typeof scope === 'string');
  return undefined;
}

/**
 * Validates a token endpoint answer and returns the {@link TokenSet}.
 *
 * Accepts every shape Cal.com has sent: flat or wrapped in `{status, data}`, snake_case or camelCase,
 * with or without `expires_in`, `token_type`, `refresh_token` and `scope` (string or array). Without
 * `expires_in` the expiry comes from the access token's JWT `exp`; without `scope`, from its
 * `scope` claim. Expiry numbers out of range are ignored (see {@link MAX_ACCESS_TOKEN_LIFETIME_SECONDS}),
 * so `expiresAt` is always a valid `Date` value.
 *
 * @throws CalcomError the classified error for non-2xx answers (`reconnect_required` for
 * invalid_grant…), `malformed_response` when no access token can be found.
 */
export function processTokenResponse(response: HttpResponse, options: ProcessTokenOptions = {}): TokenSet {
  const knownSecrets = [...(options.knownSecrets ?? []), options.previousRefreshToken, ...issuedTokens(response.body)];
  return withKnownSecrets(knownSecrets, () => readTokenResponse(response, options, knownSecrets));
}

function readTokenResponse(response: HttpResponse, options: ProcessTokenOptions, knownSecrets: KnownSecrets): TokenSet {
  const endpoint = options.endpoint ?? 'the token request';
  const failure = classifyResponse(response, { endpoint, tokenEndpoint: true, knownSecrets });
  if (failure !== undefined) throw failure;
  const parsed = parseJsonBody(response, endpoint, knownSecrets);
  if (!isRecord(parsed)) throw new CalcomError('malformed_response', `Cal.com's answer to ${endpoint} is not a JSON object.`, { status: response.status });
  const wrapped = isRecord(parsed.data) && pickString(parsed, 'access_token', 'accessToken') === undefined;
  const body = wrapped ? (parsed.data as Record<string, unknown>) : parsed;
  if (typeof parsed.status === 'string' && parsed.status.toLowerCase() === 'error') {
    throw new CalcomError('malformed_response', `Cal.com answered ${endpoint} with HTTP ${response.status} but an error body; try again.`, { status: response.status });
  }

  const accessToken = pickString(body, 'access_token', 'accessToken');
  if (accessToken === undefined) {
    throw new CalcomError('malformed_response', `Cal.com's answer to ${endpoint} has no access token; connect the account again, and report it if it persists.`, {
      status: response.status,
    });
  }
  const tokenType = (pickString(body, 'token_type', 'tokenType') ?? 'bearer').toLowerCase();
  if (tokenType !== 'bearer') {
    throw new CalcomError('malformed_response', `Cal.com issued a "${tokenType}" token, but only bearer tokens are supported.`, { status: response.status });
  }
  const now = options.now ?? Date.now();
  const expiresAt = readExpiry(body, accessToken, now);

  const scopes = normalizeReportedScopes(scopeValue(body.scope ?? body.scopes) ?? scopeValue(decodeJwtPayload(accessToken)?.scope));

  const refreshToken = pickString(body, 'refresh_token', 'refreshToken') ?? (options.previousRefreshToken === '' ? undefined : options.previousRefreshToken);
  return {
    accessToken,
    ...(refreshToken === undefined ? {} : { refreshToken }),
    tokenType,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    scopes,
    ...(options.surface === undefined ? {} : { surface: options.surface }),
  };
}

/**
 * True when the access token is expired or expires within `marginSeconds` (default 5 minutes), so it
 * should be refreshed before the next call. Unknown expiry counts as fresh: the API's 401/403 then
 * triggers the refresh.
 */
export function accessTokenNeedsRefresh(tokens: Pick<TokenSet, 'expiresAt'>, now: number = Date.now(), marginSeconds = 300): boolean {
  return tokens.expiresAt !== undefined && tokens.expiresAt - marginSeconds * 1000 <= now;
}

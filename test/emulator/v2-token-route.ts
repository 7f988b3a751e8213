import { header, jsonResponse, NO_STORE, type EmuRequest, type EmuResponse } from './http';
import { OAuthFailure, REASON_TEXT, type MintedTokens, type OAuthService } from './oauth-service';
import type { EmulatorState } from './state';
import { v2Error } from './v2-errors';

/** `forbidNonWhitelisted` field sets of the v2 token endpoint (shared/CALCOM.md §4). */
const ALLOWED_FIELDS = {
  authorization_code: {
    confidential: ['client_id', 'grant_type', 'code', 'redirect_uri', 'client_secret'],
    public: ['client_id', 'grant_type', 'code', 'redirect_uri', 'code_verifier'],
  },
  refresh_token: {
    confidential: ['client_id', 'grant_type', 'refresh_token', 'client_secret'],
    public: ['client_id', 'grant_type', 'refresh_token'],
  },
} as const;

function readBody(req: EmuRequest): Record<string, unknown> | null {
  const type = (header(req, 'content-type') ?? '').toLowerCase();
  if (type.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(req.rawBody);
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(req.rawBody));
  return null;
}

function errorResponse(state: EmulatorState, req: EmuRequest, status: number, error: string, reason: string, humanText: string): EmuResponse {
  if (state.settings.v2ErrorStyle === 'wrapped') {
    return v2Error(state, req, status, 'HttpException', humanText, { error, error_description: humanText }, NO_STORE);
  }
  return jsonResponse(status, { error, error_description: reason }, NO_STORE);
}

/** `POST /v2/auth/oauth2/token` (2026): JSON or form, strict field whitelist, flat body. */
export function v2TokenRoute(state: EmulatorState, oauth: OAuthService, req: EmuRequest): EmuResponse | null {
  if (!state.behaviour.v2TokenEndpoint) return null;
  const body = readBody(req);
  const bad = (text: string): EmuResponse => errorResponse(state, req, 400, 'invalid_request', text, text);
  if (!body) return bad('Request body is required');
  if (typeof body.client_id !== 'string' || body.client_id.length === 0) return bad('client_id is required');
  const grant = body.grant_type;
  if (grant !== 'authorization_code' && grant !== 'refresh_token') {
    return bad("grant_type must be 'authorization_code' or 'refresh_token'");
  }
  const kind = 'client_secret' in body ? 'confidential' : 'public';
  const allowed: readonly string[] = ALLOWED_FIELDS[grant][kind];
  const problems: string[] = [];
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) problems.push(`property ${key} should not exist`);
  }
  for (const key of allowed) {
    const value = body[key];
    if (typeof value !== 'string' || value.length === 0) problems.push(`${key} should not be empty`, `${key} must be a string`);
  }
  if (problems.length > 0) return bad(problems.join(','));

  const str = (key: string): string | undefined => (typeof body[key] === 'string' ? (body[key] as string) : undefined);
  let tokens: MintedTokens;
  try {
    tokens = grant === 'authorization_code'
      ? oauth.exchangeCode({
        grantType: grant, clientId: str('client_id'), code: str('code'), redirectUri: str('redirect_uri'),
        clientSecret: str('client_secret'), codeVerifier: str('code_verifier'),
      })
      : oauth.refresh({ grantType: grant, clientId: str('client_id'), clientSecret: str('client_secret'), refreshToken: str('refresh_token') });
  } catch (err) {
    if (err instanceof OAuthFailure) {
      return errorResponse(state, req, err.status, err.error, err.reason, REASON_TEXT[err.reason] ?? err.reason);
    }
    return errorResponse(state, req, 500, 'server_error', 'An unexpected error occurred', 'An unexpected error occurred');
  }
  return jsonResponse(200, {
    access_token: tokens.accessToken, token_type: 'bearer', refresh_token: tokens.refreshToken, expires_in: tokens.expiresIn,
  }, NO_STORE);
}

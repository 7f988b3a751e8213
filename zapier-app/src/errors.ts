import type { Bundle, ZObject } from 'zapier-platform-core';
import { CalcomError, adviseOnMissingScope, classifyNetworkError, redactSecrets, scrubError, type KnownSecrets } from '@calcom-oauth/shared';
import { ENV, readScopes } from './config';
import { CONNECTION_FIELD } from './connection';

/** Where an error happened: it decides between "reconnect" and "fix the setup" for the same kind. */
type ErrorStage = 'connect' | 'refresh' | 'run';

/**
 * The values of this connection no message may contain, whatever they look like: its tokens, the
 * authorization code being exchanged, a self-hosted connection's own client secret (typed on the
 * connect form, then stored) and the deployment's client secrets (read raw, so a setting the app
 * refuses is still kept out of messages).
 */
export function connectionSecrets(bundle: Partial<Pick<Bundle, 'authData' | 'inputData'>> | undefined): string[] {
  const authData = (bundle?.authData ?? {}) as Record<string, unknown>;
  const inputData = (bundle?.inputData ?? {}) as Record<string, unknown>;
  const ownSecrets = [authData[CONNECTION_FIELD.clientSecret], inputData[CONNECTION_FIELD.clientSecret]];
  const deploymentSecrets = [ENV.clientSecret, ENV.clientSecretEu].map((name) => process.env[name]);
  const values = [authData.access_token, authData.refresh_token, inputData.code, ...ownSecrets, ...deploymentSecrets];
  return [...new Set(values.flatMap((value) => (typeof value === 'string' ? [value, value.trim()] : [])))].filter((value) => value.trim() !== '');
}

/** Errors core and Zapier's runtime act on by name; they pass through without translation (only scrubbed). */
const ZAPIER_CONTROL_ERRORS = new Set(['RefreshAuthError', 'ExpiredAuthError', 'ThrottledError', 'HaltedError', 'CheckError']);

function zapierControlError(error: unknown, depth = 0): Error | undefined {
  if (!(error instanceof Error) || depth > 3) return undefined;
  if (ZAPIER_CONTROL_ERRORS.has(error.name)) return error;
  return zapierControlError((error as { cause?: unknown }).cause, depth + 1);
}

/**
 * Maps a {@link CalcomError} onto the error Zapier acts on:
 * - `token_expired` → RefreshAuthError (Zapier refreshes, then retries the step);
 * - `reconnect_required` after connecting → ExpiredAuthError (Zapier marks the connection stale and
 *   emails the user to reconnect);
 * - `insufficient_scope` → see {@link toScopeError};
 * - `rate_limited` → ThrottledError with Cal.com's wait;
 * - `input_rejected` → a plain error with the core's message naming the field: the user changes the
 *   value, so neither a retry nor a reconnect is asked for;
 * - everything else → a plain app error carrying Cal.com's kind as code and the HTTP status.
 * While connecting, every failure is a plain error: the user is watching and the message says what to do.
 */
export function toZapierError(z: ZObject, error: CalcomError, stage: ErrorStage, knownSecrets: KnownSecrets = []): Error {
  const message = redactSecrets(error.message, knownSecrets);
  switch (error.kind) {
    case 'token_expired':
      if (stage === 'run') return new z.errors.RefreshAuthError(message);
      return new z.errors.Error(message, error.kind, error.status);
    case 'rate_limited':
      return new z.errors.ThrottledError(message, error.retryAfterSeconds);
    case 'insufficient_scope':
      return toScopeError(z, error, stage, knownSecrets);
    case 'reconnect_required':
      if (stage === 'connect') return new z.errors.Error(message, error.kind, error.status);
      return new z.errors.ExpiredAuthError(message);
    case 'input_rejected':
      return new z.errors.Error(message, error.kind, error.status);
    default:
      return new z.errors.Error(message, error.kind, error.status);
  }
}

/** The scopes this deployment asks for; none when CALCOM_SCOPES is itself broken (its own error says so). */
function requestedScopes(): string[] {
  try {
    return readScopes();
  } catch {
    return [];
  }
}

/**
 * A missing scope says who must act. Only when a reconnect fixes it (the app asks for the scope) and
 * the connection serves nothing without it (bookings, profile) is it ExpiredAuthError, which makes
 * Zapier hold the Zaps and email the user to reconnect. Otherwise it is a plain error: a scope only a
 * dropdown needs leaves the triggers working, and when the app never asks for the scope a reconnect
 * cannot help, so marking the connection expired would send the user on a useless errand.
 */
function toScopeError(z: ZObject, error: CalcomError, stage: ErrorStage, knownSecrets: KnownSecrets): Error {
  const advice = adviseOnMissingScope(error, { requestedScopes: requestedScopes(), scopeSetting: `the app's ${ENV.scopes} setting` });
  const message = redactSecrets(advice.message, knownSecrets);
  if (stage !== 'connect' && advice.fix === 'reconnect' && advice.essential) return new z.errors.ExpiredAuthError(message);
  return new z.errors.Error(message, error.kind, error.status);
}

/**
 * Rethrows any failure of an operation as something Zapier understands: its own control errors
 * (possibly wrapped by the shared core as a cause) unchanged, Cal.com errors mapped by
 * {@link toZapierError}, network failures as a clear "could not reach" error, anything else as is.
 * Whatever leaves is scrubbed of the connection's secrets ({@link connectionSecrets} of `bundle`).
 */
function rethrowForZapier(z: ZObject, error: unknown, stage: ErrorStage, bundle?: Partial<Pick<Bundle, 'authData' | 'inputData'>>): never {
  const knownSecrets = connectionSecrets(bundle);
  const control = zapierControlError(error);
  if (control !== undefined) throw scrubError(control, knownSecrets);
  if (error instanceof CalcomError) throw toZapierError(z, error, stage, knownSecrets);
  const network = classifyNetworkError(error, { knownSecrets });
  // A recognised network failure gets a clear message; anything else is a bug and keeps its stack.
  if (network.code !== undefined) throw toZapierError(z, network, stage, knownSecrets);
  throw scrubError(error, knownSecrets);
}

/** Runs `operation`, translating its failures with {@link rethrowForZapier} and the secrets of `bundle`. */
export async function withZapierErrors<T>(
  z: ZObject,
  stage: ErrorStage,
  operation: () => Promise<T>,
  bundle?: Partial<Pick<Bundle, 'authData' | 'inputData'>>,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    return rethrowForZapier(z, error, stage, bundle);
  }
}

/**
 * Turns whatever stopped a run into the one sentence printed last: what to change in Cal.com's
 * settings or in the command. The shared core's messages are already written as such sentences;
 * this file adds the command-line view where the core cannot know it (which flag to change).
 */
import { OAUTH_CLIENT_SETTINGS_HINT, isCalcomError } from '@calcom-oauth/shared';

import { UsageError } from './args';

/** A failure whose message is already the sentence to print. */
export class FixableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixableError';
  }
}


/** Exit code for a failure: 2 for a command-line mistake, 1 for everything else. */
export function exitCodeFor(error: unknown): number {
  return error instanceof UsageError ? 2 : 1;
}

/** The one sentence that tells the user what to fix. */
export function fixSentence(error: unknown): string {
  if (error instanceof UsageError || error instanceof FixableError) return error.message;
  if (isCalcomError(error)) {
    switch (error.kind) {
      case 'insufficient_scope': {
        const scopes = error.requiredScopes ?? [];
        if (scopes.length === 0) return error.message;
        return `The connection lacks ${scopes.join(', ')}: register ${scopes.length > 1 ? 'them' : 'it'} on the OAuth client in ${OAUTH_CLIENT_SETTINGS_HINT} and run again with --scopes including ${scopes.join(',')}.`;
      }
      case 'invalid_input':
        if (/scope/i.test(error.message)) return `${error.message.replace(/\.$/, '')}; fix --scopes.`;
        if (/instance|URL/i.test(error.message)) return `${error.message.replace(/\.$/, '')}; fix --instance or --api-url.`;
        return error.message;
      case 'rate_limited':
        return `Cal.com's rate limit was reached; wait ${error.retryAfterSeconds ?? 60} seconds and run again.`;
      default:
        return error.message;
    }
  }
  if (error instanceof Error) return `Unexpected failure: ${error.message.replace(/\.$/, '')}.`;
  return `Unexpected failure: ${String(error)}.`;
}

/**
 * What each trigger needs from the grant, from the polling engine's own event definitions.
 * PROVISIONAL until the engine lands in shared/.
 */
import { missingScopes } from '@calcom-oauth/shared';

export interface CoverageLine {
  covered: boolean;
  text: string;
  fix: string;
}

export function describeTriggerCoverage(granted: readonly string[]): CoverageLine[] {
  const needed = ['BOOKING_READ'];
  const missing = missingScopes(granted, needed);
  return [{ covered: granted.length === 0 || missing.length === 0, text: `Booking triggers need ${needed.join(', ')}`, fix: `add ${missing.join(', ')}` }];
}

/**
 * The failures the action soak injects before an action, each armed on the emulator so that it hits
 * that action's write (POST) and nothing else, and the share of actions each one gets.
 */
import type { ActiveFault, Emulator } from '../emulator';
import type { Rng } from '../emulator/rng';

export type InjectedFailure =
  | 'none'
  | 'timeout-after-commit'
  | 'reset-after-commit'
  | 'status-after-commit'
  | '5xx before commit'
  | '429'
  | 'token expiry'
  /** The write commits and its answer is lost, and the look that follows fails too: only a later replay can tell. */
  | 'answer lost, look fails';

/** Weights out of 100; the rest of the actions run clean. */
const WEIGHTS: ReadonlyArray<readonly [InjectedFailure, number]> = [
  ['timeout-after-commit', 7],
  ['reset-after-commit', 7],
  ['status-after-commit', 7],
  ['5xx before commit', 7],
  ['429', 7],
  ['token expiry', 7],
  ['answer lost, look fails', 4],
];

export function pickFailure(rng: Rng): InjectedFailure {
  let roll = rng.int(0, 99);
  for (const [failure, weight] of WEIGHTS) {
    if (roll < weight) return failure;
    roll -= weight;
  }
  return 'none';
}

const WRITE = { match: '/v2/bookings', method: 'POST', origin: 'api' } as const;

/** Arms `failure` for the next write; returns the armed faults (removed after the action when unused). */
export function arm(emulator: Emulator, failure: InjectedFailure, accessTokenTtlSeconds: number): ActiveFault[] {
  switch (failure) {
    case 'none':
      return [];
    case 'timeout-after-commit':
    case 'reset-after-commit':
      return [emulator.faults.inject({ kind: failure, ...WRITE })];
    case 'status-after-commit':
      return [emulator.faults.inject({ kind: failure, status: 502, ...WRITE })];
    case '5xx before commit':
      return [emulator.faults.inject({ kind: 'status', status: 503, ...WRITE })];
    case '429':
      return [emulator.faults.inject({ kind: 'status', status: 429, ...WRITE })];
    case 'token expiry':
      // Both platforms' access tokens expire; the next request is refused by Cal.com's guard.
      emulator.clock.advance(accessTokenTtlSeconds + 1);
      return [];
    case 'answer lost, look fails':
      return [
        emulator.faults.inject({ kind: 'status-after-commit', status: 502, ...WRITE }),
        emulator.faults.inject({ kind: 'status', status: 503, match: '/v2/bookings', method: 'GET', origin: 'api' }),
      ];
  }
}

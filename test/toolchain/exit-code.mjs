import { constants } from 'node:os';

/**
 * The exit code that reports how a child ended: its own code, or 128 + the number of the signal
 * that killed it (130 for SIGINT, 143 for SIGTERM), as shells report it.
 */
export function exitCodeOf(code, signal) {
  if (code !== null && code !== undefined) return code;
  const number = signal ? constants.signals[signal] : undefined;
  return number === undefined ? 1 : 128 + number;
}

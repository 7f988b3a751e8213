import { CalcomError } from '../../src/errors';

/** Runs `fn`, which must throw a {@link CalcomError}, and returns that error for closer checks. */
export function calcomErrorFrom(fn: () => unknown): CalcomError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CalcomError) return error;
    throw error;
  }
  throw new Error('expected a CalcomError');
}

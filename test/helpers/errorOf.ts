// The CanopyError a synchronous call throws, for assertions on its code, path and message.
import { expect } from 'vitest';
import { CanopyError } from '../../src/errors.ts';

/** Calls `f` and returns the CanopyError it throws; fails the test when it throws something else or nothing. */
export function errorOf(f: () => unknown): CanopyError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CanopyError);
    return e as CanopyError;
  }
  throw new Error('expected a CanopyError');
}

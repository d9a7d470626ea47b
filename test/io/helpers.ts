// Helpers for the safetensors tests: raw files built by hand, so hostile layouts are easy to write.

import * as E from 'fp-ts/Either';
import { expect } from 'vitest';
import type { CanopyError } from '../../src/errors.ts';

/** A file from header text and data bytes, with the true header length unless `claim` is given. */
export function rawFile(header: string, data: Uint8Array | number[] = [], claim?: bigint): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, claim ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data instanceof Uint8Array ? data : Uint8Array.from(data), 8 + json.length);
  return out;
}

/** The Left of an Either (fails the test on a Right). */
export function leftOf<A>(e: E.Either<CanopyError, A>): CanopyError {
  if (E.isRight(e)) expect.fail(`expected a Left, got a Right`);
  return (e as E.Left<CanopyError>).left;
}

/** The Right of an Either (fails the test with the error's message on a Left). */
export function rightOf<A>(e: E.Either<CanopyError, A>): A {
  if (E.isLeft(e)) expect.fail(`expected a Right, got ${e.left.message}`);
  return (e as E.Right<A>).right;
}

/** Bitwise equality of two typed arrays (NaN equals NaN, -0 differs from 0). */
export function sameBits(a: Float32Array | Int32Array, b: Float32Array | Int32Array): boolean {
  if (a.length !== b.length || a.constructor !== b.constructor) return false;
  const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return ua.every((v, i) => v === ub[i]);
}

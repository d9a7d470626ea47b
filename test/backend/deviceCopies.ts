// The bytes a resident gpu.js backend keeps for a host tensor's device copy (deviceStats'
// cachedBytes): its values padded to a multiple of 4 (copies are packed, 4 values per thread);
// where the mode reads by quads (WebGL2, the cpu mode), a conv weight of up to 3×3 taps is kept
// with each (output, input) channel pair's taps padded to a multiple of 4 instead.

/** Bytes of the device copy of a tensor of `shape`, a conv weight when `convWeight`. */
export function deviceCopyBytes(shape: readonly number[], convWeight: boolean, quadReads: boolean): number {
  const size = shape.reduce((n, d) => n * d, 1);
  if (convWeight && quadReads && shape.length === 4 && shape[2]! * shape[3]! > 1 && shape[2]! * shape[3]! <= 9) {
    return shape[0]! * shape[1]! * 4 * Math.ceil((shape[2]! * shape[3]!) / 4) * 4;
  }
  return 4 * Math.ceil(size / 4) * 4;
}

// From the landmark net's output to points, as face-api's `FaceLandmark68NetBase.postProcess` and
// `FaceLandmarks`: the net sees the crop centred in a padded square; its outputs (relative to that
// square) are mapped back to the crop, then shifted by the detection box.
import { CanopyError } from '../../errors.ts';

// --- model

/** A point `[x, y]` in pixels. */
export type Point = readonly [number, number];

// --- destructors

/**
 * The 68 points in image pixels from one row of the net's output (136 values, x then y), for a
 * crop of `crop.width × crop.height` pixels whose top-left corner is `shift` in the image
 * (face-api shifts by the detection box, unrounded, while it crops the floored box).
 *
 * @example
 * ```ts
 * import { landmarksFromOutput } from 'canopy-nn';
 * landmarksFromOutput(new Float32Array(136).fill(0.5), { width: 10, height: 20 }, [100, 50])[0]; // [105, 60]
 * ```
 */
export function landmarksFromOutput(
  out: ArrayLike<number>,
  crop: { readonly width: number; readonly height: number },
  shift: Point,
  inputSize = 112,
): Point[] {
  if (out.length !== 136) throw new CanopyError('shape', `landmarksFromOutput: output must hold 136 values (68 points), got ${out.length}`);
  const scale = inputSize / Math.max(crop.width, crop.height);
  const w = crop.width * scale;
  const h = crop.height * scale;
  const padX = w < h ? Math.abs(w - h) / 2 : 0;
  const padY = h < w ? Math.abs(w - h) / 2 : 0;
  const points: Point[] = [];
  for (let i = 0; i < 68; i++) {
    const rx = (out[2 * i]! * inputSize - padX) / w;
    const ry = (out[2 * i + 1]! * inputSize - padY) / h;
    points.push([rx * crop.width + shift[0], ry * crop.height + shift[1]]);
  }
  return points;
}

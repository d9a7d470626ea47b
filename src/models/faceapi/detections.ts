// From the detector's raw output to boxes, as face-api's `TinyYolov2Base.extractBoxes` and
// `nonMaxSuppression`: per cell and anchor, score = σ(t_s), centre = (cell + σ(t_x, t_y)) / cells,
// size = exp(t_w, t_h) · anchor / cells, corrected for the padding of a non-square image; then
// greedy non-max suppression by IoU. All in float64 on plain numbers, as upstream.
import { CanopyError } from '../../errors.ts';
import { showShape, type Tensor } from '../../tensor/Tensor.ts';
import type { Box } from './image.ts';

// --- model

/** A detection: a box (relative 0–1 units, or pixels) and its score. */
export interface Detection {
  readonly box: Box;
  readonly score: number;
}

/** Options of {@link decodeDetections}. */
export interface DecodeDetectionsOptions {
  /** Anchor sizes in cells, `[w, h]` each. */
  readonly anchors: readonly (readonly [number, number])[];
  /** Keep scores strictly above it (face-api's default 0.5). */
  readonly scoreThreshold: number;
  /** Width and height of the image once scaled into the square net input (before padding), in pixels. */
  readonly reshaped: { readonly width: number; readonly height: number };
}

// --- utils

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Intersection over union of two boxes (face-api's `iou(a, b, true)`).
 *
 * @example
 * ```ts
 * import { iou } from 'canopy-nn';
 * iou({ x: 0, y: 0, width: 2, height: 2 }, { x: 1, y: 0, width: 2, height: 2 }); // 0.3333333333333333 (overlap 2 / union 6)
 * ```
 */
export function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

// --- destructors

/**
 * Candidate boxes (relative to the image: 0–1 on each axis) with scores above the threshold, from
 * a raw `[1, anchors·5, G, G]` output, in face-api's order (row, column, anchor).
 *
 * @example
 * ```ts
 * import { decodeDetections, zeros } from 'canopy-nn';
 * decodeDetections(zeros([1, 5, 1, 1]), { anchors: [[1, 1]], scoreThreshold: 0.4, reshaped: { width: 32, height: 32 } });
 * // [{ box: { x: 0, y: 0, width: 1, height: 1 }, score: 0.5 }]
 * ```
 */
export function decodeDetections(raw: Tensor, options: DecodeDetectionsOptions): Detection[] {
  const { anchors, scoreThreshold, reshaped } = options;
  const [n, c, g, g2] = raw.shape;
  if (raw.shape.length !== 4 || n !== 1 || c !== anchors.length * 5 || g !== g2) {
    throw new CanopyError('shape', `decodeDetections: raw output must be [1, ${anchors.length * 5}, G, G], got ${showShape(raw.shape)}`);
  }
  const cells = g!;
  const size = Math.max(reshaped.width, reshaped.height);
  const fx = size / reshaped.width;
  const fy = size / reshaped.height;
  const at = (ch: number, row: number, col: number): number => raw.data[(ch * cells + row) * cells + col]!;
  const out: Detection[] = [];
  for (let row = 0; row < cells; row++) {
    for (let col = 0; col < cells; col++) {
      anchors.forEach(([aw, ah], a) => {
        const score = sigmoid(at(a * 5 + 4, row, col));
        if (!(score > scoreThreshold)) return;
        const cx = ((col + sigmoid(at(a * 5, row, col))) / cells) * fx;
        const cy = ((row + sigmoid(at(a * 5 + 1, row, col))) / cells) * fy;
        const width = ((Math.exp(at(a * 5 + 2, row, col)) * aw) / cells) * fx;
        const height = ((Math.exp(at(a * 5 + 3, row, col)) * ah) / cells) * fy;
        out.push({ box: { x: cx - width / 2, y: cy - height / 2, width, height }, score });
      });
    }
  }
  return out;
}

/**
 * Indices of the boxes kept by greedy non-max suppression, best score first: take the best, drop
 * every remaining box whose IoU with it is above `iouThreshold`, repeat (face-api's algorithm,
 * ties broken as its stable sort does).
 *
 * @example
 * ```ts
 * import { nonMaxSuppression } from 'canopy-nn';
 * const b = { x: 0, y: 0, width: 1, height: 1 };
 * nonMaxSuppression([b, b, { ...b, x: 5 }], [0.9, 0.8, 0.7], 0.4); // [0, 2]
 * ```
 */
export function nonMaxSuppression(boxes: readonly Box[], scores: readonly number[], iouThreshold: number): number[] {
  let order = scores.map((score, i) => ({ score, i })).sort((p, q) => p.score - q.score).map((p) => p.i);
  const pick: number[] = [];
  while (order.length > 0) {
    const best = order.pop()!;
    pick.push(best);
    order = order.filter((i) => iou(boxes[best]!, boxes[i]!) <= iouThreshold);
  }
  return pick;
}

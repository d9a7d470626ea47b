// Losses: one-element float32 tensors computed with the backend they are given, so the tape of
// `valueAndGrad` records them. All are means over the batch, as PyTorch's default `reduction`.
import type { Backend } from '../backend/Backend.ts';
import { CanopyError } from '../errors.ts';
import { logSoftmax } from '../ops/softmax.ts';
import { full } from '../tensor/create.ts';
import { makeTensor, showShape, type Tensor } from '../tensor/Tensor.ts';

// --- utils

const allAxes = (t: Tensor): number[] => t.shape.map((_, i) => i);

async function meanAll(b: Backend, t: Tensor): Promise<Tensor> {
  return b.binary('div', await b.reduce('sum', t, allAxes(t), false), full([], Math.max(1, t.size)));
}

function sameShape(op: string, a: Tensor, bb: Tensor): void {
  if (a.shape.length !== bb.shape.length || a.shape.some((d, i) => d !== bb.shape[i])) {
    throw new CanopyError('shape', `${op}: prediction and target must have the same shape, got ${showShape(a.shape)} and ${showShape(bb.shape)}`);
  }
}

// --- losses

/**
 * Mean squared error, `mean((prediction - target)²)` (`F.mse_loss`).
 *
 * @example
 * ```ts
 * import { mseLoss, fromArray, referenceBackend as b } from 'canopy-nn';
 * (await mseLoss(b, fromArray([1, 2]), fromArray([1, 4]))).data[0]; // 2
 * ```
 */
export async function mseLoss(b: Backend, prediction: Tensor, target: Tensor): Promise<Tensor> {
  sameShape('mseLoss', prediction, target);
  const d = await b.binary('sub', prediction, target);
  return meanAll(b, await b.binary('mul', d, d));
}

/**
 * Cross-entropy of logits `[N, C]` against int32 class labels `[N]` (`F.cross_entropy`), through
 * a log-softmax that subtracts the row maximum first (stable for large logits).
 *
 * @example
 * ```ts
 * import { crossEntropyLoss, fromArray, referenceBackend as b } from 'canopy-nn';
 * (await crossEntropyLoss(b, fromArray([[0, 0]]), fromArray([1], 'int32'))).data[0]; // 0.6931471824645996
 * ```
 */
export async function crossEntropyLoss(b: Backend, logits: Tensor, labels: Tensor): Promise<Tensor> {
  const [n, classes] = logits.shape;
  if (logits.shape.length !== 2 || labels.shape.length !== 1 || labels.shape[0] !== n || labels.dtype !== 'int32') {
    throw new CanopyError('shape', `crossEntropyLoss: needs logits [N, C] and int32 labels [N], got ${showShape(logits.shape)} and ${labels.dtype} ${showShape(labels.shape)}`);
  }
  for (const v of labels.data) {
    if (v < 0 || v >= (classes ?? 0)) throw new CanopyError('argument', `crossEntropyLoss: labels must be in [0, ${classes}), got ${v}`);
  }
  const logp = await logSoftmax(b, logits, 1);
  const classIds = makeTensor(new Float32Array(classes ?? 0).map((_, i) => i), [1, classes ?? 0]);
  const oneHot = await b.binary('eq', await b.reshape(await b.cast(labels, 'float32'), [n ?? 0, 1]), classIds);
  const picked = await b.reduce('sum', await b.binary('mul', logp, oneHot), [0, 1], false);
  return b.binary('div', picked, full([], -Math.max(1, n ?? 0)));
}

/**
 * Binary cross-entropy of logits against targets in [0, 1] (`F.binary_cross_entropy_with_logits`),
 * as `max(x, 0) - x·y + log(1 + exp(-|x|))`: no overflow for large logits.
 *
 * @example
 * ```ts
 * import { binaryCrossEntropyLoss, fromArray, referenceBackend as b } from 'canopy-nn';
 * (await binaryCrossEntropyLoss(b, fromArray([0]), fromArray([1]))).data[0]; // 0.6931471824645996
 * ```
 */
export async function binaryCrossEntropyLoss(b: Backend, logits: Tensor, targets: Tensor): Promise<Tensor> {
  sameShape('binaryCrossEntropyLoss', logits, targets);
  const pos = await b.binary('max', logits, full([], 0));
  const xy = await b.binary('mul', logits, targets);
  const soft = await b.unary('log', await b.binary('add', full([], 1), await b.unary('exp', await b.binary('mul', await b.unary('abs', logits), full([], -1)))));
  return meanAll(b, await b.binary('add', await b.binary('sub', pos, xy), soft));
}

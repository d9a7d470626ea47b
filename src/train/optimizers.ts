// Optimisers as values, optax-style: `init(params) → state` and `update(grads, state, params) →
// { updates, state }`, with `applyUpdates(model, updates)` returning a new model. Gradients,
// moments and updates are trees of the model's shape (src/grad/tree.ts), so a state can be
// printed, saved with `stateDict` or inspected with optics like the model itself.
//
// The arithmetic runs on the host, one fused loop per parameter: an optimiser step is a few
// elementwise passes over the parameters, which a chain of backend calls would pay for in kernel
// launches and intermediate tensors (tfjs and PyTorch's `foreach` optimisers fuse them likewise).
import type { AnyLayer } from '../core/Layer.ts';
import { CanopyError } from '../errors.ts';
import { mapTrainable, zipParams } from '../grad/tree.ts';
import { makeTensor, type Tensor } from '../tensor/Tensor.ts';
import type { Schedule } from './schedules.ts';

// --- model

/** What an optimiser carries between steps: the step count, its moment trees, its parts' states. */
export interface OptimizerState {
  /** Updates done so far. */
  readonly step: number;
  /** Per-parameter slots (momentum, first and second moments), trees of the model's shape. */
  readonly slots: readonly AnyLayer[];
  /** States of the transformations of a {@link chain}. */
  readonly inner: readonly OptimizerState[];
}

/** A gradient transformation: an optimiser, a clipping rule, or a chain of them. */
export interface Optimizer {
  readonly init: (params: AnyLayer) => OptimizerState;
  readonly update: <L extends AnyLayer>(grads: L, state: OptimizerState, params: L) => { readonly updates: L; readonly state: OptimizerState };
}

/** A learning rate: a number or a schedule of the step. */
export type LearningRate = number | Schedule;

/** Options of {@link sgd}. */
export interface SgdOptions {
  /** Momentum factor. Default 0 (plain SGD). */
  readonly momentum?: number;
  /** Nesterov momentum (needs `momentum > 0`). Default false. */
  readonly nesterov?: boolean;
  /** L2 penalty added to the gradient, as PyTorch's `weight_decay`. Default 0. */
  readonly weightDecay?: number;
}

/** Options of {@link adam} and {@link adamw}. */
export interface AdamOptions {
  /** Decay of the first moment. Default 0.9. */
  readonly beta1?: number;
  /** Decay of the second moment. Default 0.999. */
  readonly beta2?: number;
  /** Added to the root of the second moment. Default 1e-8. */
  readonly eps?: number;
  /** Decoupled weight decay (AdamW only). Default 0.01 for `adamw`. */
  readonly weightDecay?: number;
}

// --- utils

const rateOf = (lr: LearningRate): Schedule => (typeof lr === 'number' ? () => lr : lr);

const zerosLike = (t: Tensor): Tensor => makeTensor(new Float32Array(t.size), t.shape);

/**
 * For every gradient, runs `f` over its elements with the matching tensors of the other trees
 * and returns the output trees (`outs` of them, in the gradient tree's shape).
 */
function perParam(
  grads: AnyLayer,
  others: readonly AnyLayer[],
  outs: number,
  f: (i: number, g: Float32Array, o: readonly Float32Array[], w: Float32Array[]) => void,
): AnyLayer[] {
  const results: Map<Tensor, Tensor[]> = new Map();
  zipParams([grads, ...others], ([g, ...rest], key) => {
    if (g === undefined) return undefined;
    const o = rest.map((t) => {
      if (t === undefined) throw new CanopyError('structure', `optimizer: every tree must hold ${key}, got none`);
      return t.data as Float32Array;
    });
    const w = Array.from({ length: outs }, () => new Float32Array(g.size));
    const gd = g.data as Float32Array;
    for (let i = 0; i < g.size; i++) f(i, gd, o, w);
    results.set(g, w.map((d) => makeTensor(d, g.shape)));
    return g;
  });
  return Array.from({ length: outs }, (_, k) => mapTrainableOf(grads, (g) => results.get(g)![k]!));
}

/** The gradient tree with each tensor replaced (the tree holds trainable tensors only). */
function mapTrainableOf(tree: AnyLayer, f: (t: Tensor) => Tensor): AnyLayer {
  return zipParams([tree], ([t]) => (t === undefined ? undefined : f(t)));
}

// --- constructors

/**
 * Stochastic gradient descent with optional (Nesterov) momentum, PyTorch's `torch.optim.SGD`.
 *
 * @example
 * ```ts
 * import { sgd, Linear } from 'canopy-nn';
 * const opt = sgd(0.1, { momentum: 0.9 });
 * const model = Linear({ inFeatures: 2, outFeatures: 1 });
 * const state = opt.init(model);
 * state.step; // 0
 * ```
 */
export function sgd(lr: LearningRate, options: SgdOptions = {}): Optimizer {
  const { momentum = 0, nesterov = false, weightDecay = 0 } = options;
  if (nesterov && momentum <= 0) throw new CanopyError('argument', `sgd: nesterov needs momentum > 0, got momentum ${momentum}`);
  const rate = rateOf(lr);
  return {
    init: (params) => ({ step: 0, slots: momentum > 0 ? [mapTrainable(params, zerosLike)] : [], inner: [] }),
    update: (grads, state, params) => {
      const a = rate(state.step);
      const trees = momentum > 0 ? [params, state.slots[0]!] : [params];
      const [updates, buf] = perParam(grads, trees, momentum > 0 ? 2 : 1, (i, g, [p, m], [u, nb]) => {
        const d = g[i]! + weightDecay * p![i]!;
        if (momentum > 0) {
          const b = momentum * m![i]! + d;
          nb![i] = b;
          u![i] = -a * (nesterov ? d + momentum * b : b);
        } else u![i] = -a * d;
      });
      return { updates: updates as typeof grads, state: { step: state.step + 1, slots: buf === undefined ? [] : [buf], inner: [] } };
    },
  };
}

/**
 * Adam (`torch.optim.Adam`): bias-corrected first and second moments.
 *
 * @example
 * ```ts
 * import { adam, Linear } from 'canopy-nn';
 * adam(1e-3).init(Linear({ inFeatures: 2, outFeatures: 1 })).slots.length; // 2
 * ```
 */
export function adam(lr: LearningRate, options: AdamOptions = {}): Optimizer {
  return adamLike('adam', lr, { ...options, weightDecay: 0 });
}

/**
 * AdamW (`torch.optim.AdamW`): Adam with weight decay applied to the parameters, not the gradient.
 *
 * @example
 * ```ts
 * import { adamw, Linear } from 'canopy-nn';
 * adamw(1e-3, { weightDecay: 0.05 }).init(Linear({ inFeatures: 2, outFeatures: 1 })).step; // 0
 * ```
 */
export function adamw(lr: LearningRate, options: AdamOptions = {}): Optimizer {
  return adamLike('adamw', lr, { weightDecay: 0.01, ...options });
}

function adamLike(name: string, lr: LearningRate, options: AdamOptions): Optimizer {
  const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0 } = options;
  if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
    throw new CanopyError('argument', `${name}: betas must be in [0, 1), got ${beta1} and ${beta2}`);
  }
  const rate = rateOf(lr);
  return {
    init: (params) => ({ step: 0, slots: [mapTrainable(params, zerosLike), mapTrainable(params, zerosLike)], inner: [] }),
    update: (grads, state, params) => {
      const t = state.step + 1;
      const a = rate(state.step);
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      const [updates, m, v] = perParam(grads, [params, state.slots[0]!, state.slots[1]!], 3, (i, g, [p, m0, v0], [u, m1, v1]) => {
        const gi = g[i]!;
        const mi = beta1 * m0![i]! + (1 - beta1) * gi;
        const vi = beta2 * v0![i]! + (1 - beta2) * gi * gi;
        m1![i] = mi;
        v1![i] = vi;
        u![i] = -a * ((mi / c1) / (Math.sqrt(vi / c2) + eps) + weightDecay * p![i]!);
      });
      return { updates: updates as typeof grads, state: { step: t, slots: [m!, v!], inner: [] } };
    },
  };
}

/**
 * Scales the gradients down when their global L2 norm exceeds `maxNorm` (`clip_grad_norm_`).
 * Chain it before an optimiser.
 *
 * @example
 * ```ts
 * import { chain, clipByGlobalNorm, adam } from 'canopy-nn';
 * const opt = chain(clipByGlobalNorm(1), adam(1e-3));
 * ```
 */
export function clipByGlobalNorm(maxNorm: number): Optimizer {
  return {
    init: () => ({ step: 0, slots: [], inner: [] }),
    update: (grads, state) => {
      const norm = globalNorm(grads);
      const scale = norm > maxNorm ? maxNorm / norm : 1;
      const updates = scale === 1 ? grads : (mapTrainableOf(grads, (t) => makeTensor((t.data as Float32Array).map((x) => x * scale), t.shape)) as typeof grads);
      return { updates, state: { step: state.step + 1, slots: [], inner: [] } };
    },
  };
}

/**
 * Applies transformations in order, each to the previous one's updates (optax's `chain`).
 *
 * @example
 * ```ts
 * import { chain, clipByGlobalNorm, sgd, Linear } from 'canopy-nn';
 * chain(clipByGlobalNorm(5), sgd(0.1)).init(Linear({ inFeatures: 1, outFeatures: 1 })).inner.length; // 2
 * ```
 */
export function chain(...transforms: readonly Optimizer[]): Optimizer {
  return {
    init: (params) => ({ step: 0, slots: [], inner: transforms.map((t) => t.init(params)) }),
    update: (grads, state, params) => {
      let updates = grads;
      const inner: OptimizerState[] = [];
      transforms.forEach((t, k) => {
        const r = t.update(updates, state.inner[k]!, params);
        updates = r.updates;
        inner.push(r.state);
      });
      return { updates, state: { step: state.step + 1, slots: [], inner } };
    },
  };
}

// --- destructors

/**
 * The global L2 norm of a gradient tree (all its tensors as one vector).
 *
 * @example
 * ```ts
 * import { globalNorm, Linear, zeros, loadStateDict } from 'canopy-nn';
 * globalNorm(loadStateDict(Linear({ inFeatures: 1, outFeatures: 1 }), { weight: zeros([1, 1]), bias: zeros([1]) })); // 0
 * ```
 */
export function globalNorm(tree: AnyLayer): number {
  let s = 0;
  zipParams([tree], ([t]) => {
    if (t !== undefined && t.dtype === 'float32') for (const x of t.data) s += x * x;
    return t;
  });
  return Math.sqrt(s);
}

// --- combinators

/**
 * A new model with each update added to its parameter (`optax.apply_updates`); parameters without
 * an update (frozen layers, buffers) are kept as they are.
 *
 * @example
 * ```ts
 * import { applyUpdates, Linear, loadStateDict, stateDict, fromArray, toNested } from 'canopy-nn';
 * const m = loadStateDict(Linear({ inFeatures: 1, outFeatures: 1 }), { weight: fromArray([[1]]), bias: fromArray([2]) });
 * const step = loadStateDict(m, { weight: fromArray([[0.5]]), bias: fromArray([-1]) });
 * toNested(stateDict(applyUpdates(m, step)).get('bias')!); // [1]
 * ```
 */
export function applyUpdates<L extends AnyLayer>(model: L, updates: L): L {
  return zipParams([model, updates], ([p, u], key) => {
    if (u === undefined) return p;
    const pd = p!.data as Float32Array;
    const ud = u.data as Float32Array;
    if (p!.dtype !== 'float32') throw new CanopyError('dtype', `applyUpdates: ${key} must be float32 to be updated, got ${p!.dtype}`);
    const out = new Float32Array(pd.length);
    for (let i = 0; i < pd.length; i++) out[i] = pd[i]! + ud[i]!;
    return makeTensor(out, p!.shape);
  });
}

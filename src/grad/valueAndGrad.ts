// Reverse-mode differentiation of a loss over a model value: the loss and a gradient tree of the
// model's own shape (Equinox's `filter_value_and_grad`), plus gradients of the tensor arguments.
import type { Backend } from '../backend/Backend.ts';
import { getDefaultBackend } from '../backend/select.ts';
import type { AnyLayer } from '../core/Layer.ts';
import type { Step } from '../core/step.ts';
import { CanopyError } from '../errors.ts';
import { isTensor, type Tensor } from '../tensor/Tensor.ts';
import { openDeviceScope, readTensor } from '../tensor/device.ts';
import { startTape } from './tape.ts';
import { mapTrainable, trainableLeaves } from './tree.ts';

// --- model

/**
 * A loss: computes a one-element float32 tensor from a model and arguments, using `backend` for
 * every op and run (`run(model, inputs, { backend })`), since that is where the tape records.
 */
export type LossFn<L extends AnyLayer, A extends readonly unknown[]> = (backend: Backend, model: L, ...args: A) => Step<Tensor>;

/** Options of {@link valueAndGrad} and {@link grad}. */
export interface GradOptions {
  /** The backend that computes both passes. Default: the global default backend. */
  readonly backend?: Backend;
  /**
   * Also differentiate the float32 tensor arguments. Default `true`; a training step passes
   * `false` (a batch of images needs no gradient, and its product is the costliest of the pass).
   */
  readonly inputs?: boolean;
}

/** What {@link valueAndGrad} returns. */
export interface ValueAndGrad<L extends AnyLayer> {
  /** The loss as a number. */
  readonly value: number;
  /** The loss tensor (one element). */
  readonly loss: Tensor;
  /**
   * Gradients in the model's shape: every trainable parameter replaced by its gradient (zeros if
   * the loss does not depend on it); frozen layers, buffers and int32 tensors hold none.
   */
  readonly grads: L;
  /** The gradient of each argument that is a float32 tensor; `undefined` for the others (all without `inputs`). */
  readonly inputGrads: readonly (Tensor | undefined)[];
}

// --- constructors

/**
 * Turns a loss into a function that returns the loss and its gradients: a tree of the model's
 * shape (same names and state-dict keys) and the gradients of the tensor arguments. The loss must
 * compute with the backend it is given.
 *
 * @example
 * ```ts
 * import { Linear, fromArray, run, sum, valueAndGrad, stateDict, toNested, referenceBackend } from 'canopy-nn';
 * const model = Linear({ inFeatures: 2, outFeatures: 1 });
 * const f = valueAndGrad(async (b, m: typeof model, x: import('canopy-nn').Tensor) => sum(b, (await run(m, [x], { backend: b })).output), { backend: referenceBackend });
 * const { grads } = await f(model, fromArray([[1, 2]]));
 * toNested(stateDict(grads).get('weight')!); // [[1, 2]]
 * ```
 */
export function valueAndGrad<L extends AnyLayer, A extends readonly unknown[]>(
  loss: LossFn<L, A>,
  options: GradOptions = {},
): (model: L, ...args: A) => Promise<ValueAndGrad<L>> {
  return async (model, ...args) => {
    const backend = options.backend ?? getDefaultBackend();
    const params = trainableLeaves(model);
    const inputs = options.inputs === false ? [] : args.filter((a): a is Tensor => isTensor(a) && a.dtype === 'float32');
    const leaves = [...params, ...inputs];
    // One device scope over the loss and the backward: the tape holds the values it saved (the
    // runs inside the loss do not release them) and this scope releases them at the end.
    const close = openDeviceScope();
    try {
      const tape = startTape(backend, leaves);
      const out = await loss(tape.backend, model, ...args);
      if (!isTensor(out)) {
        throw new CanopyError('argument', `valueAndGrad: the loss must return a Tensor, got ${out === null ? 'null' : typeof out}`);
      }
      const grads = await tape.backward(out, leaves);
      // A GPU backend leaves them on the device; the value and the optimizers read them on the host.
      await readTensor(out);
      for (const g of grads) if (g !== undefined) await readTensor(g);
      const byLeaf = new Map<Tensor, Tensor>(leaves.map((t, i) => [t, grads[i]!]));
      const result = {
        value: out.data[0] ?? Number.NaN,
        loss: out,
        grads: mapTrainable(model, (t) => byLeaf.get(t)!),
        inputGrads: args.map((a) => (isTensor(a) ? byLeaf.get(a) : undefined)),
      };
      close([out, grads], true);
      return result;
    } catch (e) {
      close(undefined, true);
      throw e;
    }
  };
}

/**
 * The gradient tree alone: {@link valueAndGrad} without the value.
 *
 * @example
 * ```ts
 * import { Linear, fromArray, run, sum, grad, stateDict, referenceBackend } from 'canopy-nn';
 * const model = Linear({ inFeatures: 2, outFeatures: 1 });
 * const g = await grad(async (b, m: typeof model) => sum(b, (await run(m, [fromArray([[1, 2]])], { backend: b })).output), { backend: referenceBackend })(model);
 * [...stateDict(g).keys()]; // ['weight', 'bias']
 * ```
 */
export function grad<L extends AnyLayer, A extends readonly unknown[]>(
  loss: LossFn<L, A>,
  options: GradOptions = {},
): (model: L, ...args: A) => Promise<L> {
  const f = valueAndGrad(loss, options);
  return async (model, ...args) => (await f(model, ...args)).grads;
}

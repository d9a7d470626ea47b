// Law: running is pure. The model (attributes, weights, contexts), the inputs and the contexts
// passed in are the same after a run. Layers are frozen, but tensor data (typed arrays) cannot be,
// so the law compares deep copies taken before the run with the values after it.
import { type AnyLayer, type RunOptions, runSync, run, valueEquals } from '../src/index.ts';

// --- utils

/** A deep copy of plain data: arrays, plain objects and typed arrays copied; functions kept. */
export function deepCopyData(x: unknown): unknown {
  if (typeof x !== 'object' || x === null) return x;
  if (ArrayBuffer.isView(x)) return (x as unknown as Float32Array).slice();
  if (Array.isArray(x)) return x.map(deepCopyData);
  const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(x) as object | null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(x)) out[k] = deepCopyData(v);
  return out;
}

/** A layer's data copied deeply; kinds (which hold code) kept by reference. */
function copyLayer(node: AnyLayer): unknown {
  return {
    kind: node.kind,
    attrs: deepCopyData(node.attrs),
    params: deepCopyData(node.params),
    contexts: deepCopyData(node.contexts),
    children: node.children.map(copyLayer),
  };
}

/** Everything a run could change: the model's data, the inputs and the contexts passed in. */
function observable(model: AnyLayer, inputs: readonly unknown[], options: RunOptions): unknown {
  return { model: copyLayer(model), inputs: deepCopyData(inputs), contexts: deepCopyData(options.contexts ?? {}) };
}

// --- laws

/**
 * Runs `model` synchronously and checks that the model, the inputs and `options.contexts` are
 * unchanged.
 *
 * @example
 * ```ts
 * import { runIsPure } from 'canopy-nn/laws';
 * import { Chain, Lambda } from 'canopy-nn';
 * runIsPure(Chain(Lambda((x: number) => x + 1)), [1]); // true
 * ```
 */
export function runIsPure(model: AnyLayer, inputs: readonly unknown[], options: RunOptions = {}): boolean {
  const before = observable(model, inputs, options);
  runSync(model, inputs, options as never);
  return valueEquals(observable(model, inputs, options), before);
}

/** The asynchronous form of {@link runIsPure}, for models with kernel layers. */
export async function runIsPureAsync(model: AnyLayer, inputs: readonly unknown[], options: RunOptions = {}): Promise<boolean> {
  const before = observable(model, inputs, options);
  await run(model, inputs, options as never);
  return valueEquals(observable(model, inputs, options), before);
}

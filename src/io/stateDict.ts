// State dicts: a model's learned tensors by Refiners' keys (the child-name path plus the
// parameter name: `Chain_1.Linear_2.weight`), and loading them back into a new model.
// Keys are derived from structure, so a Refiners-converted weight file loads by name. Adapters are
// transparent to keys (src/adapters/keys.ts): injecting one moves no base weight's key, and its
// own weights live under `<target key>.~<adapter>` (Refiners issue #226 cannot happen).
import type { AnyLayer } from '../core/Layer.ts';
import { withParams } from '../core/Layer.ts';
import { modifyAtIndices } from '../optics/edit.ts';
import { CanopyError } from '../errors.ts';
import { checkDepth } from '../core/depth.ts';
import { joinPath } from '../core/names.ts';
import { isTensor, showShape, type Tensor } from '../tensor/Tensor.ts';
import { keyedNodes } from '../adapters/keys.ts';
import { isTrainable } from '../grad/tree.ts';

// --- model

/** A model's learned tensors by key, in tree order (a layer's params in their declared order). */
export type StateDict = ReadonlyMap<string, Tensor>;

/** A state dict to load: a Map (as safetensors readers return) or a plain object. */
export type StateDictInput = ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;

/** Options of {@link loadStateDict}. */
export interface LoadStateDictOptions {
  /**
   * Require the dict's keys to be exactly the model's (default `true`). Either way a tensor whose
   * shape or dtype differs from the parameter it would replace is an error (as in PyTorch);
   * without `strict`, missing keys keep their current values and unknown keys are ignored.
   */
  readonly strict?: boolean;
}

// --- destructors

/**
 * Every learned tensor of `model` by its Refiners key: child names from the root (the root's own
 * name is not part of the key, as in PyTorch) then the parameter name.
 *
 * @example
 * ```ts
 * import { Chain, Linear, ReLU, stateDict } from 'canopy-nn';
 * const m = Chain(Linear({ inFeatures: 2, outFeatures: 3 }), ReLU(), Linear({ inFeatures: 3, outFeatures: 1 }));
 * [...stateDict(m).keys()]; // ['Linear_1.weight', 'Linear_1.bias', 'Linear_2.weight', 'Linear_2.bias']
 * ```
 */
export function stateDict(model: AnyLayer): StateDict {
  checkDepth(model, 'stateDict');
  const out = new Map<string, Tensor>();
  const owner = new Map<string, string>();
  for (const e of keyedNodes(model)) {
    for (const [name, t] of Object.entries(e.node.params)) {
      const key = joinPath(e.key, name);
      // Two parameters under one key would silently share a slot (a layer named like a derived
      // name, or with a dot): refuse, naming both nodes by their child indices.
      const first = owner.get(key);
      if (first !== undefined) {
        throw new CanopyError(
          'io',
          `stateDict: every parameter must have its own key, got "${key}" for the nodes at child indices [${first}] and [${e.indices.join(',')}] (rename one with named())`,
        );
      }
      owner.set(key, e.indices.join(','));
      out.set(key, t);
    }
  }
  return out;
}

/**
 * The trainable part of the state dict: the entries of {@link stateDict}, under the same keys, whose
 * layer is not frozen and which are not buffers (`running_mean`, ...) or int32. These are the keys
 * of a gradient tree's state dict (`stateDict(grads)` of `valueAndGrad`), adapters included.
 *
 * @example
 * ```ts
 * import { Chain, Linear, LoraAdapter, LinearLora, freezeParams, trainableParams } from 'canopy-nn';
 * const m = Chain(freezeParams(Linear({ inFeatures: 2, outFeatures: 2 })), Linear({ inFeatures: 2, outFeatures: 1 }));
 * [...trainableParams(m).keys()]; // ['Linear_2.weight', 'Linear_2.bias']
 * const lora = LinearLora('foo', { inFeatures: 2, outFeatures: 1 });
 * const adapted = Chain(freezeParams(Linear({ inFeatures: 2, outFeatures: 2 })), LoraAdapter(freezeParams(Linear({ inFeatures: 2, outFeatures: 1 })), lora));
 * [...trainableParams(adapted).keys()]; // ['Linear_2.~LoraAdapter.foo.Linear_1.weight', 'Linear_2.~LoraAdapter.foo.Linear_2.weight']
 * ```
 */
export function trainableParams(model: AnyLayer): StateDict {
  stateDict(model); // the same checks: depth, one key per parameter
  const out = new Map<string, Tensor>();
  for (const e of keyedNodes(model)) {
    for (const [name, t] of Object.entries(e.node.params)) if (isTrainable(e.node, name, t)) out.set(joinPath(e.key, name), t);
  }
  return out;
}

/**
 * Only the base model's weights of an adapted model, under their own keys: what
 * `stateDict(ejectAll(model))` gives, without ejecting.
 *
 * @example
 * ```ts
 * import { Chain, Linear, LoraAdapter, LinearLora, baseStateDict } from 'canopy-nn';
 * const m = Chain(LoraAdapter(Linear({ inFeatures: 2, outFeatures: 2 }), LinearLora('foo', { inFeatures: 2, outFeatures: 2 })));
 * [...baseStateDict(m).keys()]; // ['Linear.weight', 'Linear.bias']
 * ```
 */
export function baseStateDict(model: AnyLayer): StateDict {
  return new Map([...stateDict(model)].filter(([k]) => !k.split('.').some((s) => s.startsWith('~'))));
}

// --- combinators

/**
 * A new model whose parameters come from `dict` (the input model is unchanged; untouched
 * subtrees are shared). With `strict` (the default) every missing, unexpected, shape- or
 * dtype-mismatched key is reported in ONE error. PyTorch's `BatchNorm2d.num_batches_tracked`
 * counters are accepted and ignored (canopy runs batch norm in inference mode only).
 *
 * @example
 * ```ts
 * import { Linear, loadStateDict, stateDict, zeros } from 'canopy-nn';
 * const lin = Linear({ inFeatures: 2, outFeatures: 1 });
 * const zeroed = loadStateDict(lin, { weight: zeros([1, 2]), bias: zeros([1]) });
 * stateDict(zeroed).get('bias')!.data[0]; // 0
 * ```
 */
export function loadStateDict<L extends AnyLayer>(model: L, dict: StateDictInput, options: LoadStateDictOptions = {}): L {
  const strict = options.strict ?? true;
  checkDepth(model, 'loadStateDict');
  if (typeof dict !== 'object' || dict === null || Array.isArray(dict)) {
    throw new CanopyError('argument', `loadStateDict: the dict must be a Map or a plain object of Tensors, got ${dict === null ? 'null' : Array.isArray(dict) ? 'an array' : typeof dict}`);
  }
  const entries = dict instanceof Map ? [...(dict as ReadonlyMap<string, Tensor>).entries()] : Object.entries(dict);
  const given = new Map<string, Tensor>();
  for (const [k, v] of entries) {
    if (typeof k !== 'string') throw new CanopyError('argument', `loadStateDict: every key must be a string, got ${typeof k}`);
    const bad = tensorProblem(v);
    if (bad !== undefined) throw new CanopyError('argument', `loadStateDict: every value must be a Tensor, got ${bad} at key "${k}"`);
    given.set(k, v);
  }
  const expected = stateDict(model);
  const missing: string[] = [];
  const mismatched: string[] = [];
  for (const [k, t] of expected) {
    const v = given.get(k);
    if (v === undefined) missing.push(`${k} ${showShape(t.shape)}`);
    else if (!sameShape(v.shape, t.shape)) mismatched.push(`${k}: model ${showShape(t.shape)}, dict ${showShape(v.shape)}`);
    else if (v.dtype !== t.dtype) mismatched.push(`${k}: model ${t.dtype}, dict ${v.dtype}`);
  }
  const counters = batchCounterKeys(model);
  const unexpected = [...given.entries()]
    .filter(([k]) => !expected.has(k) && !counters.has(k))
    .map(([k, v]) => `${k} ${showShape(v.shape)}`);
  const problems = [
    ...(strict ? missing.map((m) => `missing: ${m}`) : []),
    ...(strict ? unexpected.map((u) => `unexpected: ${u}`) : []),
    ...mismatched.map((m) => `mismatch: ${m}`),
  ];
  if (problems.length > 0) {
    throw new CanopyError(
      'io',
      `loadStateDict: the dict must ${strict ? 'hold exactly the model\'s keys with their shapes' : 'give every key it shares with the model the same shape'}, got ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  ${problems.join('\n  ')}`,
    );
  }
  // One spine rebuilt per changed layer (O(depth) each); untouched subtrees stay shared.
  let out: AnyLayer = model;
  for (const e of keyedNodes(model)) {
    const next = Object.fromEntries(Object.entries(e.node.params).map(([name, t]) => [name, given.get(joinPath(e.key, name)) ?? t]));
    if (Object.entries(next).some(([name, t]) => t !== e.node.params[name])) out = modifyAtIndices(out, e.indices, (n) => withParams(n, next));
  }
  return out as L;
}

// --- utils

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * PyTorch's `<bn>.num_batches_tracked` keys for the model's BatchNorm2d layers: accepted and
 * ignored. One walk of the model, so a dict with thousands of them loads in linear time.
 */
function batchCounterKeys(model: AnyLayer): ReadonlySet<string> {
  const keys = new Set<string>();
  for (const e of keyedNodes(model)) if (e.node.kind.name === 'BatchNorm2d') keys.add(joinPath(e.key, 'num_batches_tracked'));
  return keys;
}

/** Why `v` is not a well-formed Tensor (a forged `{ _tag: 'Tensor' }` included), or undefined. */
function tensorProblem(v: unknown): string | undefined {
  if (!isTensor(v)) return v === null ? 'null' : typeof v;
  const { shape, data, dtype, size } = v as Partial<Tensor>;
  if (!Array.isArray(shape) || !shape.every((d: unknown) => Number.isInteger(d) && (d as number) >= 0)) return 'a tensor-like object with an invalid shape';
  if (!(dtype === 'int32' ? data instanceof Int32Array : dtype === 'float32' && data instanceof Float32Array)) {
    return `a tensor-like object whose data does not match dtype ${String(dtype)}`;
  }
  const n = shape.reduce((p: number, d: number) => p * d, 1);
  if (data === undefined || data.length !== n || size !== n) return `a tensor-like object of shape ${showShape(shape)} holding ${data?.length ?? 0} values`;
  return undefined;
}

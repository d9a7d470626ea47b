// The tape: a backend that wraps the run's real backend and records every primitive call whose
// inputs depend on a tensor being differentiated. Layers get their backend from the run's
// environment, so recording at the seam sees everything a run computes, including tensors that
// travel through contexts (a U-Net's residuals) and through adapters, with no change to any layer.
//
// The tape is local to one `valueAndGrad` call: `backward` walks it once in reverse and drops each
// entry's cotangent as soon as it is used; nothing survives the call (tested over 1,000 steps).
import type { Backend } from '../backend/Backend.ts';
import { type Step, thenStep } from '../core/step.ts';
import { CanopyError } from '../errors.ts';
import { full } from '../tensor/create.ts';
import { showShape, type Tensor } from '../tensor/Tensor.ts';
import { aliasTensor, holdDeviceTensors } from '../tensor/device.ts';
import { type PrimitiveArgs, type PrimitiveMethod, type VjpRule, differentiable, vjpRules } from './vjp.ts';

// --- model

/** One recorded primitive call. */
interface Entry {
  readonly method: PrimitiveMethod;
  readonly args: readonly unknown[];
  readonly inputs: readonly Tensor[];
  readonly wants: readonly boolean[];
  readonly out: Tensor;
}

/** A recording in progress: the backend to compute with, and what it recorded. @internal */
export interface Tape {
  /** Computes with the wrapped backend and records what depends on a tracked tensor. */
  readonly backend: Backend;
  /** Number of recorded calls (for tests and diagnostics). */
  readonly length: () => number;
  /**
   * Gradients of `loss` (a one-element tensor) with respect to each of `leaves`: zeros for a
   * leaf the loss does not depend on. Consumes the tape.
   */
  readonly backward: (loss: Tensor, leaves: readonly Tensor[]) => Promise<Tensor[]>;
}

// --- constructors

/**
 * Starts a tape over `inner` that tracks `leaves` (float32 tensors: parameters and inputs).
 * @internal
 */
export function startTape(inner: Backend, leaves: readonly Tensor[]): Tape {
  const tracked = new Set<Tensor>(leaves);
  let entries: Entry[] = [];
  const record = (method: PrimitiveMethod, args: readonly unknown[], out: Tensor): Tensor => {
    if (!differentiable(out.dtype) || isComparison(method, args)) return out;
    const rule = vjpRules[method] as unknown as VjpRule<PrimitiveMethod>;
    const inputs = rule.inputs(args as PrimitiveArgs<PrimitiveMethod>);
    const wants = inputs.map((t) => tracked.has(t) && differentiable(t.dtype));
    if (!wants.includes(true)) return out;
    // A fresh identity per recorded output: a backend may return an input itself (a reshape to the
    // same shape), and the tape identifies tensors by reference.
    const own = aliasTensor(out);
    tracked.add(own);
    entries.push({ method, args, inputs, wants, out: own });
    holdDeviceTensors([...args.flatMap((a) => (Array.isArray(a) ? a : [a])), own]);
    return own;
  };
  const backend = { name: `${inner.name}+tape` } as Record<string, unknown>;
  for (const method of Object.keys(vjpRules) as PrimitiveMethod[]) {
    const f = inner[method] as (...args: unknown[]) => Step<Tensor>;
    backend[method] = (...args: unknown[]): Step<Tensor> => thenStep(f.apply(inner, args), (out) => record(method, args, out));
  }
  return {
    backend: backend as unknown as Backend,
    length: () => entries.length,
    backward: async (loss, leaves) => {
      const taken = entries;
      entries = [];
      tracked.clear();
      try {
        return await backward(inner, taken, loss, leaves);
      } finally {
        taken.length = 0;
      }
    },
  };
}

// --- utils

function isComparison(method: PrimitiveMethod, args: readonly unknown[]): boolean {
  return method === 'binary' && (args[0] === 'lt' || args[0] === 'eq');
}

async function backward(b: Backend, entries: readonly Entry[], loss: Tensor, leaves: readonly Tensor[]): Promise<Tensor[]> {
  if (loss.size !== 1 || loss.dtype !== 'float32') {
    throw new CanopyError('shape', `valueAndGrad: the loss must be a float32 tensor of one element, got ${loss.dtype} ${showShape(loss.shape)}`);
  }
  const cotangents = new Map<Tensor, Tensor>();
  const add = async (t: Tensor, g: Tensor): Promise<void> => {
    const prev = cotangents.get(t);
    cotangents.set(t, prev === undefined ? g : await b.binary('add', prev, g));
  };
  await add(loss, full(loss.shape, 1));
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    const g = cotangents.get(e.out);
    if (g === undefined) continue;
    cotangents.delete(e.out);
    const rule = vjpRules[e.method] as unknown as VjpRule<PrimitiveMethod>;
    const grads = await rule.vjp(b, e.args as PrimitiveArgs<PrimitiveMethod>, e.out, g, e.wants);
    for (const [k, x] of e.inputs.entries()) {
      const gx = grads[k];
      if (!e.wants[k] || gx === undefined) continue;
      if (gx.shape.length !== x.shape.length || gx.shape.some((d, j) => d !== x.shape[j])) {
        throw new CanopyError('backend', `valueAndGrad: the ${e.method} rule must return a gradient of shape ${showShape(x.shape)}, got ${showShape(gx.shape)}`);
      }
      await add(x, gx);
    }
  }
  return leaves.map((leaf) => cotangents.get(leaf) ?? full(leaf.shape, 0));
}


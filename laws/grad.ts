// Laws of gradients: the analytic gradient of a layer agrees with central finite differences (a
// check users run on their own layers), and models that compute the same thing the same way have
// the same gradients (the contextual U-Net and its explicit-Residual twin).
import {
  type AnyLayer,
  type Backend,
  Chain,
  Identity,
  Linear,
  Residual,
  SetContext,
  Sum,
  TakeContext,
  Tanh,
  type Tensor,
  isTensor,
  makeTensor,
  provide,
  randn,
  referenceBackend,
  run,
  valueAndGrad,
  zipParams,
} from '../src/index.ts';

// --- model

/** Options of {@link gradCheck}. */
export interface GradCheckOptions {
  /** Backend of both passes. Default: the reference backend. */
  readonly backend?: Backend;
  /** Coordinates checked per tensor (spread evenly). Default 6. */
  readonly samples?: number;
  /** Finite-difference step, relative to `max(1, |x|)`. Default `1e-2` (float32 needs a wide one). */
  readonly step?: number;
  /** Relative tolerance. Default `2e-2`. */
  readonly rtol?: number;
  /** Seed of the random projection of the output. Default 0. */
  readonly seed?: number;
}

/** One coordinate whose analytic and numeric derivatives disagree. */
export interface GradMismatch {
  /** `param <key>[i]` or `input #k[i]`. */
  readonly where: string;
  readonly analytic: number;
  readonly numeric: number;
  readonly tolerance: number;
}

/** What {@link gradCheck} found. */
export interface GradCheckResult {
  readonly ok: boolean;
  /** Coordinates compared. */
  readonly checked: number;
  readonly mismatches: readonly GradMismatch[];
}

// --- the finite-difference law

/**
 * Compares the analytic gradients of `layer` (parameters and float32 inputs) with central finite
 * differences of `L = Σ out ⊙ r` for a fixed random `r`. The loss is summed in float64 on the host;
 * the tolerance adds float32 rounding of the forward pass (`~ 2⁻²⁴ Σ|out ⊙ r|` per evaluation,
 * divided by the step) to a relative one, so it holds for any smooth layer in float32. Where a
 * kink (ReLU, max) lies within the step, smaller steps are tried before a coordinate fails.
 *
 * @example
 * ```ts
 * import { Linear, randn } from 'canopy-nn';
 * import { gradCheck } from 'canopy-nn/laws';
 * const r = await gradCheck(Linear({ inFeatures: 3, outFeatures: 2 }), [randn([4, 3], 1)]);
 * r.ok; // true
 * ```
 */
export async function gradCheck(layer: AnyLayer, inputs: readonly unknown[], options: GradCheckOptions = {}): Promise<GradCheckResult> {
  const b = options.backend ?? referenceBackend;
  const samples = options.samples ?? 6;
  const step = options.step ?? 1e-2;
  const rtol = options.rtol ?? 2e-2;
  const forward = async (m: AnyLayer, xs: readonly unknown[]): Promise<readonly Tensor[]> => outputs((await run(m as never, xs as never, { backend: b } as never)).output);
  const first = await forward(layer, inputs);
  const rs = first.map((t, i) => randn(t.shape, (options.seed ?? 0) * 7919 + i + 1));
  const project = (outs: readonly Tensor[]): [number, number] => {
    let s = 0;
    let mag = 0;
    outs.forEach((t, i) => t.data.forEach((v, j) => {
      const p = v * (rs[i]!.data[j] ?? 0);
      s += p;
      mag += Math.abs(p);
    }));
    return [s, mag];
  };
  const lossFn = async (bb: Backend, m: AnyLayer, ...xs: unknown[]): Promise<Tensor> => {
    const outs = outputs((await run(m as never, xs as never, { backend: bb } as never)).output);
    let total: Tensor | undefined;
    for (const [i, t] of outs.entries()) {
      const all = t.shape.map((_, k) => k);
      const s = await bb.reduce('sum', await bb.binary('mul', t, rs[i]!), all, false);
      total = total === undefined ? s : await bb.binary('add', total, s);
    }
    return total!;
  };
  const { grads, inputGrads } = await valueAndGrad(lossFn, { backend: b })(layer, ...inputs);
  const mismatches: GradMismatch[] = [];
  let checked = 0;
  const compare = async (where: string, x: Tensor, g: Tensor, rebuild: (t: Tensor) => Promise<readonly Tensor[]>): Promise<void> => {
    const n = x.size;
    const picks = new Set<number>();
    for (let k = 0; k < Math.min(samples, n); k++) picks.add(Math.floor(((k + 0.5) * n) / Math.min(samples, n)));
    for (const i of picks) {
      const v = x.data[i] ?? 0;
      const analytic = g.data[i] ?? 0;
      const at = async (d: number): Promise<[number, number]> => {
        const data = Float32Array.from(x.data as Float32Array);
        data[i] = v + d;
        return project(await rebuild(makeTensor(data, x.shape)));
      };
      // A kink (ReLU, max) closer than the step makes that step's difference meaningless: retry
      // with steps 10 and 100 times smaller (the float32 noise allowance grows accordingly).
      let best: GradMismatch | undefined;
      for (const h of [1, 0.1, 0.01].map((f) => f * step * Math.max(1, Math.abs(v)))) {
        const [up, magUp] = await at(h);
        const [down, magDown] = await at(-h);
        // divide by the steps float32 actually took
        const numeric = (up - down) / (Math.fround(v + h) - Math.fround(v - h));
        const noise = (64 * Math.max(magUp, magDown) * 2 ** -24) / h;
        const tolerance = noise + rtol * Math.max(Math.abs(analytic), Math.abs(numeric)) + 1e-5;
        if (Math.abs(analytic - numeric) <= tolerance) {
          best = undefined;
          break;
        }
        best ??= { where: `${where}[${i}]`, analytic, numeric, tolerance };
      }
      checked++;
      if (best !== undefined) mismatches.push(best);
    }
  };
  // parameters: every trainable tensor of the model, perturbed in place of the original
  const pairs: [string, Tensor, Tensor][] = [];
  zipParams([layer, grads], ([p, g], key) => {
    if (p !== undefined && g !== undefined) pairs.push([key, p, g]);
    return p;
  });
  for (const [key, p, g] of pairs) {
    await compare(`param ${key}`, p, g, (t) => forward(zipParams([layer], ([q]) => (q === p ? t : q)), inputs));
  }
  for (const [k, x] of inputs.entries()) {
    const g = inputGrads[k];
    if (!isTensor(x) || g === undefined) continue;
    await compare(`input #${k}`, x, g, (t) => forward(layer, inputs.map((y, j) => (j === k ? t : y))));
  }
  return { ok: mismatches.length === 0, checked, mismatches };
}

function outputs(out: unknown): readonly Tensor[] {
  if (isTensor(out)) return [out];
  if (Array.isArray(out) && out.every(isTensor)) return out;
  throw new TypeError('gradCheck: the layer must output a Tensor or an array of Tensors');
}

// --- the U-Net twins, with tensors

/**
 * A tensor U-Net of `depth` levels, as the contextual model (`SetContext` pushes each level's
 * input, `TakeContext` pops it on the way up) and as nested `Residual`s, sharing the same Linear
 * and Tanh layers (same weights). Both perform the same float operations.
 */
export function tensorUNets(depth: number, width: number, seed = 0): { readonly contextual: AnyLayer; readonly explicit: AnyLayer } {
  const downs = Array.from({ length: depth }, (_, i) => Chain(Linear({ inFeatures: width, outFeatures: width, seed: seed * 100 + i }), Tanh()));
  const ups = Array.from({ length: depth }, (_, i) => Chain(Linear({ inFeatures: width, outFeatures: width, seed: seed * 100 + 50 + i }), Tanh()));
  let inner: AnyLayer = Residual(downs[depth - 1]!);
  for (let i = depth - 2; i >= 0; i--) inner = Residual(downs[i]!, inner, ups[depth - 2 - i]!);
  const explicit = Chain(inner, ups[depth - 1]!);
  const push = () => SetContext('unet', 'residuals', (l: Tensor[], x: Tensor) => void l.push(x));
  const apply = () => Sum(Identity(), TakeContext('unet', 'residuals', (l: Tensor[]) => l.pop()!));
  const contextual = provide(
    Chain(Chain(...downs.flatMap((d) => [push(), d])), Chain(...ups.flatMap((u) => [apply(), u]))),
    { unet: { residuals: [] as Tensor[] } },
  );
  return { contextual, explicit };
}

/**
 * Gradients of `Σ out` for both twins, by original parameter tensor, and of the input; true when
 * they are equal bit for bit.
 */
export async function unetGradientsEqual(depth: number, width: number, x: Tensor, seed = 0, backend: Backend = referenceBackend): Promise<boolean> {
  const { contextual, explicit } = tensorUNets(depth, width, seed);
  const gradsOf = async (m: AnyLayer): Promise<[Map<Tensor, Tensor>, Tensor]> => {
    const f = valueAndGrad(async (b: Backend, mm: AnyLayer, xx: Tensor) => {
      const out = (await run(mm as never, [xx] as never, { backend: b } as never)).output as Tensor;
      return b.reduce('sum', out, out.shape.map((_, i) => i), false);
    }, { backend });
    const { grads, inputGrads } = await f(m, x);
    const byParam = new Map<Tensor, Tensor>();
    zipParams([m, grads], ([p, g]) => {
      if (p !== undefined && g !== undefined) byParam.set(p, g);
      return p;
    });
    return [byParam, inputGrads[0]!];
  };
  const [a, ax] = await gradsOf(contextual);
  const [b, bx] = await gradsOf(explicit);
  const same = (s: Tensor, t: Tensor): boolean => s.size === t.size && s.data.every((v, i) => Object.is(v, t.data[i]));
  return a.size === b.size && [...a].every(([p, g]) => b.has(p) && same(g, b.get(p)!)) && same(ax, bx);
}

// Vector-Jacobian products of the backend seam's primitives: one rule per primitive, written with
// backend primitives only, so every backend differentiates with its own kernels (no numerical
// differentiation, no second implementation of the maths).
//
// A rule receives the backend that computes the backward pass, the primitive's arguments as they
// were called, its output and the cotangent `g` (same shape as the output), and `wants[i]`, whether
// tensor input `i` needs a gradient. It returns one gradient per tensor input (`undefined` where
// not wanted or not differentiable: comparisons, indices, casts to int32).
//
// Conventions follow PyTorch where a derivative is a choice: `abs'(0) = 0`; `maximum`/`minimum`
// split the gradient equally on ties; reduce `max`/`min` share it equally between tied maxima (as
// `amax`); max pooling gives it to the first maximum of each window (as `max_pool2d`).
import type {
  Backend, BinaryOp, Conv2dParams, ConvTranspose2dParams, PadMode, Pool2dParams, PoolOp, ReduceOp, UnaryOp,
} from '../backend/Backend.ts';
import { full } from '../tensor/create.ts';
import { makeTensor, type DType, type Tensor } from '../tensor/Tensor.ts';

// --- model

/** The primitive methods of a backend (every member but `name`). */
export type PrimitiveMethod = Exclude<keyof Backend, 'name'>;

/** Arguments of primitive method `M`, as the backend was called. */
export type PrimitiveArgs<M extends PrimitiveMethod> = Parameters<Backend[M]>;

/** A gradient per tensor input; `undefined` where not wanted or not differentiable. */
export type InputGrads = readonly (Tensor | undefined)[];

/** How to differentiate one primitive method. */
export interface VjpRule<M extends PrimitiveMethod> {
  /** The tensor inputs of a call, in the order gradients are returned. */
  readonly inputs: (args: PrimitiveArgs<M>) => readonly Tensor[];
  /** Gradients of the tensor inputs, given the output's cotangent `g`. */
  readonly vjp: (b: Backend, args: PrimitiveArgs<M>, out: Tensor, g: Tensor, wants: readonly boolean[]) => Promise<InputGrads>;
}

type ElementwiseVjp = (b: Backend, xs: readonly Tensor[], out: Tensor, g: Tensor, wants: readonly boolean[]) => Promise<InputGrads>;

// --- utils (small compositions of primitives)

const c = (v: number): Tensor => full([], v);
const mul = async (b: Backend, x: Tensor, y: Tensor): Promise<Tensor> => b.binary('mul', x, y);
const negate = async (b: Backend, x: Tensor): Promise<Tensor> => b.binary('mul', x, c(-1));

/** Sums `g` (broadcast from `shape`) back down to `shape`: NumPy broadcasting's adjoint. */
export async function sumTo(b: Backend, g: Tensor, shape: readonly number[]): Promise<Tensor> {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.shape.length - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.shape.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const r = axes.length === 0 ? g : await b.reduce('sum', g, axes, true);
  return b.reshape(r, shape);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** `x` with `step - 1` zeros between neighbours along `axis`: the adjoint of a strided read. */
async function dilate(b: Backend, x: Tensor, axis: number, step: number): Promise<Tensor> {
  if (step === 1) return x;
  const n = x.shape[axis] ?? 0;
  const split = [...x.shape.slice(0, axis + 1), 1, ...x.shape.slice(axis + 1)];
  const pads = split.map((_, i): [number, number] => (i === axis + 1 ? [0, step - 1] : [0, 0]));
  const padded = await b.pad(await b.reshape(x, split), pads, 'constant', 0);
  const joined = [...x.shape];
  joined[axis] = n * step;
  const flat = await b.reshape(padded, joined);
  const keep = [...x.shape];
  keep[axis] = (n - 1) * step + 1;
  return b.slice(flat, x.shape.map(() => 0), x.shape.map(() => 1), keep);
}

/** Reverses `x` along `axis` (a slice with step -1). */
async function flip(b: Backend, x: Tensor, axis: number): Promise<Tensor> {
  const starts = x.shape.map((d, i) => (i === axis ? d - 1 : 0));
  const steps = x.shape.map((_, i) => (i === axis ? -1 : 1));
  return b.slice(x, starts, steps, x.shape);
}

/** Pads one axis with zeros. */
async function padAxis(b: Backend, x: Tensor, axis: number, before: number, after: number): Promise<Tensor> {
  if (before === 0 && after === 0) return x;
  return b.pad(x, x.shape.map((_, i): [number, number] => (i === axis ? [before, after] : [0, 0])), 'constant', 0);
}

/** Contiguous part `[start, start + n)` of one axis. */
async function narrowAxis(b: Backend, x: Tensor, axis: number, start: number, n: number): Promise<Tensor> {
  if (start === 0 && n === x.shape[axis]) return x;
  const shape = [...x.shape];
  shape[axis] = n;
  return b.slice(x, x.shape.map((_, i) => (i === axis ? start : 0)), x.shape.map(() => 1), shape);
}

/** The adjoint of `slice`: scatters `g` into zeros of `inShape` at the sliced positions. */
export async function unslice(
  b: Backend, g: Tensor, inShape: readonly number[], starts: readonly number[], steps: readonly number[],
): Promise<Tensor> {
  let t = g;
  for (let axis = 0; axis < inShape.length; axis++) {
    const n = g.shape[axis] ?? 0;
    const dim = inShape[axis] ?? 0;
    let start = starts[axis] ?? 0;
    let step = steps[axis] ?? 1;
    if (step === 1 && start === 0 && n === dim) continue;
    if (n === 0) {
      const shape = [...t.shape];
      shape[axis] = dim;
      t = full(shape, 0);
      continue;
    }
    if (step < 0) {
      // The same cells visited forwards: flip the cotangent and start from the lowest index.
      t = await flip(b, t, axis);
      start = start + (n - 1) * step;
      step = -step;
    }
    t = await dilate(b, t, axis, step);
    t = await padAxis(b, t, axis, start, dim - start - ((n - 1) * step + 1));
  }
  return t;
}

/** The adjoint of one axis of `pad` (applied axis by axis, which is how every mode composes). */
async function unpadAxis(b: Backend, g: Tensor, axis: number, before: number, after: number, dim: number, mode: PadMode): Promise<Tensor> {
  if (before === 0 && after === 0) return g;
  let t = await narrowAxis(b, g, axis, before, dim);
  if (mode === 'constant') return t;
  const head = before > 0 ? await narrowAxis(b, g, axis, 0, before) : undefined;
  const tail = after > 0 ? await narrowAxis(b, g, axis, before + dim, after) : undefined;
  if (mode === 'replicate') {
    // Every padded cell copies the edge: its cotangent goes to the edge.
    if (head !== undefined) t = await b.binary('add', t, await padAxis(b, await b.reduce('sum', head, [axis], true), axis, 0, dim - 1));
    if (tail !== undefined) t = await b.binary('add', t, await padAxis(b, await b.reduce('sum', tail, [axis], true), axis, dim - 1, 0));
    return t;
  }
  // reflect: padded cell i (before the edge) mirrors input cell before - i; cell j after mirrors dim - 2 - j.
  if (head !== undefined) t = await b.binary('add', t, await padAxis(b, await flip(b, head, axis), axis, 1, dim - 1 - before));
  if (tail !== undefined) t = await b.binary('add', t, await padAxis(b, await flip(b, tail, axis), axis, dim - 1 - after, 1));
  return t;
}

/**
 * Gradient of a convolution's weight: the correlation of the (padded) input with the output's
 * cotangent, itself a grouped conv2d with stride and dilation swapped. `xp` is the padded input
 * `[N, C, Hp, Wp]`, `g` `[N, O, OH, OW]`; returns `[O, C/groups, kh, kw]`.
 */
async function convWeightGrad(
  b: Backend, xp: Tensor, g: Tensor, stride: readonly [number, number], dilation: readonly [number, number],
  groups: number, kh: number, kw: number,
): Promise<Tensor> {
  const [N = 0, C = 0, Hp = 0, Wp = 0] = xp.shape;
  const Cg = C / groups;
  // input [Cg, groups*N, Hp, Wp]: group k holds channel k*Cg + c of every batch item
  const xr = await b.reshape(
    await b.permute(await b.reshape(xp, [N, groups, Cg, Hp, Wp]), [2, 1, 0, 3, 4]),
    [Cg, groups * N, Hp, Wp],
  );
  // weight [O, N, OH, OW]: output channel k*Og + o of group k
  const gr = await b.permute(g, [1, 0, 2, 3]);
  const corr = await b.conv2d(xr, gr, { stride: dilation, dilation: stride, padding: [0, 0, 0, 0], groups });
  const cut = await b.slice(corr, [0, 0, 0, 0], [1, 1, 1, 1], [Cg, corr.shape[1] ?? 0, kh, kw]);
  return b.permute(cut, [1, 0, 2, 3]);
}

// --- elementwise rules

const unaryRules = {
  exp: async (b, _x, y, g) => [await mul(b, g, y)],
  log: async (b, [x], _y, g) => [await b.binary('div', g, x!)],
  sqrt: async (b, _x, y, g) => [await b.binary('div', g, await mul(b, y, c(2)))],
  rsqrt: async (b, _x, y, g) => [await mul(b, g, await mul(b, c(-0.5), await mul(b, y, await mul(b, y, y))))],
  abs: async (b, [x], _y, g) => [await mul(b, g, await b.binary('sub', await b.binary('lt', c(0), x!), await b.binary('lt', x!, c(0))))],
  sin: async (b, [x], _y, g) => [await mul(b, g, await b.unary('cos', x!))],
  cos: async (b, [x], _y, g) => [await mul(b, g, await negate(b, await b.unary('sin', x!)))],
  tanh: async (b, _x, y, g) => [await mul(b, g, await b.binary('sub', c(1), await mul(b, y, y)))],
  sigmoid: async (b, _x, y, g) => [await mul(b, g, await mul(b, y, await b.binary('sub', c(1), y)))],
  erf: async (b, [x], _y, g) => [
    await mul(b, g, await mul(b, c(2 / Math.sqrt(Math.PI)), await b.unary('exp', await negate(b, await mul(b, x!, x!))))),
  ],
  // d/dx x·Φ(x) = Φ(x) + x·φ(x), φ(x) = e^(-x²/2) / √(2π)
  gelu: async (b, [x], _y, g) => {
    const cdf = await mul(b, c(0.5), await b.binary('add', c(1), await b.unary('erf', await mul(b, x!, c(Math.SQRT1_2)))));
    const pdf = await mul(b, c(1 / Math.sqrt(2 * Math.PI)), await b.unary('exp', await mul(b, c(-0.5), await mul(b, x!, x!))));
    return [await mul(b, g, await b.binary('add', cdf, await mul(b, x!, pdf)))];
  },
  // d/dx x·σ(x) = σ(x)·(1 + x·(1 - σ(x)))
  silu: async (b, [x], _y, g) => {
    const s = await b.unary('sigmoid', x!);
    return [await mul(b, g, await mul(b, s, await b.binary('add', c(1), await mul(b, x!, await b.binary('sub', c(1), s)))))];
  },
} satisfies Record<UnaryOp, ElementwiseVjp>;

/** `maximum`/`minimum`'s gradients: all of `g` to the winner, half to each on ties. */
async function byWinner(b: Backend, a: Tensor, bb: Tensor, g: Tensor, op: 'max' | 'min'): Promise<InputGrads> {
  const wins = op === 'max' ? await b.binary('lt', bb, a) : await b.binary('lt', a, bb);
  const share = await b.binary('add', wins, await mul(b, c(0.5), await b.binary('eq', a, bb)));
  return [await mul(b, g, share), await mul(b, g, await b.binary('sub', c(1), share))];
}

const binaryRules = {
  add: async (_b, _xs, _y, g) => [g, g],
  sub: async (b, _xs, _y, g, w) => [g, w[1] ? await negate(b, g) : undefined],
  mul: async (b, [x, y], _o, g, w) => [w[0] ? await mul(b, g, y!) : undefined, w[1] ? await mul(b, g, x!) : undefined],
  div: async (b, [, y], o, g, w) => {
    const gx = await b.binary('div', g, y!);
    return [gx, w[1] ? await negate(b, await mul(b, gx, o)) : undefined];
  },
  pow: async (b, [x, e], o, g, w) => [
    // d/dx x^e = e x^(e-1); d/de x^e = x^e log x, taken as 0 where x = 0 (as PyTorch)
    w[0] ? await mul(b, g, await mul(b, e!, await b.binary('pow', x!, await b.binary('sub', e!, c(1))))) : undefined,
    w[1]
      ? await b.where(await b.binary('eq', x!, c(0)), c(0), await mul(b, g, await mul(b, o, await b.unary('log', x!))))
      : undefined,
  ],
  max: async (b, [x, y], _o, g) => byWinner(b, x!, y!, g, 'max'),
  min: async (b, [x, y], _o, g) => byWinner(b, x!, y!, g, 'min'),
  lt: async () => [undefined, undefined],
  eq: async () => [undefined, undefined],
  prelu: async (b, [x, slope], _o, g, w) => {
    const pos = await b.binary('lt', c(0), x!);
    return [
      w[0] ? await b.where(pos, g, await mul(b, g, slope!)) : undefined,
      w[1] ? await b.where(pos, c(0), await mul(b, g, x!)) : undefined,
    ];
  },
} satisfies Record<BinaryOp, ElementwiseVjp>;

// --- reduce and pooling rules

/** `g` reduced over `axes` brought back to `shape` (kept dims, then broadcast). */
async function unreduce(b: Backend, g: Tensor, shape: readonly number[], axes: readonly number[]): Promise<Tensor> {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return b.expand(await b.reshape(g, kept), shape);
}

const reduceRules = {
  sum: async (b, x, axes, g) => unreduce(b, g, x.shape, axes),
  max: (b, x, axes, g, y) => shareAmongExtrema(b, x, axes, g, y),
  min: (b, x, axes, g, y) => shareAmongExtrema(b, x, axes, g, y),
} satisfies Record<ReduceOp, (b: Backend, x: Tensor, axes: readonly number[], g: Tensor, y: Tensor) => Promise<Tensor>>;

async function shareAmongExtrema(b: Backend, x: Tensor, axes: readonly number[], g: Tensor, y: Tensor): Promise<Tensor> {
  const hit = await b.binary('eq', x, await unreduce(b, y, x.shape, axes));
  const count = await unreduce(b, await b.reduce('sum', hit, axes, false), x.shape, axes);
  return mul(b, await unreduce(b, g, x.shape, axes), await b.binary('div', hit, count));
}

/**
 * Pooling's adjoint, one kernel offset at a time: the input cells offset `(i, j)` reads form a
 * strided slice of the padded input, so each offset's share of `g` goes back through `unslice`.
 */
async function pool2dVjp(b: Backend, op: PoolOp, x: Tensor, p: Pool2dParams, y: Tensor, g: Tensor): Promise<Tensor> {
  const [N = 0, C = 0, H = 0, W = 0] = x.shape;
  const [kh, kw] = p.kernel;
  const [sh, sw] = p.stride;
  const [ph, pw] = p.padding;
  const [OH, OW] = p.outShape;
  if (sh === kh && sw === kw && ph === 0 && pw === 0 && OH * kh === H && OW * kw === W) return tiledPoolVjp(b, op, x, p, y, g);
  // pad so that every window lies inside (ceil mode may run past the padded input)
  const Hp = Math.max(H + 2 * ph, (OH - 1) * sh + kh);
  const Wp = Math.max(W + 2 * pw, (OW - 1) * sw + kw);
  const padded = [N, C, Hp, Wp];
  const pads: [number, number][] = [[0, 0], [0, 0], [ph, Hp - H - ph], [pw, Wp - W - pw]];
  const xp = op === 'max' ? await b.pad(x, pads, 'constant', -Infinity) : undefined;
  const share = op === 'avg' ? await b.binary('div', g, avgDivisor(H, W, p)) : g;
  let taken: Tensor | undefined;
  let acc: Tensor | undefined;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const starts = [0, 0, i, j];
      const steps = [1, 1, sh, sw];
      let part = share;
      if (xp !== undefined) {
        // the first maximum of each window (row-major offsets) takes the whole gradient
        const hit = await b.binary('eq', await b.slice(xp, starts, steps, [N, C, OH, OW]), y);
        const first = taken === undefined ? hit : await mul(b, hit, await b.binary('sub', c(1), taken));
        taken = taken === undefined ? first : await b.binary('add', taken, first);
        part = await mul(b, g, first);
      }
      const back = await unslice(b, part, padded, starts, steps);
      acc = acc === undefined ? back : await b.binary('add', acc, back);
    }
  }
  return b.slice(acc!, [0, 0, ph, pw], [1, 1, 1, 1], [N, C, H, W]);
}

/**
 * The common case of windows that tile the input exactly (a 2×2 pool of stride 2): the input is
 * viewed as `[N, C, OH, kh, OW, kw]`, so each offset's share is a plain slice and the gradient is
 * assembled by concatenation, without padding or strided scatters.
 */
async function tiledPoolVjp(b: Backend, op: PoolOp, x: Tensor, p: Pool2dParams, y: Tensor, g: Tensor): Promise<Tensor> {
  const [N = 0, C = 0] = x.shape;
  const [kh, kw] = p.kernel;
  const [OH, OW] = p.outShape;
  const cell = [N, C, OH, 1, OW, 1];
  const g6 = await b.reshape(g, cell);
  if (op === 'avg') {
    const share = await b.binary('div', g6, c(kh * kw));
    return b.reshape(await b.expand(share, [N, C, OH, kh, OW, kw]), x.shape);
  }
  const x6 = await b.reshape(x, [N, C, OH, kh, OW, kw]);
  const y6 = await b.reshape(y, cell);
  let taken: Tensor | undefined;
  const rows: Tensor[] = [];
  for (let i = 0; i < kh; i++) {
    const parts: Tensor[] = [];
    for (let j = 0; j < kw; j++) {
      // the first maximum of each window (row-major offsets) takes the whole gradient
      const hit = await b.binary('eq', await b.slice(x6, [0, 0, 0, i, 0, j], [1, 1, 1, 1, 1, 1], cell), y6);
      const first = taken === undefined ? hit : await mul(b, hit, await b.binary('sub', c(1), taken));
      taken = taken === undefined ? first : await b.binary('add', taken, first);
      parts.push(await mul(b, g6, first));
    }
    rows.push(parts.length === 1 ? parts[0]! : await b.concat(parts, 5));
  }
  return b.reshape(rows.length === 1 ? rows[0]! : await b.concat(rows, 3), x.shape);
}

/** Average pooling's divisor per output cell (a constant of the shapes, `[OH, OW]`). */
function avgDivisor(H: number, W: number, p: Pool2dParams): Tensor {
  const [OH, OW] = p.outShape;
  const span = (o: number, k: number, s: number, pad: number, n: number): number => {
    const lo = o * s - pad;
    const hi = lo + k;
    return p.countIncludePad ? Math.min(hi, n + pad) - lo : Math.min(hi, n) - Math.max(lo, 0);
  };
  const out = new Float32Array(OH * OW);
  for (let oy = 0; oy < OH; oy++) {
    for (let ox = 0; ox < OW; ox++) {
      out[oy * OW + ox] = span(oy, p.kernel[0], p.stride[0], p.padding[0], H) * span(ox, p.kernel[1], p.stride[1], p.padding[1], W);
    }
  }
  return makeTensor(out, [OH, OW]);
}

// --- the table

const isFloat = (t: Tensor): boolean => t.dtype === 'float32';
const none = async (): Promise<InputGrads> => [];

/**
 * The VJP of every primitive method of the backend seam, keyed by the closed set (`unary` and
 * `binary` by their ops): adding a primitive without its rule does not compile.
 *
 * @example
 * ```ts
 * import { vjpRules, referenceBackend as b, fromArray, toNested } from 'canopy-nn';
 * const x = fromArray([1, 2]);
 * const y = await b.unary('exp', x);
 * const [gx] = await vjpRules.unary.vjp(b, ['exp', x], y, fromArray([1, 0]));
 * toNested(gx!); // [2.7182817459106445, 0]
 * ```
 */
export const vjpRules = {
  unary: {
    inputs: ([, x]) => [x],
    vjp: (b, [op, x], out, g) => unaryRules[op](b, [x], out, g),
  },
  binary: {
    inputs: ([, x, y]) => [x, y],
    vjp: async (b, [op, x, y], out, g, wants) => {
      const gs = await binaryRules[op](b, [x, y], out, g, wants);
      return [
        wants[0] && gs[0] !== undefined ? await sumTo(b, gs[0], x.shape) : undefined,
        wants[1] && gs[1] !== undefined ? await sumTo(b, gs[1], y.shape) : undefined,
      ];
    },
  },
  where: {
    inputs: ([cond, x, y]) => [cond, x, y],
    vjp: async (b, [cond, x, y], _out, g, wants) => [
      undefined,
      wants[1] ? await sumTo(b, await b.where(cond, g, c(0)), x.shape) : undefined,
      wants[2] ? await sumTo(b, await b.where(cond, c(0), g), y.shape) : undefined,
    ],
  },
  cast: {
    inputs: ([x]) => [x],
    vjp: async (_b, [x, dtype], _out, g) => [isFloat(x) && dtype === 'float32' ? g : undefined],
  },
  reduce: {
    inputs: ([, x]) => [x],
    vjp: async (b, [op, x, axes], out, g) => [await reduceRules[op](b, x, axes, g, out)],
  },
  argmax: { inputs: ([x]) => [x], vjp: none },
  reshape: {
    inputs: ([x]) => [x],
    vjp: async (b, [x], _out, g) => [await b.reshape(g, x.shape)],
  },
  permute: {
    inputs: ([x]) => [x],
    vjp: async (b, [, axes], _out, g) => {
      const inverse: number[] = [];
      axes.forEach((a, i) => { inverse[a] = i; });
      return [await b.permute(g, inverse)];
    },
  },
  expand: {
    inputs: ([x]) => [x],
    vjp: async (b, [x], _out, g) => [await sumTo(b, g, x.shape)],
  },
  slice: {
    inputs: ([x]) => [x],
    vjp: async (b, [x, starts, steps], _out, g) => [await unslice(b, g, x.shape, starts, steps)],
  },
  pad: {
    inputs: ([x]) => [x],
    vjp: async (b, [x, pads, mode], _out, g) => {
      let t = g;
      for (let axis = x.shape.length - 1; axis >= 0; axis--) {
        const [before, after] = pads[axis] ?? [0, 0];
        t = await unpadAxis(b, t, axis, before, after, x.shape[axis] ?? 0, mode);
      }
      return [t];
    },
  },
  concat: {
    inputs: ([xs]) => xs,
    vjp: async (b, [xs, axis], _out, g, wants) => {
      const out: (Tensor | undefined)[] = [];
      let at = 0;
      for (const [i, x] of xs.entries()) {
        const n = x.shape[axis] ?? 0;
        out.push(wants[i] ? await narrowAxis(b, g, axis, at, n) : undefined);
        at += n;
      }
      return out;
    },
  },
  matmul: {
    inputs: ([x, y]) => [x, y],
    vjp: async (b, [x, y], _out, g, wants) => [
      wants[0] ? await b.matmul(g, await b.permute(y, [0, 2, 1])) : undefined,
      wants[1] ? await b.matmul(await b.permute(x, [0, 2, 1]), g) : undefined,
    ],
  },
  conv2d: {
    inputs: ([x, w]) => [x, w],
    vjp: async (b, [x, w, p], _out, g, wants) => [
      wants[0] ? await conv2dInputGrad(b, x, w, p, g) : undefined,
      wants[1]
        ? await convWeightGrad(
          b, await b.pad(x, [[0, 0], [0, 0], [p.padding[0], p.padding[1]], [p.padding[2], p.padding[3]]], 'constant', 0),
          g, p.stride, p.dilation, p.groups, w.shape[2] ?? 0, w.shape[3] ?? 0,
        )
        : undefined,
    ],
  },
  convTranspose2d: {
    inputs: ([x, w]) => [x, w],
    vjp: async (b, [x, w, p], _out, g, wants) => [
      // the transposed convolution is conv2d's adjoint, so its adjoint is conv2d with the same weight
      wants[0]
        ? await b.conv2d(g, w, { stride: p.stride, dilation: p.dilation, padding: [p.padding[0], p.padding[0], p.padding[1], p.padding[1]], groups: p.groups })
        : undefined,
      wants[1] ? await convTransposeWeightGrad(b, x, w, p, g) : undefined,
    ],
  },
  pool2d: {
    inputs: ([, x]) => [x],
    vjp: async (b, [op, x, p], out, g) => [await pool2dVjp(b, op, x, p, out, g)],
  },
  gather: {
    inputs: ([x, indices]) => [x, indices],
    vjp: async (b, [x, indices, axis], _out, g) => [await gatherVjp(b, x, indices, axis, g), undefined],
  },
} satisfies { [M in PrimitiveMethod]: VjpRule<M> };

// --- contraction and indexing rules

async function conv2dInputGrad(b: Backend, x: Tensor, w: Tensor, p: Conv2dParams, g: Tensor): Promise<Tensor> {
  const [N = 0, C = 0, H = 0, W = 0] = x.shape;
  const [pt, pb, pl, pr] = p.padding;
  // the full transposed convolution covers the rows the forward pass read; the rest of the padded
  // input (rows the last window did not reach) gets zero, then the padding is cut off
  const full2 = await b.convTranspose2d(g, w, {
    stride: p.stride, dilation: p.dilation, padding: [0, 0], outputPadding: [0, 0], groups: p.groups,
  });
  const Hp = H + pt + pb;
  const Wp = W + pl + pr;
  const fh = full2.shape[2] ?? 0;
  const fw = full2.shape[3] ?? 0;
  const padded = await b.pad(full2, [[0, 0], [0, 0], [0, Hp - fh], [0, Wp - fw]], 'constant', 0);
  return b.slice(padded, [0, 0, pt, pl], [1, 1, 1, 1], [N, C, H, W]);
}

async function convTransposeWeightGrad(b: Backend, x: Tensor, w: Tensor, p: ConvTranspose2dParams, g: Tensor): Promise<Tensor> {
  // y[n, o, h*s - p + i*d] += x[n, c, h] w[c, o, i, j]: the correlation of the padded output
  // cotangent with the input, the conv2d weight-gradient formula with the roles swapped
  const [ph, pw] = p.padding;
  const gp = await b.pad(g, [[0, 0], [0, 0], [ph, ph], [pw, pw]], 'constant', 0);
  return convWeightGrad(b, gp, x, p.stride, p.dilation, p.groups, w.shape[2] ?? 0, w.shape[3] ?? 0);
}

/** Scatter-add of `g` to the gathered rows, as a one-hot matrix product. */
async function gatherVjp(b: Backend, x: Tensor, indices: Tensor, axis: number, g: Tensor): Promise<Tensor> {
  const D = x.shape[axis] ?? 0;
  const n = indices.size;
  const pre = x.shape.slice(0, axis).reduce((a, d) => a * d, 1);
  const post = x.shape.slice(axis + 1).reduce((a, d) => a * d, 1);
  const idx = await b.reshape(await b.cast(indices, 'float32'), [1, 1, n]);
  const range = new Float32Array(D).map((_, i) => i);
  const oneHotT = await b.binary('eq', makeTensor(range, [1, D, 1]), idx); // [1, D, n]
  const gt = await b.reshape(await b.permute(await b.reshape(g, [pre, n, post]), [1, 0, 2]), [1, n, pre * post]);
  const back = await b.reshape(await b.matmul(oneHotT, gt), [D, pre, post]);
  return b.reshape(await b.permute(back, [1, 0, 2]), x.shape);
}

/** True when a tensor of this dtype can carry a gradient. @internal */
export function differentiable(dtype: DType): boolean {
  return dtype === 'float32';
}

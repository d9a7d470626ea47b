// Liveness within a run (src/tensor/device.ts `releaseDead`, called by runSequence): a sequence's
// intermediate is released once the next child has used it, unless it is the sequence's own
// argument, carried on in the next result, written into a context or held by the gradient tape.
// Checked on gpu.js's CPU modes with `resident: true` (the device lifetimes over host memory).
import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/Backend.ts';
import { createGpujsBackend } from '../../src/backend/gpujs/index.ts';
import {
  Breakpoint,
  CanopyError,
  Chain,
  Concatenate,
  Conv2d,
  Identity,
  Lambda,
  Linear,
  Residual,
  SetContext,
  Sum,
  UseContext,
  add,
  disposeTensor,
  provide,
  randn,
  readTensor,
  run,
  runSync,
  stateDict,
  sum,
  tuple,
  valueAndGrad,
  type AnyLayer,
  type Tensor,
} from '../../src/index.ts';

const sync = createGpujsBackend({ mode: 'cpu', resident: true });
const asyncBackend = createGpujsBackend({ mode: 'async', threads: 1, resident: true });
const plain = createGpujsBackend({ mode: 'cpu' });
afterAll(() => {
  sync.destroy();
  asyncBackend.destroy();
  plain.destroy();
});

const conv = (seed: number) => Conv2d({ inChannels: 4, outChannels: 4, kernelSize: 3, padding: 1, activation: 'relu', seed });
const x = randn([1, 4, 8, 8], 3);
const BYTES = x.size * 4; // every conv output here has x's shape

// A Breakpoint records the device tensors alive at its place in the run.
const liveAt = (b: typeof sync) => {
  const seen: number[] = [];
  return { seen, onBreakpoint: () => void seen.push(b.deviceStats().liveTensors) };
};
const deep = (n: number): AnyLayer => Chain(...Array.from({ length: n }, (_, i) => conv(i)), Breakpoint());
const values = async (t: unknown): Promise<number[]> => Array.from(await readTensor(t as Tensor));
// The resident kernels sum in another order than gpu.js's host kernels: equal to a few ulps. A
// tensor used after its release would throw (deviceHandle), so a run that completes read live ones.
const expectClose = (got: readonly number[], want: ArrayLike<number>): void => {
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-5));
};

describe('liveness within a run: intermediates released when dead', () => {
  // runSync needs synchronous layers: the backends' primitives called directly (the CPU mode's are).
  const tanh = (b: Backend) => Lambda((t: Tensor) => b.unary('tanh', t) as Tensor);
  for (const [name, b, layer, go] of [
    ['runSync', sync, () => tanh(sync), (m: AnyLayer, o: object) => Promise.resolve(runSync(m, [x], o))],
    ['run (async kernels)', asyncBackend, conv, (m: AnyLayer, o: object) => run(m, [x], o)],
  ] as const) {
    it(`a deep Chain holds one intermediate at a time (${name})`, async () => {
      const model = Chain(...Array.from({ length: 24 }, (_, i) => layer(i)), Breakpoint());
      const s0 = b.deviceStats({ resetPeak: true });
      const hook = liveAt(b);
      const { output } = await go(model, { backend: b, onBreakpoint: hook.onBreakpoint });
      // At the end: the last layer's output alone (the 23 before it were released as they died).
      expect(hook.seen.map((n) => n - s0.liveTensors)).toEqual([1]);
      // At most an input and an output of one layer at once, never the whole chain's 24.
      expect(b.deviceStats().peakBytes - s0.liveBytes).toBeLessThanOrEqual(2 * BYTES);
      const hostModel = layer === conv ? model : Chain(...Array.from({ length: 24 }, () => tanh(plain)));
      expectClose(await values(output), await values((await run(hostModel, [x], { backend: plain })).output));
      disposeTensor(output as Tensor);
      expect(b.deviceStats().liveTensors).toBe(s0.liveTensors);
    });
  }

  it('a Residual keeps its input alive for the add when an Identity passes it through', async () => {
    const model = Chain(conv(1), Residual(Identity(), conv(2)), Residual(conv(3), conv(4)), Residual(Identity()));
    const want = await values((await run(model, [x], { backend: plain })).output);
    const { output } = await run(model, [x], { backend: sync });
    expectClose(await values(output), want);
    disposeTensor(output as Tensor);
  });

  it("same-shaped convs: a kernel's result released before its next call (WebGL2 renders into it again)", async () => {
    const model = Chain(conv(1), conv(2), Residual(Identity(), conv(3)), conv(4), Residual(conv(5), conv(6)), conv(7), conv(8));
    disposeTensor((await run(model, [x], { backend: sync })).output as Tensor); // the first run's kernels
    const s0 = sync.deviceStats({ resetPeak: true });
    const { output } = await run(model, [x], { backend: sync });
    const s1 = sync.deviceStats();
    expect(s1.kernelCalls - s0.kernelCalls).toBe(10); // 8 convs (one kernel), 2 adds (one kernel)
    // conv 1, 4, 7 and both adds find every earlier result of their kernel released (2 without early release)
    expect(s1.reusableCalls - s0.reusableCalls).toBe(5);
    expect(s1.peakBytes - s0.liveBytes).toBeLessThanOrEqual(3 * BYTES);
    disposeTensor(output as Tensor);
  });

  it('Sum and Concatenate release their children\'s outputs once combined, never their own input', async () => {
    const s0 = sync.deviceStats();
    const hook = liveAt(sync);
    const model = Chain(conv(1), Sum(conv(2), conv(3)), Breakpoint(), Concatenate({ dim: 1 }, conv(4), Identity()), Breakpoint());
    const { output } = await run(model, [x], { backend: sync, onBreakpoint: hook.onBreakpoint });
    // after the Sum: its result alone; after the Concatenate: its result alone
    expect(hook.seen.map((n) => n - s0.liveTensors)).toEqual([1, 1]);
    expectClose(await values(output), await values((await run(model, [x], { backend: plain })).output));
    disposeTensor(output as Tensor);
    const withInput = Chain(conv(1), Residual(Sum(Identity(), conv(2), conv(3)))); // the Residual adds the input again
    const got = (await run(withInput, [x], { backend: sync })).output;
    expectClose(await values(got), await values((await run(withInput, [x], { backend: plain })).output));
    disposeTensor(got as Tensor);
    expect(sync.deviceStats().liveTensors).toBe(s0.liveTensors);
  });

  it("a Linear's transposed weight and product are released inside the op (same values)", async () => {
    const s0 = sync.deviceStats();
    const hook = liveAt(sync);
    const model = Chain(Linear({ inFeatures: 8, outFeatures: 16 }), Linear({ inFeatures: 16, outFeatures: 8, bias: false }), Breakpoint());
    const xs = randn([4, 8], 5);
    const { output } = await run(model, [xs], { backend: sync, onBreakpoint: hook.onBreakpoint });
    expect(hook.seen.map((n) => n - s0.liveTensors)).toEqual([1]);
    expectClose(await values(output), await values((await run(model, [xs], { backend: plain })).output));
    disposeTensor(output as Tensor);
  });

  it('a tensor carried on in a tuple stays alive until its last use', async () => {
    const pair = Lambda((y: Tensor) => tuple(y, y));
    const addBoth = Lambda(async (a: Tensor, c: Tensor) => add(sync, a, c));
    const model = Chain(conv(1), pair, Lambda((a: Tensor, c: Tensor) => tuple(a, c)), addBoth);
    const reference = Chain(conv(1), pair, addBoth);
    const { output } = await run(model, [x], { backend: sync });
    expect(await values(output)).toEqual(await values((await run(reference, [x], { backend: sync })).output));
  });

  it('a tensor written into a context survives the layers after it', async () => {
    const model = provide(
      Chain(conv(1), SetContext('saved', 'y'), conv(2), conv(3), UseContext('saved', 'y')),
      { saved: { y: undefined as Tensor | undefined } },
    );
    const want = await values((await run(model, [x], { backend: plain })).output);
    const { output } = await run(model, [x], { backend: sync });
    expectClose(await values(output), want);
    // a list in a context (a U-Net's skips) keeps every tensor in it
    const skips = provide(
      Chain(conv(1), SetContext('skips', 'list', (l: Tensor[], y: Tensor) => void l.push(y)), conv(2), SetContext('skips', 'list', (l: Tensor[], y: Tensor) => void l.push(y)), conv(3), UseContext('skips', 'list')),
      { skips: { list: [] as Tensor[] } },
    );
    const listed = (await run(skips, [x], { backend: sync })).output as unknown as Tensor[];
    const expected = (await run(skips, [x], { backend: plain })).output as unknown as Tensor[];
    for (const [i, t] of listed.entries()) expectClose(await values(t), expected[i]!.data);
  });

  it('an intermediate a layer stashed is released when dead: reading it is the disposed CanopyError', async () => {
    let stashed: Tensor | undefined;
    const model = Chain(conv(1), Lambda((y: Tensor) => ((stashed = y), y)), conv(2), conv(3));
    const { output } = await run(model, [x], { backend: sync });
    expect(() => stashed!.data).toThrow(CanopyError);
    expect(() => stashed!.data).toThrow(/must not be disposed to be read, got a disposed one/);
    disposeTensor(output);
    // host tensors are never recycled: a stashed host intermediate keeps its values
    const host = (await run(model, [x], { backend: plain })).output;
    expect(stashed!.data.length).toBe(x.size);
    expect(host.size).toBe(x.size);
  });

  it("a nested run's output belongs to its caller: a layer may keep it across runs", async () => {
    let memo: Tensor | undefined;
    const cached = Lambda(async (y: Tensor) => (memo ??= (await run(conv(2), [y], { backend: sync })).output));
    const model = Chain(conv(1), cached, conv(3));
    const first = (await run(model, [x], { backend: sync })).output;
    const second = (await run(model, [x], { backend: sync })).output; // reads the memo: still alive
    expect(await values(second)).toEqual(await values(first));
    for (const t of [first, second, memo!]) disposeTensor(t);
  });

  it('concurrent runs each release only their own dead intermediates', async () => {
    const s0 = asyncBackend.deviceStats();
    const inputs = [0, 1, 2].map((s) => randn([1, 4, 8, 8], 10 + s));
    const want = await Promise.all(inputs.map(async (i) => values((await run(deep(12), [i], { backend: plain })).output)));
    const outs = await Promise.all(inputs.map((i) => run(deep(12), [i], { backend: asyncBackend })));
    for (const [k, { output }] of outs.entries()) expectClose(await values(output), want[k]!);
    for (const { output } of outs) disposeTensor(output as Tensor);
    expect(asyncBackend.deviceStats().liveTensors).toBe(s0.liveTensors);
  });

  it('gradients through Chains and Residuals: the tape keeps what it saved, values match the host', async () => {
    const model = Chain(conv(1), Residual(Identity(), conv(2)), Residual(conv(3)), conv(4));
    const loss = async (b: Backend, m: typeof model, t: Tensor): Promise<Tensor> => sum(b, (await run(m, [t], { backend: b })).output);
    const want = await valueAndGrad(loss, { backend: plain })(model, x);
    for (const b of [sync, asyncBackend]) {
      const s0 = b.deviceStats();
      const got = await valueAndGrad(loss, { backend: b })(model, x);
      expect(got.value).toBeCloseTo(want.value, 3);
      for (const [k, g] of stateDict(got.grads)) {
        const w = stateDict(want.grads).get(k)!;
        g.data.forEach((v, i) => expect(v).toBeCloseTo(w.data[i]!, 3));
        disposeTensor(g);
      }
      disposeTensor(got.loss);
      for (const g of got.inputGrads) if (g !== undefined) disposeTensor(g);
      expect(b.deviceStats().liveTensors).toBe(s0.liveTensors);
    }
  });
});

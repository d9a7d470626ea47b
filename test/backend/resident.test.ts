// Device-resident tensors without a GPU: gpu.js's CPU modes with `resident: true` run the same
// resident kernels and lifetimes as WebGPU/WebGL2 (values in host arrays), so the counting, the
// run scopes and the read rules are checked here fast; test/browser/device.test.ts checks them on
// the real devices.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/Backend.ts';
import { createGpujsBackend } from '../../src/backend/gpujs/index.ts';
import { Chain, Conv2d, CanopyError, Lambda, Linear, disposeTensor, isOnDevice, randn, readTensor, referenceBackend, run, stateDict, sum, valueAndGrad, type Tensor } from '../../src/index.ts';
import { detectorOutput } from '../../src/models/faceapi/index.ts';
import { composeEpilogue } from '../../src/backend/fused.ts';
import { makeTensor } from '../../src/tensor/Tensor.ts';
import { faceApiModels } from '../models/faceapi/helpers.ts';
import { convCases, poolCases } from './windowCases.ts';
import { deviceCopyBytes } from './deviceCopies.ts';

const sync = createGpujsBackend({ mode: 'cpu', resident: true });
const asyncBackend = createGpujsBackend({ mode: 'async', threads: 1, resident: true });
afterAll(() => {
  sync.destroy();
  asyncBackend.destroy();
});

const model = Chain(Conv2d({ inChannels: 3, outChannels: 8, kernelSize: 3, padding: 1, activation: 'relu' }), Conv2d({ inChannels: 8, outChannels: 4, kernelSize: 3, stride: 2 }));
const x = randn([1, 3, 12, 12], 1);

describe('device-resident tensors (gpu.js CPU modes, residency emulated)', () => {
  it('a conv of an empty input with padding still adds its bias and activation (host fallback)', async () => {
    const x = makeTensor(new Float32Array(0), [1, 1, 0, 1]);
    const w = makeTensor(new Float32Array([2]), [1, 1, 1, 1]);
    const p = { stride: [1, 1], dilation: [1, 1], padding: [1, 1, 1, 1], groups: 1 } as const;
    const e = { bias: makeTensor(new Float32Array([-3]), [1]), activation: { op: 'prelu', slope: 0.5 } } as const;
    const got = await sync.conv2dEpilogue(x, w, p, e);
    const want = await composeEpilogue(referenceBackend, await referenceBackend.conv2d(x, w, p), e);
    expect(got.shape).toEqual([1, 1, 2, 3]);
    expect(Array.from(await readTensor(got))).toEqual(Array.from(want.data)); // -1.5 everywhere
  });

  it('a run leaves only its output alive and reads nothing back until the output is read', async () => {
    const s0 = sync.deviceStats();
    const { output } = await run(model, [x], { backend: sync });
    const s1 = sync.deviceStats();
    expect(isOnDevice(output)).toBe(true);
    expect(s1.kernelCalls - s0.kernelCalls).toBe(2);
    expect(s1.readbacks - s0.readbacks).toBe(0);
    expect(s1.liveTensors - s0.liveTensors).toBe(1);
    expect(s1.liveBytes - s0.liveBytes).toBe(output.size * 4);
    const values = await readTensor(output);
    expect(output.data).toBe(values); // the host copy, no second readback
    expect(sync.deviceStats().readbacks - s0.readbacks).toBe(1);
    disposeTensor(output);
    expect(sync.deviceStats().liveTensors).toBe(s0.liveTensors);
    expect(output.data).toBe(values); // read before dispose: still readable
  });

  it('synchronous data of an unread tensor: a counted readback (WebGL) or a CanopyError (WebGPU)', async () => {
    const a = (await run(model, [x], { backend: sync })).output;
    const r0 = sync.deviceStats().readbacks;
    const d = a.data;
    expect(a.data).toBe(d);
    expect(sync.deviceStats().readbacks - r0).toBe(1);
    disposeTensor(a);

    const b = (await run(model, [x], { backend: asyncBackend })).output;
    expect(() => b.data).toThrow(CanopyError);
    expect(() => b.data).toThrow(/must be read with `await readTensor\(t\)` before `t.data`/);
    (await readTensor(b)).forEach((v, i) => expect(v).toBeCloseTo(d[i]!, 5));
    disposeTensor(b);
    await expect(readTensor(b)).resolves.toBeInstanceOf(Float32Array); // read before dispose
    const c = (await run(model, [x], { backend: asyncBackend })).output;
    disposeTensor(c);
    await expect(readTensor(c)).rejects.toThrow(/must not be disposed to be read/);
  });

  it('no growth over 100 runs: live device tensors and bytes stay those of the held output', async () => {
    const s0 = sync.deviceStats();
    const live: number[] = [];
    for (let i = 0; i < 100; i++) {
      const { output } = await run(model, [x], { backend: sync });
      live.push(sync.deviceStats().liveTensors - s0.liveTensors);
      disposeTensor(output);
    }
    expect(new Set(live)).toEqual(new Set([1]));
    const s1 = sync.deviceStats();
    expect(s1.liveTensors).toBe(s0.liveTensors);
    expect(s1.liveBytes).toBe(s0.liveBytes);
    expect(s1.kernelCalls - s0.kernelCalls).toBe(200);
    expect(s1.readbacks - s0.readbacks).toBe(0);
  });

  it('weights are uploaded once: a conv weight, or a host operand used again, is kept on the device, outside liveBytes', async () => {
    const b = createGpujsBackend({ mode: 'cpu', resident: true });
    const m = Chain(Conv2d({ inChannels: 3, outChannels: 8, kernelSize: 3, padding: 1, activation: 'relu' }), Conv2d({ inChannels: 8, outChannels: 4, kernelSize: 3, stride: 2 }));
    const params = [...stateDict(m).values()];
    const weightBytes = params.reduce((n, t) => n + deviceCopyBytes(t.shape, t.shape.length === 4, true), 0);
    const want = (await run(m, [x], { backend: referenceBackend })).output.data;
    const stats = [b.deviceStats()];
    for (let i = 0; i < 3; i++) {
      const { output } = await run(m, [randn([1, 3, 12, 12], 10 + i)], { backend: b });
      stats.push(b.deviceStats());
      disposeTensor(output);
    }
    // each weight and bias copied once, at the first run; then none (the inputs are new each run)
    expect(stats.map((s) => s.uploads)).toEqual([0, params.length, params.length, params.length]);
    expect(stats.map((s) => s.cachedBytes)).toEqual([0, weightBytes, weightBytes, weightBytes]);
    // a constant (not a conv weight) is kept from its second use
    const c = randn([1, 4, 5, 5], 3);
    const u0 = b.deviceStats().uploads;
    for (let i = 0; i < 3; i++) disposeTensor(await b.binary('mul', c, c));
    expect(b.deviceStats().uploads - u0).toBe(1);
    expect(stats.slice(1).map((s, i) => s.kernelCalls - stats[i]!.kernelCalls)).toEqual([2, 2, 2]);
    expect(b.deviceStats().liveTensors).toBe(0);
    // the kept copies compute what the host values do
    const { output } = await run(m, [x], { backend: b });
    (await readTensor(output)).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
    disposeTensor(output);
    b.destroy();
    expect(b.deviceStats().cachedBytes).toBe(0);
  });

  it('conv with 1 to 5 input channels per group (straight-line taps up to 4) matches the reference', async () => {
    for (const [c, groups] of [[8, 8], [3, 1], [4, 2], [8, 2], [5, 1]] as const) {
      for (const [stride, padding] of [[1, 1], [2, 0], [2, 1]] as const) {
        const conv = Conv2d({ inChannels: c, outChannels: 8, kernelSize: 3, stride, padding, groups, activation: 'relu' });
        const xi = randn([1, c, 9, 10], c * 10 + stride);
        const want = (await run(conv, [xi], { backend: referenceBackend })).output.data;
        const { output } = await run(conv, [xi], { backend: sync });
        (await readTensor(output)).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
        disposeTensor(output);
      }
    }
  });

  it('convs and pools of four outputs per thread match the reference at row ends, plane ends and the tail', async () => {
    for (const [i, [xs, ws, p, epi]] of convCases.entries()) {
      const xi = randn(xs, 100 + i);
      const wi = randn(ws, 200 + i);
      const e = epi ? { bias: randn([ws[0]!], 300 + i), activation: { op: 'prelu', slope: 0.1 } as const } : {};
      const want = (await composeEpilogue(referenceBackend, await referenceBackend.conv2d(xi, wi, p), e)).data;
      // the input from the host, and on the device (x · 1, a packed result: read by quads)
      for (const input of [xi, await sync.binary('mul', xi, makeTensor(new Float32Array([1]), [1]))]) {
        const got = await sync.conv2dEpilogue(input, wi, p, e);
        expect(got.shape).toEqual((await referenceBackend.conv2d(xi, wi, p)).shape);
        (await readTensor(got)).forEach((v, j) => expect(v, `case ${i}`).toBeCloseTo(want[j]!, 4));
        disposeTensor(got);
      }
    }
    for (const [i, [shape, op, p]] of poolCases.entries()) {
      const xp = randn(shape, 7 + i);
      const want = (await referenceBackend.pool2d(op, xp, p)).data;
      for (const input of [xp, await sync.binary('mul', xp, makeTensor(new Float32Array([1]), [1]))]) {
        const got = await sync.pool2d(op, input, p);
        (await readTensor(got)).forEach((v, j) => expect(v, `pool case ${i}`).toBeCloseTo(want[j]!, 5));
        disposeTensor(got);
      }
    }
  });

  // The quad reads (a device input read 4 values per fetch; weights with their taps padded) over
  // any geometry: widths that are multiples of 4 or not, strides, padding, dilation, groups.
  it('property: convs and pools of a device input (read by quads) equal the reference', async () => {
    const one = makeTensor(new Float32Array([1]), [1]);
    const geometry = fc.record({
      n: fc.integer({ min: 1, max: 2 }),
      groups: fc.integer({ min: 1, max: 2 }),
      perGroupIn: fc.integer({ min: 1, max: 5 }),
      perGroupOut: fc.integer({ min: 1, max: 3 }),
      h: fc.integer({ min: 1, max: 9 }),
      w: fc.integer({ min: 1, max: 13 }),
      k: fc.integer({ min: 1, max: 3 }),
      stride: fc.integer({ min: 1, max: 2 }),
      dilation: fc.integer({ min: 1, max: 2 }),
      pad: fc.integer({ min: 0, max: 2 }),
      seed: fc.integer({ min: 0, max: 1000 }),
    });
    await fc.assert(
      fc.asyncProperty(geometry, async (g) => {
        const c = g.groups * g.perGroupIn;
        const o = g.groups * g.perGroupOut;
        const p = { stride: [g.stride, g.stride], dilation: [g.dilation, g.dilation], padding: [g.pad, g.pad, g.pad, g.pad], groups: g.groups } as const;
        const span = g.dilation * (g.k - 1) + 1;
        fc.pre(g.h + 2 * g.pad >= span && g.w + 2 * g.pad >= span);
        const x = randn([g.n, c, g.h, g.w], g.seed);
        const wt = randn([o, g.perGroupIn, g.k, g.k], g.seed + 1);
        const e = { bias: randn([o], g.seed + 2), activation: { op: 'prelu', slope: 0.1 } as const };
        const want = (await composeEpilogue(referenceBackend, await referenceBackend.conv2d(x, wt, p), e)).data;
        const onDevice = await sync.binary('mul', x, one);
        const y = await sync.conv2dEpilogue(onDevice, wt, p, e);
        const got = await readTensor(y);
        disposeTensor(y);
        expect(got.length).toBe(want.length);
        got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want[i]!))));
        // a pool over the same input: a k×k window, stride and padding under half the window
        const pp = Math.min(g.pad, Math.floor(g.k / 2));
        const outShape = [Math.floor((g.h + 2 * pp - g.k) / g.stride) + 1, Math.floor((g.w + 2 * pp - g.k) / g.stride) + 1] as const;
        if (outShape[0] < 1 || outShape[1] < 1) return;
        for (const op of ['max', 'avg'] as const) {
          const pool = { kernel: [g.k, g.k], stride: [g.stride, g.stride], padding: [pp, pp], outShape, countIncludePad: false } as const;
          const pw = (await referenceBackend.pool2d(op, x, pool)).data;
          const py = await sync.pool2d(op, onDevice, pool);
          const pg = await readTensor(py);
          disposeTensor(py);
          pg.forEach((v, i) => expect(Math.abs(v - pw[i]!)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(pw[i]!))));
        }
        disposeTensor(onDevice);
      }),
      { numRuns: 60 },
    );
  });

  it('elementwise ops of four outputs per thread match the reference: equal shapes, broadcasts, the tail, NaN and -0', async () => {
    const special = (t: Tensor): Tensor => {
      const d = Float32Array.from(t.data as Float32Array);
      d[0] = NaN;
      d[1] = -0;
      d[2] = 0;
      d[d.length - 1] = NaN;
      return makeTensor(d, t.shape, 'float32');
    };
    const same = (got: ArrayLike<number>, want: ArrayLike<number>): void => {
      expect(got.length).toBe(want.length);
      Array.from(got).forEach((v, j) => {
        if (Number.isNaN(want[j]!) || want[j] === 0) expect(Object.is(v, want[j])).toBe(true);
        else expect(v).toBeCloseTo(want[j]!, 5);
      });
    };
    const pairs: [number[], number[]][] = [
      [[2, 3, 5, 7], [2, 3, 5, 7]],
      [[1, 4, 4, 4], [1, 4, 4, 4]],
      [[2, 3, 5, 7], []],
      [[2, 3, 5, 7], [1, 3, 1, 1]],
      [[2, 3, 5, 7], [7]],
      [[3, 1, 5], [1, 6, 1]],
      [[5], [5]],
      [[3], [1]],
    ];
    for (const [i, [as, bs]] of pairs.entries()) {
      const a = special(randn(as, 400 + i));
      const b = bs.length === 0 ? makeTensor(new Float32Array([0]), [], 'float32') : special(randn(bs, 500 + i));
      for (const op of ['add', 'sub', 'mul', 'div', 'max', 'min', 'prelu', 'lt', 'pow'] as const) {
        const want = (await referenceBackend.binary(op, a, b)).data;
        const got = await sync.binary(op, a, b);
        // Fed again (a packed result as an operand), then read.
        const twice = await sync.binary('add', got, got);
        same(await readTensor(got), want);
        same(await readTensor(twice), (await referenceBackend.binary('add', makeTensor(Float32Array.from(want), got.shape, 'float32'), makeTensor(Float32Array.from(want), got.shape, 'float32'))).data);
        disposeTensor(got);
        disposeTensor(twice);
      }
      for (const op of ['exp', 'abs', 'sigmoid', 'tanh', 'sqrt', 'silu'] as const) {
        same(await readTensor(await sync.unary(op, a)), (await referenceBackend.unary(op, a)).data);
      }
      const cond = makeTensor(Float32Array.from(a.data as Float32Array, (v) => (v > 0 ? 1 : 0)), a.shape, 'float32');
      same(await readTensor(await sync.where(cond, a, b)), (await referenceBackend.where(cond, a, b)).data);
    }
  });

  it('a failing run releases what it made; a reshape shares memory until both are released', async () => {
    const s0 = sync.deviceStats();
    const failing = Chain(model, Lambda(() => {
      throw new Error('boom');
    }));
    await expect(run(failing, [x], { backend: sync })).rejects.toThrow();
    expect(sync.deviceStats().liveTensors).toBe(s0.liveTensors);

    const y = await sync.unary('exp', x);
    const r = (await sync.reshape(y, [y.size])) as Tensor;
    expect(sync.deviceStats().liveTensors - s0.liveTensors).toBe(2);
    disposeTensor(y);
    expect((await readTensor(r)).length).toBe(x.size);
    disposeTensor(r);
    expect(sync.deviceStats().liveTensors).toBe(s0.liveTensors);
  });

  it('concurrent runs release only their own intermediates', async () => {
    const s0 = asyncBackend.deviceStats();
    const outs = await Promise.all([0, 1, 2].map(() => run(model, [x], { backend: asyncBackend })));
    expect(asyncBackend.deviceStats().liveTensors - s0.liveTensors).toBe(3);
    for (const { output } of outs) expect((await readTensor(output)).length).toBe(output.size);
    for (const { output } of outs) disposeTensor(output);
    expect(asyncBackend.deviceStats().liveTensors).toBe(s0.liveTensors);
  });

  it('gradients: the runs inside a loss keep what the tape saved; grads come back readable', async () => {
    const lin = Chain(Linear({ inFeatures: 3, outFeatures: 2 }), Lambda(async (y: Tensor) => y));
    const xs = randn([4, 3], 2);
    const loss = async (b: Backend, m: typeof lin, x: Tensor): Promise<Tensor> => sum(b, (await run(m, [x], { backend: b })).output);
    const want = await valueAndGrad(loss, { backend: referenceBackend })(lin, xs);
    const s0 = asyncBackend.deviceStats();
    const got = await valueAndGrad(loss, { backend: asyncBackend })(lin, xs);
    expect(got.value).toBeCloseTo(want.value, 4);
    for (const [k, g] of stateDict(got.grads)) {
      const w = stateDict(want.grads).get(k)!;
      g.data.forEach((v, i) => expect(v).toBeCloseTo(w.data[i]!, 4)); // read: no CanopyError
    }
    for (const [, g] of stateDict(got.grads)) disposeTensor(g);
    disposeTensor(got.loss);
    for (const g of got.inputGrads) if (g !== undefined) disposeTensor(g);
    expect(asyncBackend.deviceStats().liveTensors).toBe(s0.liveTensors);
  });

  it('a detector forward: one readback when resident, one per kernel call otherwise', async () => {
    const { detector } = await faceApiModels();
    const image = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).map((_, i) => (i * 37) % 256) };
    const plain = createGpujsBackend({ mode: 'cpu' });
    const p0 = plain.deviceStats();
    const expected = await detectorOutput(detector, image, 64, plain);
    const p1 = plain.deviceStats();
    expect(p1.resident).toBe(false);
    expect(p1.readbacks - p0.readbacks).toBe(p1.kernelCalls - p0.kernelCalls);
    plain.destroy();

    const s0 = sync.deviceStats();
    const out = await detectorOutput(detector, image, 64, sync);
    const s1 = sync.deviceStats();
    const values = await readTensor(out);
    expect(s1.readbacks - s0.readbacks).toBe(0);
    expect(sync.deviceStats().readbacks - s0.readbacks).toBe(1);
    expect(s1.liveTensors - s0.liveTensors).toBe(1);
    // every conv, pool and elementwise pass of the net (fused conv + leaky ReLU pairs count once)
    expect(p1.readbacks - p0.readbacks).toBeGreaterThanOrEqual(18);
    values.forEach((v, i) => expect(v).toBeCloseTo(expected.data[i]!, 3));
    disposeTensor(out);
  }, 60_000);
});

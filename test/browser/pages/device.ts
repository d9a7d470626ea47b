// Device-resident tensors in a page: readbacks and live device tensors of gpu.js's WebGPU and
// WebGL2 modes, counted by the backend's deviceStats(), around small ops, a detector forward,
// and 100 runs of a small model.
import { createGpujsBackend, type GpujsBackend } from '../../../src/backend/gpujs/index.ts';
import type { DeviceStats } from '../../../src/backend/gpujs/resident.ts';
import { convCases, poolCases } from '../../backend/windowCases.ts';
import { composeEpilogue } from '../../../src/backend/fused.ts';
import { referenceBackend } from '../../../src/backend/reference/index.ts';
import { Chain, Conv2d, Identity, Residual, fromArray, randn, readTensor, disposeTensor, run, isOnDevice, stateDict, type Tensor } from '../../../src/index.ts';
import { detectorOutput, fetchFaceApiModels, type RgbImage } from '../../../src/models/faceapi/index.ts';
import { decodeImage } from '../../../examples/web/decode.ts';

/** A small-op check: values, and the counters around it. */
export interface OpsReport {
  readonly values: number[];
  readonly expected: number[];
  readonly onDevice: boolean;
  readonly syncDataError: string | undefined;
  readonly before: DeviceStats;
  readonly after: DeviceStats;
}

/** A detector forward: counters after the forward, after one read, after dispose. */
export interface ForwardReport {
  readonly shape: readonly number[];
  readonly maxDiff: number;
  readonly forward: DeviceStats;
  readonly read: DeviceStats;
  readonly disposed: DeviceStats;
  readonly ms: number;
  /** Two more forwards, on the weights the first one copied to the device. */
  readonly second: DeviceStats;
  readonly third: DeviceStats;
  readonly thirdMaxDiff: number;
  /** cachedBytes after the third forward, and after destroy. */
  readonly cachedBytes: number;
  readonly cachedAfterDestroy: number;
}

/** 100 runs of a small model: live device tensors after each run (its output held) and at the end. */
export interface RunsReport {
  readonly liveAfterRun: number[];
  readonly bytesAfterRun: number[];
  readonly end: DeviceStats;
  readonly readbacks: number;
  /** The model's parameters and input (the same every run), whose device copies are kept: their count and shapes. */
  readonly params: number;
  readonly paramShapes: number[][];
}

/** A Chain of same-shaped convs and Residuals: values, peak live bytes, calls that could reuse an output. */
export interface RepeatedReport {
  readonly maxDiff: number;
  readonly kernelCalls: number;
  readonly reusableCalls: number;
  readonly peakBytes: number;
  readonly tensorBytes: number;
  readonly liveAfter: number;
}

const delta = (a: DeviceStats, b: DeviceStats): DeviceStats => ({ ...b, kernelCalls: b.kernelCalls - a.kernelCalls, readbacks: b.readbacks - a.readbacks, uploads: b.uploads - a.uploads });

async function ops(mode: string): Promise<OpsReport> {
  const b = createGpujsBackend({ mode: mode as 'webgpu' });
  const before = b.deviceStats();
  const x = fromArray([[1, -2, 3], [-4, 5, -6]]);
  const pipeline = async (be: typeof referenceBackend | GpujsBackend): Promise<Tensor> => {
    const y = await be.binary('max', x, fromArray(0));
    const t = await be.permute(y, [1, 0]);
    const p = await be.pad(t, [[1, 0], [0, 1]], 'constant', 7);
    const s = await be.slice(p, [1, 0], [1, 2], [3, 2]);
    const c = await be.concat([s, s], 0);
    return be.reduce('sum', await be.unary('sqrt', c), [1], true);
  };
  const out = await pipeline(b);
  let syncDataError: string | undefined;
  try {
    void out.data;
  } catch (e) {
    syncDataError = (e as Error).message;
  }
  const values = Array.from(await readTensor(out));
  const after = delta(before, b.deviceStats());
  const expected = Array.from((await pipeline(referenceBackend)).data);
  b.destroy();
  return { values, expected, onDevice: isOnDevice(out), syncDataError, before, after };
}

async function sampleImage(): Promise<RgbImage> {
  return (await decodeImage(await (await fetch('/sample/sample1.jpg')).blob())).image;
}

async function forward(mode: string, inputSize: number): Promise<ForwardReport> {
  const models = await fetchFaceApiModels('/model/');
  const image = await sampleImage();
  const b = createGpujsBackend({ mode: mode as 'webgpu' });
  const s0 = b.deviceStats();
  const t0 = performance.now();
  const out = await detectorOutput(models.detector, image, inputSize, b);
  const s1 = b.deviceStats();
  const values = await readTensor(out);
  const ms = performance.now() - t0;
  const s2 = b.deviceStats();
  disposeTensor(out);
  const s3 = b.deviceStats();
  const ref = (await detectorOutput(models.detector, image, inputSize, referenceBackend)).data;
  const diff = (v: ArrayLike<number>): number => {
    let m = 0;
    for (let i = 0; i < ref.length; i++) m = Math.max(m, Math.abs(ref[i]! - v[i]!));
    return m;
  };
  const again = async (): Promise<{ stats: DeviceStats; values: ArrayLike<number> }> => {
    const a = b.deviceStats();
    const o = await detectorOutput(models.detector, image, inputSize, b);
    const stats = delta(a, b.deviceStats());
    const v = await readTensor(o);
    disposeTensor(o);
    return { stats, values: v };
  };
  const second = await again();
  const third = await again();
  const cachedBytes = b.deviceStats().cachedBytes;
  b.destroy();
  return {
    shape: out.shape,
    maxDiff: diff(values),
    forward: delta(s0, s1),
    read: delta(s0, s2),
    disposed: delta(s0, s3),
    ms: Math.round(ms),
    second: second.stats,
    third: third.stats,
    thirdMaxDiff: diff(third.values),
    cachedBytes,
    cachedAfterDestroy: b.deviceStats().cachedBytes,
  };
}

async function runs(mode: string, count: number): Promise<RunsReport> {
  const b = createGpujsBackend({ mode: mode as 'webgpu' });
  const model = Chain(Conv2d({ inChannels: 3, outChannels: 8, kernelSize: 3, padding: 1, activation: 'relu' }), Conv2d({ inChannels: 8, outChannels: 4, kernelSize: 3, stride: 2 }));
  const x = randn([1, 3, 16, 16], 1);
  const liveAfterRun: number[] = [];
  const bytesAfterRun: number[] = [];
  const r0 = b.deviceStats().readbacks;
  for (let i = 0; i < count; i++) {
    const { output } = await run(model, [x], { backend: b });
    const s = b.deviceStats();
    liveAfterRun.push(s.liveTensors);
    bytesAfterRun.push(s.liveBytes);
    await readTensor(output as Tensor);
    disposeTensor(output as Tensor);
  }
  const end = b.deviceStats();
  b.destroy();
  const params = [...stateDict(model).values(), x]; // the input too: the same tensor every run
  return { liveAfterRun, bytesAfterRun, end, readbacks: end.readbacks - r0, params: params.length, paramShapes: params.map((t) => [...t.shape]) };
}

// Liveness within a run: every conv here has one kernel (same shapes), so once the previous
// result is released WebGL2 renders into the same texture again; a value read after that would be
// wrong, so the values are checked against the reference.
async function repeated(mode: string): Promise<RepeatedReport> {
  const b = createGpujsBackend({ mode: mode as 'webgpu' });
  const conv = (seed: number) => Conv2d({ inChannels: 4, outChannels: 4, kernelSize: 3, padding: 1, activation: 'relu', seed });
  const model = Chain(conv(1), conv(2), Residual(Identity(), conv(3)), conv(4), Residual(conv(5), conv(6)), conv(7), conv(8));
  const x = randn([1, 4, 16, 16], 2);
  const want = (await run(model, [x], { backend: referenceBackend })).output.data;
  const first = (await run(model, [x], { backend: b })).output; // compiles the kernels, uploads the weights
  await readTensor(first);
  disposeTensor(first);
  const s0 = b.deviceStats({ resetPeak: true });
  const { output } = await run(model, [x], { backend: b });
  const s1 = b.deviceStats();
  const got = await readTensor(output);
  let maxDiff = 0;
  for (let i = 0; i < want.length; i++) maxDiff = Math.max(maxDiff, Math.abs(want[i]! - got[i]!));
  disposeTensor(output);
  const liveAfter = b.deviceStats().liveTensors;
  b.destroy();
  return { maxDiff, kernelCalls: s1.kernelCalls - s0.kernelCalls, reusableCalls: s1.reusableCalls - s0.reusableCalls, peakBytes: s1.peakBytes - s0.liveBytes, tensorBytes: x.size * 4, liveAfter };
}

// A result read after the kernel that made it was evicted from the kernel cache (and destroyed).
async function evicted(mode: string): Promise<number[]> {
  const b = createGpujsBackend({ mode: mode as 'webgpu', cacheSize: 1 });
  const x = fromArray([1, 4, 9]);
  const first = await b.unary('sqrt', x);
  const second = await b.binary('add', first, fromArray(1)); // evicts sqrt's kernel
  await b.unary('exp', second); // evicts add's kernel
  const values = [...(await readTensor(first)), ...(await readTensor(second))];
  b.destroy();
  return values;
}

/** A conv or pool case of the four-outputs-per-thread kernels: its worst error over its allowance. */
export interface WindowReport {
  readonly name: string;
  readonly shape: readonly number[];
  readonly wantShape: readonly number[];
  /** max |got - want| / (1e-5 · max|want| + 1e-4 · |want|): at most 1 passes (the oracle's float32 tolerance). */
  readonly worst: number;
}

async function windows(mode: string): Promise<WindowReport[]> {
  const b = createGpujsBackend({ mode: mode as 'webgpu' });
  const out: WindowReport[] = [];
  const check = async (name: string, got: Tensor, want: Tensor): Promise<void> => {
    const g = await readTensor(got);
    const d = Array.from(want.data);
    const scale = d.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    let worst = 0;
    d.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(g[i]! - v) / (1e-5 * scale + 1e-4 * Math.abs(v)));
    });
    out.push({ name, shape: got.shape, wantShape: want.shape, worst });
    disposeTensor(got);
  };
  for (const [i, [xs, ws, p, epi]] of convCases.entries()) {
    const x = randn(xs, 100 + i);
    const w = randn(ws, 200 + i);
    const e = epi ? { bias: randn([ws[0]!], 300 + i), activation: { op: 'prelu', slope: 0.1 } as const } : {};
    const want = await composeEpilogue(referenceBackend, await referenceBackend.conv2d(x, w, p), e);
    await check(`conv ${xs.join('x')} * ${ws.join('x')}`, await b.conv2dEpilogue(x, w, p, e), want);
    // the input on the device (a packed result, which WebGL2 reads by quads)
    await check(`conv ${xs.join('x')} * ${ws.join('x')}, device input`, await b.conv2dEpilogue(await b.binary('mul', x, fromArray([1])), w, p, e), want);
  }
  for (const [i, [shape, op, p]] of poolCases.entries()) {
    const x = randn(shape, 7 + i);
    const name = `${op}pool ${shape.join('x')} ${p.kernel.join('x')}/${p.stride.join(',')}`;
    const want = await referenceBackend.pool2d(op, x, p);
    await check(name, await b.pool2d(op, x, p), want);
    await check(`${name}, device input`, await b.pool2d(op, await b.binary('mul', x, fromArray([1])), p), want);
  }
  b.destroy();
  return out;
}

(globalThis as { canopyDevice?: unknown }).canopyDevice = { ops, forward, runs, evicted, windows, repeated };

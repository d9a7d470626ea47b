// The page bench: canopy's face detector forward and whole pipeline on gpu.js WebGL2 and WebGPU,
// against upstream face-api on tfjs-webgl (and tfjs-webgpu where its bundle has it), on the same
// decoded image, in one page. Each case: one warm-up run (kernel/shader compilation, reported as
// `first`), then `runs` rounds, each running every case once in turn (median reported): the cases
// are interleaved, so a slow spell of the machine does not fall on one of them. canopy's GPU modes run twice: with results
// kept on the device (the default) and with a readback per kernel (`resident: false`), and the
// forward's kernel calls and readbacks are counted (deviceStats).
import { createGpujsBackend, detectFaces, detectorOutput, describeBackend, disposeTensor, fetchFaceApiModels, readTensor, type GpujsBackend } from '../../src/index.ts';
import { sampleImage } from './sample.ts';

/** One row of the bench. */
export interface BenchRow {
  readonly impl: string;
  readonly stage: 'detector forward' | 'whole pipeline';
  readonly firstMs: number;
  readonly medianMs: number;
  readonly faces: number;
  /** Kernel calls and device-to-host readbacks of one run (NaN where not counted). */
  readonly kernelCalls: number;
  readonly readbacks: number;
  /** Host tensors copied to the device and kept during that run (weights: 0 once warm), and the bytes kept. */
  readonly uploads: number;
  readonly cachedBytes: number;
}

/** What the page reports. */
export interface BenchReport {
  readonly userAgent: string;
  readonly gpu: string;
  readonly rows: readonly BenchRow[];
  readonly skipped: readonly string[];
}

interface FaceApi {
  tf: { setBackend(b: string): Promise<boolean>; ready(): Promise<void>; getBackend(): string; browser: { fromPixels(c: HTMLCanvasElement): unknown }; engine(): { startScope(): void; endScope(): void } ; dispose(t: unknown): void };
  nets: { tinyFaceDetector: { loadFromUri(u: string): Promise<void>; forward(x: unknown, size: number): Promise<{ data(): Promise<unknown>; dispose(): void }> }; faceLandmark68TinyNet: { loadFromUri(u: string): Promise<void> } };
  TinyFaceDetectorOptions: new (o: { inputSize: number; scoreThreshold: number }) => unknown;
  detectAllFaces(x: unknown, o: unknown): { withFaceLandmarks(tiny: boolean): Promise<unknown[]> };
}

// One timed case: a stage of one implementation, and its kernel counters where it has them.
interface Case {
  readonly impl: string;
  readonly stage: BenchRow['stage'];
  readonly run: () => Promise<number>; // resolves to the faces found (NaN for a forward)
  readonly counts?: () => Promise<Pick<BenchRow, 'kernelCalls' | 'readbacks' | 'uploads' | 'cachedBytes'>>;
}

async function canopyBench(options: { runs?: number; modes?: readonly string[]; tfBackends?: readonly string[] } = {}): Promise<BenchReport> {
  const runs = options.runs ?? 3;
  const skipped: string[] = [];
  const { image, canvas } = await sampleImage();
  const models = await fetchFaceApiModels('/model/');
  const cases: Case[] = [];
  const backends: GpujsBackend[] = [];
  for (const mode of options.modes ?? ['webgl2', 'webgpu']) {
    for (const resident of [true, false]) {
      const backend = createGpujsBackend({ mode: mode as 'webgl2', resident });
      backends.push(backend);
      const impl = `canopy ${describeBackend(backend)}${resident ? '' : ', readback per kernel'}`;
      // The forward includes reading its output, as face-api's `await out.data()` below.
      const forward = async (): Promise<number> => {
        const out = await detectorOutput(models.detector, image, 416, backend);
        await readTensor(out);
        disposeTensor(out);
        return NaN;
      };
      const pipeline = async (): Promise<number> => (await detectFaces(models, image, { backend })).length;
      const counted = (f: () => Promise<number>) => async () => {
        const s0 = backend.deviceStats();
        await f();
        const s1 = backend.deviceStats();
        return { kernelCalls: s1.kernelCalls - s0.kernelCalls, readbacks: s1.readbacks - s0.readbacks, uploads: s1.uploads - s0.uploads, cachedBytes: s1.cachedBytes };
      };
      cases.push({ impl, stage: 'detector forward', run: forward, counts: counted(forward) });
      cases.push({ impl, stage: 'whole pipeline', run: pipeline, counts: counted(pipeline) });
    }
  }
  const faceApiUrl = '/vendor/face-api.esm.js'; // served as is: face-api's own bundle with its tfjs
  const faceapi = (await import(faceApiUrl)) as FaceApi;
  await faceapi.nets.tinyFaceDetector.loadFromUri('/model/');
  await faceapi.nets.faceLandmark68TinyNet.loadFromUri('/model/');
  const inputs: unknown[] = [];
  for (const tfBackend of options.tfBackends ?? ['webgl', 'webgpu']) {
    const ok = await faceapi.tf.setBackend(tfBackend).catch(() => false);
    if (!ok) {
      skipped.push(`tfjs-${tfBackend}: not in face-api's tfjs bundle or not available here`);
      continue;
    }
    await faceapi.tf.ready();
    const impl = `face-api 1.7.15 on tfjs-${faceapi.tf.getBackend()}`;
    const input = faceapi.tf.browser.fromPixels(canvas);
    inputs.push(input);
    const opts = new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.5 });
    // tfjs runs on its active backend: each case selects its own before it runs.
    const on = (f: () => Promise<number>) => async () => {
      if (faceapi.tf.getBackend() !== tfBackend) await faceapi.tf.setBackend(tfBackend);
      return f();
    };
    cases.push({
      impl,
      stage: 'detector forward',
      run: on(async () => {
        const out = await faceapi.nets.tinyFaceDetector.forward(input, 416);
        await out.data();
        out.dispose();
        return NaN;
      }),
    });
    cases.push({ impl, stage: 'whole pipeline', run: on(async () => (await faceapi.detectAllFaces(input, opts).withFaceLandmarks(true)).length) });
  }
  // Each case once (kernel and shader compilation: `first`), then `runs` rounds that run every case
  // once, interleaved, so that a slow spell of the shared machine falls on all of them alike.
  const first: number[] = [];
  const faces: number[] = [];
  for (const c of cases) {
    const t = performance.now();
    faces.push(await c.run());
    first.push(performance.now() - t);
  }
  const times: number[][] = cases.map(() => []);
  for (let r = 0; r < runs; r++) {
    for (const [i, c] of cases.entries()) {
      const t = performance.now();
      await c.run();
      times[i]!.push(performance.now() - t);
    }
  }
  const rows: BenchRow[] = [];
  for (const [i, c] of cases.entries()) {
    const sorted = [...times[i]!].sort((a, b) => a - b);
    const counts = (await c.counts?.()) ?? { kernelCalls: NaN, readbacks: NaN, uploads: NaN, cachedBytes: NaN };
    rows.push({ impl: c.impl, stage: c.stage, firstMs: first[i]!, medianMs: sorted[Math.floor(sorted.length / 2)]!, faces: faces[i]!, ...counts });
  }
  for (const b of backends) b.destroy();
  for (const x of inputs) faceapi.tf.dispose(x);
  const gl = document.createElement('canvas').getContext('webgl2');
  const dbg = gl?.getExtension('WEBGL_debug_renderer_info');
  const adapter = await (navigator as { gpu?: { requestAdapter(): Promise<{ info?: { vendor: string; architecture: string; description: string } } | null> } }).gpu?.requestAdapter();
  const gpu = [
    dbg && gl ? `WebGL: ${String(gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL))}` : 'WebGL: ?',
    `WebGPU: ${adapter?.info === undefined ? 'none' : `${adapter.info.vendor} ${adapter.info.architecture} ${adapter.info.description}`.trim()}`,
  ].join('; ');
  return { userAgent: navigator.userAgent, gpu, rows, skipped };
}

(globalThis as { canopyBench?: typeof canopyBench }).canopyBench = canopyBench;

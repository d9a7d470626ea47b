// The page bench: canopy's face detector forward and whole pipeline on gpu.js WebGL2 and WebGPU,
// against upstream face-api on tfjs-webgl (and tfjs-webgpu where its bundle has it), on the same
// decoded image, in one page. Each case: one warm-up run (kernel/shader compilation, reported as
// `first`), then `runs` timed runs (median reported). canopy's GPU modes run twice: with results
// kept on the device (the default) and with a readback per kernel (`resident: false`), and the
// forward's kernel calls and readbacks are counted (deviceStats).
import { createGpujsBackend, detectFaces, detectorOutput, describeBackend, disposeTensor, fetchFaceApiModels, readTensor, rgbFromRgba, type RgbImage } from '../../src/index.ts';

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

async function time<T>(runs: number, f: () => Promise<T>): Promise<{ firstMs: number; medianMs: number; last: T }> {
  let t = performance.now();
  let last = await f();
  const firstMs = performance.now() - t;
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    last = await f();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { firstMs, medianMs: ms[Math.floor(ms.length / 2)]!, last };
}

async function sampleImage(): Promise<{ image: RgbImage; canvas: HTMLCanvasElement }> {
  const bitmap = await createImageBitmap(await (await fetch('/sample/sample1.jpg')).blob());
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const g = canvas.getContext('2d', { willReadFrequently: true })!;
  g.drawImage(bitmap, 0, 0);
  return { image: rgbFromRgba(bitmap.width, bitmap.height, g.getImageData(0, 0, bitmap.width, bitmap.height).data), canvas };
}

async function canopyBench(options: { runs?: number; modes?: readonly string[]; tfBackends?: readonly string[] } = {}): Promise<BenchReport> {
  const runs = options.runs ?? 3;
  const rows: BenchRow[] = [];
  const skipped: string[] = [];
  const { image, canvas } = await sampleImage();
  const models = await fetchFaceApiModels('/model/');
  for (const mode of options.modes ?? ['webgl2', 'webgpu']) {
    for (const resident of [true, false]) {
      const backend = createGpujsBackend({ mode: mode as 'webgl2', resident });
      const impl = `canopy ${describeBackend(backend)}${resident ? '' : ', readback per kernel'}`;
      // The forward includes reading its output, as face-api's `await out.data()` below.
      const forward = async (): Promise<void> => {
        const out = await detectorOutput(models.detector, image, 416, backend);
        await readTensor(out);
        disposeTensor(out);
      };
      const fwd = await time(runs, forward);
      const s0 = backend.deviceStats();
      await forward();
      const s1 = backend.deviceStats();
      const counts = { kernelCalls: s1.kernelCalls - s0.kernelCalls, readbacks: s1.readbacks - s0.readbacks, uploads: s1.uploads - s0.uploads, cachedBytes: s1.cachedBytes };
      rows.push({ impl, stage: 'detector forward', firstMs: fwd.firstMs, medianMs: fwd.medianMs, faces: NaN, ...counts });
      const all = await time(runs, () => detectFaces(models, image, { backend }));
      const s2 = backend.deviceStats();
      await detectFaces(models, image, { backend });
      const s3 = backend.deviceStats();
      rows.push({ impl, stage: 'whole pipeline', firstMs: all.firstMs, medianMs: all.medianMs, faces: all.last.length, kernelCalls: s3.kernelCalls - s2.kernelCalls, readbacks: s3.readbacks - s2.readbacks, uploads: s3.uploads - s2.uploads, cachedBytes: s3.cachedBytes });
      backend.destroy();
    }
  }
  const faceApiUrl = '/vendor/face-api.esm.js'; // served as is: face-api's own bundle with its tfjs
  const faceapi = (await import(faceApiUrl)) as FaceApi;
  await faceapi.nets.tinyFaceDetector.loadFromUri('/model/');
  await faceapi.nets.faceLandmark68TinyNet.loadFromUri('/model/');
  for (const tfBackend of options.tfBackends ?? ['webgl', 'webgpu']) {
    const ok = await faceapi.tf.setBackend(tfBackend).catch(() => false);
    if (!ok) {
      skipped.push(`tfjs-${tfBackend}: not in face-api's tfjs bundle or not available here`);
      continue;
    }
    await faceapi.tf.ready();
    const impl = `face-api 1.7.15 on tfjs-${faceapi.tf.getBackend()}`;
    const input = faceapi.tf.browser.fromPixels(canvas);
    const fwd = await time(runs, async () => {
      const out = await faceapi.nets.tinyFaceDetector.forward(input, 416);
      await out.data();
      out.dispose();
    });
    rows.push({ impl, stage: 'detector forward', firstMs: fwd.firstMs, medianMs: fwd.medianMs, faces: NaN, kernelCalls: NaN, readbacks: NaN, uploads: NaN, cachedBytes: NaN });
    const opts = new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.5 });
    const all = await time(runs, () => faceapi.detectAllFaces(input, opts).withFaceLandmarks(true));
    rows.push({ impl, stage: 'whole pipeline', firstMs: all.firstMs, medianMs: all.medianMs, faces: all.last.length, kernelCalls: NaN, readbacks: NaN, uploads: NaN, cachedBytes: NaN });
    faceapi.tf.dispose(input);
  }
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

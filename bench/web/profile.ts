// Per-draw profile in the page (WebGL2): every drawArrays/drawElements is finished (gl.finish) and
// timed, for canopy's resident forward and face-api's on tfjs-webgl. Diagnostic, not a ratio bench.
import { createGpujsBackend, detectFaces, detectorOutput, disposeTensor, fetchFaceApiModels, readTensor, type Backend, type FaceApiModels, type RgbImage } from '../../src/index.ts';
import { timedPrimitives } from '../lib/timedPrimitives.ts';
import { sampleImage } from './sample.ts';

export interface Draw { readonly program: number; readonly w: number; readonly h: number; readonly ms: number; readonly hint: string }

const programs = new WeakMap<WebGLProgram, number>();
const hints: string[] = [];
const sources: string[] = [];
let recording: Draw[] | undefined;
function wrap(name: 'drawArrays' | 'drawElements'): void {
  const proto = WebGL2RenderingContext.prototype as unknown as Record<string, (...a: unknown[]) => void>;
  const orig = proto[name]!;
  proto[name] = function (this: WebGL2RenderingContext, ...a: unknown[]) {
    if (recording === undefined) return orig.apply(this, a);
    const px = new Float32Array(4);
    this.readPixels(0, 0, 1, 1, this.RGBA, this.FLOAT, px);
    const t = performance.now();
    orig.apply(this, a);
    this.readPixels(0, 0, 1, 1, this.RGBA, this.FLOAT, px);
    while (this.getError() !== this.NO_ERROR);
    const ms = performance.now() - t;
    const p = this.getParameter(this.CURRENT_PROGRAM) as WebGLProgram;
    let id = programs.get(p);
    if (id === undefined) {
      id = hints.length;
      programs.set(p, id);
      const fs = (this.getAttachedShaders(p) ?? []).filter((s) => this.getShaderParameter(s, this.SHADER_TYPE) === this.FRAGMENT_SHADER).map((s) => this.getShaderSource(s) ?? '')[0] ?? '';
      const dim = this.getUniformLocation(p, 'uOutputDim');
      sources.push(fs);
      hints.push(`${fs.length}ch${dim === null ? '' : ` out ${String(this.getUniform(p, dim))}`}`);
    }
    const vp = this.getParameter(this.VIEWPORT) as Int32Array;
    recording.push({ program: id, w: vp[2]!, h: vp[3]!, ms, hint: hints[id]! });
  };
}
wrap('drawArrays');
wrap('drawElements');

// One canopy detector forward (its output read) or whole pipeline on `backend`.
function canopyRun(models: FaceApiModels, image: RgbImage, backend: Backend, pipeline: boolean): () => Promise<void> {
  return async () => {
    if (pipeline) {
      await detectFaces(models, image, { backend });
      return;
    }
    const o = await detectorOutput(models.detector, image, 416, backend);
    await readTensor(o);
    disposeTensor(o);
  };
}

async function profile(runs = 3, recorded = 3, withTfjs = true, pipeline = false): Promise<Record<string, Draw[]>> {
  const { image, canvas } = await sampleImage();
  const out: Record<string, Draw[]> = {};
  const models = await fetchFaceApiModels('/model/');
  const backend = createGpujsBackend({ mode: 'webgl2', resident: true });
  const forward = canopyRun(models, image, backend, pipeline);
  for (let i = 0; i < runs; i++) await forward();
  out.canopy = await medianDraws(recorded, forward);
  backend.destroy();
  (out as Record<string, unknown>).sources = sources;
  if (!withTfjs) return out;
  const url = '/vendor/face-api.esm.js';
  const faceapi = (await import(url)) as { tf: { setBackend(b: string): Promise<boolean>; ready(): Promise<void>; browser: { fromPixels(c: HTMLCanvasElement): unknown } }; nets: { tinyFaceDetector: { loadFromUri(u: string): Promise<void>; forward(x: unknown, s: number): Promise<{ data(): Promise<unknown>; dispose(): void }> } } };
  await faceapi.nets.tinyFaceDetector.loadFromUri('/model/');
  await faceapi.tf.setBackend('webgl');
  await faceapi.tf.ready();
  const input = faceapi.tf.browser.fromPixels(canvas);
  const tfForward = async (): Promise<void> => {
    const o = await faceapi.nets.tinyFaceDetector.forward(input, 416);
    await o.data();
    o.dispose();
  };
  for (let i = 0; i < runs; i++) await tfForward();
  out.tfjs = await medianDraws(recorded, tfForward);
  (out as Record<string, unknown>).sources = sources;
  return out;
}
// Each draw's median time over `n` recorded runs of `f`.
async function medianDraws(n: number, f: () => Promise<void>): Promise<Draw[]> {
  const all: Draw[][] = [];
  for (let i = 0; i < n; i++) {
    recording = [];
    await f();
    all.push(recording);
    recording = undefined;
  }
  return all[0]!.map((d, i) => {
    const ms = all.map((r) => r[i]?.ms ?? NaN).sort((a, b) => a - b);
    return { ...d, ms: ms[Math.floor(ms.length / 2)]! };
  });
}

(globalThis as { canopyProfile?: typeof profile }).canopyProfile = profile;

// WebGPU: each backend primitive of a resident forward, timed until the device's queue is idle.
let gpuDevice: { queue: { onSubmittedWorkDone(): Promise<void> } } | undefined;
const adapterProto = (globalThis as unknown as { GPUAdapter?: { prototype: Record<string, unknown> } }).GPUAdapter?.prototype;
if (adapterProto !== undefined) {
  const request = adapterProto.requestDevice as (...a: unknown[]) => Promise<typeof gpuDevice>;
  adapterProto.requestDevice = async function (this: unknown, ...a: unknown[]) {
    gpuDevice = await request.apply(this, a);
    return gpuDevice;
  };
}
async function profileWebgpu(runs = 2, recorded = 3, pipeline = false): Promise<{ op: string; ms: number }[]> {
  const { image } = await sampleImage();
  const models = await fetchFaceApiModels('/model/');
  const inner = createGpujsBackend({ mode: 'webgpu', resident: true });
  let rec: { op: string; ms: number }[] | undefined;
  const shape = (a: unknown): string => (typeof a === 'object' && a !== null && 'shape' in a ? `[${String((a as { shape: number[] }).shape)}]` : typeof a === 'string' ? a : '');
  const backend = timedPrimitives(
    inner,
    (k, args, ms) => {
      if (k !== 'deviceStats') rec?.push({ op: `${k} ${args.slice(0, 3).map(shape).join(' ')}`, ms });
    },
    async () => {
      if (rec !== undefined) await gpuDevice?.queue.onSubmittedWorkDone();
    },
  );
  const forward = canopyRun(models, image, backend, pipeline);
  for (let i = 0; i < runs; i++) await forward();
  const all: { op: string; ms: number }[][] = [];
  for (let i = 0; i < recorded; i++) {
    rec = [];
    await forward();
    all.push(rec);
    rec = undefined;
  }
  inner.destroy();
  return all[0]!.map((d, i) => ({ op: d.op, ms: all.map((r) => r[i]?.ms ?? NaN).sort((a, b) => a - b)[Math.floor(recorded / 2)]! }));
}
(globalThis as { canopyProfileWebgpu?: typeof profileWebgpu }).canopyProfileWebgpu = profileWebgpu;

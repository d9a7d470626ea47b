// The web demo (`npm run demo:web`): face-api's tiny face detector and 68-point landmarks as canopy
// trees, weights fetched from the served face-api model folder, run on a chosen backend in the
// page; boxes and landmarks drawn on a canvas, the time of each stage, the detector tree as HTML,
// and a zero-initialised LoRA that can be injected and ejected without changing the outputs.
//
// The page also exposes `canopyDemo` (run, setBackend, setLora) for the browser tests.
import {
  createGpujsBackend, describeBackend, detectFaces, ejectAll,
  fetchFaceApiModels, layerEquals, printTreeHtml, referenceBackend, selectBackend,
  type AnyLayer, type Backend, type DetectedFace, type FaceApiModels, type FaceStage, type RgbImage,
} from '../../src/index.ts';
import { withPointwiseLora } from '../faces/pointwiseLora.ts';
import { decodeImage } from './decode.ts';

// --- model

/** A backend choice of the picker. */
export type BackendChoice = 'webgpu' | 'webgl2' | 'wasm' | 'reference';

/** What one run reports (also to the browser tests). */
export interface DemoResult {
  readonly backend: string;
  readonly faces: readonly { readonly score: number; readonly box: readonly number[]; readonly landmarks: number }[];
  readonly stages: Readonly<Record<string, number>>;
  readonly lora: boolean;
  /** Largest |score difference| and |box/landmark coordinate difference| vs the run without LoRA. */
  readonly loraMaxDiff?: number;
}

// --- backends

const backends = new Map<BackendChoice, Backend>();
function backendFor(choice: BackendChoice): Backend {
  let b = backends.get(choice);
  if (b === undefined) {
    b =
      choice === 'reference' ? referenceBackend
      : choice === 'wasm' ? selectBackend()
      : createGpujsBackend({ mode: choice === 'webgpu' ? ['webgpu', 'webgl2', 'webasm'] : ['webgl2', 'webasm'] });
    backends.set(choice, b);
  }
  return b;
}

// --- LoRA: a zero-initialised rank-4 LoRA in every pointwise conv of the separable convolutions

// --- image

function draw(canvas: HTMLCanvasElement, bitmap: ImageBitmap, faces: readonly DetectedFace[]): void {
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const g = canvas.getContext('2d')!;
  g.drawImage(bitmap, 0, 0);
  g.lineWidth = Math.max(3, Math.round(bitmap.width / 300));
  g.strokeStyle = '#00ff00';
  g.fillStyle = '#ff2828';
  for (const f of faces) {
    g.strokeRect(f.box.x, f.box.y, f.box.width, f.box.height);
    for (const [x, y] of f.landmarks) {
      g.beginPath();
      g.arc(x, y, g.lineWidth / 2, 0, 2 * Math.PI);
      g.fill();
    }
  }
}

// --- the page

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const status = (text: string, error = false): void => {
  $('status').textContent = text;
  $('status').className = error ? 'error' : '';
};

const state: {
  models?: FaceApiModels;
  adapted?: AnyLayer;
  lora: boolean;
  choice: BackendChoice;
  input?: { image: RgbImage; bitmap: ImageBitmap; decodeMs: number };
  baseline?: { key: string; faces: readonly DetectedFace[] };
  loadMs: number;
} = { lora: false, choice: 'webgl2', loadMs: 0 };

const diffFaces = (a: readonly DetectedFace[], b: readonly DetectedFace[]): number => {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  a.forEach((f, i) => {
    const g = b[i]!;
    m = Math.max(m, Math.abs(f.score - g.score), Math.abs(f.box.x - g.box.x), Math.abs(f.box.y - g.box.y), Math.abs(f.box.width - g.box.width), Math.abs(f.box.height - g.box.height));
    f.landmarks.forEach(([x, y], j) => (m = Math.max(m, Math.abs(x - g.landmarks[j]![0]), Math.abs(y - g.landmarks[j]![1]))));
  });
  return m;
};

async function run(): Promise<DemoResult> {
  const { models, input } = state;
  if (models === undefined || input === undefined) throw new Error('canopyDemo: models and image must be loaded first');
  const backend = backendFor(state.choice);
  status(`running on ${describeBackend(backend)}…`);
  const stages: Record<string, number> = { 'load weights': state.loadMs, 'decode image': input.decodeMs };
  const detector = (state.lora ? state.adapted! : models.detector) as FaceApiModels['detector'];
  const t0 = performance.now();
  const faces = await detectFaces({ ...models, detector }, input.image, { backend, onStage: (s: FaceStage, ms) => (stages[stageNames[s]] = ms) });
  stages['whole pipeline'] = performance.now() - t0;
  const t1 = performance.now();
  draw($('canvas'), input.bitmap, faces);
  stages['draw'] = performance.now() - t1;
  const key = `${state.choice}`;
  let loraMaxDiff: number | undefined;
  if (!state.lora) state.baseline = { key, faces };
  else if (state.baseline?.key === key) loraMaxDiff = diffFaces(faces, state.baseline.faces);
  const result: DemoResult = {
    backend: describeBackend(backend),
    faces: faces.map((f) => ({ score: f.score, box: [f.box.x, f.box.y, f.box.width, f.box.height], landmarks: f.landmarks.length })),
    stages,
    lora: state.lora,
    ...(loraMaxDiff === undefined ? {} : { loraMaxDiff }),
  };
  $('stages').querySelector('tbody')!.innerHTML = Object.entries(stages).map(([k, v]) => `<tr><td>${k}</td><td>${v.toFixed(1)}</td></tr>`).join('');
  $('backendInfo').textContent = `backend: ${result.backend}`;
  $('faces').textContent = `${faces.length} face${faces.length === 1 ? '' : 's'}: ${faces.map((f) => f.score.toFixed(3)).join(', ')}`;
  $('loraInfo').textContent = !state.lora
    ? 'LoRA ejected: the original detector (the tree below).'
    : loraMaxDiff === undefined
      ? 'LoRA injected (run once without it on this backend to compare).'
      : `LoRA injected: outputs unchanged, max |difference| vs without = ${loraMaxDiff}. Ejecting gives back the original tree: ${layerEquals(ejectAll(state.adapted!), models.detector as AnyLayer)}.`;
  status(`done on ${result.backend}`);
  return result;
}

const stageNames: Record<FaceStage, string> = { input: 'input (pad + resize)', detector: 'detector (forward)', boxes: 'boxes (decode + NMS)', landmarks: 'landmarks (crops + forward)' };

function showTree(): void {
  const tree = state.lora ? state.adapted! : (state.models!.detector as AnyLayer);
  $('tree').innerHTML = printTreeHtml(tree, { rootName: 'detector' });
}

async function setImage(blob: Blob): Promise<void> {
  const t = performance.now();
  const decoded = await decodeImage(blob);
  state.input = { ...decoded, decodeMs: performance.now() - t };
  state.baseline = undefined;
}

const api = {
  /** Resolves when the weights and the sample are loaded and the first run is done. */
  ready: undefined as unknown as Promise<DemoResult>,
  run,
  async setBackend(choice: BackendChoice): Promise<DemoResult> {
    state.choice = choice;
    ($('backend') as HTMLSelectElement).value = choice;
    return run();
  },
  async setLora(on: boolean): Promise<DemoResult> {
    state.lora = on;
    ($('lora') as HTMLInputElement).checked = on;
    showTree();
    return run();
  },
};
(globalThis as { canopyDemo?: typeof api }).canopyDemo = api;

const guard = <A extends unknown[]>(f: (...a: A) => Promise<unknown>) => (...a: A): void => {
  f(...a).catch((err: unknown) => status(String((err as Error).stack ?? err), true));
};

async function start(): Promise<DemoResult> {
  const params = new URLSearchParams(location.search);
  const choice = params.get('backend');
  if (choice === 'webgpu' || choice === 'webgl2' || choice === 'wasm' || choice === 'reference') state.choice = choice;
  ($('backend') as HTMLSelectElement).value = state.choice;
  const t = performance.now();
  const models = await fetchFaceApiModels('/model/', {
    onProgress: ({ loaded, total }) => status(`loading weights: ${Math.round(loaded / 1024)}${total === undefined ? "" : ` / ${Math.round(total / 1024)}`} KiB`),
  });
  state.models = models;
  state.adapted = withPointwiseLora(models.detector as AnyLayer);
  state.loadMs = performance.now() - t;
  showTree();
  await setImage(await (await fetch('/sample/sample1.jpg')).blob());
  return run();
}

api.ready = start();
api.ready.catch((err: unknown) => status(String((err as Error).stack ?? err), true));

$('backend').addEventListener('change', guard(() => api.setBackend(($('backend') as HTMLSelectElement).value as BackendChoice)));
$('lora').addEventListener('change', guard(() => api.setLora(($('lora') as HTMLInputElement).checked)));
$('file').addEventListener('change', guard(async () => {
  const f = ($('file') as HTMLInputElement).files?.[0];
  if (f !== undefined) {
    await setImage(f);
    await run();
  }
}));
const drop = $('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', guard(async (e: DragEvent) => {
  e.preventDefault();
  drop.classList.remove('over');
  const f = e.dataTransfer?.files[0];
  if (f !== undefined) {
    await setImage(f);
    await run();
  }
}));

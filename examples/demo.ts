// The main demo (`npm run demo`): face-api's tiny face detector and 68-point landmarks, loaded from
// the installed @vladmandic/face-api package by canopy's own tfjs reader and key maps, run on
// canopy's default backend. Then adaptation: a zero-initialised LoRA injected into every pointwise
// convolution leaves the outputs unchanged, and ejecting it gives the original tree back.
//
//   npm run demo                      demo/sample1.jpg, human-readable, writes out/faces.png
//   npm run demo -- photo.jpg         another image
//   npm run demo -- --json photo.jpg  exactly one line of JSON on stdout
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { getDefaultBackend } from '../src/backend/select.ts';
import { detectFaces, detectorOutput } from '../src/models/faceapi/detectFaces.ts';
import { loadFaceApiModels } from '../src/node/faceApi.ts';
import { printTree } from '../src/print/tree.ts';
import { layerEquals } from '../src/core/equals.ts';
import type { AnyLayer } from '../src/core/Layer.ts';
import { ejectAll } from '../src/adapters/inject.ts';
import { canvasOf, readImage, writePng } from './faces/codec.ts';
import { drawBox, drawPoint } from './faces/draw.ts';
import { withPointwiseLora } from './faces/pointwiseLora.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const imagePath = args.find((a) => !a.startsWith('--')) ?? 'node_modules/@vladmandic/face-api/demo/sample1.jpg';

const backend = getDefaultBackend();
const models = await loadFaceApiModels();
const image = readImage(imagePath);
const t0 = performance.now();
const faces = await detectFaces(models, image, { backend });
const ms = performance.now() - t0;

if (json) {
  const round = (v: number): number => Math.round(v * 1000) / 1000;
  process.stdout.write(`${JSON.stringify({
    faces: faces.map((f) => ({
      box: [f.box.x, f.box.y, f.box.width, f.box.height].map(round),
      score: Math.round(f.score * 1e6) / 1e6,
      landmarks: f.landmarks.map(([x, y]) => [round(x), round(y)]),
    })),
    backend: backend.name,
    ms: Math.round(ms),
  })}\n`);
  process.exit(0);
}

console.log(`canopy face demo: ${imagePath} (${image.width}×${image.height}), backend ${backend.name}`);
console.log(`${faces.length} face${faces.length === 1 ? '' : 's'} in ${ms.toFixed(0)} ms (tiny face detector at 416 + 68-point landmarks, first run includes kernel compilation)`);
faces.forEach((f, i) => {
  const b = f.box;
  console.log(`  #${i + 1} score ${f.score.toFixed(4)}  box x ${b.x.toFixed(1)} y ${b.y.toFixed(1)} w ${b.width.toFixed(1)} h ${b.height.toFixed(1)}  nose tip (${f.landmarks[30]?.map((v) => v.toFixed(1)).join(', ')})`);
});
const t1 = performance.now();
await detectFaces(models, image, { backend });
console.log(`second run: ${(performance.now() - t1).toFixed(0)} ms`);

const canvas = canvasOf(image);
for (const f of faces) {
  drawBox(canvas, f.box, [0, 255, 0]);
  for (const p of f.landmarks) drawPoint(canvas, p, [255, 40, 40]);
}
mkdirSync('out', { recursive: true });
const outPath = join('out', `faces-${basename(imagePath).replace(/\.[^.]+$/, '')}.png`);
writePng(outPath, canvas);
console.log(`annotated image: ${outPath}\n`);

// --- adaptation: LoRA into the pointwise convolutions, outputs unchanged, ejected again
const detector = models.detector as AnyLayer;
console.log('the detector tree:');
console.log(printTree(detector));
const adapted = withPointwiseLora(detector);
console.log('\nwith a zero-initialised LoRA (rank 4) in every pointwise convolution:');
console.log(printTree(adapted));
const small = { width: 96, height: 96, data: image.data.subarray(0, 96 * 96 * 3) };
const before = await detectorOutput(models.detector, small, 96, backend);
const after = await detectorOutput(adapted as typeof models.detector, small, 96, backend);
const maxDiff = Math.max(...after.data.map((v, i) => Math.abs(v - before.data[i]!)));
console.log(`\noutputs unchanged: max |adapted - original| = ${maxDiff} on a 96×96 input`);
const ejected = ejectAll(adapted);
console.log(`ejected: the original tree is back: ${layerEquals(ejected, detector)}`);
console.log(printTree(ejected, { depth: 1 }));
process.exit(0);

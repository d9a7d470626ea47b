import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import jpeg from 'jpeg-js';
import { selectBackend } from '../src/backend/select.ts';
import { run } from '../src/context/run.ts';
import { withChildren, type AnyLayer } from '../src/core/Layer.ts';
import { Chain } from '../src/layers/structural/Chain.ts';
import { netInputTensor, rgbFromRgba } from '../src/models/faceapi/image.ts';
import { loadFaceApiModels } from '../src/node/faceApi.ts';
import { timeRounds } from './lib/timing.ts';
const file = jpeg.decode(readFileSync('node_modules/@vladmandic/face-api/demo/sample1.jpg'), { useTArray: true });
const x = netInputTensor([rgbFromRgba(file.width, file.height, file.data)], 416, false);
const { detector } = await loadFaceApiModels();
// The same model with every LeakyReLU and MaxPool2d in a Chain of its own: no sibling to fuse with.
const apart = withChildren(detector, detector.children.map((c: AnyLayer) => (c.kind.name === 'LeakyReLU' || c.kind.name === 'MaxPool2d' ? Chain(c) : c)));
console.log('load', loadavg().map((l) => l.toFixed(1)).join(' '));
for (const mode of ['async', 'webasm'] as const) {
  const b = selectBackend({ backend: 'gpujs', mode });
  const [f, u] = await timeRounds([() => run(detector, [x], { backend: b }), () => run(apart, [x], { backend: b })], { warmup: 2, rounds: 11 });
  console.log(mode, 'peephole', f!.medianMs.toFixed(1), `(${f!.minMs.toFixed(1)})`, 'unfused', u!.medianMs.toFixed(1), `(${u!.minMs.toFixed(1)})`, 'ratio', (u!.medianMs / f!.medianMs).toFixed(2));
}
console.log('load', loadavg().map((l) => l.toFixed(1)).join(' '));
process.exit(0);

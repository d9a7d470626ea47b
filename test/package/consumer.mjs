// A consumer in plain ESM JavaScript: the three entries of the installed package, a small model on
// the default (gpu.js) backend checked against the reference backend, a file round trip through
// canopy-nn/node, and one law from canopy-nn/laws run with fast-check.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Chain, Linear, ReLU, fromArray, getDefaultBackend, loadStateDict, referenceBackend, run, stateDict } from 'canopy-nn';
import { chainAssociativeProperty } from 'canopy-nn/laws';
import { loadSafetensorsFile, writeSafetensorsFile } from 'canopy-nn/node';

const model = Chain(Linear({ inFeatures: 3, outFeatures: 4, seed: 1 }), ReLU(), Linear({ inFeatures: 4, outFeatures: 2, seed: 2 }));
const x = fromArray([[1, -2, 3], [0.5, 0, -1]]);
const onGpujs = (await run(model, [x])).output;
const onReference = (await run(model, [x], { backend: referenceBackend })).output;
assert.deepEqual(onGpujs.shape, [2, 2]);
for (let i = 0; i < 4; i++) assert.ok(Math.abs(onGpujs.data[i] - onReference.data[i]) < 1e-5);

const path = join(mkdtempSync(join(tmpdir(), 'canopy-nn-')), 'model.safetensors');
await writeSafetensorsFile(path, stateDict(model));
const reloaded = loadStateDict(Chain(Linear({ inFeatures: 3, outFeatures: 4 }), ReLU(), Linear({ inFeatures: 4, outFeatures: 2 })), (await loadSafetensorsFile(path)).tensors);
assert.deepEqual([...(await run(reloaded, [x])).output.data], [...onGpujs.data]);

fc.assert(chainAssociativeProperty(), { numRuns: 20, seed: 1 });
console.log(JSON.stringify({ ok: true, backend: getDefaultBackend().name, output: [...onGpujs.data] }));

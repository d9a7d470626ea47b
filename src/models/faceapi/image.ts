// Images as plain pixels (height × width × RGB, row-major) and the preprocessing face-api applies
// to a tensor input in Node (`NetInput.toBatchTensor`): pad to a square with zeros (at the end,
// or centred), bilinear resize as tfjs `resizeBilinear(alignCorners=false, halfPixelCenters=false)`,
// integer crops. Decoding files is left to the caller (the demo uses jpeg-js), so the library
// needs no image codec.
import { CanopyError } from '../../errors.ts';
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
  const { width: W, height: H, data: src } = img;
  const out = new Float32Array(height * width * 3);
  const ry = H / height;
  const rx = W / width;
  let o = 0;
  for (let r = 0; r < height; r++) {
    const fy = ry * r;
    const y0 = Math.max(0, Math.floor(fy));
    const wy = fy - y0;
    const y1 = Math.min(H - 1, Math.ceil(fy));
    for (let c = 0; c < width; c++) {
      const fx = rx * c;
      const x0 = Math.max(0, Math.floor(fx));
      const wx = fx - x0;
      const x1 = Math.min(W - 1, Math.ceil(fx));
      for (let d = 0; d < 3; d++) {
        const tl = src[(y0 * W + x0) * 3 + d]!;
        const tr = src[(y0 * W + x1) * 3 + d]!;
        const bl = src[(y1 * W + x0) * 3 + d]!;
        const br = src[(y1 * W + x1) * 3 + d]!;
        const top = tl + (tr - tl) * wx;
        const bottom = bl + (br - bl) * wx;
        out[o++] = top + (bottom - top) * wy;
      }
    }
  }
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
  const { x, y, width, height } = box;
  if (![x, y, width, height].every(Number.isInteger) || x < 0 || y < 0 || width <= 0 || height <= 0 || x + width > img.width || y + height > img.height) {
    throw new CanopyError('argument', `cropImage: the box must be integers inside the ${img.width}×${img.height} image, got x ${x}, y ${y}, width ${width}, height ${height}`);
  }
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
  const sq = padToSquare(img, center);
  return sq.width === size ? sq : resizeBilinear(sq, size, size);
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

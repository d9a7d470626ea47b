// Image files for the demo: JPEG decoding with jpeg-js and PNG encoding with pngjs. Both are pure
// JavaScript (no native build, nothing to download at install time: the project must install and
// run offline), well kept and widely used; the library itself stays codec-free and takes pixels.
import { readFileSync, writeFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { rgbFromRgba, type RgbImage } from '../../src/models/faceapi/image.ts';

/** Decodes a JPEG (or PNG, by its signature) file into RGB pixels. */
export function readImage(path: string): RgbImage {
  const bytes = readFileSync(path);
  if (bytes[0] === 0x89 && bytes[1] === 0x50) {
    const png = PNG.sync.read(bytes);
    return rgbFromRgba(png.width, png.height, png.data);
  }
  const j = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  return rgbFromRgba(j.width, j.height, j.data);
}

/** An RGBA canvas to draw on, from an RGB image. */
export interface Canvas {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

export function canvasOf(img: RgbImage): Canvas {
  const rgba = new Uint8Array(img.width * img.height * 4);
  for (let i = 0; i < img.width * img.height; i++) {
    rgba[4 * i] = img.data[3 * i]!;
    rgba[4 * i + 1] = img.data[3 * i + 1]!;
    rgba[4 * i + 2] = img.data[3 * i + 2]!;
    rgba[4 * i + 3] = 255;
  }
  return { width: img.width, height: img.height, rgba };
}

/** Writes the canvas as a PNG file. */
export function writePng(path: string, c: Canvas): void {
  const png = new PNG({ width: c.width, height: c.height });
  png.data = Buffer.from(c.rgba);
  writeFileSync(path, PNG.sync.write(png));
}

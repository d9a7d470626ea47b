// face-api's sample photo decoded by the page: canopy's RGB image and the canvas tfjs reads.
import { rgbFromRgba, type RgbImage } from '../../src/index.ts';

/** sample1.jpg (served at /sample/) as canopy's RgbImage and as a canvas. */
export async function sampleImage(): Promise<{ image: RgbImage; canvas: HTMLCanvasElement }> {
  const bitmap = await createImageBitmap(await (await fetch('/sample/sample1.jpg')).blob());
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const g = canvas.getContext('2d', { willReadFrequently: true })!;
  g.drawImage(bitmap, 0, 0);
  return { image: rgbFromRgba(bitmap.width, bitmap.height, g.getImageData(0, 0, bitmap.width, bitmap.height).data), canvas };
}

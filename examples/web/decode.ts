// Decoding an image file in a page into canopy's RGB image, shared by the demo and the test pages.
import { rgbFromRgba, type RgbImage } from '../../src/index.ts';

/** The RGB pixels of an encoded image (the browser's decoder), with its bitmap for drawing. */
export async function decodeImage(blob: Blob): Promise<{ image: RgbImage; bitmap: ImageBitmap }> {
  const bitmap = await createImageBitmap(blob);
  const c = new OffscreenCanvas(bitmap.width, bitmap.height);
  const g = c.getContext('2d', { willReadFrequently: true })!;
  g.drawImage(bitmap, 0, 0);
  const rgba = g.getImageData(0, 0, bitmap.width, bitmap.height).data;
  return { image: rgbFromRgba(bitmap.width, bitmap.height, rgba), bitmap };
}

// Drawing boxes and points on an RGBA canvas (mutates the canvas the demo owns; nothing else).
import type { Canvas } from './codec.ts';

type Rgb = readonly [number, number, number];

function plot(c: Canvas, x: number, y: number, color: Rgb): void {
  const xi = Math.round(x);
  const yi = Math.round(y);
  if (xi < 0 || yi < 0 || xi >= c.width || yi >= c.height) return;
  const o = (yi * c.width + xi) * 4;
  c.rgba[o] = color[0];
  c.rgba[o + 1] = color[1];
  c.rgba[o + 2] = color[2];
}

/** A rectangle outline `thickness` pixels wide. */
export function drawBox(c: Canvas, box: { x: number; y: number; width: number; height: number }, color: Rgb, thickness = 3): void {
  for (let t = 0; t < thickness; t++) {
    for (let x = box.x; x <= box.x + box.width; x++) {
      plot(c, x, box.y + t, color);
      plot(c, x, box.y + box.height - t, color);
    }
    for (let y = box.y; y <= box.y + box.height; y++) {
      plot(c, box.x + t, y, color);
      plot(c, box.x + box.width - t, y, color);
    }
  }
}

/** A filled disc of radius `r`. */
export function drawPoint(c: Canvas, [px, py]: readonly [number, number], color: Rgb, r = 3): void {
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= r * r) plot(c, px + dx, py + dy, color);
}

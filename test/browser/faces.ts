// The check every demo page test makes: sample1's three faces as upstream face-api finds them.
import { expect } from 'vitest';
import type { DemoResult } from '../../examples/web/main.ts';
import { goldenFaces } from '../models/faceapi/helpers.ts';

const byX = <F extends { box: readonly number[] }>(fs: readonly F[]): F[] => [...fs].sort((a, b) => a.box[0]! - b.box[0]!);

/** Same three faces as upstream: scores within 0.01, boxes within 20 px (1% of the image width). */
export function expectUpstreamFaces(r: DemoResult): void {
  expect(r.faces).toHaveLength(3);
  const want = byX(goldenFaces);
  byX(r.faces).forEach((f, i) => {
    expect(Math.abs(f.score - want[i]!.score)).toBeLessThan(0.01);
    f.box.forEach((v, j) => expect(Math.abs(v - want[i]!.box[j]!)).toBeLessThan(20));
    expect(f.landmarks).toBe(68);
  });
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cPow } from '../../src/backend/reference/elementwise.ts';
import * as o from '../../src/ops/index.ts';
import { fromArray } from '../../src/tensor/index.ts';
import { r } from './helpers.ts';

const specials = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 2, -2, 0.5, -0.5, 3, 1e30, -1e30];

describe('pow follows C pow (as torch), not Math.pow', () => {
  it('has the C special cases', () => {
    for (const y of specials) expect(cPow(1, y), `pow(1, ${y})`).toBe(1);
    for (const x of specials) {
      expect(cPow(x, 0), `pow(${x}, 0)`).toBe(1);
      expect(cPow(x, -0), `pow(${x}, -0)`).toBe(1);
    }
    expect(cPow(-1, Infinity)).toBe(1);
    expect(cPow(-1, -Infinity)).toBe(1);
    expect(cPow(-1, NaN)).toBeNaN();
    expect(cPow(NaN, 1)).toBeNaN();
    expect(cPow(2, NaN)).toBeNaN();
    expect(cPow(-0, -1)).toBe(-Infinity);
    expect(cPow(-8, 1 / 3)).toBeNaN(); // negative base, fractional exponent
  });
  it('agrees with Math.pow away from the special cases', () => {
    fc.assert(
      fc.property(fc.double(), fc.double(), (x, y) => {
        fc.pre(x !== 1 && y !== 0 && !(x === -1 && !Number.isFinite(y)));
        expect(Object.is(cPow(x, y), Math.pow(x, y))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
  it('is what the reference backend computes for every pair of special values', async () => {
    const n = specials.length;
    const a = fromArray(specials.map((v) => specials.map(() => v)));
    const b = fromArray(specials.map(() => specials));
    const y = await o.pow(r, a, b);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const want = Math.fround(cPow(Math.fround(specials[i]!), Math.fround(specials[j]!)));
        expect(y.data[i * n + j], `pow(${specials[i]}, ${specials[j]})`).toBe(want);
      }
    }
  });
});

// Refiners' nine Slicing tests (tests/fluxion/layers/test_basics.py), ported: the expected value
// is Python's slice of the same tensor, computed here by index arithmetic.
import { describe, expect, it } from 'vitest';
import { randn, referenceBackend, run, type Tensor } from '../../src/index.ts';
import { Slicing, type SlicingOptions } from '../../src/layers/index.ts';

/** Python's `x[..., start:end:step]` on axis `dim` of a row-major tensor, as shape + values. */
function pySlice(x: Tensor, dim: number, start: number, end: number | null, step: number): { shape: number[]; data: number[] } {
  const n = x.shape[dim]!;
  const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  const [s, e] = [clamp(start), end === null ? n : clamp(end)];
  const idx: number[] = [];
  for (let i = s; i < e; i += step) idx.push(i);
  const outer = x.shape.slice(0, dim).reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const data: number[] = [];
  for (let o = 0; o < outer; o++) for (const i of idx) for (let k = 0; k < inner; k++) data.push(x.data[(o * n + i) * inner + k]!);
  return { shape: x.shape.map((d, a) => (a === dim ? idx.length : d)), data };
}

async function check(shape: number[], o: Required<Pick<SlicingOptions, 'dim' | 'start'>> & SlicingOptions): Promise<Tensor> {
  const x = randn(shape, 0);
  const { output } = await run(Slicing(o), [x], { backend: referenceBackend });
  const want = pySlice(x, o.dim, o.start, o.end ?? null, o.step ?? 1);
  expect(output.shape).toEqual(want.shape);
  expect([...output.data]).toEqual(want.data);
  return output;
}

describe("Slicing (Refiners' tests)", () => {
  it('positive indices', async () => void (await check([5, 5, 5], { dim: 0, start: 2, end: 5 })));
  it('negative indices', async () => void (await check([5, 5, 5], { dim: 1, start: -3, end: -1 })));
  it('no end', async () => expect((await check([2, 1000, 4], { dim: 1, start: 1 })).shape).toEqual([2, 999, 4]));
  it('step', async () => expect((await check([5, 5, 5], { dim: 1, start: 0, end: 5, step: 2 })).shape).toEqual([5, 3, 5]));
  it('empty slice', async () => expect((await check([5, 5, 5], { dim: 1, start: 3, end: 3 })).shape).toEqual([5, 0, 5]));
  it('full dimension', async () => expect((await check([5, 5, 5], { dim: 2, start: 0, end: 5 })).shape).toEqual([5, 5, 5]));
  it('step greater than range', async () => expect((await check([5, 5, 5], { dim: 1, start: 1, end: 3, step: 4 })).shape).toEqual([5, 1, 5]));
  it('reversed start and end', async () => expect((await check([5, 5, 5], { dim: 1, start: 4, end: 2 })).shape).toEqual([5, 0, 5]));
  it('out-of-bounds indices', async () => expect((await check([5, 5, 5], { dim: 1, start: -10, end: 10 })).shape).toEqual([5, 5, 5]));
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agreesWithReference, backendAgreesWithReference, backendProperties } from '../../../laws/backend.ts';
import type { Backend } from '../../../src/backend/Backend.ts';
import { referenceBackend } from '../../../src/backend/reference/index.ts';
import { createGpujsBackend } from '../../../src/backend/gpujs/index.ts';
import { fromArray, makeTensor } from '../../../src/tensor/index.ts';

describe('backend laws', () => {
  // The laws compare a backend with the reference: run on the reference itself they could not
  // fail. They are run on an independent implementation (the gpu.js kernels, in their CPU mode),
  // and the broken backends below show that they fail when they should; the reference itself is
  // checked against PyTorch's outputs (reference.test.ts and test/oracle).
  it('hold for an independent backend: gpu.js in cpu mode', async () => {
    const gpujs = createGpujsBackend({ mode: 'cpu' });
    try {
      await backendAgreesWithReference(gpujs, { numRuns: 5 });
    } finally {
      gpujs.destroy();
    }
  });
  it('catch a wrong kernel, a truncated loop and a mutating kernel', async () => {
    const wrongExp: Backend = { ...referenceBackend, name: 'wrong', unary: (op, x) => referenceBackend.unary(op === 'exp' ? 'sin' : op, x) };
    const failure = (await fc.assert(backendProperties(wrongExp)['unary.exp']!, { numRuns: 20 }).catch((e: unknown) => e)) as Error;
    expect(failure.message).toContain('Property failed');
    expect(String((failure.cause as Error | undefined)?.message)).toContain('unary.exp: wrong: element');
    // a matmul that only sums the first 1000 terms, like a gpu.js loop cut at loopMaxIterations
    const truncated: Backend = {
      ...referenceBackend,
      name: 'truncated',
      matmul: (a, b) => {
        const [B = 0, M = 0, K = 0] = a.shape;
        const N = b.shape[2] ?? 0;
        const k = Math.min(K, 1000);
        const out = new Float32Array(B * M * N);
        for (let z = 0; z < B; z++) for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
          let s = 0;
          for (let t = 0; t < k; t++) s += (a.data[(z * M + i) * K + t] ?? 0) * (b.data[(z * K + t) * N + j] ?? 0);
          out[(z * M + i) * N + j] = s;
        }
        return makeTensor(out, [B, M, N], 'float32');
      },
    };
    await expect(backendAgreesWithReference(truncated, { numRuns: 3 })).rejects.toThrow('backend law large failed for truncated');
    const x = fromArray([1, 2]);
    const mutating: Backend = { ...referenceBackend, name: 'mutating', unary: (op, t) => { const y = referenceBackend.unary(op, t); (t.data as Float32Array)[0] = 9; return y; } };
    expect(await agreesWithReference(mutating, (b) => b.unary('abs', x), [x])).toBe('mutating: input 0 [2] was mutated');
  });
});

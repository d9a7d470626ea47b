// The adapter laws of laws/adapter.ts, driven by fast-check on random small Linear models.
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { adapterProperties } from '../../laws/adapter.ts';

describe('adapter laws', () => {
  it('eject(inject(m)) = m, sharing untouched subtrees', () => fc.assert(adapterProperties.ejectInject, { numRuns: 50 }));
  it('eject(inject(m)) = m for an adapter that replaces its target by other children', () => fc.assert(adapterProperties.ejectInjectReplacing, { numRuns: 50 }));
  it('inject and eject never mutate their input', () => fc.assert(adapterProperties.noMutation, { numRuns: 30 }));
  it('inject and eject of a replacing adapter never mutate their input', () => fc.assert(adapterProperties.noMutationReplacing, { numRuns: 30 }));
  it('adapters on disjoint targets commute (a LoRA and a replacing adapter)', () => fc.assert(adapterProperties.commute, { numRuns: 50 }));
  it('a fresh LoRA changes no output', async () => fc.assert(adapterProperties.freshLora, { numRuns: 25 }));
  it('merged output equals adapter output', async () => fc.assert(adapterProperties.merge, { numRuns: 25 }));
  it('unmerge(merge(m)) = m within tolerance', () => fc.assert(adapterProperties.unmerge, { numRuns: 30 }));
});

import { afterAll, describe, expect, it } from 'vitest';
import { describeBackend, destroyBackends, getDefaultBackend, selectBackend, setDefaultBackend } from '../../src/backend/select.ts';
import { modeUnavailableReason } from '../../src/backend/gpujs/index.ts';
import { referenceBackend } from '../../src/backend/reference/index.ts';
import { CanopyError } from '../../src/errors.ts';
import { fromArray } from '../../src/tensor/create.ts';

afterAll(() => destroyBackends());

describe('selectBackend', () => {
  it('auto-selects gpu.js in threaded webasm and reports it', async () => {
    const be = selectBackend();
    expect(be.name).toBe('gpujs:async');
    expect(describeBackend(be)).toMatch(/^gpujs\/webasm \(async, \d+ threads?\)$/);
    const y = await be.binary('add', fromArray([1, 2]), fromArray(10));
    expect(Array.from(y.data)).toEqual([11, 12]);
  });

  it('forces a mode and shares one backend per mode', () => {
    const be = selectBackend({ backend: 'gpujs', mode: 'cpu' });
    expect(describeBackend(be)).toBe('gpujs/cpu (sync)');
    expect(selectBackend({ mode: 'cpu' })).toBe(be);
    expect(describeBackend(selectBackend({ mode: 'webasm' }))).toBe('gpujs/webasm (sync)');
  });

  it('selects the reference backend', () => {
    expect(selectBackend({ backend: 'reference' })).toBe(referenceBackend);
    expect(describeBackend(referenceBackend)).toBe('reference (sync)');
  });

  it.each(['headlessgl', 'webgpu'] as const)('reports an unavailable %s mode with a CanopyError', (mode) => {
    const reason = modeUnavailableReason(mode);
    if (reason === undefined) return; // available on this machine: nothing to refuse
    let error: unknown;
    try {
      selectBackend({ mode });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CanopyError);
    expect((error as CanopyError).code).toBe('backend');
    expect((error as CanopyError).message).toBe(
      `selectBackend: gpu.js mode '${mode}' must be available here, got: ${reason} (available: async, webasm, cpu, gpu)`,
    );
  });

  it('rejects a mode with the reference backend and an unknown mode', () => {
    expect(() => selectBackend({ backend: 'reference', mode: 'cpu' })).toThrow(
      "selectBackend: mode applies to the gpujs backend only, got mode 'cpu' with backend 'reference'",
    );
    expect(() => selectBackend({ mode: 'opengl' as never })).toThrow(/mode must be one of async, webasm, cpu, headlessgl, webgpu, webgl2, webgl, gpu, got 'opengl'/);
  });
});

describe('global default', () => {
  it('is auto-selected, settable by options or by value, and reset by destroyBackends', () => {
    expect(getDefaultBackend().name).toBe('gpujs:async');
    expect(setDefaultBackend({ backend: 'reference' })).toBe(referenceBackend);
    expect(getDefaultBackend()).toBe(referenceBackend);
    expect(describeBackend()).toBe('reference (sync)');
    const cpu = selectBackend({ mode: 'cpu' });
    setDefaultBackend(cpu);
    expect(getDefaultBackend()).toBe(cpu);
    destroyBackends();
    expect(getDefaultBackend().name).toBe('gpujs:async');
  });
});

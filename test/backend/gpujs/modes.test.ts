// Mode choice: a preference list falls back to the first mode available here, and the backend's
// description names what was skipped and why. In Node there is no WebGL2 or WebGPU (the browser
// tests in test/browser run those modes in a page).
import { describe, expect, it } from 'vitest';
import { createGpujsBackend } from '../../../src/backend/gpujs/index.ts';
import { modeUnavailableReason } from '../../../src/backend/gpujs/runtime.ts';

describe('gpu.js mode fallback chain', () => {
  it('reports WebGL2 and WebGL as unavailable outside a page', () => {
    expect(modeUnavailableReason('webgl2')).toBe('no WebGL2 context (a page in a WebGL2 browser is needed)');
    expect(modeUnavailableReason('webgl')).toBe('no WebGL context (a page in a WebGL browser is needed)');
  });

  it('runs the first available mode of a list and describes the skipped ones', async () => {
    const be = createGpujsBackend({ mode: ['webgpu', 'webgl2', 'webasm'] });
    try {
      expect(be.mode).toBe('webasm');
      expect(be.describe()).toBe(
        'gpujs/webasm (sync; skipped webgpu: no WebGPU implementation (navigator.gpu) in this runtime; in Node, install one (e.g. the "webgpu" package) first; ' +
          'skipped webgl2: no WebGL2 context (a page in a WebGL2 browser is needed))',
      );
    } finally {
      be.destroy();
    }
  });

  it('throws the last mode\'s reason when none is available, and rejects an empty list', () => {
    expect(() => createGpujsBackend({ mode: ['webgpu', 'webgl2'] })).toThrow("gpujs: mode 'webgl2' must be available, got: no WebGL2 context (a page in a WebGL2 browser is needed)");
    expect(() => createGpujsBackend({ mode: [] })).toThrow('createGpujsBackend: mode must name at least one gpu.js mode, got []');
  });
});

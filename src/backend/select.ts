// Backend choice: per run (`selectBackend`) and global (`setDefaultBackend`), with auto-selection
// that says what it picked. The default is gpu.js in its fastest mode here (threaded webasm).

import type { Backend } from './Backend.ts';
import { CanopyError } from '../errors.ts';
import { referenceBackend } from './reference/index.ts';
import { createGpujsBackend, defaultGpujsMode, gpujsModes, modeUnavailableReason, type GpujsBackend, type GpujsMode } from './gpujs/index.ts';

// --- model

/** Which backend to use, and for gpu.js which mode. */
export interface SelectBackendOptions {
  /** `'gpujs'` (default) or `'reference'`. */
  readonly backend?: 'gpujs' | 'reference';
  /** gpu.js mode; default: `'async'` where WebAssembly threads work, else `'webasm'`, else `'cpu'`. */
  readonly mode?: GpujsMode;
  /** Worker threads for gpu.js's `async` mode. Default: the number of CPU cores. */
  readonly threads?: number;
}

// --- constructors

// One gpu.js backend per (mode, threads), so that repeated selection shares compiled kernels.
const gpujsBackends = new Map<string, GpujsBackend>();

/**
 * The backend for `options`; throws CanopyError('backend') naming the reason and the modes that do
 * work when a forced gpu.js mode is unavailable.
 *
 * @example
 * ```ts
 * const be = selectBackend({ backend: 'gpujs', mode: 'webasm' });
 * be.name; // 'gpujs:webasm'
 * selectBackend({ backend: 'reference' }).name; // 'reference'
 * ```
 */
export function selectBackend(options: SelectBackendOptions = {}): Backend {
  if (options.backend === 'reference') {
    if (options.mode !== undefined) {
      throw new CanopyError('backend', `selectBackend: mode applies to the gpujs backend only, got mode '${options.mode}' with backend 'reference'`);
    }
    return referenceBackend;
  }
  if (options.backend !== undefined && options.backend !== 'gpujs') {
    throw new CanopyError('backend', `selectBackend: backend must be 'gpujs' or 'reference', got '${String(options.backend)}'`);
  }
  const mode = options.mode ?? defaultGpujsMode();
  if (!gpujsModes.includes(mode)) {
    throw new CanopyError('backend', `selectBackend: mode must be one of ${gpujsModes.join(', ')}, got '${String(mode)}'`);
  }
  const reason = modeUnavailableReason(mode);
  if (reason !== undefined) {
    const working = gpujsModes.filter((m) => modeUnavailableReason(m) === undefined);
    throw new CanopyError('backend', `selectBackend: gpu.js mode '${mode}' must be available here, got: ${reason} (available: ${working.join(', ')})`);
  }
  const key = `${mode}|${options.threads ?? ''}`;
  let be = gpujsBackends.get(key);
  if (be === undefined) {
    be = createGpujsBackend({ mode, ...(options.threads === undefined ? {} : { threads: options.threads }) });
    gpujsBackends.set(key, be);
  }
  return be;
}

// --- global default

let current: Backend | undefined;

/**
 * Sets the backend used when a run names none; returns it.
 *
 * @example
 * ```ts
 * setDefaultBackend({ backend: 'reference' });
 * getDefaultBackend().name; // 'reference'
 * ```
 */
export function setDefaultBackend(options: SelectBackendOptions | Backend = {}): Backend {
  current = isBackend(options) ? options : selectBackend(options);
  return current;
}

/**
 * The backend used when a run names none (auto-selected on first use).
 *
 * @example
 * ```ts
 * getDefaultBackend().name; // 'gpujs:async' in Node 20
 * ```
 */
export function getDefaultBackend(): Backend {
  current ??= selectBackend();
  return current;
}

/**
 * A one-line report of what runs: `gpujs/webasm (async, 2 threads)`, `gpujs/cpu (sync)`,
 * `reference (sync)`. Describes the default backend when given none.
 *
 * @example
 * ```ts
 * describeBackend(selectBackend({ mode: 'webasm' })); // 'gpujs/webasm (sync)'
 * ```
 */
export function describeBackend(backend: Backend = getDefaultBackend()): string {
  const d = (backend as Partial<GpujsBackend>).describe;
  return typeof d === 'function' ? d.call(backend) : `${backend.name} (sync)`;
}

/**
 * Destroys every gpu.js backend this module created (kernels and worker threads) and forgets the
 * default, so a test process can exit promptly. Later selections build fresh backends.
 *
 * @example
 * ```ts
 * destroyBackends();
 * ```
 */
export function destroyBackends(): void {
  for (const be of gpujsBackends.values()) be.destroy();
  gpujsBackends.clear();
  current = undefined;
}

// --- utils

function isBackend(v: SelectBackendOptions | Backend): v is Backend {
  return typeof (v as Partial<Backend>).matmul === 'function';
}

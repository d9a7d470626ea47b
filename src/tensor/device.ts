// Tensors whose values live on a device (a GPU buffer or texture): one Tensor type, its `data`
// read lazily; the one explicit async read (`readTensor`), the release (`disposeTensor`), the
// liveness rule that releases an intermediate once its consumer is done (`releaseDead`), and the
// run scopes that release the rest at a run's end (docs/design.md, "Device-resident tensors").
//
// Why a getter and not a second tensor type: every consumer of `t.data` (ops' validation, a
// model's post-processing, tests) keeps working once the values were read, and a resident tensor
// feeds the next kernel without anyone reading it. Reading is explicit because it is the cost a
// GPU pipeline must avoid: `await readTensor(t)` once; afterwards `t.data` is the host copy.

import { CanopyError } from '../errors.ts';
import { makeTensorObject, showShape, type DType, type Tensor, type TypedArrayFor } from './Tensor.ts';

// --- model

/**
 * A backend's handle on device memory holding a float32 tensor's values, row-major.
 * Each device tensor owns one handle (a reshape clones it: the memory is shared and refcounted).
 */
export interface DeviceHandle {
  /** The backend that owns it, for messages (e.g. `gpujs:webgpu`). */
  readonly backend: string;
  /** Bytes of device memory it holds. */
  readonly bytes: number;
  /** Copies the values to the host (a counted readback). */
  read(): Promise<Float32Array>;
  /** A synchronous readback where the device allows one (WebGL), else undefined (WebGPU). */
  readonly readSync: (() => Float32Array) | undefined;
  /** A second handle on the same memory (refcounted): the memory lives until both are released. */
  clone(): DeviceHandle;
  /** Releases the handle (idempotent); the memory is freed with its last handle. */
  release(): void;
}

// --- constructors

// Handles of tensors nobody disposed are released when the garbage collector takes the tensor.
const finalizer =
  typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<DeviceHandle>((h) => h.release()) : undefined;

// The handle and host copy of each device tensor (WeakMap: the tensor stays a frozen plain object).
interface DeviceState {
  readonly handle: DeviceHandle;
  /** Creation order: device tensors made after a {@link deviceMark} have a serial at or above it. */
  readonly serial: number;
  host: Float32Array | undefined;
  disposed: boolean;
}
const states = new WeakMap<Tensor, DeviceState>();
// Device tensors made so far in this process (the next one's serial).
let serial = 0;

/**
 * A float32 tensor whose values are `handle`'s device memory. Reading `data` of it copies them to
 * the host once (a counted readback) where the device reads synchronously, and throws a
 * CanopyError telling to `await readTensor(t)` where it does not (WebGPU).
 * @internal (backends create device tensors)
 */
export function makeDeviceTensor(handle: DeviceHandle, shape: readonly number[]): Tensor<'float32'> {
  const state: DeviceState = { handle, serial: serial++, host: undefined, disposed: false };
  const t: Tensor<'float32'> = makeTensorObject<'float32'>(shape, 'float32', (): Float32Array => hostValues(t, state));
  states.set(t, state);
  finalizer?.register(t, handle, state);
  for (const s of openScopes) s.created.add(t);
  return t;
}

/**
 * A second tensor object with `t`'s values (a distinct identity, for code that tells tensors
 * apart by reference): a device tensor shares the memory through a cloned handle, without a read.
 * @internal
 */
export function aliasTensor<D extends DType>(t: Tensor<D>): Tensor<D> {
  const s = states.get(t);
  if (s === undefined) return Object.freeze({ ...t });
  if (s.disposed) throw disposedError(t, 'be used');
  const alias = makeDeviceTensor(s.handle.clone(), t.shape);
  const a = states.get(alias)!;
  a.host = s.host;
  return alias as Tensor as Tensor<D>;
}

// --- destructors

/**
 * The device handle of a tensor, or `undefined` for a host tensor or one already read to the host
 * and disposed. Backends use it to feed a resident tensor to their next kernel.
 * @internal
 */
export function deviceHandle(t: Tensor): DeviceHandle | undefined {
  const s = states.get(t);
  if (s === undefined) return undefined;
  if (s.disposed) throw disposedError(t, 'be used');
  return s.handle;
}

/**
 * True when `t`'s values live on a device (whether or not they were already read).
 *
 * @example
 * ```ts
 * import { isOnDevice, zeros } from 'canopy-nn';
 * isOnDevice(zeros([2])); // false: host tensors are typed arrays
 * ```
 */
export function isOnDevice(t: Tensor): boolean {
  return states.has(t);
}

/**
 * The values of any tensor, on any backend: a device tensor is read to the host once (later
 * `t.data` reads return the same copy), a host tensor resolves to its `data`. The one way to read
 * a tensor that a GPU backend left on the device.
 *
 * @example
 * ```ts
 * import { fromArray, readTensor } from 'canopy-nn';
 * await readTensor(fromArray([1, 2])); // Float32Array [1, 2]
 * ```
 */
export async function readTensor<D extends DType>(t: Tensor<D>): Promise<TypedArrayFor<D>> {
  const s = states.get(t);
  if (s === undefined) return t.data;
  if (s.host !== undefined) return s.host as TypedArrayFor<D>;
  if (s.disposed) throw disposedError(t, 'be read');
  const values = await s.handle.read();
  s.host = values;
  return values as TypedArrayFor<D>;
}

/**
 * Releases a tensor's device memory now instead of when it is garbage collected (a host tensor:
 * nothing to do). Its values stay readable only if they were read before. Idempotent.
 *
 * @example
 * ```ts
 * import { disposeTensor, fromArray } from 'canopy-nn';
 * const t = fromArray([1, 2]);
 * disposeTensor(t);
 * t.data[1]; // 2 (a host tensor: nothing was released)
 * ```
 */
export function disposeTensor(t: Tensor): void {
  const s = states.get(t);
  if (s === undefined || s.disposed) return;
  s.disposed = true;
  finalizer?.unregister(s);
  s.handle.release();
}

// --- run scopes

// A scope collects the device tensors created while it is open; at its end, those not reachable
// from what it keeps (a run's output and contexts) are released. Scopes may overlap (concurrent
// async runs): a tensor is registered in every scope open when it was made, and released by the
// last of them to close, unless some closed scope kept it (then the user owns it).
interface Scope {
  readonly created: Set<Tensor>;
}
const openScopes = new Set<Scope>();
const kept = new WeakSet<Tensor>();
const held = new WeakSet<Tensor>();

/**
 * Opens a scope; the returned function closes it, releasing the device tensors created meanwhile
 * that are not reachable from `keep` (arrays and plain objects are searched). Held tensors
 * ({@link holdDeviceTensors}) are skipped, unless `releaseHeld`: the scope that held them (a
 * gradient computation) then decides them by reachability, whatever inner runs kept. Host-only
 * runs pay one Set insertion.
 * @internal (run, runSync and valueAndGrad use it)
 */
export function openDeviceScope(): (keep: unknown, releaseHeld?: boolean) => void {
  const scope: Scope = { created: new Set() };
  openScopes.add(scope);
  return (keep, releaseHeld = false) => {
    openScopes.delete(scope);
    if (scope.created.size === 0) return;
    const reachable = new Set(tensorsIn(keep));
    for (const t of reachable) kept.add(t);
    for (const t of scope.created) {
      if (held.has(t)) {
        if (!releaseHeld) continue;
        held.delete(t);
      } else if (kept.has(t)) continue;
      if (reachable.has(t)) continue;
      let stillOpen = false;
      for (const s of openScopes) if (s.created.has(t)) stillOpen = true;
      if (!stillOpen) disposeTensor(t);
    }
  };
}

/**
 * Keeps device tensors alive through the run scopes that close meanwhile: the gradient tape holds
 * the values its backward pass reads, which the runs inside a loss would otherwise release.
 * @internal
 */
export function holdDeviceTensors(ts: readonly unknown[]): void {
  for (const t of ts) if (states.has(t as Tensor)) held.add(t as Tensor);
}

// --- liveness within a run

// Device tensors written into a context: a later layer may read them, so they are never dead early.
const pinned = new WeakSet<Tensor>();

/**
 * A mark in creation order: the device tensors made from now on are "newer" than it. A sequence
 * takes one before its first child, so it can tell its own intermediates from its arguments.
 * @internal
 */
export function deviceMark(): number {
  return serial;
}

/**
 * Marks the device tensors in `value` (arrays and plain objects searched) as written into a
 * context: {@link releaseDead} never releases them (the run's scope decides them at its end).
 * @internal (context writes call it)
 */
export function pinDeviceTensors(value: unknown): void {
  if (serial === 0) return;
  for (const t of tensorsIn(value)) pinned.add(t);
}

/**
 * Releases the device tensors in `dead` (a value its consumer has finished with) that are dead:
 * made after `mark` (so not an argument of the evaluation that took the mark: a Residual's input
 * passed through by an Identity is older than the Residual's mark), not reachable from `live`
 * (what the consumer returned: a tuple may carry a tensor on), not written into a context, not
 * held by a gradient tape, not kept by a closed run (a nested run's output belongs to its
 * caller). A tensor read later anyway gives the "disposed" CanopyError, never a wrong value.
 * Host tensors are never touched: a typed array a user may hold is not recycled.
 * Costs one comparison when no device tensor was made since `mark` (every host-only run).
 * @internal (runSequence calls it after each child)
 */
export function releaseDead(dead: unknown, mark: number, live: unknown): void {
  if (serial === mark) return;
  let candidates: Tensor[] | undefined;
  for (const t of tensorsIn(dead)) {
    const s = states.get(t)!;
    if (s.serial < mark || s.disposed || pinned.has(t) || held.has(t) || kept.has(t)) continue;
    (candidates ??= []).push(t);
  }
  if (candidates === undefined) return;
  const reachable = new Set(tensorsIn(live));
  for (const t of candidates) if (!reachable.has(t)) disposeTensor(t);
}

// --- utils

function hostValues(t: Tensor, s: DeviceState): Float32Array {
  if (s.host !== undefined) return s.host;
  if (s.disposed) throw disposedError(t, 'be read');
  if (s.handle.readSync === undefined) {
    throw new CanopyError(
      'backend',
      `tensor: the values of a ${showShape(t.shape)} tensor on ${s.handle.backend} must be read with \`await readTensor(t)\` before \`t.data\`, got a synchronous read of device memory`,
    );
  }
  s.host = s.handle.readSync();
  return s.host;
}

function disposedError(t: Tensor, what: string): CanopyError {
  return new CanopyError('backend', `tensor: a ${showShape(t.shape)} device tensor must not be disposed to ${what}, got a disposed one (disposeTensor, or the end of the run that made it)`);
}

// The tensors in a value: itself, or inside arrays and plain objects, at any depth.
function tensorsIn(v: unknown, out: Tensor[] = [], seen = new Set<unknown>()): Tensor[] {
  if (typeof v !== 'object' || v === null || seen.has(v)) return out;
  seen.add(v);
  if (states.has(v as Tensor)) out.push(v as Tensor);
  else if (Array.isArray(v)) for (const x of v) tensorsIn(x, out, seen);
  else if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) {
    for (const x of Object.values(v)) tensorsIn(x, out, seen);
  }
  return out;
}

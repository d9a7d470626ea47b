// The training loop: seeded shuffling, mini-batches, one `valueAndGrad` and one optimiser update
// per step, a progress bar on a terminal and a plain line per epoch elsewhere. Deterministic for a
// seed: the batches, hence every update, depend only on the data, the model and the seed.
import type { Backend } from '../backend/Backend.ts';
import type { AnyLayer } from '../core/Layer.ts';
import type { Step } from '../core/step.ts';
import { CanopyError } from '../errors.ts';
import { valueAndGrad } from '../grad/valueAndGrad.ts';
import { deriveSeed, randomBits } from '../tensor/random.ts';
import { makeTensor, showShape, type Tensor } from '../tensor/Tensor.ts';
import { applyUpdates, type Optimizer, type OptimizerState } from './optimizers.ts';

// --- model

/** Examples along the first axis of both tensors. */
export interface Dataset {
  readonly inputs: Tensor;
  readonly targets: Tensor;
}

/** Where progress goes: `process.stderr` by default (a bar when it is a terminal). */
export interface ProgressSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** What a step callback receives. */
export interface StepInfo {
  /** 0-based epoch. */
  readonly epoch: number;
  /** 0-based step over the whole run. */
  readonly step: number;
  /** Loss of this step's batch. */
  readonly loss: number;
  /** Examples in this batch. */
  readonly examples: number;
}

/** One epoch's summary. */
export interface EpochSummary {
  readonly epoch: number;
  /** Mean of the batch losses, weighted by batch size. */
  readonly loss: number;
  readonly seconds: number;
  readonly examplesPerSecond: number;
}

/** Options of {@link fit}. */
export interface FitOptions<L extends AnyLayer> {
  /** The loss of a batch, computed with the backend it is given. */
  readonly loss: (backend: Backend, model: L, inputs: Tensor, targets: Tensor) => Step<Tensor>;
  readonly optimizer: Optimizer;
  /** Passes over the data. Default 1. */
  readonly epochs?: number;
  /** Examples per step (the last batch of an epoch may be smaller). Default 32. */
  readonly batchSize?: number;
  /** Seed of the shuffling. Default 0. */
  readonly seed?: number;
  /** Shuffle before each epoch. Default true. */
  readonly shuffle?: boolean;
  /** Backend of the forward and backward passes. Default: the global default. */
  readonly backend?: Backend;
  /** Optimiser state to resume from. Default: `optimizer.init(model)`. */
  readonly state?: OptimizerState;
  /** Called after every step. */
  readonly onStep?: (info: StepInfo) => void;
  /** Progress output: a sink, or `false` for none. Default: `process.stderr` where there is one. */
  readonly progress?: ProgressSink | false;
  /** Label printed before the progress. Default `'train'`. */
  readonly label?: string;
}

/** What {@link fit} returns. */
export interface FitResult<L extends AnyLayer> {
  readonly model: L;
  readonly state: OptimizerState;
  readonly history: readonly EpochSummary[];
}

// --- constructors

/**
 * Trains `model` on `data` and resolves to the trained model (a new value), the optimiser state
 * and a summary per epoch.
 *
 * @example
 * ```ts
 * import { fit, sgd, mseLoss, run, Linear, fromArray, referenceBackend } from 'canopy-nn';
 * const model = Linear({ inFeatures: 1, outFeatures: 1 });
 * const data = { inputs: fromArray([[0], [1], [2], [3]]), targets: fromArray([[1], [3], [5], [7]]) };
 * const { history } = await fit(model, data, {
 *   loss: async (b, m, x, y) => mseLoss(b, (await run(m, [x], { backend: b })).output, y),
 *   optimizer: sgd(0.05), epochs: 50, batchSize: 4, progress: false, backend: referenceBackend,
 * });
 * history.at(-1)!.loss < 0.1; // true
 * ```
 */
export async function fit<L extends AnyLayer>(model: L, data: Dataset, options: FitOptions<L>): Promise<FitResult<L>> {
  const n = data.inputs.shape[0] ?? 0;
  if (data.inputs.shape.length === 0 || data.targets.shape[0] !== n || n === 0) {
    throw new CanopyError('shape', `fit: inputs and targets must hold the same number (> 0) of examples along axis 0, got ${showShape(data.inputs.shape)} and ${showShape(data.targets.shape)}`);
  }
  const { epochs = 1, batchSize = 32, seed = 0, shuffle = true, optimizer } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new CanopyError('argument', `fit: batchSize must be a positive integer, got ${batchSize}`);
  const sink = options.progress === false ? undefined : options.progress ?? defaultSink();
  const label = options.label ?? 'train';
  const step = valueAndGrad(options.loss, options.backend === undefined ? { inputs: false } : { backend: options.backend, inputs: false });
  const perEpoch = Math.ceil(n / batchSize);
  let state = options.state ?? optimizer.init(model);
  let current = model;
  let global = 0;
  const history: EpochSummary[] = [];
  const started = now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = shuffle ? permutation(n, deriveSeed(seed, epoch)) : Array.from({ length: n }, (_, i) => i);
    const t0 = now();
    let total = 0;
    for (let s = 0; s < perEpoch; s++) {
      const rows = order.slice(s * batchSize, (s + 1) * batchSize);
      const { value, grads } = await step(current, takeRows(data.inputs, rows), takeRows(data.targets, rows));
      const r = optimizer.update(grads, state, current);
      current = applyUpdates(current, r.updates);
      state = r.state;
      total += value * rows.length;
      options.onStep?.({ epoch, step: global, loss: value, examples: rows.length });
      global++;
      if (sink?.isTTY === true) {
        const done = epoch * perEpoch + s + 1;
        const elapsed = (now() - started) / 1000;
        const left = (elapsed / done) * (epochs * perEpoch - done);
        const seen = Math.min((s + 1) * batchSize, n);
        sink.write(`\r\x1b[K${label} epoch ${epoch + 1}/${epochs} ${bar((s + 1) / perEpoch)} ${s + 1}/${perEpoch} loss ${value.toFixed(4)} ${Math.round(seen / ((now() - t0) / 1000))} ex/s ${formatSeconds(left)} left`);
      }
    }
    const seconds = (now() - t0) / 1000;
    const summary = { epoch, loss: total / n, seconds, examplesPerSecond: n / seconds };
    history.push(summary);
    const line = `${label} epoch ${epoch + 1}/${epochs}: loss ${summary.loss.toFixed(4)}, ${Math.round(summary.examplesPerSecond)} ex/s, ${seconds.toFixed(1)} s`;
    sink?.write(sink.isTTY === true ? `\r\x1b[K${line}\n` : `${line}\n`);
  }
  return { model: current, state, history };
}

// --- utils

/**
 * A seeded permutation of `0..n-1` (Fisher–Yates over the counter-based random stream).
 *
 * @example
 * ```ts
 * import { permutation } from 'canopy-nn';
 * permutation(5, 1).slice().sort(); // [0, 1, 2, 3, 4]
 * ```
 */
export function permutation(n: number, seed: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = randomBits(seed, i) % (i + 1);
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

/**
 * The examples `rows` of `t` (along axis 0), copied into a new tensor.
 *
 * @example
 * ```ts
 * import { takeRows, fromArray, toNested } from 'canopy-nn';
 * toNested(takeRows(fromArray([[1], [2], [3]]), [2, 0])); // [[3], [1]]
 * ```
 */
export function takeRows(t: Tensor, rows: readonly number[]): Tensor {
  const width = t.size / Math.max(1, t.shape[0] ?? 1);
  const out = t.dtype === 'int32' ? new Int32Array(rows.length * width) : new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(t.data.subarray(r * width, (r + 1) * width), i * width));
  return makeTensor(out, [rows.length, ...t.shape.slice(1)], t.dtype);
}

function defaultSink(): ProgressSink | undefined {
  const p = (globalThis as { process?: { stderr?: ProgressSink } }).process;
  return p?.stderr;
}

const now = (): number => globalThis.performance.now();

function bar(fraction: number, width = 20): string {
  const full = Math.round(fraction * width);
  return `[${'='.repeat(Math.max(0, full - 1))}${full > 0 ? (full === width ? '=' : '>') : ''}${' '.repeat(width - full)}]`;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  return s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}

// Timing helpers for the benchmarks: the median of repeated runs after a warm-up, and rates.

// --- model

/** One measurement: the median and the spread of the timed runs, in milliseconds. */
export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly runs: number;
}

/** Options of {@link timeIt}. */
export interface TimeOptions {
  /** Untimed calls first (kernel compilation, worker start). Default 1. */
  readonly warmup?: number;
  /** Timed calls at least. Default 3. */
  readonly minRuns?: number;
  /** Timed calls at most. Default 9. */
  readonly maxRuns?: number;
  /** Stop adding runs (past minRuns) once this many milliseconds were spent. Default 2000. */
  readonly budgetMs?: number;
}

// --- constructors

/**
 * Times `f` (awaited) and returns the median of its runs.
 *
 * @example
 * ```ts
 * const t = await timeIt(() => matmul(a, b), { minRuns: 5 });
 * gflops(2 * n ** 3, t.medianMs);
 * ```
 */
export async function timeIt(f: () => unknown, options: TimeOptions = {}): Promise<Timing> {
  const { warmup = 1, minRuns = 3, maxRuns = 9, budgetMs = 2000 } = options;
  for (let i = 0; i < warmup; i++) await f();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minRuns || (times.length < maxRuns && performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const medianMs = times.length % 2 === 1 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
  return { medianMs, minMs: times[0]!, maxMs: times[times.length - 1]!, runs: times.length };
}

// --- utils

/** GFLOP/s of `flops` floating-point operations done in `ms` milliseconds. */
export function gflops(flops: number, ms: number): number {
  return flops / ms / 1e6;
}

/** Fixed-width cell for tables. */
export function cell(v: string | number, width: number, digits = 2): string {
  const s = typeof v === 'number' ? v.toFixed(digits) : v;
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}

/**
 * Times several functions in interleaved rounds (each round calls every function once, in order)
 * and returns one {@link Timing} per function. Under a fluctuating background load this keeps the
 * ratios between contenders honest: a slow spell hits every contender of a round alike.
 *
 * @example
 * ```ts
 * const [naive, fast] = await timeRounds([() => naiveKernel(a, b), () => fastKernel(a, b)], { rounds: 5 });
 * naive.medianMs / fast.medianMs; // speed-up
 * ```
 */
export async function timeRounds(fs: readonly (() => unknown)[], options: { warmup?: number; rounds?: number } = {}): Promise<Timing[]> {
  const { warmup = 1, rounds = 3 } = options;
  for (let i = 0; i < warmup; i++) for (const f of fs) await f();
  const times = fs.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < fs.length; i++) {
      const t0 = performance.now();
      await fs[i]!();
      times[i]!.push(performance.now() - t0);
    }
  }
  return times.map((ts) => {
    ts.sort((a, b) => a - b);
    const mid = ts.length >> 1;
    const medianMs = ts.length % 2 === 1 ? ts[mid]! : (ts[mid - 1]! + ts[mid]!) / 2;
    return { medianMs, minMs: ts[0]!, maxMs: ts[ts.length - 1]!, runs: ts.length };
  });
}

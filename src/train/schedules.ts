// Learning-rate schedules: pure functions of the step (0-based), as optax's.

// --- model

/** A learning rate as a function of the optimiser step (0 for the first update); a constant rate is a plain number. */
export type Schedule = (step: number) => number;

// --- constructors

/**
 * Cosine decay from `init` to `init · alpha` over `decaySteps`, then constant.
 *
 * @example
 * ```ts
 * import { cosineDecaySchedule } from 'canopy-nn';
 * const s = cosineDecaySchedule(1, 100);
 * [s(0), s(50), s(100)]; // [1, 0.5, 0]
 * ```
 */
export function cosineDecaySchedule(init: number, decaySteps: number, alpha = 0): Schedule {
  return (step) => {
    const t = Math.min(Math.max(step, 0), decaySteps) / Math.max(1, decaySteps);
    const cosine = 0.5 * (1 + Math.cos(Math.PI * t));
    return init * ((1 - alpha) * cosine + alpha);
  };
}

/**
 * Linear warm-up from `init` to `peak` over `warmupSteps`, then cosine decay to `end` at
 * `totalSteps` (optax's `warmup_cosine_decay_schedule`).
 *
 * @example
 * ```ts
 * import { warmupCosineSchedule } from 'canopy-nn';
 * const s = warmupCosineSchedule({ peak: 1, warmupSteps: 10, totalSteps: 110 });
 * [s(0), s(5), s(10), s(110)]; // [0, 0.5, 1, 0]
 * ```
 */
export function warmupCosineSchedule(options: {
  /** Value at step 0. Default 0. */
  readonly init?: number;
  /** Value at the end of the warm-up. */
  readonly peak: number;
  /** Steps of linear warm-up. */
  readonly warmupSteps: number;
  /** Step at which the decay ends (warm-up included). */
  readonly totalSteps: number;
  /** Final value. Default 0. */
  readonly end?: number;
}): Schedule {
  const { init = 0, peak, warmupSteps, totalSteps, end = 0 } = options;
  const decay = cosineDecaySchedule(peak - end, totalSteps - warmupSteps);
  return (step) => (step < warmupSteps ? init + ((peak - init) * step) / warmupSteps : end + decay(step - warmupSteps));
}

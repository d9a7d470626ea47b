// Breakpoint: a place to stop and look. Refiners opens a debugger; canopy calls the run's
// `onBreakpoint` hook with the path and the inputs (or hits a `debugger` statement without one).
import { pathString } from '../../core/Eval.ts';
import type { Args } from '../../core/Layer.ts';
import { defineLayer } from '../define.ts';
import { asValue } from './sequence.ts';

/**
 * Calls `options.onBreakpoint({ path, inputs })` of the run, then returns its input unchanged.
 *
 * @example
 * ```ts
 * import { Chain, Breakpoint, Lambda, runSync } from 'canopy-nn';
 * const seen: string[] = [];
 * runSync(Chain(Lambda((x: number) => x + 1), Breakpoint()), [1], { onBreakpoint: (e) => seen.push(e.path) });
 * seen; // ['Breakpoint']
 * ```
 */
export const Breakpoint = defineLayer({
  name: 'Breakpoint',
  forward: (args: Args, _self, env) => {
    const hook = env.options.onBreakpoint;
    if (hook === undefined) {
      // eslint-disable-next-line no-debugger
      debugger;
    } else {
      hook({ path: pathString(env.at), inputs: args });
    }
    return asValue(args);
  },
});

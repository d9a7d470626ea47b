// GetArg: picks one of its inputs.
import { CanopyError } from '../../errors.ts';
import type { Args } from '../../core/Layer.ts';
import { defineLayer } from '../define.ts';

/**
 * Returns its `index`-th input (0-based).
 *
 * @example
 * ```ts
 * import { GetArg, runSync } from 'canopy-nn';
 * runSync(GetArg({ index: 1 }), [10, 20, 30]).output; // 20
 * ```
 */
export const GetArg = defineLayer({
  name: 'GetArg',
  forward: (args: Args, { attrs: { index } }: { attrs: { index: number } }) => {
    if (!Number.isInteger(index) || index < 0 || index >= args.length) {
      throw new CanopyError('arity', `GetArg: index must be an integer in [0, ${args.length}), got ${index}`);
    }
    return args[index];
  },
});

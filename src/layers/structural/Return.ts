// Return: ends the enclosing Chain early with the value it receives. Refiners raises an exception
// that nothing catches; canopy gives it a meaning: a sequential container (Chain, Residual,
// Passthrough and the kinds derived from them) stops at a Return child and outputs that child's
// input (see sequence.ts). Evaluated anywhere else, it is an error.
import { CanopyError } from '../../errors.ts';
import { atText } from '../../core/Eval.ts';
import type { Args } from '../../core/Layer.ts';
import { defineLayer } from '../define.ts';

/**
 * Ends the enclosing Chain with the value Return receives; later children do not run.
 *
 * @example
 * ```ts
 * import { Chain, Lambda, Return, runSync } from 'canopy-nn';
 * runSync(Chain(Lambda((x: number) => x + 1), Return(), Lambda(() => 0)), [1]).output; // 2
 * ```
 */
export const Return = defineLayer({
  name: 'Return',
  forward: (_args: Args, _self, env): never => {
    const parent = env.at.parent?.node;
    throw new CanopyError(
      'control',
      `Return: must be a direct child of a Chain, got ${parent === undefined ? 'no parent (it is the root)' : `a child of ${parent.kind.name}`} ${atText(env.at)}`,
    );
  },
});

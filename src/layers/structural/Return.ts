// Return: ends the enclosing Chain early with the value it receives. Refiners raises an exception
// that nothing catches; canopy gives it a meaning: a sequential container (Chain, Residual,
// Passthrough and their named kinds) stops at a Return child and outputs that child's input.
import { CanopyError } from '../../errors.ts';
import { pathString } from '../../core/Eval.ts';
import type { Args, Layer } from '../../core/Layer.ts';
import { makeKind } from '../../core/defineKind.ts';
import { makeLayer } from '../../core/Layer.ts';

// --- model

/** The Return kind (only sequential containers act on it). */
export const ReturnKind = makeKind({
  name: 'Return',
  run: (_node, _args, env) => {
    const parent = env.at.parent?.node;
    throw new CanopyError(
      'control',
      `Return: must be a direct child of a Chain, got ${parent === undefined ? 'no parent (it is the root)' : `a child of ${parent.kind.name}`} (at ${pathString(env.at)})`,
    );
  },
});

// --- constructors

/**
 * Ends the enclosing Chain with the value Return receives; later children do not run.
 *
 * @example
 * ```ts
 * import { Chain, Lambda, Return, runSync } from 'canopy';
 * runSync(Chain(Lambda((x: number) => x + 1), Return(), Lambda(() => 0)), [1]).output; // 2
 * ```
 */
export const Return = Object.assign((): Layer<Args, never> => makeLayer(ReturnKind, {}, []), { kind: ReturnKind });

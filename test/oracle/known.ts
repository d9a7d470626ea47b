// Known disagreements between canopy and PyTorch, each naming the bug. These cases run as
// `it.fails`: when the bug is fixed the test fails, and the entry must be removed.
import type { OracleCase } from './parse.ts';

/** `family/id` → the bug, for every backend (all share the composition in src/ops). */
const allBackends: Readonly<Record<string, string>> = {};

/** `family/id` → the bug, for the gpu.js backends only (names `gpujs:<mode>`). */
const gpujsOnly: Readonly<Record<string, string>> = {};

// GPU shaders (GLSL ES 3.0 §4.7.1, WGSL §15.7) leave NaN and infinities undefined: compilers may
// assume neither occurs, so x !== x is folded to false, NaN inputs come out as numbers, and
// builtins (exp, log, pow, inversesqrt) overflow or flush subnormals differently. Finite inputs
// agree with PyTorch within the float32 tolerances; these special-value cases do not.
const shaderSpecials = ['div', 'exp', 'log', 'log_softmax', 'mul', 'pow', 'rsqrt', 'sigmoid', 'softmax'];
const shaderNaN = 'GPU shaders leave NaN/Inf semantics undefined (docs/browser.md, precision)';
const webgl2: Readonly<Record<string, string>> = {
  'binary/pow_negative_base': 'a shader cannot produce the NaN of pow(negative, fractional)',
  ...Object.fromEntries(shaderSpecials.map((op) => [`special/${op}`, shaderNaN])),
};
// WGSL's min/max/clamp/comparisons also drop NaN (SwiftShader's WebGPU through Vulkan).
const webgpu: Readonly<Record<string, string>> = {
  ...webgl2,
  ...Object.fromEntries(['argmax', 'clamp', 'hard_sigmoid', 'max_pool_nan', 'reduce_max', 'reduce_min', 'relu'].map((op) => [`special/${op}`, shaderNaN])),
};
const shaderModes: Readonly<Record<string, Readonly<Record<string, string>>>> = { 'gpujs:webgl2': webgl2, 'gpujs:webgpu': webgpu };

/** Why case `c` is expected to fail on `backend` (undefined: it must pass). */
export function knownMismatch(backend: string, c: OracleCase): string | undefined {
  const key = `${c.family}/${c.id}`;
  return allBackends[key] ?? (backend.startsWith('gpujs') ? gpujsOnly[key] : undefined) ?? shaderModes[backend]?.[key];
}

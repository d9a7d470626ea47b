// Core evaluation overhead (`npx tsx bench/core.ts`):
// 1. a 10,000-layer Chain of Identity/Lambda run by the interpreter, against calling the same
//    functions directly in a loop: the difference per layer is canopy's overhead;
// 2. the contextual U-Net (push/pop through SetContext/TakeContext) against the explicit nested
//    Residual model, depth 8, same functions.
import { Chain, Identity, Lambda, runSync, type AnyLayer } from '../src/index.ts';
import { contextualUNet, explicitUNet, numericFunctions } from '../laws/unet.ts';
import { timeIt } from './lib/timing.ts';

const N = 10_000;
const inc = (x: number) => x + 1;
const id = (x: number) => x;
const layers: AnyLayer[] = [];
for (let i = 0; i < N; i++) layers.push(i % 2 === 0 ? Identity() : Lambda(inc));
const chain = Chain(...layers);

const direct = (x: number): number => {
  for (let i = 0; i < N; i++) x = i % 2 === 0 ? id(x) : inc(x);
  return x;
};

const options = { warmup: 20, minRuns: 30, maxRuns: 200, budgetMs: 3000 };
if (runSync(chain, [0]).output !== direct(0)) throw new Error('chain and direct calls disagree');
const tChain = await timeIt(() => runSync(chain, [0]), options);
const tDirect = await timeIt(() => direct(0), options);
const perLayerUs = ((tChain.medianMs - tDirect.medianMs) * 1000) / N;

const sq = numericFunctions.find((f) => f.name === 'square')!;
const rt = numericFunctions.find((f) => f.name === 'sqrtAbs')!;
const depth = 8;
const downs = Array.from({ length: depth }, () => sq);
const ups = Array.from({ length: depth }, () => rt);
const contextual = contextualUNet(downs, ups);
const explicit = explicitUNet(downs, ups);
const REPS = 1000;
const many = (m: AnyLayer) => () => {
  for (let i = 0; i < REPS; i++) runSync(m, [1.0001]);
};
const tContextual = await timeIt(many(contextual), options);
const tExplicit = await timeIt(many(explicit), options);

console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.log(`Chain of ${N} Identity/Lambda: ${tChain.medianMs.toFixed(3)} ms per run; direct calls ${tDirect.medianMs.toFixed(3)} ms`);
console.log(`  overhead per layer: ${perLayerUs.toFixed(3)} µs (target < 1 µs)`);
console.log(`U-Net depth ${depth}: contextual ${((tContextual.medianMs * 1000) / REPS).toFixed(2)} µs per run, explicit ${((tExplicit.medianMs * 1000) / REPS).toFixed(2)} µs per run`);
const count = (m: AnyLayer): number => 1 + m.children.reduce((n, c) => n + count(c), 0);
console.log(`  contextual / explicit: ${(tContextual.medianMs / tExplicit.medianMs).toFixed(2)}x (target < 1.5x)`);
console.log(`  layers: contextual ${count(contextual)}, explicit ${count(explicit)}; per layer: contextual ${((tContextual.medianMs * 1000) / REPS / count(contextual)).toFixed(3)} µs, explicit ${((tExplicit.medianMs * 1000) / REPS / count(explicit)).toFixed(3)} µs`);

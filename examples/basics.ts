// canopy basics (`npx tsx examples/basics.ts`): a model as a value, contexts as per-run state, the same
// model on the reference and gpu.js backends, and what an error looks like.
import {
  Chain,
  Identity,
  Lambda,
  Residual,
  SetContext,
  Sum,
  TakeContext,
  describeBackend,
  destroyBackends,
  Linear,
  ReLU,
  allClose,
  randn,
  named,
  printTree,
  provide,
  referenceBackend,
  run,
  runSync,
  selectBackend,
  toNested,
} from '../src/index.ts';

const line = (title: string) => console.log(`\n=== ${title} ===`);

// 1. The seed's U-Net-like model, with and without context.
line('A contextual U-Net equals the nested-Residual one');
const square = () => Lambda(function square(x: number) { return x ** 2; });
const sqrt = () => Lambda(function sqrt(x: number) { return x ** 0.5; });
const m1 = Chain(Residual(square(), Residual(square(), Residual(square()), sqrt()), sqrt()), sqrt());
const pushResidual = () => SetContext('mymodel', 'residuals', (l: number[], x: number) => void l.push(x));
const ApplyResidual = () => named('ApplyResidual', Sum(Identity<number>(), TakeContext('mymodel', 'residuals', (l: number[]) => l.pop()!)));
const m2 = provide(
  named('MyModel', Chain(Chain(...[0, 1, 2].flatMap(() => [pushResidual(), square()])), Chain(...[0, 1, 2].flatMap(() => [ApplyResidual(), sqrt()])))),
  { mymodel: { residuals: [] as number[] } },
);
console.log(printTree(m1));
console.log(printTree(m2, { depth: 2 }));
console.log('m1(2.0) =', runSync(m1, [2.0]).output);
console.log('m2(2.0) =', runSync(m2, [2.0]).output, '(again:', runSync(m2, [2.0]).output, ')');

// 2. Tensors: one model value, run on the reference backend and on gpu.js.
line('A tensor model on two backends');
const block = named('Block', Chain(Residual(Linear({ inFeatures: 8, outFeatures: 8, seed: 1 }), ReLU()), Linear({ inFeatures: 8, outFeatures: 2, seed: 2 })));
console.log(printTree(block));
const x = randn([3, 8], 7);
const onReference = await run(block, [x], { backend: referenceBackend });
const gpu = selectBackend();
const started = performance.now();
const onGpu = await run(block, [x], { backend: gpu });
const ms = performance.now() - started;
console.log('reference:', JSON.stringify(toNested(onReference.output)));
console.log(`${describeBackend(gpu)}:`, JSON.stringify(toNested(onGpu.output)), `(${ms.toFixed(1)} ms incl. kernel builds)`);
console.log('agree within 1e-5:', allClose(onReference.output, onGpu.output, { atol: 1e-5, rtol: 1e-5 }));

// 3. Errors name the path, show the tree and the inputs.
line('An error');
try {
  runSync(Chain(Identity(), Residual(Identity())), [1, 2] as never);
} catch (e) {
  console.log((e as Error).message);
}
destroyBackends();

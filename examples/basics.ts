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
  fromArray,
  named,
  printTree,
  provide,
  referenceBackend,
  run,
  runSync,
  selectBackend,
  toNested,
  type Tensor,
} from '../src/index.ts';
import { add, matmul, relu } from '../src/ops/index.ts';

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

// 2. Tensors: the same small model on the reference backend and on gpu.js.
line('A tensor model on two backends');
const w = fromArray([[0.5, -1], [2, 0.25]]);
const mlp = Residual(
  Lambda((x: Tensor, ...[]) => x),
  Lambda(function linear(x: Tensor) { return matmul(referenceBackend, x, w); }),
  Lambda(function relu_(x: Tensor) { return relu(referenceBackend, x); }),
);
const x = fromArray([[1, 2], [3, -4]]);
const onReference = await run(mlp, [x], { backend: referenceBackend });
console.log('reference:', JSON.stringify(toNested(onReference.output)));
const gpu = selectBackend();
const gpuModel = Residual(Lambda(function linear(t: Tensor) { return matmul(gpu, t, w); }), Lambda(function relu_(t: Tensor) { return relu(gpu, t); }));
const started = performance.now();
const onGpu = await run(gpuModel, [x], { backend: gpu });
console.log(`${describeBackend(gpu)}:`, JSON.stringify(toNested(onGpu.output)), `(${(performance.now() - started).toFixed(1)} ms incl. kernel build)`);
console.log('sum through the value algebra:', JSON.stringify(toNested(await add(referenceBackend, onReference.output, x))));

// 3. Errors name the path, show the tree and the inputs.
line('An error');
try {
  runSync(Chain(Identity(), Residual(Identity())), [1, 2] as never);
} catch (e) {
  console.log((e as Error).message);
}
destroyBackends();

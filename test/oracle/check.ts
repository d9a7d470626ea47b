// One fixture case on one backend: run the op, compare every output with PyTorch's.
import type { Backend } from '../../src/backend/Backend.ts';
import { disposeTensor, readTensor } from '../../src/tensor/device.ts';
import { compareTensor } from './compare.ts';
import { runCase } from './dispatch.ts';
import type { OracleCase } from './parse.ts';

/** The mismatch description, or undefined when every output agrees within tolerance. */
export async function check(b: Backend, c: OracleCase): Promise<string | undefined> {
  const outs = await runCase(b, c);
  // A GPU backend leaves its outputs on the device: one explicit read each, then `data` works.
  for (const t of outs) await readTensor(t);
  if (outs.length !== c.outputs.length) return `${outs.length} outputs vs expected ${c.outputs.length}`;
  const inputs = [...c.inputs.values()];
  const problems = outs
    .map((t, i) => {
      const m = compareTensor(t, c.outputs[i]!, inputs);
      return m === undefined ? undefined : `${c.outputs.length > 1 ? `out${i}: ` : ''}${m.reason}`;
    })
    .filter((m) => m !== undefined);
  for (const t of outs) disposeTensor(t);
  return problems.length === 0 ? undefined : problems.join(' | ');
}

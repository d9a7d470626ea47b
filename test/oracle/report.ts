// Prints, per backend, every fixture case that disagrees with PyTorch and the worst relative error
// of each op family. Run: npx tsx test/oracle/report.ts [gpujs modes, comma separated]
import type { Backend } from '../../src/backend/Backend.ts';
import { referenceBackend } from '../../src/backend/reference/index.ts';
import { destroyBackends, selectBackend } from '../../src/backend/select.ts';
import type { GpujsMode } from '../../src/backend/gpujs/index.ts';
import { check } from './check.ts';
import { Unsupported, runCase } from './dispatch.ts';
import { fixtureFamilies, loadFamily } from './fixtures.ts';

const modes = (process.argv[2] ?? '').split(',').filter((m) => m !== '') as GpujsMode[];
const list: Backend[] = [referenceBackend, selectBackend(), ...modes.map((mode) => selectBackend({ backend: 'gpujs', mode }))];

for (const b of list.filter((x, i, all) => all.findIndex((y) => y.name === x.name) === i)) {
  const t0 = performance.now();
  let n = 0;
  const worst = new Map<string, number>();
  const failures: string[] = [];
  for (const family of fixtureFamilies()) {
    for (const c of loadFamily(family)) {
      n++;
      try {
        const m = await check(b, c);
        if (m !== undefined) failures.push(`  ${family}/${c.id} (${c.op}): ${m}`);
        // worst finite relative error per op, for the record
        const outs = await runCase(b, c);
        outs.forEach((t, k) => {
          const w = c.outputs[k]!;
          let e = 0;
          for (let i = 0; i < w.size; i++) {
            const g = t.data[i] ?? NaN;
            const v = w.data[i] ?? NaN;
            if (Number.isFinite(g) && Number.isFinite(v)) e = Math.max(e, Math.abs(g - v) / Math.max(1, Math.abs(v)));
          }
          worst.set(c.op, Math.max(worst.get(c.op) ?? 0, e));
        });
      } catch (err) {
        failures.push(`  ${family}/${c.id} (${c.op}): ${err instanceof Unsupported ? 'unsupported: ' : 'threw: '}${(err as Error).message}`);
      }
    }
  }
  console.log(`${b.name}: ${n} cases, ${failures.length} mismatching, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (const f of failures) console.log(f);
  const ops = [...worst].sort((a, b2) => b2[1] - a[1]).slice(0, 12);
  console.log(`  largest errors |got-want|/max(1,|want|): ${ops.map(([op, e]) => `${op} ${e.toExponential(1)}`).join(', ')}`);
}
destroyBackends();

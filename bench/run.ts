// `npm run bench [-- name ...]`: runs the benchmarks one after the other, each in its own Node
// process (so one bench's heap and worker threads do not disturb the next). Results are printed;
// the tables in bench/RESULTS.md are copied from these runs. Run on an otherwise idle machine.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Each bench and the Node flags it needs. */
const benches: Record<string, readonly string[]> = {
  core: [],
  optics: ['--expose-gc', '--max-old-space-size=8000'],
  kernels: [],
  faceapi: [],
  train: ['--expose-gc'],
};

const asked = process.argv.slice(2);
for (const name of asked.length === 0 ? Object.keys(benches) : asked) {
  const flags = benches[name];
  if (flags === undefined) throw new Error(`bench: name must be one of ${Object.keys(benches).join(', ')}, got ${name}`);
  console.log(`\n### ${name}\n`);
  try {
    execFileSync(process.execPath, [...flags, '--import', 'tsx', join(here, `${name}.ts`)], { stdio: 'inherit' });
  } catch {
    console.log(`(${name} failed or is not available here)`);
  }
}

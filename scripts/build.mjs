// Builds the package into dist/: a clean tsc emit of src/ and laws/ (tsconfig.build.json), then
// the relative `./x.ts` imports that tsc leaves in the declaration files rewritten to `./x.js`.
// `rewriteRelativeImportExtensions` rewrites them in the JavaScript only; a `.d.ts` importing
// `./x.ts` is an error for a consumer's TypeScript without skipLibCheck, while `./x.js` resolves to
// the neighbouring `x.d.ts` in every TypeScript from 5.0 and under every module resolution.
// Run by `npm run build`, and so by `prepare` (npm pack, publish, a git dependency).
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

// A clean emit: a file moved or deleted in src/ must not live on in the package.
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

// `from '../a.ts'`, `import('./a.ts')`, `import './a.ts'`: relative specifiers only.
const relativeTs = /((?:\bfrom|\bimport)\s*\(?\s*)(['"])(\.\.?\/[^'"]*?)\.ts\2/g;

function declarations(d) {
  return readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? declarations(p) : p.endsWith('.d.ts') ? [p] : [];
  });
}

let changed = 0;
for (const file of declarations(dist)) {
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(relativeTs, '$1$2$3.js$2');
  if (fixed !== text) {
    writeFileSync(file, fixed);
    changed++;
  }
}
console.log(`build: dist/ emitted; relative .ts imports rewritten to .js in ${changed} declaration files`);

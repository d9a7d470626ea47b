// Writes every TSDoc example of the public API (a ```ts block in a doc comment under src/ that
// imports from 'canopy') to test/.tsdoc/, one module each, so `npm run typecheck` compiles them
// with the project: an example that no longer matches the API fails the build. (Examples of
// internals, without a 'canopy' import, are illustrations and are not compiled.)
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const out = join(root, 'test', '.tsdoc');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
let written = 0;
for (const file of sources(join(root, 'src'))) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^\s*\* ```ts\n((?:\s*\*.*\n)*?)\s*\* ```/gm)) {
    const body = m[1]!
      .split('\n')
      .map((l) => l.replace(/^\s*\* ?/, ''))
      .join('\n');
    if (!/from 'canopy(\/node|\/laws)?'/.test(body)) continue;
    const line = text.slice(0, m.index).split('\n').length;
    const name = `${relative(root, file).replace(/[/.]/g, '_')}_${line}.ts`;
    writeFileSync(join(out, name), `// ${relative(root, file)}:${line}\n${body}\nexport {};\n`);
    written++;
  }
}
console.log(`tsdoc: ${written} public examples written to test/.tsdoc/ for the typecheck`);

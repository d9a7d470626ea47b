// Every ```ts block in README.md and docs/*.md runs here, as its own module importing 'canopy-nn',
// so the documentation cannot rot. A block fenced as ```ts skip is shown but not run (say why
// next to it).
import { describe, it } from 'vitest';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = join(root, 'test', '.docs-run');

function codeBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const re = /^```ts[ \t]*\n([\s\S]*?)^```/gm;
  for (let m = re.exec(markdown); m !== null; m = re.exec(markdown)) {
    blocks.push({ line: markdown.slice(0, m.index).split('\n').length, code: m[1]! });
  }
  return blocks;
}

const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });

for (const doc of docs) {
  const blocks = codeBlocks(readFileSync(join(root, doc), 'utf8'));
  if (blocks.length === 0) continue;
  describe(doc, () => {
    for (const { line, code } of blocks) {
      it(`block at line ${line} runs`, async () => {
        const file = join(scratch, `${doc.replace(/[/.]/g, '_')}_${line}.ts`);
        writeFileSync(file, `${code}\nexport {};\n`);
        await import(pathToFileURL(file).href);
      });
    }
  });
}

// Runs every public TSDoc example with its result comments asserted (see extract.ts): an example
// whose `// value` comment is wrong fails here, naming the file and line of the example.
import { describe, it } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root, writeExamples } from './extract.ts';

const examples = writeExamples(join(root, 'test', '.tsdoc-run'));

describe('TSDoc examples of the public API', () => {
  for (const e of examples) {
    it(`${e.where} (${e.asserted} result comment${e.asserted === 1 ? '' : 's'} asserted)`, async () => {
      await import(pathToFileURL(join(root, 'test', '.tsdoc-run', e.name)).href);
    });
  }
});

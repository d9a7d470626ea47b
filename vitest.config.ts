import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^canopy-nn\/laws$/, replacement: here('./laws/index.ts') },
      { find: /^canopy-nn\/node$/, replacement: here('./src/node/index.ts') },
      { find: /^canopy-nn$/, replacement: here('./src/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});

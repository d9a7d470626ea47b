// The page bench in a headless Chromium: prints a markdown table (paste into bench/RESULTS.md).
//   npx tsx bench/web/run.ts                 the packaged Chromium (SwiftShader: a software GPU)
//   npx tsx bench/web/run.ts --gpu           ask Chromium for the machine's GPU (ANGLE on Vulkan)
//   CANOPY_CHROMIUM=/usr/bin/chromium ...    another Chromium
//   --runs N (default 3)
import { join } from 'node:path';
import { launchChromium } from '../../examples/web/chromium.ts';
import { repoRoot, serveWeb } from '../../examples/web/serve.ts';
import type { BenchReport } from './page.ts';

declare const canopyBench: (o: { runs: number }) => Promise<BenchReport>;

const args = process.argv.slice(2);
const at = args.indexOf('--runs');
const runs = at >= 0 ? Number(args[at + 1]) : 3;

const server = await serveWeb({
  entries: { '/bench.js': 'bench/web/page.ts' },
  folders: { '/': join(repoRoot, 'bench/web'), '/vendor/': join(repoRoot, 'node_modules/@vladmandic/face-api/dist') },
});
const browser = await launchChromium({ gpu: args.includes('--gpu') });
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(server.url);
  await page.waitForFunction(() => 'canopyBench' in globalThis);
  const r = await page.evaluate((n) => canopyBench({ runs: n }), runs);
  const base = new Map(r.rows.filter((x) => x.impl.includes('tfjs-webgl')).map((x) => [x.stage, x.medianMs]));
  console.log(`${r.userAgent}\n${r.gpu}\n`);
  console.log('| implementation | stage | first run ms | median ms | vs tfjs-webgl | faces | kernel calls | readbacks | uploads | kept MB |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const x of r.rows) {
    const b = base.get(x.stage);
    console.log(`| ${x.impl} | ${x.stage} | ${x.firstMs.toFixed(0)} | ${x.medianMs.toFixed(0)} | ${b === undefined ? '' : `${(x.medianMs / b).toFixed(2)}x`} | ${Number.isNaN(x.faces) ? '' : x.faces} | ${Number.isNaN(x.kernelCalls) ? '' : x.kernelCalls} | ${Number.isNaN(x.readbacks) ? '' : x.readbacks} | ${Number.isNaN(x.uploads) ? '' : x.uploads} | ${Number.isNaN(x.cachedBytes) ? '' : (x.cachedBytes / 2 ** 20).toFixed(2)} |`);
  }
  for (const s of r.skipped) console.log(`\nskipped: ${s}`);
} finally {
  await browser.close();
  await server.close();
}

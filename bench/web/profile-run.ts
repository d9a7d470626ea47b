// npx tsx bench/web/profile-run.ts: per-draw WebGL2 profile of one detector forward, canopy vs tfjs-webgl.
import { join } from 'node:path';
import { launchChromium } from '../../examples/web/chromium.ts';
import { repoRoot, serveWeb } from '../../examples/web/serve.ts';
import type { Draw } from './profile.ts';

declare const canopyProfile: (runs: number, recorded: number, withTfjs: boolean, pipeline: boolean) => Promise<Record<string, Draw[]>>;
const withTfjs = !process.argv.includes('--no-tfjs');
const at = process.argv.indexOf('--recorded');
const recorded = at >= 0 ? Number(process.argv[at + 1]) : 3;
const server = await serveWeb({
  entries: { '/bench.js': 'bench/web/profile.ts' },
  folders: { '/': join(repoRoot, 'bench/web'), '/vendor/': join(repoRoot, 'node_modules/@vladmandic/face-api/dist') },
});
const browser = await launchChromium({});
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(server.url);
  await page.waitForFunction(() => 'canopyProfile' in globalThis);
  if (process.argv.includes('--webgpu')) {
    const w = await page.evaluate((p) => (globalThis as unknown as { canopyProfileWebgpu: (r: number, n: number, p: boolean) => Promise<{ op: string; ms: number }[]> }).canopyProfileWebgpu(2, 3, p), process.argv.includes('--pipeline'));
    console.log(`webgpu: ${w.length} primitives, ${w.reduce((s, d) => s + d.ms, 0).toFixed(0)} ms`);
    for (const d of w) console.log(`  ${d.op} ${d.ms.toFixed(1)} ms`);
    process.exit(0);
  }
  const r = await page.evaluate(([n, t, p]) => canopyProfile(2, n, t, p), [recorded, withTfjs, process.argv.includes('--pipeline')] as const);
  const { writeFileSync } = await import('node:fs');
  writeFileSync('/tmp/shaders.json', JSON.stringify((r as Record<string, unknown>).sources));
  for (const [k, draws] of Object.entries(r)) {
    if (k === 'sources') continue;
    const total = draws.reduce((s, d) => s + d.ms, 0);
    console.log(`\n${k}: ${draws.length} draws, ${total.toFixed(0)} ms`);
    for (const d of draws) console.log(`  p${d.program} ${d.w}x${d.h} ${d.ms.toFixed(1)} ms ${d.hint}`);
  }
} finally {
  await browser.close();
  await server.close();
}

import { createGpujsBackend, run, TinyFaceDetector, fromTypedArray, type Backend, type Tensor } from '../../src/index.ts';
async function probe(mode: string) {
  const be = createGpujsBackend({ mode: mode as 'webgl2' });
  const stats = new Map<string, { n: number; ms: number }>();
  const timed = new Proxy(be, { get(t, k) {
    const v = Reflect.get(t, k);
    if (typeof v !== 'function' || k === 'describe') return v;
    return (...a: unknown[]) => { const t0 = performance.now(); const r = v.apply(t, a);
      const done = () => { const key = String(k) + ':' + (a[0] && typeof a[0] === 'object' && 'shape' in (a[0] as object) ? (a[0] as Tensor).shape.join('x') : String(a[0])); const s = stats.get(key) ?? { n: 0, ms: 0 }; s.n++; s.ms += performance.now() - t0; stats.set(key, s); };
      if (r instanceof Promise) return r.then((x) => { done(); return x; }); done(); return r; };
  } }) as Backend;
  const det = TinyFaceDetector();
  const x = fromTypedArray(new Float32Array(3 * 416 * 416).map((_, i) => (i % 255)), [1, 3, 416, 416]);
  const out: string[] = [];
  for (let i = 0; i < 2; i++) { stats.clear(); const t0 = performance.now(); await run(det, [x], { backend: timed }); out.push(`run ${i}: ${(performance.now() - t0).toFixed(0)} ms`); }
  out.push(...[...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15).map(([k, s]) => `${k} n=${s.n} ${s.ms.toFixed(0)}ms`));
  return out.join('\n');
}
(globalThis as any).probe = probe;

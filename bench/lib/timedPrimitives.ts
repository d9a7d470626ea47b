// A backend whose every method call is timed: `timed(name, args, ms)` gets each call's wall time,
// the wait for the result included (`settle` is awaited before the clock starts and after the call
// ends: a WebGPU queue's idle, say). Its other members (the fused capability, stats) are the inner
// backend's. Used by the per-primitive profiles (bench/faceapi.ts, bench/web/profile.ts).
export function timedPrimitives<B extends object>(inner: B, timed: (name: string, args: readonly unknown[], ms: number) => void, settle: () => Promise<void> = async () => undefined): B {
  const wrapped: Record<string, unknown> = {};
  for (const k of Object.keys(inner)) {
    const f = (inner as Record<string, unknown>)[k];
    if (typeof f !== 'function') {
      wrapped[k] = f;
      continue;
    }
    wrapped[k] = async (...args: unknown[]) => {
      await settle();
      const t0 = performance.now();
      const out: unknown = await (f as (...a: unknown[]) => unknown).apply(inner, args);
      await settle();
      timed(k, args, performance.now() - t0);
      return out;
    };
  }
  return wrapped as B;
}

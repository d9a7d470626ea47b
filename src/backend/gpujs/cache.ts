// A small least-recently-used cache for compiled kernels: built once per (op, shapes, mode) key,
// destroyed when evicted so that their wasm memories and worker instances are freed.

// --- model

/**
 * LRU map from kernel keys to built kernels, counting hits and misses.
 *
 * @example
 * ```ts
 * const c = new KernelCache<string>(2, () => {});
 * c.get('a', () => 'A'); c.get('a', () => 'A');
 * c.stats(); // { size: 1, hits: 1, misses: 1 }
 * ```
 * @internal
 */
export class KernelCache<K> {
  private readonly entries = new Map<string, K>();
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly limit: number,
    private readonly release: (kernel: K) => void,
  ) {}

  /** The kernel under `key`, built with `build` on a miss (evicting the least recently used). */
  get(key: string, build: () => K): K {
    const found = this.entries.get(key);
    if (found !== undefined) {
      this.hits++;
      // Map iteration order is insertion order: re-inserting marks it most recently used.
      this.entries.delete(key);
      this.entries.set(key, found);
      return found;
    }
    this.misses++;
    const made = build();
    this.entries.set(key, made);
    while (this.entries.size > this.limit) {
      const [oldKey, oldKernel] = this.entries.entries().next().value as [string, K];
      this.entries.delete(oldKey);
      this.release(oldKernel);
    }
    return made;
  }

  /** Number of kernels alive, cache hits and misses so far. */
  stats(): { size: number; hits: number; misses: number } {
    return { size: this.entries.size, hits: this.hits, misses: this.misses };
  }

  /** Releases every kernel. */
  clear(): void {
    for (const k of this.entries.values()) this.release(k);
    this.entries.clear();
  }
}

// Weights from anywhere a page can get bytes: an ArrayBuffer or typed array already in memory, a
// Blob (a dropped file), a `Response`, or a URL fetched with `fetch`. This module uses only web
// platform APIs (no `node:` import), so the main entry runs in a browser; files on disk are
// `canopy-nn/node`'s business. The body is read in chunks so that a progress callback sees it
// arrive and a response larger than the caller's limit is cut off before it fills the memory.

import { CanopyError } from '../errors.ts';

// --- model

/** Where weights bytes can come from: memory, a Blob, a Response, or a URL to `fetch`. */
export type BytesSource = ArrayBuffer | ArrayBufferView | Blob | Response | string | URL;

/** How far a download has come: bytes received so far and the expected total when known. */
export interface FetchProgress {
  /** Bytes received so far (over every file of the load). */
  readonly loaded: number;
  /** Bytes expected in all, or undefined when no `Content-Length` or manifest says. */
  readonly total: number | undefined;
  /** The URL being read, or undefined for an in-memory source. */
  readonly url: string | undefined;
}

/** Options of the `fetch*` loaders. */
export interface FetchOptions {
  /** Called as bytes arrive (at least once per file, with the final count). Default: none. */
  readonly onProgress?: (progress: FetchProgress) => void;
  /** The `fetch` to use, e.g. one that adds headers or reads a cache. Default: `globalThis.fetch`. */
  readonly fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  /** Aborts the download. Default: none. */
  readonly signal?: AbortSignal;
  /** The URL that relative URLs are resolved against. Default: the page's `location.href`. */
  readonly baseUrl?: string | URL;
}

// --- destructors

/**
 * The bytes of `source`, reporting progress as they arrive. A URL is fetched (relative to
 * `options.baseUrl` or the page); an unreachable URL or a non-2xx status throws CanopyError('io').
 * Bytes already in memory are returned as a view, not copied.
 *
 * @example
 * ```ts
 * import { fetchBytes } from 'canopy-nn';
 * await fetchBytes(new Response(new Uint8Array([1, 2, 3])), { onProgress: ({ loaded, total }) => [loaded, total] }); // Uint8Array [1, 2, 3]
 * ```
 */
export function fetchBytes(source: BytesSource, options: FetchOptions = {}): Promise<Uint8Array> {
  return fetchAtMost(source, options, undefined);
}

/**
 * `url` as an absolute URL string: relative URLs are resolved against `baseUrl`, else the page's
 * location. Throws CanopyError('io') when there is nothing to resolve against (Node without a base).
 *
 * @example
 * ```ts
 * import { resolveUrl } from 'canopy-nn';
 * resolveUrl('model/w.bin', 'https://example.com/app/'); // 'https://example.com/app/model/w.bin'
 * ```
 */
export function resolveUrl(url: string | URL, baseUrl?: string | URL): string {
  const base = baseUrl ?? (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return new URL(url, base).href;
  } catch {
    throw new CanopyError('io', `fetch: a URL must be absolute or have a base to resolve against, got ${JSON.stringify(String(url))} with base ${JSON.stringify(base === undefined ? null : String(base))}`);
  }
}

// --- utils

/**
 * {@link fetchBytes} that fails once the body passes `limit` bytes (when defined): a manifest that
 * says how long a shard is bounds what a hostile server can make canopy hold.
 * @internal
 */
export async function fetchAtMost(source: BytesSource, options: FetchOptions, limit: number | undefined): Promise<Uint8Array> {
  if (source instanceof ArrayBuffer) return report(new Uint8Array(source), undefined, options);
  if (ArrayBuffer.isView(source)) return report(new Uint8Array(source.buffer, source.byteOffset, source.byteLength), undefined, options);
  if (isBlob(source)) return readBody(new Response(source), undefined, options, limit);
  if (source instanceof Response) return readBody(source, source.url === '' ? undefined : source.url, options, limit);
  const url = resolveUrl(source, options.baseUrl);
  const doFetch = options.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await doFetch(url, options.signal === undefined ? {} : { signal: options.signal });
  } catch (err) {
    throw new CanopyError('io', `fetch: ${url} must be reachable, got ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return readBody(response, url, options, limit);
}

/**
 * A progress reporter shared by several downloads: each file adds its bytes to one running count.
 * @internal
 */
export function sharedProgress(options: FetchOptions, total: number | undefined): FetchOptions {
  const { onProgress } = options;
  if (onProgress === undefined) return options;
  const perFile = new Map<string | undefined, number>();
  return {
    ...options,
    onProgress: (p) => {
      perFile.set(p.url, p.loaded);
      let loaded = 0;
      for (const n of perFile.values()) loaded += n;
      onProgress({ loaded, total, url: p.url });
    },
  };
}

function isBlob(v: unknown): v is Blob {
  return typeof Blob !== 'undefined' && v instanceof Blob;
}

function report(bytes: Uint8Array, url: string | undefined, options: FetchOptions): Uint8Array {
  options.onProgress?.({ loaded: bytes.length, total: bytes.length, url });
  return bytes;
}

async function readBody(response: Response, url: string | undefined, options: FetchOptions, limit: number | undefined): Promise<Uint8Array> {
  const where = url ?? 'a Response';
  if (!response.ok) throw new CanopyError('io', `fetch: ${where} must answer with a 2xx status, got ${response.status} ${response.statusText}`.trimEnd());
  const header = response.headers.get('content-length');
  const declared = header === null || !/^\d+$/.test(header) ? undefined : Number(header);
  // Content-Length counts encoded bytes; with a Content-Encoding the body may be longer.
  const total = response.headers.get('content-encoding') === null ? declared : undefined;
  const tooLong = (n: number): CanopyError =>
    new CanopyError('io', `fetch: ${where} must hold at most ${limit} bytes, got ${n === declared ? n : `more than ${limit}`}`);
  if (limit !== undefined && total !== undefined && total > limit) throw tooLong(total);
  options.onProgress?.({ loaded: 0, total, url });
  if (response.body === null) return report(new Uint8Array(0), url, options);
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      loaded += value.length;
      if (limit !== undefined && loaded > limit) {
        await reader.cancel();
        throw tooLong(loaded);
      }
      chunks.push(value);
      options.onProgress?.({ loaded, total, url });
    }
  } catch (err) {
    if (err instanceof CanopyError) throw err;
    throw new CanopyError('io', `fetch: the body of ${where} must be readable, got ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return concatBytes(chunks);
}

/** The parts one after another (the part itself when there is one). @internal */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

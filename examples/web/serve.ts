// The web demo's dev server, shared by `npm run demo:web`, the browser tests and the page bench:
// bundles page entries with esbuild (in memory) and serves them with static folders on localhost.
//
// Cross-origin isolation (COOP/COEP headers) is optional: with it, SharedArrayBuffer exists and
// gpu.js can use a worker pool; the tests also serve without it, as most pages are.
import { createServer, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';

// --- model

/** Options of {@link serveWeb}. */
export interface ServeWebOptions {
  /** URL path (`/demo.js`) → TypeScript entry file, bundled for the browser. */
  readonly entries: Readonly<Record<string, string>>;
  /** URL prefix (`/model/`) → folder served as static files. `/` serves `examples/web/`. */
  readonly folders?: Readonly<Record<string, string>>;
  /** Send COOP/COEP headers (SharedArrayBuffer available). Default false. */
  readonly crossOriginIsolated?: boolean;
  /** Port; default 0 (any free port). */
  readonly port?: number;
  /** Minify the bundles. Default false. */
  readonly minify?: boolean;
}

/** A running server: its base URL (ending in `/`) and how to stop it. */
export interface WebServer {
  readonly url: string;
  close(): Promise<void>;
}

// --- constructors

/** The repository root (this file is examples/web/serve.ts). */
export const repoRoot = resolve(import.meta.dirname, '../..');

/** The folders every canopy page needs: the demo's own files, face-api's weights and sample. */
export const webFolders: Readonly<Record<string, string>> = {
  '/': join(repoRoot, 'examples/web'),
  '/model/': join(repoRoot, 'node_modules/@vladmandic/face-api/model'),
  '/sample/': join(repoRoot, 'node_modules/@vladmandic/face-api/demo'),
};

/**
 * Bundles `entries` and serves them with `folders` on 127.0.0.1.
 *
 * @example
 * ```ts
 * const s = await serveWeb({ entries: { '/demo.js': 'examples/web/main.ts' } });
 * console.log(s.url); // http://127.0.0.1:PORT/
 * await s.close();
 * ```
 */
export async function serveWeb(options: ServeWebOptions): Promise<WebServer> {
  const bundles = await bundle(options.entries, options.minify ?? false);
  const folders = Object.entries({ ...webFolders, ...options.folders }).sort(([a], [b]) => b.length - a.length);
  const isolated = options.crossOriginIsolated ?? false;
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (isolated) {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    const js = bundles.get(path);
    if (js !== undefined) return send(res, 200, js, 'text/javascript');
    const hit = folders.find(([prefix]) => path.startsWith(prefix));
    if (hit === undefined) return send(res, 404, 'not found', 'text/plain');
    const rel = path.slice(hit[0].length) || 'index.html';
    const file = normalize(join(hit[1], rel));
    if (!file.startsWith(hit[1])) return send(res, 403, 'forbidden', 'text/plain');
    readFile(file).then(
      (data) => send(res, 200, data, mimeTypes[extname(file)] ?? 'application/octet-stream'),
      () => send(res, 404, 'not found', 'text/plain'),
    );
  });
  await new Promise<void>((ok) => server.listen(options.port ?? 0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}

// --- utils

const mimeTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.bin': 'application/octet-stream',
  '.safetensors': 'application/octet-stream',
};

function send(res: ServerResponse, status: number, body: string | Uint8Array, type: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Cross-Origin-Resource-Policy': 'same-origin', 'Cache-Control': 'no-store' });
  res.end(body);
}

async function bundle(entries: Readonly<Record<string, string>>, minify: boolean): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  await Promise.all(Object.entries(entries).map(async ([url, entry]) => {
    const r = await build({
      entryPoints: [resolve(repoRoot, entry)],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      minify,
      sourcemap: 'inline',
      logLevel: 'error',
    });
    out.set(url, r.outputFiles[0]!.contents);
  }));
  return out;
}

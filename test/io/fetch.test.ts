// Weights over HTTP, as a page gets them: a local server holds face-api's model folder and some
// hostile files; the fetch loaders must give the same trees as the file loaders, report progress
// up to the manifest's total, and refuse what a hostile server sends.
import { createServer, type Server } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CanopyError } from '../../src/errors.ts';
import { fetchBytes, resolveUrl, type FetchProgress } from '../../src/io/fetch.ts';
import { encodeSafetensors, fetchSafetensors } from '../../src/io/safetensors.ts';
import { stateDict } from '../../src/io/stateDict.ts';
import { fetchTfjsWeights } from '../../src/io/tfjsFetch.ts';
import { fetchFaceApiModels } from '../../src/models/faceapi/weights.ts';
import { loadFaceApiModels } from '../../src/node/faceApi.ts';
import { loadTfjsWeightsFile } from '../../src/node/tfjsFile.ts';
import { fromArray } from '../../src/tensor/create.ts';

const modelDir = 'node_modules/@vladmandic/face-api/model';
const st = encodeSafetensors({ w: fromArray([1, 2, 3]) });

// Routes: /model/* (the face-api folder), /bad/* (hand-written files), /status/404.
const bad: Record<string, string | Uint8Array> = {
  '/bad/escape.json': JSON.stringify([{ paths: ['../secret.bin'], weights: [{ name: 'w', shape: [1], dtype: 'float32' }] }]),
  '/bad/other.json': JSON.stringify([{ paths: ['https://elsewhere.example/w.bin'], weights: [{ name: 'w', shape: [1], dtype: 'float32' }] }]),
  '/bad/long.json': JSON.stringify([{ paths: ['long.bin'], weights: [{ name: 'w', shape: [1], dtype: 'float32' }] }]),
  '/bad/long.bin': new Uint8Array(1 << 20),
  '/bad/broken.json': '[{"paths": ',
  '/w.safetensors': st,
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = path.startsWith('/model/') ? readFileSync(join(modelDir, normalize(path.slice('/model/'.length)))) : bad[path];
    if (body === undefined) {
      res.writeHead(404, 'Not Found').end();
      return;
    }
    // The big shard is sent chunked (no Content-Length): the limit must hold while reading.
    if (path === '/bad/long.bin') {
      res.writeHead(200);
      res.write(body);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-length': String(Buffer.byteLength(body)) }).end(body);
  });
  // Slow steps between requests (the file loader runs in between) must not meet a kept-alive
  // socket that the server closes at that moment (ECONNRESET): keep them alive longer than a test.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}/`;
});
afterAll(() => new Promise<void>((ok) => {
  server.closeAllConnections();
  server.close(() => ok());
}));

const ioError = async (p: Promise<unknown>): Promise<string> => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(CanopyError);
  expect((err as CanopyError).code).toBe('io');
  return (err as CanopyError).message;
};

describe('fetching weights', () => {
  it('reads bytes from an ArrayBuffer, a typed array, a Blob, a Response and a URL alike', async () => {
    const sources = [st.slice().buffer, st, new Blob([st.slice()]), new Response(st.slice()), `${base}w.safetensors`];
    for (const s of sources) expect([...(await fetchBytes(s))]).toEqual([...st]);
    const seen: FetchProgress[] = [];
    expect((await fetchSafetensors('w.safetensors', { baseUrl: base, onProgress: (p) => seen.push(p) })).tensors.get('w')!.data).toEqual(new Float32Array([1, 2, 3]));
    expect(seen[0]).toEqual({ loaded: 0, total: st.length, url: `${base}w.safetensors` }); // from Content-Length
    expect(seen.at(-1)).toEqual({ loaded: st.length, total: st.length, url: `${base}w.safetensors` });
  });

  it('face-api models fetched over HTTP equal the ones read from disk, with progress up to the total', async () => {
    const seen: FetchProgress[] = [];
    const fetched = await fetchFaceApiModels(`${base}model`, { onProgress: (p) => seen.push(p) });
    const local = await loadFaceApiModels(modelDir);
    for (const k of ['detector', 'landmarks'] as const) {
      const a = stateDict(fetched[k]);
      const b = stateDict(local[k]);
      expect([...a.keys()]).toEqual([...b.keys()]);
      for (const [name, t] of a) expect(t.data).toEqual(b.get(name)!.data);
    }
    const last = seen.at(-1)!;
    const shards = ['tiny_face_detector_model', 'face_landmark_68_tiny_model'].flatMap((m) =>
      (JSON.parse(readFileSync(join(modelDir, `${m}-weights_manifest.json`), 'utf8')) as { paths: string[] }[]).flatMap((g) => g.paths));
    const total = shards.reduce((s, p) => s + statSync(join(modelDir, p)).size, 0);
    expect(seen.every((p) => p.total === total)).toBe(true); // known from the manifests up front
    expect(last.loaded).toBe(last.total);
    expect(seen.every((p, i) => i === 0 || p.loaded >= seen[i - 1]!.loaded)).toBe(true);
    const tfjs = await fetchTfjsWeights(`${base}model/tiny_face_detector_model-weights_manifest.json`);
    const disk = await loadTfjsWeightsFile(join(modelDir, 'tiny_face_detector_model-weights_manifest.json'));
    expect([...tfjs.tensors.keys()]).toEqual([...disk.keys()]);
  });

  it('refuses a shard outside the folder, on another origin, or longer than the manifest says', async () => {
    expect(await ioError(fetchTfjsWeights(`${base}bad/escape.json`))).toBe(
      `tfjs manifest: shard paths must name files inside the manifest's folder "${base}bad/", got "../secret.bin"`,
    );
    expect(await ioError(fetchTfjsWeights(`${base}bad/other.json`))).toMatch(/must name files inside the manifest's folder .* got "https:\/\/elsewhere.example\/w.bin"$/);
    expect(await ioError(fetchTfjsWeights(`${base}bad/long.json`))).toBe(`fetch: ${base}bad/long.bin must hold at most 4 bytes, got more than 4`);
    expect(await ioError(fetchTfjsWeights(`${base}bad/broken.json`))).toMatch(/^tfjs manifest: must be valid JSON, got .* \(in http:/);
  });

  it('reports a missing file, an unreachable host and a relative URL with no base as CanopyError io', async () => {
    expect(await ioError(fetchBytes(`${base}status/404`))).toBe(`fetch: ${base}status/404 must answer with a 2xx status, got 404 Not Found`);
    expect(await ioError(fetchBytes('http://127.0.0.1:1/none'))).toMatch(/^fetch: http:\/\/127.0.0.1:1\/none must be reachable, got /);
    expect(() => resolveUrl('model/w.bin')).toThrow('fetch: a URL must be absolute or have a base to resolve against, got "model/w.bin" with base null');
  });

  it('uses the fetch it is given (headers, caches, tests)', async () => {
    const asked: string[] = [];
    const fake = async (url: string): Promise<Response> => {
      asked.push(url);
      return new Response(st.slice());
    };
    await fetchSafetensors('https://example.com/m/w.safetensors', { fetch: fake });
    expect(asked).toEqual(['https://example.com/m/w.safetensors']);
  });
});

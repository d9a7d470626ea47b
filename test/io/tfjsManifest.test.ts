// tfjs weights manifests: decoding as tfjs does (uint8/uint16 affine, float16, int32 rounding,
// bool, groups split over shards) and hostile manifests and shards, each a Left CanopyError('io')
// with a message that names what must hold and what was found.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { decodeTfjsWeights, parseTfjsManifest, type TfjsManifest } from '../../src/io/tfjsManifest.ts';
import { leftOf, rightOf } from './helpers.ts';

const manifestOf = (json: unknown): TfjsManifest => rightOf(parseTfjsManifest(JSON.stringify(json)));

const parseError = (json: string | Uint8Array): string => {
  const err = leftOf(parseTfjsManifest(json));
  expect(err.code).toBe('io');
  return err.message;
};

const f32Bytes = (xs: number[]): Uint8Array => new Uint8Array(Float32Array.from(xs).buffer);

describe('tfjs manifest decoding', () => {
  it('dequantises uint8 and uint16 as q * scale + min, rounded to float32 once', () => {
    const m = manifestOf([{
      paths: ['a.bin'],
      weights: [
        { name: 'u8', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.1, min: -1 } },
        { name: 'u16', shape: [2], dtype: 'float32', quantization: { dtype: 'uint16', scale: 0.001, min: 2 } },
      ],
    }]);
    expect(m[0]!.byteLength).toBe(3 + 4);
    const bytes = new Uint8Array([0, 10, 255, 0x34, 0x12, 0xff, 0xff]);
    const w = rightOf(decodeTfjsWeights(m, new Map([['a.bin', bytes]])));
    expect([...w.get('u8')!.data]).toEqual([...Float32Array.from([-1, 10 * 0.1 - 1, 255 * 0.1 - 1])]);
    expect([...w.get('u16')!.data]).toEqual([...Float32Array.from([0x1234 * 0.001 + 2, 65535 * 0.001 + 2])]);
  });

  it('reads float32 unaligned after a uint8 weight, float16, int32 (quantised: rounded) and bool', () => {
    const m = manifestOf([{
      paths: ['a', 'b'],
      weights: [
        { name: 'q', shape: [1], dtype: 'float32', quantization: { dtype: 'uint8', scale: 1, min: 0 } },
        { name: 'f', shape: [2, 1], dtype: 'float32' },
        { name: 'h', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } },
        { name: 'i', shape: [1], dtype: 'int32' },
        { name: 'iq', shape: [2], dtype: 'int32', quantization: { dtype: 'uint8', scale: 0.4, min: 0 } },
        { name: 'b', shape: [3], dtype: 'bool' },
      ],
    }]);
    const stream = new Uint8Array([7, ...f32Bytes([1.5, -2.25]), 0x00, 0x3c, 0x00, 0xc0, ...new Uint8Array(Int32Array.from([-5]).buffer), 3, 4, 0, 1, 9]);
    // The group's stream is split over two shards at an arbitrary byte.
    const w = rightOf(decodeTfjsWeights(m, (p) => (p === 'a' ? stream.subarray(0, 6) : stream.subarray(6))));
    expect([...w.get('q')!.data]).toEqual([7]);
    expect(w.get('f')!.shape).toEqual([2, 1]);
    expect([...w.get('f')!.data]).toEqual([1.5, -2.25]);
    expect([...w.get('h')!.data]).toEqual([1, -2]);
    expect(w.get('i')!.dtype).toBe('int32');
    expect([...w.get('i')!.data]).toEqual([-5]);
    expect([...w.get('iq')!.data]).toEqual([1, 2]);
    expect([...w.get('b')!.data]).toEqual([0, 1, 1]);
  });

  it('reads a model.json with a weightsManifest and several groups', () => {
    const m = rightOf(parseTfjsManifest(new TextEncoder().encode(JSON.stringify({
      modelTopology: {},
      weightsManifest: [
        { paths: ['g0'], weights: [{ name: 'x', shape: [], dtype: 'float32' }] },
        { paths: ['g1'], weights: [{ name: 'y', shape: [0], dtype: 'float32' }] },
      ],
    }))));
    const w = rightOf(decodeTfjsWeights(m, new Map([['g0', f32Bytes([3])], ['g1', new Uint8Array(0)]])));
    expect(w.get('x')!.shape).toEqual([]);
    expect(w.get('y')!.size).toBe(0);
  });

  it('round-trips any float32 values and any uint8 codes (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.float({ noNaN: true }), { maxLength: 20 }),
      fc.uint8Array({ maxLength: 20 }),
      fc.double({ min: 1e-4, max: 10, noNaN: true }),
      fc.double({ min: -10, max: 10, noNaN: true }),
      (fs, qs, scale, min) => {
        const m = manifestOf([{ paths: ['s'], weights: [
          { name: 'f', shape: [fs.length], dtype: 'float32' },
          { name: 'q', shape: [qs.length], dtype: 'float32', quantization: { dtype: 'uint8', scale, min } },
        ] }]);
        const w = rightOf(decodeTfjsWeights(m, new Map([['s', new Uint8Array([...f32Bytes(fs), ...qs])]])));
        expect([...w.get('f')!.data]).toEqual([...Float32Array.from(fs)]);
        expect([...w.get('q')!.data]).toEqual([...Float32Array.from(qs, (q) => q * scale + min)]);
      },
    ), { numRuns: 50 });
  });
});

describe('tfjs manifest hostile input', () => {
  it('rejects bad JSON, bad UTF-8 and a top level that is not a list of groups', () => {
    expect(parseError('[{"paths":')).toMatch(/^tfjs manifest: must be valid JSON, got /);
    expect(parseError(new Uint8Array([0x5b, 0xff, 0x5d]))).toBe('tfjs manifest: must be valid UTF-8, got invalid bytes');
    expect(parseError('{"a":1}')).toBe('tfjs manifest: must be an array of weight groups (or a model.json with "weightsManifest"), got {"a":1}');
    expect(parseError('3')).toBe('tfjs manifest: must be an array of weight groups (or a model.json with "weightsManifest"), got 3');
  });

  it('rejects malformed groups and weights, naming the weight', () => {
    expect(parseError('[null]')).toBe('tfjs manifest: group 0 must be an object {paths, weights}, got null');
    expect(parseError('[{"paths":[],"weights":[]}]')).toBe('tfjs manifest: group 0 must have "paths", a non-empty array of file names, got []');
    expect(parseError('[{"paths":["a"],"weights":{}}]')).toBe('tfjs manifest: group 0 must have "weights", an array, got {}');
    expect(parseError('[{"paths":["a"],"weights":[{"shape":[1],"dtype":"float32"}]}]')).toBe('tfjs manifest: group 0: a weight must have a string "name", got undefined');
    expect(parseError('[{"paths":["a"],"weights":[{"name":"w","shape":[-1],"dtype":"float32"}]}]')).toBe('tfjs manifest: weight "w" must have a shape of non-negative integers, got [-1]');
    expect(parseError('[{"paths":["a"],"weights":[{"name":"w","shape":[1.5],"dtype":"float32"}]}]')).toBe('tfjs manifest: weight "w" must have a shape of non-negative integers, got [1.5]');
    expect(parseError('[{"paths":["a"],"weights":[{"name":"w","shape":[1],"dtype":"string"}]}]')).toBe('tfjs manifest: weight "w" must have dtype float32, int32 or bool, got "string"');
    expect(parseError('[{"paths":["a"],"weights":[{"name":"w","shape":[1e15,1e15],"dtype":"float32"}]}]')).toBe('tfjs manifest: weight "w" must have a shape whose byte size is a safe integer, got [1000000000000000,1000000000000000]');
  });

  it('rejects duplicate names and bad quantizations', () => {
    const w = (q: unknown, dtype = 'float32'): string => JSON.stringify([{ paths: ['a'], weights: [{ name: 'w', shape: [1], dtype, quantization: q }] }]);
    expect(parseError('[{"paths":["a"],"weights":[{"name":"w","shape":[1],"dtype":"float32"}]},{"paths":["b"],"weights":[{"name":"w","shape":[1],"dtype":"float32"}]}]'))
      .toBe('tfjs manifest: weight names must be unique, got "w" twice');
    expect(parseError(w({ dtype: 'int8', scale: 1, min: 0 }))).toBe('tfjs manifest: weight "w" must have a quantization dtype uint8, uint16 or float16, got "int8"');
    expect(parseError(w({ dtype: 'uint8', scale: 1 }))).toBe('tfjs manifest: weight "w" quantized as uint8 must have finite numbers "scale" and "min", got scale 1 and min undefined');
    expect(parseError(w({ dtype: 'uint16', scale: 'x', min: 0 }))).toBe('tfjs manifest: weight "w" quantized as uint16 must have finite numbers "scale" and "min", got scale "x" and min 0');
    expect(parseError(w({ dtype: 'float16' }, 'int32'))).toBe('tfjs manifest: weight "w" quantized as float16 must have dtype float32, got int32');
    expect(parseError(w({ dtype: 'uint8', scale: 1, min: 0 }, 'bool'))).toBe('tfjs manifest: weight "w" of dtype bool must not be quantized, got quantization uint8');
    expect(parseError(w(7))).toBe('tfjs manifest: weight "w" must have a quantization object {dtype, scale, min}, got 7');
  });

  it('treats __proto__ as an ordinary weight name', () => {
    const m = manifestOf(JSON.parse('[{"paths":["a"],"weights":[{"name":"__proto__","shape":[1],"dtype":"float32"}]}]'));
    const w = rightOf(decodeTfjsWeights(m, new Map([['a', f32Bytes([1])]])));
    expect([...w.keys()]).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['shape']).toBeUndefined();
  });

  it('rejects a missing, truncated or oversized shard', () => {
    const m = manifestOf([{ paths: ['a', 'b'], weights: [{ name: 'w', shape: [2, 2], dtype: 'float32' }] }]);
    const shardError = (shards: Map<string, Uint8Array>): string => {
      const err = leftOf(decodeTfjsWeights(m, shards));
      expect(err.code).toBe('io');
      return err.message;
    };
    expect(shardError(new Map([['a', new Uint8Array(8)]]))).toBe('tfjs manifest: shard "b" of group 0 must be given, got none');
    expect(shardError(new Map([['a', new Uint8Array(8)], ['b', new Uint8Array(7)]])))
      .toBe('tfjs manifest: group 0 shards ["a", "b"] must hold 16 bytes for 1 weights, got 15 (truncated)');
    expect(shardError(new Map([['a', new Uint8Array(8)], ['b', new Uint8Array(9)]])))
      .toBe('tfjs manifest: group 0 shards ["a", "b"] must hold 16 bytes for 1 weights, got 17 (trailing bytes)');
    expect(E.isRight(decodeTfjsWeights(m, new Map([['a', new Uint8Array(8)], ['b', new Uint8Array(8)]])))).toBe(true);
  });

  it('never throws on arbitrary manifest text or shard bytes (fuzz)', () => {
    const base = JSON.stringify([{ paths: ['a'], weights: [{ name: 'w', shape: [2], dtype: 'float32', quantization: { dtype: 'uint16', scale: 1, min: 0 } }] }]);
    fc.assert(fc.property(fc.nat({ max: base.length - 1 }), fc.string({ maxLength: 4 }), fc.uint8Array({ maxLength: 8 }), (at, ins, shard) => {
      const parsed = parseTfjsManifest(base.slice(0, at) + ins + base.slice(at + 1));
      if (E.isRight(parsed)) {
        const r = decodeTfjsWeights(parsed.right, () => shard);
        if (E.isLeft(r)) expect(r.left.code).toBe('io');
      } else expect(parsed.left.code).toBe('io');
    }), { numRuns: 200 });
  });
});

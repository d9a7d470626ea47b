import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import { CanopyError } from '../../src/errors.ts';
import {
  decodeSafetensors,
  encodeSafetensors,
  loadSafetensors,
  parseSafetensorsHeader,
} from '../../src/io/safetensors.ts';
import type { SafetensorsDType } from '../../src/io/safetensorsDtypes.ts';
import { fromArray, fromTypedArray } from '../../src/tensor/create.ts';
import { makeTensor } from '../../src/tensor/Tensor.ts';
import { leftOf, rawFile, rightOf, sameBits } from './helpers.ts';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))));

const decodeJsonNumber = (v: number | string): number =>
  typeof v === 'number' ? v : v === 'nan' ? NaN : v === 'inf' ? Infinity : -Infinity;

describe('safetensors round trip', () => {
  it('keeps values, shapes, dtypes and metadata for every storage dtype', () => {
    const f = fromArray([[1.5, -2.25, 0], [-0, Infinity, NaN]]);
    const i = fromArray([0, -1, 2147483647, -2147483648], 'int32');
    const u = fromArray([0, 1, 255], 'int32');
    const b = fromArray([1, 0, 1], 'int32');
    const dtypes: Record<string, SafetensorsDType> = { f32: 'F32', f64: 'F64', f16: 'F16', bf16: 'BF16', i32: 'I32', i64: 'I64', u8: 'U8', bool: 'BOOL' };
    const tensors = { f32: f, f64: f, f16: f, bf16: f, i32: i, i64: i, u8: u, bool: b };
    const bytes = encodeSafetensors(tensors, { dtypes, metadata: { format: 'pt', note: 'ünïcode ✓' } });
    const r = rightOf(decodeSafetensors(bytes));
    for (const [name, dt] of Object.entries(dtypes)) expect(r.dtypes.get(name)).toBe(dt);
    for (const name of ['f32', 'f64', 'f16', 'bf16']) {
      expect(r.tensors.get(name)?.shape).toEqual([2, 3]);
      expect(sameBits(r.tensors.get(name)!.data, f.data)).toBe(true); // these values are exact in every float dtype
    }
    expect([...r.tensors.get('i64')!.data]).toEqual([...i.data]);
    expect([...r.tensors.get('i32')!.data]).toEqual([...i.data]);
    expect([...r.tensors.get('u8')!.data]).toEqual([0, 1, 255]);
    expect([...r.tensors.get('bool')!.data]).toEqual([1, 0, 1]);
    expect(r.tensors.get('u8')!.dtype).toBe('int32');
    expect([...r.metadata]).toEqual([['format', 'pt'], ['note', 'ünïcode ✓']]);
    // writing back with the recorded dtypes reproduces the file byte for byte
    expect(encodeSafetensors(r.tensors, { dtypes: r.dtypes, metadata: r.metadata })).toEqual(bytes);
  });

  it('rounds float16 and bfloat16 to nearest even on write', () => {
    const t = fromArray([1 + 2 ** -11, 1 + 3 * 2 ** -11, 1 + 2 ** -8, 70000]);
    const r = rightOf(decodeSafetensors(encodeSafetensors({ h: t, b: t }, { dtypes: { h: 'F16', b: 'BF16' } })));
    expect([...r.tensors.get('h')!.data]).toEqual([1, 1 + 2 ** -9, 1 + 2 ** -8, Infinity]);
    expect([...r.tensors.get('b')!.data]).toEqual([1, 1, 1, 70144]);
  });

  it('writes scalars, empty tensors, no tensors and a 8-byte aligned header', () => {
    const bytes = encodeSafetensors({ s: fromArray(2.5), e: makeTensor(new Float32Array(0), [0, 3]) });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const r = rightOf(decodeSafetensors(bytes));
    expect(r.tensors.get('s')?.shape).toEqual([]);
    expect([...r.tensors.get('s')!.data]).toEqual([2.5]);
    expect(r.tensors.get('e')?.shape).toEqual([0, 3]);
    const empty = rightOf(decodeSafetensors(encodeSafetensors({})));
    expect(empty.tensors.size).toBe(0);
  });

  it('is deterministic: tensors sorted by name whatever the insertion order', () => {
    const a = fromArray([1]);
    const b = fromArray([2, 3]);
    expect(encodeSafetensors(new Map([['b', b], ['a', a]]))).toEqual(encodeSafetensors({ a, b }));
  });

  it('decodes only the tensors asked for, and names a missing one', () => {
    const bytes = encodeSafetensors({ a: fromArray([1]), b: fromArray([2]) });
    const r = rightOf(decodeSafetensors(bytes, { names: ['b'] }));
    expect([...r.tensors.keys()]).toEqual(['b']);
    expect(leftOf(decodeSafetensors(bytes, { names: ['c'] })).message).toBe(
      'safetensors: requested tensor "c" must be in the file, got 2 tensors: "a", "b"',
    );
  });

  it('loads F32 data at an offset that is not a multiple of 4', () => {
    const header = '{"u":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"f":{"dtype":"F32","shape":[1],"data_offsets":[1,5]}}';
    const r = rightOf(decodeSafetensors(rawFile(header, [7, 0, 0, 128, 63])));
    expect([...r.tensors.get('f')!.data]).toEqual([1]);
  });

  it('converts I64 to int32 and rejects values beyond int32', () => {
    const data = new Uint8Array(16);
    const v = new DataView(data.buffer);
    v.setBigInt64(0, -5n, true);
    v.setBigInt64(8, 2n ** 31n, true);
    const header = '{"i":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}';
    expect(leftOf(decodeSafetensors(rawFile(header, data))).message).toBe(
      "safetensors: I64 tensor 'i' must fit int32 to load as int32, got 2147483648 at flat index 1",
    );
    v.setBigInt64(8, -(2n ** 31n), true);
    expect([...rightOf(decodeSafetensors(rawFile(header, data))).tensors.get('i')!.data]).toEqual([-5, -2147483648]);
  });

  it('normalises BOOL bytes to 0/1 (torch reads non-zero as True)', () => {
    const r = rightOf(decodeSafetensors(rawFile('{"b":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]}}', [0, 1, 7])));
    expect([...r.tensors.get('b')!.data]).toEqual([0, 1, 1]);
  });

  it('throws on caller mistakes when writing', () => {
    expect(() => encodeSafetensors({ x: fromArray([1]) }, { dtypes: { x: 'I32' } })).toThrow(
      "safetensors: tensor 'x' of dtype float32 cannot be stored as I32, got float32 → I32 (float32 stores as F32/F16/BF16/F64, int32 as I32/I64/U8/BOOL)",
    );
    expect(() => encodeSafetensors({ x: fromArray([256], 'int32') }, { dtypes: { x: 'U8' } })).toThrow(
      "safetensors: tensor 'x' stored as U8 needs values in 0..255, got 256 at flat index 0",
    );
    expect(() => encodeSafetensors({ __metadata__: fromArray([1]) })).toThrow(CanopyError);
  });

  it('loadSafetensors throws the CanopyError that decodeSafetensors returns', () => {
    const bad = rawFile('[]');
    const err = leftOf(decodeSafetensors(bad));
    expect(() => loadSafetensors(bad)).toThrow(err.message);
    expect(loadSafetensors(encodeSafetensors({ w: fromArray([1]) })).tensors.get('w')?.shape).toEqual([1]);
  });
});

describe('safetensors fixtures written by generate.py', () => {
  it('loads dtypes.safetensors with the exact values torch wrote', () => {
    const r = rightOf(decodeSafetensors(fixture('dtypes.safetensors')));
    const expected = JSON.parse(r.metadata.get('expected') ?? '{}') as Record<
      string,
      { dtype: SafetensorsDType; shape: number[]; values: (number | string)[] }
    >;
    expect(Object.keys(expected).sort()).toEqual([...r.tensors.keys()].sort());
    for (const [name, exp] of Object.entries(expected)) {
      const t = r.tensors.get(name)!;
      expect(r.dtypes.get(name), name).toBe(exp.dtype);
      expect(t.shape, name).toEqual(exp.shape);
      const want = exp.values.map(decodeJsonNumber);
      const wantArr = t.dtype === 'int32' ? Int32Array.from(want) : Float32Array.from(want);
      expect(sameBits(t.data, wantArr), `${name}: ${[...t.data]} vs ${want}`).toBe(true);
    }
  });

  it('loads every oracle fixture with its case metadata', () => {
    for (const name of ['matmul', 'conv2d', 'movement', 'special', 'attention']) {
      const r = rightOf(decodeSafetensors(fixture(`${name}.safetensors`)));
      expect(r.metadata.get('format')).toBe('canopy-oracle/1');
      const cases = [...r.metadata.keys()].filter((k) => k.startsWith('case:'));
      expect(cases.length).toBeGreaterThan(5);
      for (const k of cases) {
        const c = JSON.parse(r.metadata.get(k)!) as { inputs: string[]; outputs: string[] };
        for (const role of [...c.inputs, ...c.outputs]) expect(r.tensors.has(`${k.slice(5)}.${role}`), `${name} ${k} ${role}`).toBe(true);
      }
    }
  });

  it('reads the header alone without decoding tensors', () => {
    const h = rightOf(parseSafetensorsHeader(fixture('dtypes.safetensors')));
    expect(h.entries.get('bf16')).toMatchObject({ dtype: 'BF16', shape: [8] });
    expect(h.metadata.get('family')).toBe('dtypes');
  });

  it('decodes a float16 subnormal and float64 values that overflow float32', () => {
    const h = fromTypedArray(new Uint16Array([0x0001, 0x8000]), [2], 'float16');
    expect([...h.data]).toEqual([2 ** -24, -0]);
    const r = rightOf(decodeSafetensors(fixture('dtypes.safetensors')));
    expect([...r.tensors.get('f64')!.data]).toEqual([Math.fround(0.1), -Infinity, 0, 2 ** 60]);
    expect(E.isRight(decodeSafetensors(fixture('dtypes.safetensors'), { names: ['i64'] }))).toBe(true);
  });
});

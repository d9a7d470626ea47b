// Hostile files: each gives a Left CanopyError('io') with a message naming what must hold and what
// the file had; nothing throws, nothing big is allocated, no prototype is touched.
import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '../../src/io/safetensors.ts';
import { encodeHeader, maxHeaderBytes } from '../../src/io/safetensorsHeader.ts';
import { leftOf, rawFile, rightOf } from './helpers.ts';

const f32 = (name: string, shape: number[], begin: number, end: number): string =>
  `${JSON.stringify(name)}:{"dtype":"F32","shape":[${shape.join(',')}],"data_offsets":[${begin},${end}]}`;

const message = (bytes: Uint8Array): string => {
  const err = leftOf(decodeSafetensors(bytes));
  expect(err.code).toBe('io');
  return err.message;
};

describe('safetensors hostile files', () => {
  it('rejects a file shorter than the length prefix', () => {
    expect(message(new Uint8Array([1, 2, 3]))).toBe('safetensors: a file must start with an 8-byte header length, got 3 bytes');
  });

  it('rejects a header length beyond the file', () => {
    expect(message(rawFile('{}', [], 100n))).toBe(
      'safetensors: header length must fit in the file (2 bytes after the length), got 100',
    );
  });

  it('rejects a 100 MB header claim in a 1 KB file before allocating it', () => {
    const file = rawFile(`{${' '.repeat(1000)}}`, [], 100_000_000n);
    const before = process.memoryUsage().arrayBuffers;
    expect(message(file)).toBe('safetensors: header length must fit in the file (1002 bytes after the length), got 100000000');
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(10_000_000);
    expect(message(rawFile('{}', [], 2n ** 64n - 1n))).toBe(
      `safetensors: header length must be at most ${maxHeaderBytes} bytes, got 18446744073709551615`,
    );
  });

  it('rejects invalid JSON, invalid UTF-8 and non-object headers', () => {
    expect(message(rawFile('{"a":'))).toMatch(/^safetensors: header must be valid JSON, got /);
    const bad = rawFile('{}');
    bad[8] = 0xff;
    expect(message(bad)).toBe('safetensors: header must be valid UTF-8, got invalid bytes');
    expect(message(rawFile('[1,2]'))).toBe('safetensors: header must be a JSON object, got an array');
    expect(message(rawFile('null'))).toBe('safetensors: header must be a JSON object, got null');
    expect(message(rawFile('"x"'))).toBe('safetensors: header must be a JSON object, got "x"');
    expect(message(rawFile('{"w":5}'))).toBe('safetensors: tensor "w" must be an object {dtype, shape, data_offsets}, got 5');
  });

  it('rejects unknown dtypes, including names of Object.prototype members', () => {
    for (const dt of ['F8', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(message(rawFile(`{"w":{"dtype":"${dt}","shape":[1],"data_offsets":[0,4]}}`, [0, 0, 0, 0]))).toBe(
        `safetensors: tensor "w" must have a dtype among F32 F16 BF16 F64 I64 I32 U8 BOOL, got "${dt}"`,
      );
    }
    expect(message(rawFile('{"w":{"shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0]))).toMatch(/got undefined$/);
  });

  it('rejects bad shapes and offsets', () => {
    const one = (shape: string, offsets: string): string =>
      message(rawFile(`{"w":{"dtype":"F32","shape":${shape},"data_offsets":${offsets}}}`, [0, 0, 0, 0]));
    expect(one('[-1]', '[0,4]')).toBe('safetensors: tensor "w" must have a shape of non-negative integers, got [-1]');
    expect(one('[1.5]', '[0,4]')).toBe('safetensors: tensor "w" must have a shape of non-negative integers, got [1.5]');
    expect(one('"1"', '[0,4]')).toBe('safetensors: tensor "w" must have a shape of non-negative integers, got "1"');
    expect(one('[1]', '[4,0]')).toBe('safetensors: tensor "w" must have data_offsets [begin, end] with 0 <= begin <= end, got [4,0]');
    expect(one('[1]', '[0]')).toBe('safetensors: tensor "w" must have data_offsets [begin, end] with 0 <= begin <= end, got [0]');
    expect(one('[1]', '[0,1e300]')).toMatch(/data_offsets \[begin, end\]/);
    expect(one('[4294967296,4294967296,4294967296]', '[0,4]')).toBe(
      'safetensors: tensor "w" must have a shape whose byte size is a safe integer, got [4294967296,4294967296,4294967296]',
    );
  });

  it('rejects a shape that does not match the byte length', () => {
    expect(message(rawFile(`{${f32('w', [2], 0, 4)}}`, [0, 0, 0, 0]))).toBe(
      'safetensors: tensor "w" of dtype F32 and shape [2] needs 8 bytes, got data_offsets [0,4] (4 bytes)',
    );
  });

  it('rejects truncated data and out-of-range offsets', () => {
    expect(message(rawFile(`{${f32('w', [2], 0, 8)}}`, [0, 0, 0, 0]))).toBe(
      'safetensors: tensor "w" must lie inside the data section of 4 bytes, got data_offsets [0,8] (file truncated or offsets out of range)',
    );
    expect(message(rawFile(`{${f32('w', [1], 1000, 1004)}}`, [0, 0, 0, 0]))).toMatch(/must lie inside the data section of 4 bytes/);
  });

  it('rejects overlapping offsets, gaps and trailing bytes', () => {
    const data = new Array<number>(8).fill(0);
    expect(message(rawFile(`{${f32('a', [1], 0, 4)},${f32('b', [1], 2, 6)}}`, data.slice(0, 6)))).toBe(
      'safetensors: tensors must not overlap, got "a" [0,4] and "b" [2,6]',
    );
    expect(message(rawFile(`{${f32('a', [1], 0, 4)},${f32('b', [1], 0, 4)}}`, data.slice(0, 4)))).toBe(
      'safetensors: tensors must not overlap, got "a" [0,4] and "b" [0,4]',
    );
    expect(message(rawFile(`{${f32('a', [1], 4, 8)}}`, data))).toBe(
      'safetensors: tensors must tile the data section without gaps, got bytes [0,4) unused before "a"',
    );
    expect(message(rawFile(`{${f32('a', [1], 0, 4)}}`, data))).toBe(
      'safetensors: tensors must cover the data section of 8 bytes, got 4 trailing bytes after offset 4',
    );
  });

  it('rejects metadata that is not a map of strings', () => {
    expect(message(rawFile('{"__metadata__":[1]}'))).toBe('safetensors: __metadata__ must be an object of strings, got [1]');
    expect(message(rawFile('{"__metadata__":{"a":1}}'))).toBe('safetensors: __metadata__ values must be strings, got 1 for key "a"');
    expect(rightOf(decodeSafetensors(rawFile('{"__metadata__":null}'))).metadata.size).toBe(0);
  });

  it('keeps __proto__ and constructor as ordinary names, polluting nothing', () => {
    const header = `{"__metadata__":{"__proto__":"m","constructor":"c"},${f32('__proto__', [1], 0, 4)},${f32('constructor', [1], 4, 8)}}`;
    const r = rightOf(decodeSafetensors(rawFile(header, [0, 0, 128, 63, 0, 0, 0, 64])));
    expect([...r.tensors.keys()]).toEqual(['__proto__', 'constructor']);
    expect([...r.tensors.get('__proto__')!.data]).toEqual([1]);
    expect(r.metadata.get('__proto__')).toBe('m');
    expect(({} as Record<string, unknown>)['dtype']).toBeUndefined();
    // a __proto__ object inside an entry is ignored, not inherited
    const sneaky = `{"w":{"__proto__":{"dtype":"F32"},"shape":[1],"data_offsets":[0,4]}}`;
    expect(message(rawFile(sneaky, [0, 0, 0, 0]))).toMatch(/must have a dtype among/);
    const polluting = '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}';
    leftOf(decodeSafetensors(rawFile(polluting)));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('writes a header that round-trips hostile names', () => {
    const h = encodeHeader([{ name: '__proto__', dtype: 'U8', shape: [1], begin: 0, end: 1 }], new Map([['constructor', 'x']]));
    const file = new Uint8Array(h.length + 1);
    file.set(h);
    const r = rightOf(decodeSafetensors(file));
    expect(r.tensors.has('__proto__')).toBe(true);
    expect(r.metadata.get('constructor')).toBe('x');
  });

  it('cuts long names short in messages', () => {
    const name = 'n'.repeat(10_000);
    expect(message(rawFile(`{"${name}":{"dtype":"X","shape":[],"data_offsets":[0,0]}}`)).length).toBeLessThan(300);
  });
});

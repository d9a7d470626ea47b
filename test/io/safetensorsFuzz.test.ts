// Fuzz: mutate valid safetensors files (bytes, lengths, header JSON) and check that every outcome
// is either a parse that an independent decoder agrees with, or a CanopyError('io'). Never a throw.
import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import { CanopyError } from '../../src/errors.ts';
import { decodeSafetensors, encodeSafetensors, type SafetensorsContents } from '../../src/io/safetensors.ts';
import { safetensorsDTypes, type SafetensorsDType } from '../../src/io/safetensorsDtypes.ts';
import { bfloat16BitsToNumber, float16BitsToNumber } from '../../src/tensor/convert.ts';
import { makeTensor, type Tensor } from '../../src/tensor/Tensor.ts';

// --- arbitraries

const nameArb = fc.oneof(
  fc.constantFrom('w', 'Linear.weight', '__proto__', 'constructor', 'toString', 'ü∂', ''),
  fc.string({ maxLength: 6 }),
);
const shapeArb = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 });
const specArb = fc.record({ dtype: fc.constantFrom(...safetensorsDTypes), shape: shapeArb });

const tensorFor = (dtype: SafetensorsDType, shape: number[]): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = Array.from({ length: n }, (_, i) => i);
  if (dtype[0] === 'F' || dtype === 'BF16') return makeTensor(new Float32Array(vals.map((v) => v * 0.5 - 1)), shape);
  return makeTensor(Int32Array.from(dtype === 'BOOL' ? vals.map((v) => v % 2) : vals.map((v) => (v * 37) % 251)), shape);
};

const fileArb = fc
  .uniqueArray(fc.tuple(nameArb, specArb), { maxLength: 4, selector: ([n]) => n })
  .chain((specs) =>
    fc.record({
      specs: fc.constant(specs.filter(([n]) => n !== '__metadata__')),
      metadata: fc.dictionary(nameArb, fc.string({ maxLength: 5 }), { maxKeys: 2 }),
    }),
  );

type JsonValue = null | number | string | boolean | JsonValue[] | { [k: string]: JsonValue };
const hostileJson: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constantFrom<JsonValue>(null, -1, 0, 1, 4, 1.5, 1e300, 2 ** 53, '', 'F32', 'I64', 'X', '__proto__', 'constructor', [], [0], [0, 4], [4, 0], [-1, 3], {}, { dtype: 'F32' }),
  fc.integer({ min: -5, max: 100 }),
  fc.array(fc.integer({ min: -2, max: 40 }), { maxLength: 3 }),
);

const mutationArb = fc.oneof(
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 9 }) }),
  fc.record({ kind: fc.constant('length' as const), value: fc.oneof(fc.bigInt({ min: 0n, max: 400n }), fc.constantFrom(2n ** 64n - 1n, 100_000_000n, 2n ** 53n + 1n)) }),
  fc.record({
    kind: fc.constant('json' as const),
    entry: fc.nat(),
    field: fc.constantFrom<string>('dtype', 'shape', 'data_offsets', '__proto__', 'extra', '__metadata__'),
    value: hostileJson,
    remove: fc.boolean(),
  }),
  // plausible edits: a valid-looking shape or a known dtype, so that only the size check can object
  fc.record({
    kind: fc.constant('json' as const),
    entry: fc.nat(),
    field: fc.constant('shape'),
    value: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }) as fc.Arbitrary<JsonValue>,
    remove: fc.constant(false),
  }),
  fc.record({
    kind: fc.constant('json' as const),
    entry: fc.nat(),
    field: fc.constant('dtype'),
    value: fc.constantFrom(...safetensorsDTypes) as fc.Arbitrary<JsonValue>,
    remove: fc.constant(false),
  }),
  fc.record({ kind: fc.constant('shift' as const), entry: fc.nat(), to: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ kind: fc.constant('dataByte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
);
type Mutation = typeof mutationArb extends fc.Arbitrary<infer M> ? M : never;

// --- mutation

const headerLength = (b: Uint8Array): number => Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const out = bytes.slice();
  if (bytes.length < 8 || out.length === 0) return out;
  const n = headerLength(bytes);
  switch (m.kind) {
    case 'byte':
      out[m.at % out.length] = m.value;
      return out;
    case 'dataByte': {
      const span = out.length - 8 - n;
      if (span > 0) out[8 + n + (m.at % span)] = m.value;
      return out;
    }
    case 'truncate':
      return out.slice(0, m.at % out.length);
    case 'append': {
      const o = new Uint8Array(out.length + m.extra.length);
      o.set(out);
      o.set(m.extra, out.length);
      return o;
    }
    case 'length':
      new DataView(out.buffer).setBigUint64(0, m.value, true);
      return out;
    case 'shift':
    case 'json': {
      let header: Record<string, Record<string, JsonValue>>;
      try {
        header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as typeof header;
        if (typeof header !== 'object' || header === null || n > bytes.length - 8) return out;
      } catch {
        return out; // an earlier mutation broke the JSON: nothing structured to mutate
      }
      const keys = Object.keys(header);
      if (m.kind === 'shift') {
        // move one tensor's bytes elsewhere, keeping its length: overlaps and gaps that pass the size check
        const entry = header[keys.filter((k) => k !== '__metadata__')[m.entry % Math.max(1, keys.length - 1)] ?? ''];
        const off = entry?.['data_offsets'];
        if (entry !== undefined && typeof entry === 'object' && entry !== null && Array.isArray(off) && typeof off[0] === 'number' && typeof off[1] === 'number') entry['data_offsets'] = [m.to, m.to + off[1] - off[0]];
      } else if (keys.length === 0 || m.field === '__metadata__') {
        Object.defineProperty(header, m.remove ? '__metadata__' : 'zz', { value: m.value, enumerable: true, writable: true, configurable: true });
      } else {
        const entry = header[keys[m.entry % keys.length]!]!;
        if (typeof entry !== 'object' || entry === null) return out;
        if (m.remove) delete entry[m.field];
        else Object.defineProperty(entry, m.field, { value: m.value, enumerable: true, writable: true, configurable: true });
      }
      const json = new TextEncoder().encode(JSON.stringify(header));
      const o = new Uint8Array(8 + json.length + (bytes.length - 8 - n));
      new DataView(o.buffer).setBigUint64(0, BigInt(json.length), true);
      o.set(json, 8);
      o.set(bytes.subarray(8 + n), 8 + json.length);
      return o;
    }
  }
}

// --- independent check of a successful parse

function independentValue(view: DataView, dtype: SafetensorsDType, i: number): number {
  switch (dtype) {
    case 'F32': return Math.fround(view.getFloat32(i * 4, true));
    case 'F64': return Math.fround(view.getFloat64(i * 8, true));
    case 'F16': return float16BitsToNumber(view.getUint16(i * 2, true));
    case 'BF16': return bfloat16BitsToNumber(view.getUint16(i * 2, true));
    case 'I32': return view.getInt32(i * 4, true);
    case 'I64': return Number(view.getBigInt64(i * 8, true));
    case 'U8': return view.getUint8(i);
    case 'BOOL': return view.getUint8(i) === 0 ? 0 : 1;
  }
}

function checkAgainstFile(bytes: Uint8Array, r: SafetensorsContents): void {
  const n = headerLength(bytes);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  const names = Object.keys(header).filter((k) => k !== '__metadata__');
  expect(new Set(r.tensors.keys())).toEqual(new Set(names));
  const spans: [number, number][] = [];
  for (const name of names) {
    const info = header[name] as { dtype: SafetensorsDType; shape: number[]; data_offsets: [number, number] };
    const t = r.tensors.get(name)!;
    expect(r.dtypes.get(name)).toBe(info.dtype);
    expect(t.shape).toEqual(info.shape);
    expect(t.size).toBe(info.shape.reduce((a, b) => a * b, 1));
    const [b0, b1] = info.data_offsets;
    spans.push([b0, b1]);
    const view = new DataView(bytes.buffer, bytes.byteOffset + 8 + n + b0, b1 - b0);
    for (let i = 0; i < t.size; i++) expect(Object.is(t.data[i], independentValue(view, info.dtype, i)) || (Number.isNaN(t.data[i]) && Number.isNaN(independentValue(view, info.dtype, i)))).toBe(true);
  }
  // the tensors tile the data section exactly: no overlap, no gap, no trailing byte
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let pos = 0;
  for (const [b0, b1] of spans) {
    expect(b0).toBe(pos);
    pos = b1;
  }
  expect(pos).toBe(bytes.length - 8 - n);
  const meta = (header['__metadata__'] ?? {}) as Record<string, string>;
  expect(new Map(Object.entries(meta))).toEqual(r.metadata);
}

// --- properties

describe('safetensors fuzz', () => {
  it('every mutation of a valid file is a correct parse or a CanopyError("io")', () => {
    let rights = 0;
    let lefts = 0;
    fc.assert(
      fc.property(fileArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), ({ specs, metadata }, ms) => {
        const tensors = new Map(specs.map(([name, s]) => [name, tensorFor(s.dtype, s.shape)]));
        const dtypes = new Map(specs.map(([name, s]) => [name, s.dtype]));
        const bytes = encodeSafetensors(tensors, { dtypes, metadata: new Map(Object.entries(metadata)) });
        const base = decodeSafetensors(bytes);
        expect(E.isRight(base)).toBe(true);
        const mutated = ms.reduce(mutate, bytes);
        let r: E.Either<CanopyError, SafetensorsContents>;
        try {
          r = decodeSafetensors(mutated);
        } catch (err) {
          throw new Error(`decodeSafetensors threw ${String(err)} on mutations ${JSON.stringify(ms, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`);
        }
        if (E.isLeft(r)) {
          lefts++;
          expect(r.left).toBeInstanceOf(CanopyError);
          expect(r.left.code).toBe('io');
          expect(r.left.message.startsWith('safetensors: ')).toBe(true);
          // only an I64 beyond int32 may make a data-only mutation fail
          if (ms.every((m) => m.kind === 'dataByte')) expect(r.left.message).toMatch(/I64 tensor .* must fit int32/);
        } else {
          rights++;
          checkAgainstFile(mutated, r.right);
        }
        expect(({} as Record<string, unknown>)['dtype']).toBeUndefined();
      }),
      { numRuns: 400 },
    );
    // the fuzz must exercise both outcomes, or it proves little
    expect(rights).toBeGreaterThan(20);
    expect(lefts).toBeGreaterThan(20);
  });
});

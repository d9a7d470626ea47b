// A minimal ONNX model writer: just enough protobuf (varints, length-delimited fields, packed
// int64s, float32 fixed32) to build one-op and few-op float32 graphs for onnxruntime-node.
// Field numbers follow onnx/onnx.proto3 (ModelProto, GraphProto, NodeProto, AttributeProto,
// ValueInfoProto, TypeProto).

// --- model

/** An attribute value: an int, a list of ints, or a float. */
export type OnnxAttr = number | readonly number[] | { readonly float: number };

/** One graph node. */
export interface OnnxNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs?: Readonly<Record<string, OnnxAttr>>;
}

/** A float32 graph input or output with a static shape. */
export interface OnnxValue {
  readonly name: string;
  readonly shape: readonly number[];
}

// --- constructors

/**
 * Serialises a float32 graph to ONNX protobuf bytes (IR 8, default domain at `opset`).
 *
 * @example
 * ```ts
 * const bytes = onnxModel([{ op: 'MatMul', inputs: ['a', 'b'], outputs: ['c'] }],
 *   [{ name: 'a', shape: [2, 3] }, { name: 'b', shape: [3, 4] }], [{ name: 'c', shape: [2, 4] }]);
 * ```
 */
export function onnxModel(nodes: readonly OnnxNode[], inputs: readonly OnnxValue[], outputs: readonly OnnxValue[], opset = 20): Uint8Array {
  const graph = concat([
    ...nodes.map((n, i) => field(1, nodeBytes(n, i))),
    field(2, utf8('canopy_bench')),
    ...inputs.map((v) => field(11, valueInfo(v))),
    ...outputs.map((v) => field(12, valueInfo(v))),
  ]);
  const opsetId = concat([field(1, utf8('')), varintField(2, opset)]);
  return concat([varintField(1, 8), field(7, graph), field(8, opsetId)]);
}

// --- utils

function nodeBytes(n: OnnxNode, i: number): Uint8Array {
  const attrs = Object.entries(n.attrs ?? {}).map(([name, v]) => field(5, attrBytes(name, v)));
  return concat([...n.inputs.map((s) => field(1, utf8(s))), ...n.outputs.map((s) => field(2, utf8(s))), field(3, utf8(`n${i}`)), field(4, utf8(n.op)), ...attrs]);
}

function attrBytes(name: string, v: OnnxAttr): Uint8Array {
  if (typeof v === 'number') return concat([field(1, utf8(name)), varintField(3, v), varintField(20, 2)]);
  if (Array.isArray(v)) return concat([field(1, utf8(name)), ...v.map((x: number) => varintField(8, x)), varintField(20, 7)]);
  const f = new Uint8Array(4);
  new DataView(f.buffer).setFloat32(0, (v as { float: number }).float, true);
  return concat([field(1, utf8(name)), tag(2, 5), f, varintField(20, 1)]);
}

function valueInfo(v: OnnxValue): Uint8Array {
  const dims = v.shape.map((d) => field(1, varintField(1, d)));
  const tensorType = concat([varintField(1, 1), field(2, concat(dims))]);
  return concat([field(1, utf8(v.name)), field(2, field(1, tensorType))]);
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = BigInt(n);
  if (v < 0n) v += 1n << 64n;
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}

function tag(fieldNo: number, wire: number): Uint8Array {
  return Uint8Array.from(varint((fieldNo << 3) | wire));
}

function varintField(fieldNo: number, v: number): Uint8Array {
  return concat([tag(fieldNo, 0), Uint8Array.from(varint(v))]);
}

function field(fieldNo: number, bytes: Uint8Array): Uint8Array {
  return concat([tag(fieldNo, 2), Uint8Array.from(varint(bytes.length)), bytes]);
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

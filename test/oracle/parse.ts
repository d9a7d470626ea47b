// Fixture cases from a family's safetensors bytes (no file access, so the browser tests share it).

import { loadSafetensors } from '../../src/io/safetensors.ts';
import type { Tensor } from '../../src/tensor/Tensor.ts';

/** JSON parameters of a case (PyTorch's keyword names). */
export type Params = Readonly<Record<string, unknown>>;

/** One fixture case. */
export interface OracleCase {
  readonly family: string;
  readonly id: string;
  readonly op: string;
  readonly params: Params;
  readonly inputs: ReadonlyMap<string, Tensor>;
  readonly outputs: readonly Tensor[];
  readonly note?: string;
}

/** The cases of a family from its file's bytes (no file access: the browser tests fetch them). */
export function parseFamily(family: string, bytes: Uint8Array): OracleCase[] {
  const { tensors, metadata } = loadSafetensors(bytes);
  const cases: OracleCase[] = [];
  for (const [key, json] of [...metadata].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!key.startsWith('case:')) continue;
    const id = key.slice('case:'.length);
    const c = JSON.parse(json) as { op: string; params: Params; inputs: string[]; outputs: string[]; note?: string };
    const get = (role: string): Tensor => {
      const t = tensors.get(`${id}.${role}`);
      if (t === undefined) throw new Error(`fixture ${family}/${id}: tensor ${role} missing`);
      return t;
    };
    cases.push({
      family,
      id,
      op: c.op,
      params: c.params,
      inputs: new Map(c.inputs.map((r) => [r, get(r)])),
      outputs: c.outputs.map(get),
      ...(c.note === undefined ? {} : { note: c.note }),
    });
  }
  return cases;
}

/** A JSON parameter number, with the strings "inf", "-inf", "nan" that generate.py writes. */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (v === 'nan') return NaN;
  throw new Error(`expected a number, got ${JSON.stringify(v)}`);
}

// Loading the PyTorch oracle fixtures (test/fixtures/*.safetensors, written by generate.py) into
// cases: op name, parameters, input tensors by role, expected outputs in order.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Families present on disk (one .safetensors file each), `dtypes` excluded: it holds no cases. */
export function fixtureFamilies(): string[] {
  return readdirSync(fixturesDir)
    .filter((f) => f.endsWith('.safetensors') && f !== 'dtypes.safetensors')
    .map((f) => f.slice(0, -'.safetensors'.length))
    .sort();
}

/** All cases of a family, in case-id order. */
export function loadFamily(family: string): OracleCase[] {
  const { tensors, metadata } = loadSafetensors(new Uint8Array(readFileSync(`${fixturesDir}${family}.safetensors`)));
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

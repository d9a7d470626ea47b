// Loading the PyTorch oracle fixtures (test/fixtures/*.safetensors, written by generate.py) into
// cases: op name, parameters, input tensors by role, expected outputs in order.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFamily, type OracleCase } from './parse.ts';

export * from './parse.ts';

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
  return parseFamily(family, new Uint8Array(readFileSync(`${fixturesDir}${family}.safetensors`)));
}

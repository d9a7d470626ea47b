// `npm run demo -- --json IMAGE` prints exactly one line of JSON with the documented fields.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('examples/demo.ts --json', () => {
  it('prints one JSON line: faces with box, score and 68 landmarks, backend, ms', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'examples/demo.ts', '--json', 'node_modules/@vladmandic/face-api/demo/sample1.jpg'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(out.endsWith('\n')).toBe(true);
    expect(out.trimEnd().split('\n')).toHaveLength(1);
    const j = JSON.parse(out) as { faces: { box: number[]; score: number; landmarks: number[][] }[]; backend: string; ms: number };
    expect(Object.keys(j)).toEqual(['faces', 'backend', 'ms']);
    expect(j.faces.map((f) => Number(f.score.toFixed(2)))).toEqual([0.78, 0.78, 0.72]);
    for (const f of j.faces) {
      expect(f.box).toHaveLength(4);
      expect(f.landmarks).toHaveLength(68);
    }
    expect(typeof j.backend).toBe('string');
    expect(j.ms).toBeGreaterThan(0);
  }, 60_000);
});

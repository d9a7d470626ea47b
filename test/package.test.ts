// The published package, as a user gets it: `npm pack` (built by scripts/build.mjs), installed from
// the tarball into an empty project, then used from plain ESM JavaScript (a model on the default
// backend, a file through canopy-nn/node, a law from canopy-nn/laws) and compiled from strict
// TypeScript with skipLibCheck off: module nodenext under TypeScript 5.0, moduleResolution bundler
// under the repository's TypeScript.
// Offline-friendly: the install reads npm's cache first (`npm ci` has filled it) and skips gpu.js's
// optional native `gl` (headless-gl, only for the `headlessgl` mode).
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, string | Record<string, string>>;
  devDependencies: Record<string, string>;
};
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function sources(dir: string, ext = '.ts'): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

// A child npm must not inherit the running script's npm_* variables (its prefix, its package).
function cleanEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_') || keep.has(k.toLowerCase())));
}

// dist/ is rebuilt unless every file in it is newer than every input of the build.
function ensureBuilt(): void {
  const inputs = [...sources(join(root, 'src')), ...sources(join(root, 'laws')), ...sources(join(root, 'scripts'), '.mjs'),
    ...['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((f) => join(root, f))];
  const newestInput = Math.max(...inputs.map((f) => statSync(f).mtimeMs));
  let outputs: string[] = [];
  try {
    outputs = sources(join(root, 'dist'), '');
  } catch {
    // no dist yet
  }
  if (outputs.length > 0 && Math.min(...outputs.map((f) => statSync(f).mtimeMs)) > newestInput) return;
  execFileSync(npm, ['run', 'build'], { cwd: root, stdio: 'pipe', env: cleanEnv() });
}

describe('package', () => {
  it('every bare import of src/ and laws/ resolves in plain Node ESM', () => {
    const specifiers = new Set<string>();
    for (const file of [...sources(join(root, 'src')), ...sources(join(root, 'laws'))]) {
      // import/export ... from '...' at the start of a line (not in comments or examples)
      for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"\n]*?from '([^.'][^']*)'/gm)) specifiers.add(m[1]!);
    }
    expect(specifiers.size).toBeGreaterThan(0);
    const script = `for (const s of ${JSON.stringify([...specifiers])}) await import(s);`;
    expect(() => execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });

  it('packs, installs from the tarball, runs from ESM JavaScript and compiles from strict TypeScript', async () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'canopy-nn-pack-'));
    const env = cleanEnv();
    const [packed] = JSON.parse(execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as [
      { filename: string; files: { path: string }[] },
    ];
    const files = new Set(packed.files.map((f) => f.path));
    // Every export target is in the tarball, and nothing but dist/, the README and package.json.
    for (const target of Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e)))) {
      expect(files, target).toContain(target.replace(/^\.\//, ''));
    }
    expect([...files].filter((f) => !/^(dist\/(src|laws)\/|README\.md$|LICENSE$|package\.json$)/.test(f))).toEqual([]);

    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    // The oldest TypeScript the declarations promise (the devDependency alias keeps it in npm's cache).
    const oldTs = pkg.devDependencies['typescript-5.0']!.replace(/^npm:/, '');
    execFileSync(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=optional',
      join(dir, packed.filename), `fast-check@${pkg.devDependencies['fast-check']}`, oldTs], { cwd: app, env, stdio: 'pipe' });

    for (const f of ['consumer.mjs', 'consumer.ts']) copyFileSync(join(root, 'test/package', f), join(app, f));
    // skipDefaultLibCheck skips TypeScript's own lib.*.d.ts only: the package's declarations are checked.
    const compilerOptions = { strict: true, target: 'es2022', noEmit: true, skipLibCheck: false, skipDefaultLibCheck: true, types: [] };
    writeFileSync(join(app, 'tsconfig.nodenext.json'), JSON.stringify({ compilerOptions: { ...compilerOptions, module: 'nodenext', moduleResolution: 'nodenext' }, files: ['consumer.ts'] }));
    writeFileSync(join(app, 'tsconfig.bundler.json'), JSON.stringify({ compilerOptions: { ...compilerOptions, module: 'esnext', moduleResolution: 'bundler' }, files: ['consumer.ts'] }));

    const run = promisify(execFile);
    // nodenext with TypeScript 5.0 (the app's), bundler with the repository's: each mode and each
    // end of the supported range once, for the price of two compiles.
    const compile = (mode: string, tsc: string) => run(process.execPath, [tsc, '-p', `tsconfig.${mode}.json`], { cwd: app }).catch((e: { stdout?: string }) => {
      throw new Error(`tsc (${mode}, ${tsc}) failed on the installed package:\n${e.stdout ?? String(e)}`);
    });
    const [js] = await Promise.all([
      run(process.execPath, ['consumer.mjs'], { cwd: app }),
      compile('nodenext', join(app, 'node_modules/typescript/bin/tsc')),
      compile('bundler', join(root, 'node_modules/typescript/bin/tsc')),
    ]);
    expect(JSON.parse(readFileSync(join(app, 'node_modules/typescript/package.json'), 'utf8')).version).toBe(oldTs.split('@')[1]);
    const result = JSON.parse(js.stdout.trim().split('\n').at(-1)!) as { ok: boolean; backend: string; output: number[] };
    expect(result.ok).toBe(true);
    expect(result.backend).toMatch(/^gpujs:/);
    expect(result.output).toHaveLength(4);
  }, 240_000);
});

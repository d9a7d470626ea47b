// Runs a script in a child process with a time limit, so that a hang fails its test instead of
// stalling the suite.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Output of a child run: its exit status (null when killed by the time limit) and its stdout. */
export interface ChildResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the TypeScript module source `code` (imports relative to the repository root) under tsx. */
export function runChild(code: string, timeoutMs: number): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: root,
    timeout: timeoutMs,
    encoding: 'utf8',
    killSignal: 'SIGKILL',
    maxBuffer: 1 << 24,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

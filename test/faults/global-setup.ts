/** Builds dist/ once before the fault tests: they run the daemon and the CLI as child processes. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  // FAULT_ROOT points the tests at another checkout's build (see harness.ts); SKIP_BUILD=1 uses dist/ as it is.
  if (process.env.SKIP_BUILD === '1') return;
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: process.env.FAULT_ROOT ?? join(import.meta.dirname, '../..'), stdio: 'inherit' });
}

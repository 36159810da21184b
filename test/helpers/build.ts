/**
 * `npm run build` once per test run, whatever how many test files need dist/ (the CLI, the cluster tests, the
 * console in a browser). Test files run in parallel workers, and two builds at once collide (tsc, the PGlite
 * template and Vite all replace files under dist/): builders take a lock (a directory, made atomically), and a
 * stamp under dist/ names the run that built last, so the next file of the same run finds the build done.
 *
 * The run's id is TOLLGATE_TEST_RUN, set by test/helpers/global-setup.ts in vitest's main process; without it
 * (a file run some other way) every call builds, still one at a time.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const LOCK = join(ROOT, 'dist', '.test-build.lock');
const STAMP = join(ROOT, 'dist', '.test-build-run');
/** A lock older than this was left by a killed run. */
const STALE_MS = 5 * 60_000;

function readStamp(): string | undefined {
  try {
    return readFileSync(STAMP, 'utf8');
  } catch {
    return undefined;
  }
}

async function lock(): Promise<void> {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + STALE_MS + 60_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // Released meanwhile: try again.
      }
      if (Date.now() > deadline) throw new Error(`the test build lock ${LOCK} was not released`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Runs `fn` holding the build lock: no build of another test file writes dist/ meanwhile. */
export async function withBuildLock<T>(fn: () => Promise<T> | T): Promise<T> {
  await lock();
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Builds dist/ (daemon, PGlite template, console) unless this test run already did. */
export async function buildOnce(): Promise<void> {
  const runId = process.env.TOLLGATE_TEST_RUN;
  if (runId !== undefined && readStamp() === runId) return;
  await withBuildLock(async () => {
    if (runId !== undefined && readStamp() === runId) return;
    await run('npm', ['run', 'build', '--silent'], { cwd: ROOT, maxBuffer: 16 << 20 });
    if (runId !== undefined) writeFileSync(STAMP, runId);
  });
}

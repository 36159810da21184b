#!/usr/bin/env node
/**
 * `npm start` runs this before dist/src/main.js: it builds only when dist/ is missing or older than the
 * sources, so a restart starts in a second instead of waiting 4–5 s for the TypeScript compiler. The operator
 * console (console/ → dist/console, Vite) is checked the same way, on its own. `npm install` (the `prepare`
 * script) builds a fresh clone; `npm run build` always builds.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

/** The newest modification time under `dir` (files and directories: a deleted file changes its directory). */
function newest(dir) {
  let max = mtime(dir);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    max = Math.max(max, entry.isDirectory() ? newest(path) : mtime(path));
  }
  return max;
}

/** When dist/ was last built: this script's stamp, or the compiler's own build info (`npm run build`). */
function builtAt() {
  if (mtime(join(root, 'dist', 'src', 'main.js')) < 0) return -1;
  return Math.max(mtime(stamp), mtime(join(root, 'dist', '.tsbuildinfo')));
}

/** The console: rebuilt with Vite when dist/console/index.html is missing or older than console/. */
function ensureConsole() {
  const source = join(root, 'console');
  if (mtime(source) < 0) return;
  const index = join(root, 'dist', 'console', 'index.html');
  const built = mtime(index);
  const changed = newest(source);
  if (built >= changed) return;
  process.stderr.write(built < 0 ? 'tollgate: dist/console is missing; building the console…\n' : 'tollgate: the console changed since the last build; building it…\n');
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', join(source, 'vite.config.ts')], { cwd: root, stdio: 'inherit' });
  if (result.error) {
    process.stderr.write(`tollgate: cannot run Vite (${result.error.message}); run npm install\n`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
  // As for dist/: a console source dated in the future must not make every start rebuild.
  const at = new Date(Math.max(Date.now(), Math.ceil(changed) + 1));
  utimesSync(index, at, at);
}

const inputs = Math.max(newest(join(root, 'src')), ...['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((f) => mtime(join(root, f))));
const built = builtAt();
if (built >= inputs) {
  ensureConsole();
  process.exit(0);
}

process.stderr.write(built < 0 ? 'tollgate: dist/ is missing; building…\n' : 'tollgate: sources changed since the last build; building…\n');
// Without the output the compiler's incremental state would claim everything is emitted: start afresh.
if (built < 0) rmSync(join(root, 'dist', '.tsbuildinfo'), { force: true });
const started = Date.now();
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (result.error) {
  process.stderr.write(`tollgate: cannot run the TypeScript compiler (${result.error.message}); run npm install\n`);
  process.exit(1);
}
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stamp, `${new Date().toISOString()}\n`);
// A source dated in the future (clock skew, an unpacked archive) must not make every start rebuild.
const at = new Date(Math.max(Date.now(), Math.ceil(inputs) + 1)); // + 1 ms: utimes rounds
utimesSync(stamp, at, at);
process.stderr.write(`tollgate: built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
ensureConsole();

/**
 * A new embedded database directory, made without running initdb in the daemon's own heap. PGlite's initdb
 * starts a second PostgreSQL inside the process, snapshots its whole WebAssembly heap, and leaves ~500 MB of it
 * referenced after it ends (measured: 780 MB RSS after a first open, 290 MB after opening an existing
 * directory), and it is most of a first start's time. So a new directory is:
 *
 * - a copy of the template `npm run build` makes (scripts/pglite-template.mjs → dist/pglite-template: a
 *   directory fresh from PGlite's own initdb, stamped with the PGlite version that made it), when its stamp
 *   matches the installed PGlite; else
 * - PGlite's initdb in a child process, whose memory goes with it.
 *
 * Either is made beside the directory, synced to disk (the copy and PGlite's initdb only write) and renamed
 * into place, so neither a crash half-way nor a power loss after the start leaves a half directory.
 */
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, cpSync, existsSync, fsyncSync, openSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The stamp file inside a template: which PGlite made it. Not copied into a data directory. */
export const TEMPLATE_STAMP = 'tollgate-template.json';

/** Where `npm run build` puts the template: dist/pglite-template (beside dist/src). */
export const DEFAULT_TEMPLATE_DIR = fileURLToPath(new URL('../../pglite-template', import.meta.url));

/** The same place seen from the sources (src/store → dist/pglite-template), for code run unbuilt (tests). */
const BUILT_TEMPLATE_FROM_SOURCES = fileURLToPath(new URL('../../dist/pglite-template', import.meta.url));

const require = createRequire(import.meta.url);

/** The installed @electric-sql/pglite's entry (its ES module) and version. */
function installedPGlite(): { entry: string; version: string } {
  // The package exports no package.json; its CommonJS entry is dist/index.cjs, so the root is two levels up.
  const cjs = require.resolve('@electric-sql/pglite');
  const root = dirname(dirname(cjs));
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return { entry: join(root, 'dist', 'index.js'), version };
}

/** True when `dir` is a template the installed PGlite made (same version: same catalog, same data layout). */
export function templateUsable(dir: string): boolean {
  try {
    const stamp = JSON.parse(readFileSync(join(dir, TEMPLATE_STAMP), 'utf8')) as { pglite?: unknown };
    return stamp.pglite === installedPGlite().version && existsSync(join(dir, 'PG_VERSION'));
  } catch {
    return false;
  }
}

/** True when `dir` holds a database (PGlite's own test: PG_VERSION). */
export function isDataDir(dir: string): boolean {
  return existsSync(join(dir, 'PG_VERSION'));
}

// Run with `node --input-type=module -e`: argv[1] is PGlite's entry, argv[2] the directory.
const INITDB_SCRIPT = `
const { PGlite } = await import(process.argv[1]);
const db = await PGlite.create(process.argv[2]);
await db.close();
`;

/** PGlite's initdb into `dir` (created if missing), in a child process. */
export function initdbInChildProcess(dir: string): Promise<void> {
  const { entry } = installedPGlite();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', INITDB_SCRIPT, pathToFileURL(entry).href, dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 10_000) stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0 && isDataDir(dir)) resolve();
      else reject(new Error(`initdb of the embedded database in ${dir} failed (exit ${code ?? signal}): ${stderr.trim()}`));
    });
  });
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function fsyncPathAsync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Every file and directory under `dir` (`dir` itself first among the directories). */
function treeOf(dir: string): { files: string[]; dirs: string[] } {
  const files: string[] = [];
  const dirs: string[] = [dir];
  for (let i = 0; i < dirs.length; i++) {
    const parent = dirs[i] as string;
    for (const entry of readdirSync(parent, { withFileTypes: true })) {
      const path = join(parent, entry.name);
      if (entry.isDirectory()) dirs.push(path);
      else if (entry.isFile()) files.push(path);
    }
  }
  return { files, dirs };
}

/**
 * The modes of a tree: PGlite creates its files 0666 whatever the umask. A data directory gets PostgreSQL's own
 * 0600/0700; the template 0644/0755, so a daemon running as another user (the Docker image) can copy it.
 */
export function chmodTree(dir: string, fileMode: number, dirMode: number): void {
  const { files, dirs } = treeOf(dir);
  for (const file of files) chmodSync(file, fileMode);
  for (const d of dirs) chmodSync(d, dirMode);
}

/**
 * fsync(2) of every file under `dir`, then of every directory (`dir` included): ~1000 small files, so several at
 * a time on libuv's threads (one after the other they cost seconds on a busy disk).
 */
export async function fsyncTree(dir: string): Promise<void> {
  const { files, dirs } = treeOf(dir);
  for (const paths of [files, dirs]) {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < paths.length) await fsyncPathAsync(paths[next++] as string);
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  }
}

/** How a data directory came to be: copied from the template, made by initdb, or there already (undefined). */
export type DataDirOrigin = 'template' | 'initdb' | undefined;

/**
 * Makes `dataDir` a database unless it is one. `dataDir` may be missing or empty; a non-empty directory without
 * PG_VERSION (an initdb of an older build cut short) gets initdb in place, as PGlite itself would do.
 */
export async function ensureDataDir(dataDir: string, templateDir?: string): Promise<DataDirOrigin> {
  if (isDataDir(dataDir)) return undefined;
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    await initdbInChildProcess(dataDir);
    chmodTree(dataDir, 0o600, 0o700);
    await fsyncTree(dataDir);
    return 'initdb';
  }
  const staging = join(dirname(dataDir), `.${basename(dataDir)}.new`);
  rmSync(staging, { recursive: true, force: true }); // a copy or initdb cut short by a crash
  let origin: DataDirOrigin;
  const template = templateDir ?? [DEFAULT_TEMPLATE_DIR, BUILT_TEMPLATE_FROM_SOURCES].find(templateUsable);
  if (template !== undefined && templateUsable(template)) {
    cpSync(template, staging, { recursive: true, filter: (source) => basename(source) !== TEMPLATE_STAMP });
    origin = 'template';
  } else {
    await initdbInChildProcess(staging);
    origin = 'initdb';
  }
  chmodTree(staging, 0o600, 0o700);
  await fsyncTree(staging);
  if (existsSync(dataDir)) rmdirSync(dataDir); // empty (checked above): rmdir refuses anything else
  renameSync(staging, dataDir);
  fsyncPath(dirname(dataDir)); // the rename itself
  return origin;
}

/**
 * Makes (or keeps, when current) the template in `templateDir`: PGlite's initdb in a child process, then the
 * stamp. Returns whether it was made now.
 */
export async function buildTemplate(templateDir: string = DEFAULT_TEMPLATE_DIR): Promise<boolean> {
  if (templateUsable(templateDir)) return false;
  const staging = `${templateDir}.new`;
  rmSync(staging, { recursive: true, force: true });
  await initdbInChildProcess(staging);
  writeFileSync(join(staging, TEMPLATE_STAMP), `${JSON.stringify({ pglite: installedPGlite().version, madeAt: new Date().toISOString() })}\n`);
  chmodTree(staging, 0o644, 0o755);
  rmSync(templateDir, { recursive: true, force: true });
  renameSync(staging, templateDir);
  return true;
}

/**
 * One process per embedded database: PGlite has no lock of its own, and two processes on one data directory
 * (the daemon and a `tollgate` command, say) each see their own copy and overwrite each other's writes. The
 * first opener writes its pid to `<dir>.lock` next to the directory (O_EXCL; PGlite owns what is inside); a
 * later one is refused while that process lives, and takes a stale lock over (a crash leaves one behind).
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The lock file of a data directory: `data/pglite` → `data/pglite.lock`. */
export function lockPath(dir: string): string {
  return join(dirname(dir), `${basename(dir)}.lock`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: unknown }).code === 'EPERM';
  }
}

function holder(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the directory's lock and returns its release; throws while another live process holds it. */
export function lockDataDir(dir: string): () => void {
  const path = lockPath(dir);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      return () => {
        if (holder(path) === process.pid) unlinkSync(path);
      };
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'EEXIST' || attempt > 0) throw err;
      const pid = holder(path);
      // Our own pid: a lock left by an earlier run under the same pid (a container's pid 1), not a live rival.
      if (pid !== undefined && pid !== process.pid && alive(pid)) {
        throw new Error(
          `the embedded database ${dir} is in use by process ${pid} (PGlite allows one process): stop that process, ` +
            'use the admin API while the daemon runs, or use PostgreSQL (database.url) to run commands next to the daemon',
        );
      }
      unlinkSync(path);
    }
  }
}

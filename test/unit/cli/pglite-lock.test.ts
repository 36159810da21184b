/**
 * One process per embedded database: the lock next to a PGlite directory refuses a second live process (the
 * daemon and a `tollgate` command), takes a stale lock over, and is released on close.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir, lockPath } from '../../../src/store/pglite-lock.js';

const root = mkdtempSync(join(tmpdir(), 'tollgate-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A data directory whose parent exists (the lock lives in the parent). */
function dataDir(name: string): string {
  mkdirSync(join(root, name), { recursive: true });
  return join(root, name, 'pglite');
}

describe('lockDataDir', () => {
  it('writes our pid next to the directory and removes it on release', () => {
    const dir = dataDir('a');
    expect(lockPath(dir)).toBe(join(root, 'a', 'pglite.lock'));
    const release = lockDataDir(dir);
    expect(readFileSync(lockPath(dir), 'utf8')).toBe(`${process.pid}\n`);
    release();
    expect(existsSync(lockPath(dir))).toBe(false);
  });

  it('refuses while another live process holds it, and takes over once it is gone', async () => {
    const dir = dataDir('b');
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(lockPath(dir), `${child.pid}\n`);
      expect(() => lockDataDir(dir)).toThrow(`is in use by process ${child.pid}`);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    }
    const release = lockDataDir(dir);
    expect(readFileSync(lockPath(dir), 'utf8')).toBe(`${process.pid}\n`);
    release();
  });

  it('takes over a lock with garbage in it', () => {
    const dir = dataDir('c');
    writeFileSync(lockPath(dir), 'not a pid');
    lockDataDir(dir)();
    expect(existsSync(lockPath(dir))).toBe(false);
  });
});

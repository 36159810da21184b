/**
 * Opening the embedded database: the PostgreSQL settings Tollgate starts PGlite with, and a new data directory
 * made from the build's template (or by initdb in a child process when there is none that fits) — never by
 * initdb inside this process — and commits synced to disk (docs/performance.md, "Embedded footprint").
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { buildTemplate, ensureDataDir, TEMPLATE_STAMP, templateUsable } from '../../src/store/pglite-initdb.js';
import { DEFAULT_SHARED_BUFFERS_MB, openPGlite } from '../../src/store/pglite.js';
import { MIGRATIONS, runMigrations } from '../../src/store/migrations.js';
import type { Sql } from '../../src/store/sql.js';

const root = mkdtempSync(join(tmpdir(), 'tollgate-pglite-open-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function setting(sql: Sql, name: string): Promise<string> {
  const [row] = await sql.query<Record<string, string>>(`SHOW ${name}`);
  return Object.values(row ?? {})[0] ?? '';
}

describe('PGlite settings', () => {
  it('starts with 16 MB of shared_buffers and 4 MB of wal_buffers by default, and takes another size', async () => {
    expect(configSchema.parse({}).database.pgliteSharedBuffersMb).toBe(DEFAULT_SHARED_BUFFERS_MB);
    expect(configSchema.safeParse({ database: { pgliteSharedBuffersMb: 0 } }).success).toBe(false);
    const byDefault = await openPGlite('memory');
    try {
      expect(await setting(byDefault.sql, 'shared_buffers')).toBe('16MB');
      expect(await setting(byDefault.sql, 'wal_buffers')).toBe('4MB');
      // PGlite's own start parameters are kept (the search path, no parallel workers).
      expect(await setting(byDefault.sql, 'max_worker_processes')).toBe('0');
    } finally {
      await byDefault.sql.close();
    }
    const larger = await openPGlite('memory', { sharedBuffersMb: 48 });
    try {
      expect(await setting(larger.sql, 'shared_buffers')).toBe('48MB');
    } finally {
      await larger.sql.close();
    }
  }, 120_000); // two in-memory databases, each with its initdb
});

describe('a new data directory', () => {
  const template = join(root, 'template');

  beforeAll(async () => {
    expect(await buildTemplate(template)).toBe(true);
  }, 180_000);

  it('the template is stamped with the PGlite version and is kept while current', async () => {
    expect(templateUsable(template)).toBe(true);
    expect(JSON.parse(readFileSync(join(template, TEMPLATE_STAMP), 'utf8'))).toMatchObject({ pglite: expect.any(String) });
    expect(await buildTemplate(template)).toBe(false);
  });

  it('is a copy of the template (without its stamp), then opens as an existing database', async () => {
    const dir = join(root, 'a', 'pglite');
    // What a crash half-way through an earlier copy would have left.
    mkdirSync(join(root, 'a', '.pglite.new'), { recursive: true });
    writeFileSync(join(root, 'a', '.pglite.new', 'PG_VERSION'), 'junk\n');
    const first = await openPGlite(dir, { templateDir: template });
    try {
      expect(first.origin).toBe('template');
      expect(existsSync(join(dir, TEMPLATE_STAMP))).toBe(false);
      // PostgreSQL's own modes (PGlite makes its files 0666); the template is readable by any user.
      expect(statSync(join(dir, 'PG_VERSION')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'base')).mode & 0o777).toBe(0o700);
      expect(statSync(join(template, 'PG_VERSION')).mode & 0o777).toBe(0o644);
      expect(existsSync(join(root, 'a', '.pglite.new'))).toBe(false);
      expect(await setting(first.sql, 'shared_buffers')).toBe('16MB');
      expect((await runMigrations(first.sql)).applied).toEqual(MIGRATIONS.map((m) => m.version));
      // Durable on commit: fsync on, through the one sync method PGlite's Emscripten passes to fsync(2).
      expect(await setting(first.sql, 'fsync')).toBe('on');
      expect(await setting(first.sql, 'wal_sync_method')).toBe('fsync');
      const before = first.fsyncs();
      await first.sql.query(`INSERT INTO tariffs (name) VALUES ('kept')`);
      expect(first.fsyncs()).toBeGreaterThan(before);
      const afterCommit = first.fsyncs();
      await first.sql.query('SELECT count(*) FROM tariffs');
      expect(first.fsyncs()).toBe(afterCommit); // a read commits nothing to sync
    } finally {
      await first.sql.close();
    }
    const again = await openPGlite(dir, { templateDir: template, sharedBuffersMb: 8 });
    try {
      expect(again.origin).toBeUndefined();
      expect(again.createMs).toBe(0);
      expect(await setting(again.sql, 'shared_buffers')).toBe('8MB');
      expect(await again.sql.query(`SELECT name FROM tariffs`)).toEqual([{ name: 'kept' }]);
    } finally {
      await again.sql.close();
    }
  });

  it('is made by initdb in a child process when the template is of another PGlite version', async () => {
    const stale = join(root, 'stale-template');
    cpSync(template, stale, { recursive: true });
    writeFileSync(join(stale, TEMPLATE_STAMP), `${JSON.stringify({ pglite: '0.0.1' })}\n`);
    expect(templateUsable(stale)).toBe(false);
    const dir = join(root, 'b', 'pglite');
    mkdirSync(dir, { recursive: true }); // an empty directory is taken as a new one
    expect(await ensureDataDir(dir, stale)).toBe('initdb');
    expect(await ensureDataDir(dir, stale)).toBeUndefined();
    const opened = await openPGlite(dir, { templateDir: stale });
    try {
      expect(opened.origin).toBeUndefined();
      expect(await opened.sql.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await opened.sql.close();
    }
  }, 180_000);
});

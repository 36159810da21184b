/**
 * The built CLI (`node dist/src/cli.js`) as an operator runs it: real exit codes (0, 64, 65), usage on stderr,
 * --json on stdout, the configured database (a PGlite directory, or a PostgreSQL schema named in database.url
 * when TEST_DATABASE_URL is set).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli, runCliIn, writeCliConfig } from '../helpers/cli.js';
import { createPostgresTestSql, createTestSql, type TestSql } from '../helpers/sql.js';

const dir = mkdtempSync(join(tmpdir(), 'tollgate-cli-spawn-'));
let configFile = '';
let testSql: TestSql | undefined;

const tollgate = (...args: string[]) => runCli(configFile, ...args);

/** Without the --config the helper above appends. */
const bare = (...args: string[]) => runCliIn(dir, ...args);

beforeAll(async () => {
  await buildCli();
  if (process.env.TEST_DATABASE_URL) testSql = await createTestSql({ migrate: true });
  configFile = await writeCliConfig(dir, testSql, 2);
}, 180_000);

afterAll(async () => {
  await testSql?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('node dist/src/cli.js', () => {
  it('exits 64 with the command group usage on a usage mistake, before opening any database', async () => {
    const r = await tollgate('nas', 'add', '--name', 'x');
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('tollgate nas add: --address is required');
    expect(r.stderr).toContain('nas list [--json]');
    expect(r.stdout).toBe('');
    const fee = await tollgate('tariff', 'add', '--name', 'spawn', '--monthly-fee', '15.50');
    expect(fee.code).toBe(64);
    expect(fee.stderr).toContain('money is in minor units');
  });

  it('honours --config FILE and --config=FILE on every command; a named file that does not exist is exit 78', async () => {
    const missing = join(dir, 'no-such.yaml');
    writeFileSync(join(dir, 'x.csv'), 'username,password\nx,y\n');
    for (const argv of [['nas', 'list'], ['config', 'check'], ['migrate'], ['serve'], ['import', 'csv', join(dir, 'x.csv')]]) {
      for (const form of [['--config', missing], [`--config=${missing}`]]) {
        const r = await bare(...argv, ...form);
        expect(r.code, `${argv.join(' ')} ${form.join(' ')}: ${r.stderr}`).toBe(78);
        expect(r.stderr).toContain(`cannot read ${missing}`);
      }
    }
    const check = await bare('config', 'check', `--config=${configFile}`);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout.startsWith(`${configFile}: ok`)).toBe(true);
  }, 60_000);

  it('refuses unknown options on every command with 64', async () => {
    for (const argv of [['serve', '--confg', configFile], ['version', '--bogus'], ['migrate', '--jsn'], ['nas', 'list', '--jsn']]) {
      const r = await bare(...argv);
      expect(r.code, argv.join(' ')).toBe(64);
      expect(r.stderr).toContain('unknown option');
    }
  });

  it('lists every command with --help', async () => {
    const r = await tollgate('--help');
    expect(r.code).toBe(0);
    for (const c of ['nas edit', 'nas delete', 'tariff edit', 'subscriber edit', 'subscriber delete', 'account set', 'import freeradius (--from postgres://USER@HOST/DB | --clients FILE)', 'nas add', 'tariff add', 'subscriber add', 'payment add', 'sessions active', 'sessions at', 'sessions export', 'ledger verify', 'import csv', 'import freeradius']) expect(r.stdout).toContain(c);
  });

  it('imports a CSV file: 65 with every bad line, then 0; lists and exports as JSON and CSV', async () => {
    expect((await tollgate('tariff', 'add', '--name', 'spawn-basic', '--monthly-fee', '30000', '--down-kbps', '20000', '--up-kbps', '10000')).code).toBe(0);
    writeFileSync(join(dir, 'bad.csv'), 'username,password,tariff\nspawn-a,pa,spawn-basic\nspawn-b,,spawn-basic\nspawn-c,pc,gold\n');
    const bad = await tollgate('import', 'csv', join(dir, 'bad.csv'));
    expect(bad.code).toBe(65);
    expect(bad.stderr).toContain('line 3: give exactly one of password and nt_hash');
    expect(bad.stderr).toContain('line 4: no tariff named "gold"');
    writeFileSync(join(dir, 'good.csv'), 'username,password,tariff,balance\nspawn-a,pa,spawn-basic,5000\nspawn-b,pb,spawn-basic,\n');
    const good = await tollgate('import', 'csv', join(dir, 'good.csv'));
    expect(good, good.stderr).toMatchObject({ code: 0, stdout: 'created 2, updated 0, skipped 0\n' });
    const list = await tollgate('subscriber', 'list', '--json');
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as { items: { username: string }[] }).items.map((s) => s.username).sort()).toEqual(['spawn-a', 'spawn-b']);
    const exported = await tollgate('sessions', 'export', '--from', '2025-01-01', '--to', '2025-02-01');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout.startsWith('id,username,framed_ip,calling_station_id,nas,')).toBe(true);
    const ledger = await tollgate('ledger', 'verify');
    expect(ledger).toMatchObject({
      code: 0,
      stdout: 'ledger: 2 accounts, 0 mismatches; 0 sessions, 0 charge mismatches, 0 time mismatches; 0 usage months, 0 traffic mismatches; journal: 0 stranded, 0 rejected\n',
    });
  }, 120_000);

  // A FreeRADIUS database of its own, reached by URL as an operator would (PostgreSQL only).
  it.skipIf(!process.env.TEST_DATABASE_URL)('imports from a FreeRADIUS database given by --from', async () => {
    const url = process.env.TEST_DATABASE_URL!;
    const source = await createPostgresTestSql(url);
    try {
      await source.sql.query(`
        CREATE TABLE radcheck (id serial PRIMARY KEY, username text NOT NULL DEFAULT '', attribute text NOT NULL DEFAULT '', op char(2) NOT NULL DEFAULT '==', value text NOT NULL DEFAULT '');
        CREATE TABLE radreply (id serial PRIMARY KEY, username text NOT NULL DEFAULT '', attribute text NOT NULL DEFAULT '', op char(2) NOT NULL DEFAULT '=', value text NOT NULL DEFAULT '');
        CREATE TABLE radgroupreply (id serial PRIMARY KEY, groupname text NOT NULL DEFAULT '', attribute text NOT NULL DEFAULT '', op char(2) NOT NULL DEFAULT '=', value text NOT NULL DEFAULT '');
        CREATE TABLE radusergroup (username text NOT NULL DEFAULT '', groupname text NOT NULL DEFAULT '', priority integer NOT NULL DEFAULT 1);
        INSERT INTO radcheck (username, attribute, op, value) VALUES ('fr-spawn', 'Cleartext-Password', ':=', 'pw'), ('fr-hash', 'SSHA-Password', ':=', 'abc');
        INSERT INTO radreply (username, attribute, op, value) VALUES ('fr-spawn', 'Framed-IP-Address', '=', '100.67.0.1');
        INSERT INTO radusergroup (username, groupname) VALUES ('fr-spawn', 'spawn-basic');
      `);
      const [row] = await source.sql.query<{ schema: string }>('SELECT current_schema() AS schema');
      const from = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${row!.schema}`)}`;
      const dry = await tollgate('import', 'freeradius', '--from', from, '--group-tariff', 'spawn-basic=spawn-basic', '--dry-run');
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain('skipped user fr-hash: only SSHA-Password');
      expect(dry.stdout).toContain('dry run, nothing written: would create 1, would update 0, skipped 1');
      const real = await tollgate('import', 'freeradius', '--from', from, '--group-tariff', 'spawn-basic=spawn-basic', '--json');
      expect(real.code, real.stderr).toBe(0);
      expect(JSON.parse(real.stdout)).toMatchObject({ created: 1, skippedUsers: [{ username: 'fr-hash' }] });
      const list = await tollgate('subscriber', 'list', '--username', 'fr-spawn', '--json');
      expect(JSON.parse(list.stdout)).toMatchObject({ items: [{ username: 'fr-spawn', framedIp: '100.67.0.1' }] });
      const unreachable = await tollgate('import', 'freeradius', '--from', 'postgres://postgres@127.0.0.1:1/none');
      expect(unreachable.code).toBe(1);
      expect(unreachable.stderr).toContain('cannot reach the FreeRADIUS database');
      await source.sql.query('DROP TABLE radcheck');
      const notFreeRadius = await tollgate('import', 'freeradius', '--from', from);
      expect(notFreeRadius.code).toBe(65);
      expect(notFreeRadius.stderr).toContain('is this the rlm_sql schema?');
    } finally {
      await source.cleanup();
    }
  }, 60_000);
});

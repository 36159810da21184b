/**
 * `tollgate import csv` and `tollgate import freeradius` on a real Store: every bad row reported with its line
 * before anything is written, opening balances through the ledger, idempotent re-runs (skip, or --update),
 * --dry-run writing nothing; FreeRADIUS's rlm_sql tables (created here, in the same database) mapped to
 * subscribers and tariffs, with what cannot be imported reported.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ntPasswordHash } from '../../src/auth/mschapv2.js';
import { importFreeRadius, mikrotikRate, type FreeRadiusOptions } from '../../src/cli/import-freeradius.js';
import { freeRadiusSource } from '../../src/store/repositories/freeradius.js';
import { bulkImportRepository } from '../../src/store/repositories/bulk-import.js';
import { runOperatorCommand } from '../../src/cli/dispatch.js';
import { createCliHarness, type CliHarness } from './cli-harness.js';

let h: CliHarness;
let dir: string;

beforeAll(async () => {
  h = await createCliHarness();
  dir = await mkdtemp(join(tmpdir(), 'tollgate-import-'));
  await h.store.tariffs.create({ name: 'imp-basic', monthlyFee: 30000, downKbps: 20000, upKbps: 10000 });
});

afterAll(async () => {
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function csvFile(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const subscriberCount = async (): Promise<number> => (await h.store.subscribers.list({ limit: 1, offset: 0 })).total;
const get = async (username: string) => (await h.store.subscribers.list({ limit: 1, offset: 0 }, { username })).items[0];

describe('tollgate import csv', () => {
  const good = [
    'username,password,nt_hash,tariff,balance,credit_limit,framed_ip,mac,simultaneous_use,status',
    'imp-anna,"pa,ss ""1""",,imp-basic,-2500,1000,100.65.0.1,aa-bb-cc-00-00-01,1,',
    `imp-boris,,0x${ntPasswordHash('boris-pass').toString('hex')},imp-basic,,,,,,suspended`,
    '"imp-cara",cara-pass,,,12000,,,,,',
  ].join('\r\n');

  it('reports every bad row with its line number and writes nothing', async () => {
    const before = await subscriberCount();
    const file = await csvFile('bad.csv', [
      'username,password,nt_hash,tariff,framed_ip,mac,account_id,balance,simultaneous_use',
      'imp-x1,p,,imp-basic,100.65.1.1,,,,',
      'imp-x2,,,imp-basic,,,,,',
      'imp-x3,p,,no-such,300.1.1.1,zz,,,0',
      'imp-x1,p,,,100.65.1.1,,,,',
      'imp-x5,p,,,,,99999,5,',
      'imp-x6,p,,,,,,1.5,',
      'imp-x7,p',
    ].join('\n'));
    const r = await h.run('import', 'csv', file);
    expect(r.code).toBe(65);
    for (const expected of [
      'line 3: give exactly one of password and nt_hash',
      'line 4: no tariff named "no-such"',
      'line 4: framed_ip must be an IPv4 address',
      'line 4: mac: must be a MAC address',
      'line 4: simultaneous_use must be an integer in 1..65535',
      'line 5: username "imp-x1" is already on line 2',
      'line 5: framed_ip 100.65.1.1 is already on line 2',
      'line 6: credit_limit and balance are for the new account',
      'line 7: balance must be an integer',
      'line 8: 2 fields, but the header has 9',
    ]) expect(r.stderr).toContain(expected);
    expect(await subscriberCount()).toBe(before);
  });

  it('reports a header it does not know, and CSV syntax errors with the line', async () => {
    const header = await h.run('import', 'csv', await csvFile('header.csv', 'user,pasword\nx,y\n'));
    expect(header.code).toBe(65);
    expect(header.stderr).toContain('unknown column "user"');
    expect(header.stderr).toContain('no username column');
    const quote = await h.run('import', 'csv', await csvFile('quote.csv', 'username,password\nok,"p"\nbad,"unclosed\n'));
    expect(quote.code).toBe(65);
    expect(quote.stderr).toContain('line 3: a quoted field is not closed');
  });

  it('refuses an account that does not exist before writing', async () => {
    const r = await h.run('import', 'csv', await csvFile('acct.csv', 'username,password,account_id\nimp-y1,p,\nimp-y2,p,987654\n'));
    expect(r.code).toBe(65);
    expect(r.stderr).toContain('line 3: no account with id 987654');
    expect(await get('imp-y1')).toBeUndefined();
  });

  it('--dry-run says what it would do and writes nothing', async () => {
    const r = await h.run('import', 'csv', await csvFile('good.csv', good), '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('dry run, nothing written: would create 3, would update 0, skipped 0\n');
    expect(await get('imp-anna')).toBeUndefined();
  });

  it('imports, with opening balances through the ledger, and the passwords authenticate', async () => {
    const r = await h.run('import', 'csv', join(dir, 'good.csv'), '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ dryRun: false, created: 3, updated: 0, skipped: 0 });
    const anna = await h.store.subscribers.snapshot('imp-anna');
    expect(anna).toMatchObject({ password: 'pa,ss "1"', framedIp: '100.65.0.1', mac: 'aa:bb:cc:00:00:01', simultaneousUse: 1, balance: -2500, creditLimit: 1000, accountState: 'blocked' });
    expect(anna?.tariff?.name).toBe('imp-basic');
    const boris = await h.store.subscribers.snapshot('imp-boris');
    expect(boris).toMatchObject({ password: null, ntHash: ntPasswordHash('boris-pass').toString('hex'), status: 'suspended', balance: 0 });
    expect(await h.store.subscribers.snapshot('imp-cara')).toMatchObject({ balance: 12000, tariff: null, status: 'active' });
    const adjustments = await h.store.ledger.adjustments(anna!.accountId, { limit: 10, offset: 0 });
    expect(adjustments.items).toEqual([expect.objectContaining({ amount: -2500, reason: 'opening balance (import)' })]);
    expect((await h.run('ledger', 'verify')).code).toBe(0);
    await h.settle();
    expect(h.events).toContainEqual({ kind: 'subscriber', id: anna!.subscriberId, usernames: ['imp-anna'] });
  });

  it('skips existing usernames on a re-run, and --update changes them but never the money', async () => {
    const again = await h.run('import', 'csv', join(dir, 'good.csv'));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('skipped line 2 imp-anna: the username exists (re-run with --update to change it)');
    expect(again.stdout).toContain('created 0, updated 0, skipped 3');
    const changed = await csvFile('update.csv', 'username,password,framed_ip,status,balance\nimp-anna,new-pass,100.65.0.9,disabled,999\nimp-dan,dan-pass,,,\n');
    const r = await h.run('import', 'csv', changed, '--update');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('created 1, updated 1, skipped 0');
    const anna = await h.store.subscribers.snapshot('imp-anna');
    expect(anna).toMatchObject({ password: 'new-pass', framedIp: '100.65.0.9', status: 'disabled', balance: -2500, mac: 'aa:bb:cc:00:00:01' });
    expect(anna?.tariff?.name).toBe('imp-basic');
  });

  it('rolls the whole file back when the database refuses a row', async () => {
    const before = await subscriberCount();
    const file = await csvFile('clash.csv', 'username,password,framed_ip\nimp-eve,p,100.65.7.7\nimp-fay,p,100.65.0.9\nimp-gus,p,\n');
    const r = await h.run('import', 'csv', file);
    expect(r.code).toBe(65);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('1 row refused; nothing was imported');
    expect(r.stderr).toContain('line 3 (imp-fay): framedIp is already in use');
    expect(await get('imp-eve')).toBeUndefined();
    expect(await get('imp-gus')).toBeUndefined();
    expect(await subscriberCount()).toBe(before);
    await h.settle();
    expect(h.events).not.toContainEqual(expect.objectContaining({ usernames: ['imp-eve'] }));
    const json = await h.run('import', 'csv', file, '--json');
    expect(json.code).toBe(65);
    expect(JSON.parse(json.stdout)).toEqual({ dryRun: false, created: 0, updated: 0, skipped: 0, failed: 1, failures: [{ line: 3, field: 'framed_ip', message: 'framedIp is already in use' }], rows: [] });
    expect((await h.run('import', 'csv', file, '--dry-run')).code).toBe(65);
    expect(await subscriberCount()).toBe(before);
    // Fixed, the file goes in whole.
    const fixed = await h.run('import', 'csv', await csvFile('clash-fixed.csv', 'username,password,framed_ip\nimp-eve,p,100.65.7.7\nimp-fay,p,100.65.0.10\nimp-gus,p,\n'));
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toBe('created 3, updated 0, skipped 0\n');
    expect(fixed.stderr).toMatch(/^import: 3 rows in \d+\.\d s \(\d+ rows\/s\)\n$/);
    expect(await subscriberCount()).toBe(before + 3);
  });

  it('reports every row the database refuses, up to 100, and says where it stopped', async () => {
    const before = await subscriberCount();
    const addresses = Array.from({ length: 102 }, (_, i) => `100.67.${i >> 8}.${(i & 255) + 1}`);
    const taken = await h.run('import', 'csv', await csvFile('taken.csv', ['username,password,framed_ip', ...addresses.map((ip, i) => `imp-taken-${i},p,${ip}`)].join('\n')));
    expect(taken.code, taken.stderr).toBe(0);
    // 102 new usernames on the addresses just taken: the 101st and 102nd are not looked at.
    const file = await csvFile('taken-again.csv', ['username,password,framed_ip', 'imp-fine,p,', ...addresses.map((ip, i) => `imp-again-${i},p,${ip}`)].join('\n'));
    const r = await h.run('import', 'csv', file, '--json');
    expect(r.code).toBe(65);
    const report = JSON.parse(r.stdout) as { failed: number; failures: { line: number; field: string }[]; stoppedAtLine: number };
    expect(report).toMatchObject({ created: 0, failed: 100, stoppedAtLine: 103 });
    expect(report.failures.map((f) => f.line)).toEqual(Array.from({ length: 100 }, (_, i) => i + 3));
    expect(new Set(report.failures.map((f) => f.field))).toEqual(new Set(['framed_ip']));
    expect(r.stderr).toContain('100 rows refused (stopped looking after 100: lines 103 and after were not checked); nothing was imported');
    expect(r.stderr).toContain('line 102 (imp-again-99): framedIp is already in use');
    expect(r.stderr).not.toContain('line 103 (');
    expect(await get('imp-fine')).toBeUndefined();
    expect(await subscriberCount()).toBe(before + 102);
  });

  it('on a terminal, shows progress (rows/s, ETA) per chunk on stderr', async () => {
    const lines = ['username,password', ...Array.from({ length: 2500 }, (_, i) => `tty-${i},p${i}`)];
    let err = '';
    let out = '';
    const env = { ...h.env, interactive: true, stderr: (t: string) => void (err += t), stdout: (t: string) => void (out += t) };
    expect(await runOperatorCommand(['import', 'csv', await csvFile('tty.csv', lines.join('\n'))], env, 'USAGE')).toBe(0);
    expect(out).toBe('created 2500, updated 0, skipped 0\n');
    expect(err).toMatch(/^\rimport: 1000\/2500 rows, \d+ rows\/s ETA \d+ s {3}\rimport: 2000\/2500 rows, \d+ rows\/s ETA \d+ s {3}\rimport: 2500\/2500 rows, \d+ rows\/s {3}\nimport: 2500 rows in \d+\.\d s \(\d+ rows\/s\)\n$/);
  });

  it('--json reports a refused file as failures too (line, column, message)', async () => {
    const r = await h.run('import', 'csv', await csvFile('bad-json.csv', 'username,password,mac\nimp-j1,p,zz\n'), '--json');
    expect(r.code).toBe(65);
    expect(JSON.parse(r.stdout)).toMatchObject({ created: 0, failed: 1, failures: [{ line: 2, field: 'mac', message: expect.stringContaining('must be a MAC address') as string }] });
  });

  it('bulk: every refused row of every chunk, then nothing written; the same rows fixed go in, balances and subscriptions as one by one', async () => {
    const bulk = bulkImportRepository(h.db.sql);
    const before = await subscriberCount();
    const [basic] = (await h.store.tariffs.list({ limit: 100, offset: 0 })).items.filter((t) => t.name === 'imp-basic');
    const good = Array.from({ length: 7 }, (_, i) => ({ where: `line ${i + 2}`, username: `bulk-${i}`, password: `pw-${i}`, framedIp: `100.70.0.${i + 1}`, tariffId: basic!.id, ...(i === 1 ? { balance: -300, creditLimit: 100 } : {}) }));
    // In chunks of 3: row 2 repeats row 0's address, row 4 takes the address imp-eve has (both refused by the
    // database), row 6 is refused by the validators before any SQL.
    const bad = good.map((row, i) => (i === 2 ? { ...row, framedIp: '100.70.0.1' } : i === 4 ? { ...row, framedIp: '100.65.7.7' } : i === 6 ? { ...row, framedIp: 'not-an-ip' } : row));
    const progress: number[] = [];
    const opts = { update: false, dryRun: false, chunkSize: 3, openingBalanceReason: 'opening balance (import)', onProgress: (done: number) => progress.push(done) };
    const refused = await bulk.importSubscribers(bad, opts);
    expect(refused.written).toBe(false);
    expect(refused.stoppedAt).toBeUndefined();
    expect(refused.rows.map((o) => o.action)).toEqual(['created', 'created', 'failed', 'created', 'failed', 'created', 'failed']);
    expect(refused.rows.filter((o) => o.action === 'failed')).toMatchObject([{ index: 2, field: 'framedIp' }, { index: 4, field: 'framedIp' }, { index: 6, field: 'framedIp' }]);
    expect(progress).toEqual([3, 6, 7]);
    expect(await subscriberCount()).toBe(before);
    const [none] = await h.db.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM adjustments WHERE amount = -300 AND reason = 'opening balance (import)'");
    expect(none!.n).toBe(0);

    progress.length = 0;
    const ok = await bulk.importSubscribers(good, opts);
    expect(ok).toMatchObject({ written: true });
    expect(ok.rows.map((o) => o.action)).toEqual(Array(7).fill('created'));
    expect(progress).toEqual([3, 6, 7]);
    const one = await h.store.subscribers.snapshot('bulk-1');
    expect(one).toMatchObject({ password: 'pw-1', ntHash: ntPasswordHash('pw-1').toString('hex'), balance: -300, creditLimit: 100, accountState: 'blocked', tariff: { name: 'imp-basic' } });
    const [sub] = await h.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM subscriptions s JOIN subscribers u ON u.id = s.subscriber_id WHERE u.username LIKE $1 AND s.ends_on IS NULL', ['bulk-%']);
    expect(sub!.n).toBe(7);
    expect((await h.run('ledger', 'verify')).code).toBe(0);

    // maxFailures: the import stops at the second failure and says which row it did not reach.
    const stop = await bulk.importSubscribers(
      ['100.65.7.7', undefined, 'nope', undefined, '100.65.0.9'].map((framedIp, i) => ({ where: `line ${i + 2}`, username: `bulk-stop-${i}`, password: 'p', ...(framedIp === undefined ? {} : { framedIp }) })),
      { ...opts, chunkSize: 2, maxFailures: 2 },
    );
    expect(stop).toMatchObject({ written: false, stoppedAt: 3 });
    expect(stop.rows.map((o) => o.action)).toEqual(['failed', 'created', 'failed']);
    expect(await get('bulk-stop-1')).toBeUndefined();

    // A dry run does the same and leaves nothing.
    const dry = await bulk.importSubscribers([{ where: 'line 2', username: 'bulk-dry', password: 'p' }], { update: false, dryRun: true, openingBalanceReason: 'x' });
    expect(dry).toMatchObject({ written: false, rows: [{ action: 'created' }] });
    expect(await get('bulk-dry')).toBeUndefined();
  });
});

describe('tollgate import freeradius', () => {
  // The rlm_sql PostgreSQL schema of FreeRADIUS 3.2 (raddb/mods-config/sql/main/postgresql/schema.sql), trimmed.
  beforeAll(async () => {
    await h.db.sql.query(`
      CREATE TABLE radcheck (id serial PRIMARY KEY, username text NOT NULL DEFAULT '', attribute text NOT NULL DEFAULT '', op varchar(2) NOT NULL DEFAULT '==', value text NOT NULL DEFAULT '');
      CREATE TABLE radreply (id serial PRIMARY KEY, username text NOT NULL DEFAULT '', attribute text NOT NULL DEFAULT '', op varchar(2) NOT NULL DEFAULT '=', value text NOT NULL DEFAULT '');
      CREATE TABLE radgroupcheck (id serial PRIMARY KEY, groupname text NOT NULL DEFAULT '', attribute text NOT NULL DEFAULT '', op varchar(2) NOT NULL DEFAULT '==', value text NOT NULL DEFAULT '');
      CREATE TABLE radgroupreply (id serial PRIMARY KEY, groupname text NOT NULL DEFAULT '', attribute text NOT NULL DEFAULT '', op varchar(2) NOT NULL DEFAULT '=', value text NOT NULL DEFAULT '');
      CREATE TABLE radusergroup (id serial PRIMARY KEY, username text NOT NULL DEFAULT '', groupname text NOT NULL DEFAULT '', priority integer NOT NULL DEFAULT 0);
      INSERT INTO radcheck (username, attribute, op, value) VALUES
        ('fr-alice', 'Cleartext-Password', ':=', 'alice-pw'),
        ('fr-alice', 'Simultaneous-Use', ':=', '2'),
        ('fr-alice', 'Calling-Station-Id', '==', '00:11:22:33:44:55'),
        ('fr-bob', 'NT-Password', ':=', '0x${ntPasswordHash('bob-pw').toString('hex').toUpperCase()}'),
        ('fr-carol', 'MD5-Password', ':=', '5f4dcc3b5aa765d61d8327deb882cf99'),
        ('fr-dave', 'Crypt-Password', ':=', '$1$abc$xyz'),
        ('fr-eve', 'Cleartext-Password', ':=', 'eve-pw'),
        ('fr-eve', 'Auth-Type', ':=', 'Reject'),
        ('fr-eve', 'Expiration', ':=', 'January 1 2030');
      INSERT INTO radreply (username, attribute, op, value) VALUES
        ('fr-alice', 'Framed-IP-Address', '=', '100.66.0.1'),
        ('fr-alice', 'Session-Timeout', '=', '3600'),
        ('fr-bob', 'Framed-Pool', '=', 'pool-b'),
        ('fr-bob', 'Mikrotik-Rate-Limit', '=', '1M/2M'),
        ('fr-frank', 'Framed-IP-Address', '=', '100.66.0.6');
      INSERT INTO radusergroup (username, groupname, priority) VALUES
        ('fr-alice', 'gold', 1), ('fr-alice', 'silver', 2), ('fr-bob', 'silver', 1), ('fr-eve', 'bronze', 1);
      INSERT INTO radgroupreply (groupname, attribute, op, value) VALUES
        ('gold', 'Mikrotik-Rate-Limit', '=', '10M/20M'), ('silver', 'Mikrotik-Rate-Limit', '=', '512k/2M 4M/8M'), ('silver', 'Idle-Timeout', '=', '600');
    `);
  });

  const options = (o: Partial<FreeRadiusOptions>): FreeRadiusOptions => ({ groupTariffs: new Map(), createTariffs: false, update: false, dryRun: false, ...o });
  const opened = () => h.env.openStore(undefined);

  it('parses MikroTik rate limits (rx is the upload)', () => {
    expect(mikrotikRate('10M/20M')).toEqual({ downKbps: 20000, upKbps: 10000 });
    expect(mikrotikRate('512k/2M 4M/8M')).toEqual({ downKbps: 2000, upKbps: 512 });
    expect(mikrotikRate('5M')).toEqual({ downKbps: 5000, upKbps: 5000 });
    expect(mikrotikRate('fast')).toBeUndefined();
  });

  it('refuses a mapping to a tariff that does not exist', async () => {
    await expect(importFreeRadius(h.env, freeRadiusSource(h.db.sql), await opened(), options({ groupTariffs: new Map([['gold', 'nope']]) }))).rejects.toThrow(/no tariff named nope/);
  });

  it('--dry-run: reports users, skips and ignored attributes, writes nothing', async () => {
    const report = await importFreeRadius(h.env, freeRadiusSource(h.db.sql), await opened(), options({ dryRun: true, createTariffs: true }));
    expect(report).toMatchObject({ dryRun: true, created: 3, updated: 0, skipped: 0 });
    expect(report.tariffsCreated.map((t) => t.name).sort()).toEqual(['bronze', 'gold', 'silver']);
    expect(await get('fr-alice')).toBeUndefined();
    expect((await h.store.tariffs.list({ limit: 100, offset: 0 })).items.map((t) => t.name)).not.toContain('gold');
  });

  it('imports what Tollgate can authenticate, maps groups to tariffs, and says what it left behind', async () => {
    const report = await importFreeRadius(h.env, freeRadiusSource(h.db.sql), await opened(), options({ groupTariffs: new Map([['silver', 'imp-basic']]), createTariffs: true }));
    expect(report).toMatchObject({ dryRun: false, created: 3, skipped: 0, unmappedGroups: [] });
    expect(report.skippedUsers).toEqual([
      { username: 'fr-carol', reason: expect.stringContaining('only MD5-Password') as string },
      { username: 'fr-dave', reason: expect.stringContaining('only Crypt-Password') as string },
      { username: 'fr-frank', reason: 'no password in radcheck' },
    ]);
    expect(report.ignored).toEqual(expect.arrayContaining([
      expect.objectContaining({ table: 'radreply', attribute: 'Session-Timeout', count: 1 }),
      expect.objectContaining({ table: 'radreply', attribute: 'Mikrotik-Rate-Limit', count: 1 }),
      expect.objectContaining({ table: 'radcheck', attribute: 'Expiration', count: 1 }),
      expect.objectContaining({ table: 'radgroupreply', attribute: 'Idle-Timeout', count: 1 }),
    ]));
    expect(report.tariffsCreated).toEqual([
      { group: 'bronze', name: 'bronze', downKbps: 0, upKbps: 0 },
      { group: 'gold', name: 'gold', downKbps: 20000, upKbps: 10000 },
    ]);
    const alice = await h.store.subscribers.snapshot('fr-alice');
    expect(alice).toMatchObject({ password: 'alice-pw', framedIp: '100.66.0.1', mac: '00:11:22:33:44:55', simultaneousUse: 2, status: 'active', balance: 0, accountState: 'active' });
    expect(alice?.tariff).toMatchObject({ name: 'gold', downKbps: 20000, upKbps: 10000 });
    const bob = await h.store.subscribers.snapshot('fr-bob');
    expect(bob).toMatchObject({ password: null, ntHash: ntPasswordHash('bob-pw').toString('hex'), framedPool: 'pool-b' });
    expect(bob?.tariff?.name).toBe('imp-basic');
    expect(await h.store.subscribers.snapshot('fr-eve')).toMatchObject({ status: 'disabled', tariff: { name: 'bronze' } });
    expect(alice?.accountId).not.toBe(bob?.accountId);
  });

  it('a re-run skips everyone and creates no tariff twice', async () => {
    const report = await importFreeRadius(h.env, freeRadiusSource(h.db.sql), await opened(), options({ groupTariffs: new Map([['silver', 'imp-basic']]), createTariffs: true }));
    expect(report).toMatchObject({ created: 0, skipped: 3, tariffsCreated: [] });
    expect((await h.store.tariffs.list({ limit: 100, offset: 0 })).items.filter((t) => t.name === 'gold')).toHaveLength(1);
  });

  it('imports NAS clients from a clients.conf file (and skips those already registered)', async () => {
    const file = join(import.meta.dirname, '../fixtures/freeradius/clients.conf');
    const dry = await h.run('import', 'freeradius', '--clients', file, '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, created: 0, nas: { created: 4, skipped: 2 } });
    expect((await h.store.nas.list()).map((n) => n.name)).not.toContain('bras-n1');
    const real = await h.run('import', 'freeradius', '--clients', file);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toContain('skipped NAS by-hostname');
    expect(real.stdout).toContain('nas_type livingston has no vendor profile here: generic');
    expect(real.stdout).toContain('NAS clients: created 4, updated 0, skipped 2');
    const nas = await h.store.nas.list();
    expect(nas).toContainEqual(expect.objectContaining({ name: 'bras-n1', address: '198.51.100.10', vendor: 'cisco', secret: 'north-secret-with space' }));
    expect(nas).toContainEqual(expect.objectContaining({ name: 'edge-pool', address: '203.0.113.0/24', vendor: 'mikrotik' }));
    expect(nas).toContainEqual(expect.objectContaining({ name: 'localhost', requireMessageAuthenticator: false }));
    await h.settle();
    expect(h.events).toContainEqual({ kind: 'nas' });
    const again = await h.run('import', 'freeradius', '--clients', file, '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ nas: { created: 0, skipped: 6 } });
    const updated = await h.run('import', 'freeradius', '--clients', file, '--update', '--json');
    expect(JSON.parse(updated.stdout)).toMatchObject({ nas: { created: 0, updated: 4, skipped: 2 } });
  });

  it('imports NAS clients from the nas table of the FreeRADIUS database', async () => {
    const source = freeRadiusSource(h.db.sql);
    // Tollgate's own nas table is in this database too: it is not rlm_sql's, so it is not read.
    expect(await source.nas()).toBeUndefined();
    await h.db.sql.query(`CREATE SCHEMA fr_nas;
      CREATE TABLE fr_nas.nas (id serial PRIMARY KEY, nasname text NOT NULL, shortname text, type text DEFAULT 'other', ports integer, secret text NOT NULL DEFAULT 'secret', server text, community text, description text);
      INSERT INTO fr_nas.nas (nasname, shortname, type, secret) VALUES ('192.0.2.200', 'sql-bras', 'juniper', 'sql-secret-12345'), ('bras.example.net', 'by-name', 'other', 'x-secret-x-secret')`);
    try {
      const fr = { ...source, nas: () => freeRadiusSource({ ...h.db.sql, query: (text, params) => h.db.sql.query(text.replace(/\bnas\b/g, 'fr_nas.nas'), params) }).nas() };
      const report = await importFreeRadius(h.env, fr, await opened(), options({}));
      expect(report.nas).toMatchObject({ created: 1, skipped: 1 });
      expect(await h.store.nas.list()).toContainEqual(expect.objectContaining({ name: 'sql-bras', address: '192.0.2.200', vendor: 'juniper' }));
    } finally {
      await h.db.sql.query('DROP SCHEMA fr_nas CASCADE');
    }
  });

  it('the command needs a postgres:// --from and GROUP=TARIFF pairs', async () => {
    expect((await h.run('import', 'freeradius')).code).toBe(64);
    expect((await h.run('import', 'freeradius', '--from', 'mysql://x/y')).code).toBe(64);
    const pair = await h.run('import', 'freeradius', '--from', 'postgres://x@127.0.0.1/y', '--group-tariff', 'gold');
    expect(pair.code).toBe(64);
    expect(pair.stderr).toContain('--group-tariff takes GROUP=TARIFF');
    expect((await h.run('import', 'ldap')).code).toBe(64);
  });
});

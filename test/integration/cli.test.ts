/**
 * The operator commands in-process on a real Store: nas, tariff, subscriber, payment, sessions, ledger — output
 * for people and --json, exit codes (64 usage, 65 bad data, 1 ledger mismatch) and the change events that tell
 * running daemons about each write.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ntPasswordHash } from '../../src/auth/mschapv2.js';
import { CSV_HEADER } from '../../src/domain/session-export.js';
import { insertSession } from '../contract/sessions.contract.js';
import { createCliHarness, type CliHarness } from './cli-harness.js';

let h: CliHarness;
let dir: string;

beforeAll(async () => {
  h = await createCliHarness();
  dir = await mkdtemp(join(tmpdir(), 'tollgate-cli-'));
});

afterAll(async () => {
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const accountCount = async (): Promise<number> => (await h.store.accounts.list({ limit: 1, offset: 0 })).total;

describe('tollgate nas', () => {
  it('adds a NAS, announces it, and lists it without the secret', async () => {
    const added = await h.run('nas', 'add', '--name', 'bras-cli', '--address', '192.0.2.50', '--secret', 'cli-secret-cli-secret', '--vendor', 'mikrotik', '--coa-port', '3798');
    expect(added, added.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toMatch(/^created NAS \d+ bras-cli \(192\.0\.2\.50, mikrotik\)\n$/);
    await h.settle();
    expect(h.events).toContainEqual({ kind: 'nas' });
    const json = await h.run('nas', 'list', '--json');
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(rows).toContainEqual(expect.objectContaining({ name: 'bras-cli', address: '192.0.2.50', vendor: 'mikrotik', coaPort: 3798 }));
    expect(json.stdout).not.toContain('cli-secret');
    const text = await h.run('nas', 'list');
    expect(text.stdout).toMatch(/^ID\s+NAME\s+ADDRESS\s+VENDOR/);
    expect(text.stdout).toContain('bras-cli');
    expect(text.stdout).not.toContain('cli-secret');
  });

  it('exits 65 on a taken name and 64 on a usage mistake', async () => {
    const dup = await h.run('nas', 'add', '--name', 'bras-cli', '--address', '192.0.2.51', '--secret', 'x-secret-x-secret');
    expect(dup.code).toBe(65);
    expect(dup.stderr).toMatch(/^tollgate nas add: .*name/);
    expect((await h.run('nas', 'add', '--name', 'x')).code).toBe(64);
    const vendor = await h.run('nas', 'add', '--name', 'y', '--address', '192.0.2.52', '--secret', 's', '--vendor', 'acme');
    expect(vendor.code).toBe(64);
    expect(vendor.stderr).toContain('--vendor must be one of generic, mikrotik');
    const unknown = await h.run('nas', 'list', '--jsn');
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('unknown option --jsn');
    expect((await h.run('nas', 'remove')).code).toBe(64);
    expect((await h.run('nas', 'edit')).code).toBe(64);
    expect((await h.run('nas', 'edit', 'bras-cli')).stderr).toContain('nothing to change');
    expect((await h.run('bogus')).code).toBe(64);
  });
});

describe('tollgate … edit and delete', () => {
  it('edits and deletes a NAS by name or id, announcing each change', async () => {
    await h.run('nas', 'add', '--name', 'bras-edit', '--address', '192.0.2.60', '--secret', 'edit-secret-edit-secret');
    const edited = await h.run('nas', 'edit', 'bras-edit', '--address', '192.0.2.0/28', '--vendor', 'cisco', '--no-message-authenticator', '--json');
    expect(edited.code, edited.stderr).toBe(0);
    const nas = JSON.parse(edited.stdout) as { id: number; address: string; vendor: string; requireMessageAuthenticator: boolean };
    expect(nas).toMatchObject({ address: '192.0.2.0/28', vendor: 'cisco', requireMessageAuthenticator: false });
    expect(edited.stdout).not.toContain('edit-secret');
    const bad = await h.run('nas', 'edit', String(nas.id), '--address', 'not-an-address');
    expect(bad.code).toBe(65);
    expect((await h.run('nas', 'edit', 'no-such-nas', '--vendor', 'cisco')).code).toBe(65);
    const named = await h.run('nas', 'edit', String(nas.id), '--tls-name', 'bras-edit.example.net', '--json');
    expect(named.code, named.stderr).toBe(0);
    expect(JSON.parse(named.stdout)).toMatchObject({ tlsName: 'bras-edit.example.net' });
    expect((await h.run('nas', 'edit', String(nas.id), '--tls-name', 'x', '--no-tls-name')).code).toBe(64);
    const cleared = await h.run('nas', 'edit', String(nas.id), '--no-tls-name', '--json');
    expect(JSON.parse(cleared.stdout)).toMatchObject({ tlsName: null });
    const added = await h.run('nas', 'add', '--name', 'bras-tls', '--address', '192.0.2.61', '--secret', 'tls-secret-tls-secret', '--tls-name', 'bras-tls.example.net', '--json');
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ name: 'bras-tls', tlsName: 'bras-tls.example.net' });
    expect((await h.run('nas', 'delete', 'bras-tls')).code).toBe(0);
    h.events.length = 0;
    const deleted = await h.run('nas', 'delete', String(nas.id));
    expect(deleted).toMatchObject({ code: 0, stdout: `deleted NAS ${nas.id} bras-edit\n` });
    await h.settle();
    expect(h.events).toContainEqual({ kind: 'nas' });
    expect((await h.store.nas.list()).map((n) => n.name)).not.toContain('bras-edit');
  });

  it('edits a tariff, and deletes it only once no subscriber uses it', async () => {
    await h.run('tariff', 'add', '--name', 'cli-edit', '--monthly-fee', '100');
    const edited = await h.run('tariff', 'edit', 'cli-edit', '--name', 'cli-edited', '--down-kbps', '5000', '--json');
    expect(edited.code, edited.stderr).toBe(0);
    const tariff = JSON.parse(edited.stdout) as { id: number };
    expect(JSON.parse(edited.stdout)).toMatchObject({ name: 'cli-edited', monthlyFee: 100, downKbps: 5000 });
    await h.run('subscriber', 'add', '--username', 'cli-uses-tariff', '--password', 'p', '--tariff', 'cli-edited');
    const refused = await h.run('tariff', 'delete', 'cli-edited');
    expect(refused.code).toBe(65);
    expect(refused.stderr).toContain('still in use');
    expect((await h.run('subscriber', 'edit', 'cli-uses-tariff', '--no-tariff')).code).toBe(0);
    expect(await h.run('tariff', 'delete', String(tariff.id))).toMatchObject({ code: 0, stdout: `deleted tariff ${tariff.id} cli-edited\n` });
    expect(await h.store.tariffs.get(tariff.id)).toBeUndefined();
  });

  it('edits a subscriber (rename, password, address, clear the MAC), announcing old and new names, and deletes it', async () => {
    const added = JSON.parse((await h.run('subscriber', 'add', '--username', 'cli-frank', '--password', 'old-pass', '--mac', '00:11:22:33:44:66', '--json')).stdout) as { id: number; accountId: number };
    h.events.length = 0;
    const r = await h.run('subscriber', 'edit', 'cli-frank', '--username', 'cli-franz', '--password', 'new-pass', '--ip', '100.64.9.66', '--no-mac', '--status', 'suspended');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`updated subscriber ${added.id} cli-franz on account ${added.accountId}\n`);
    expect(await h.store.subscribers.snapshot('cli-franz')).toMatchObject({ password: 'new-pass', framedIp: '100.64.9.66', mac: null, status: 'suspended' });
    await h.settle();
    expect(h.events).toContainEqual({ kind: 'subscriber', id: added.id, usernames: ['cli-frank', 'cli-franz'] });
    expect((await h.run('subscriber', 'edit', 'cli-franz', '--mac', 'aa:bb:cc:dd:ee:ff', '--no-mac')).code).toBe(64);
    expect((await h.run('subscriber', 'edit', 'cli-franz', '--ip', 'nope')).code).toBe(65);
    const deleted = await h.run('subscriber', 'delete', String(added.id));
    expect(deleted).toMatchObject({ code: 0, stdout: `deleted subscriber ${added.id} cli-franz (account ${added.accountId} stays)\n` });
    expect(await h.store.subscribers.get(added.id)).toBeUndefined();
    expect(await h.store.accounts.get(added.accountId)).toBeDefined();
    // Its account can go now that no subscriber belongs to it; the credit limit changes through account set.
    expect(JSON.parse((await h.run('account', 'set', String(added.accountId), '--credit-limit', '700', '--json')).stdout)).toMatchObject({ id: added.accountId, creditLimit: 700 });
    expect(await h.run('account', 'delete', String(added.accountId))).toMatchObject({ code: 0, stdout: `deleted account ${added.accountId}\n` });
    expect((await h.run('account', 'delete', String(added.accountId))).code).toBe(65);
    expect((await h.run('account', 'set', 'x', '--credit-limit', '1')).code).toBe(64);
  });
});

describe('tollgate tariff and subscriber', () => {
  it('adds a tariff and refuses money that is not in minor units', async () => {
    const added = await h.run('tariff', 'add', '--name', 'cli-100', '--monthly-fee', '150000', '--down-kbps', '100000', '--up-kbps', '50000', '--json');
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ name: 'cli-100', monthlyFee: 150000, downKbps: 100000, upKbps: 50000, pricePerGB: 0 });
    const fraction = await h.run('tariff', 'add', '--name', 'cli-frac', '--monthly-fee', '15.5');
    expect(fraction.code).toBe(64);
    expect(fraction.stderr).toContain('money is in minor units');
    const list = await h.run('tariff', 'list', '--json');
    expect((JSON.parse(list.stdout) as { name: string }[]).map((t) => t.name)).toContain('cli-100');
  });

  it('adds a subscriber on a new account with the tariff by name; the password authenticates', async () => {
    const before = await accountCount();
    const r = await h.run('subscriber', 'add', '--username', 'cli-carol', '--password', 'carol-pass', '--tariff', 'cli-100', '--ip', '100.64.9.7', '--mac', '00-11-22-AA-BB-CC', '--credit-limit', '500', '--json');
    expect(r.code, r.stderr).toBe(0);
    const created = JSON.parse(r.stdout) as { id: number; accountId: number; tariffId: number; mac: string; framedIp: string; hasCleartextPassword: boolean };
    expect(created).toMatchObject({ framedIp: '100.64.9.7', mac: '00:11:22:aa:bb:cc', hasCleartextPassword: true });
    expect(await accountCount()).toBe(before + 1);
    expect(await h.store.accounts.get(created.accountId)).toMatchObject({ creditLimit: 500 });
    const snapshot = await h.store.subscribers.snapshot('cli-carol');
    expect(snapshot?.password).toBe('carol-pass');
    expect(snapshot?.ntHash).toBe(ntPasswordHash('carol-pass').toString('hex'));
    expect(snapshot?.tariff?.name).toBe('cli-100');
    await h.settle();
    expect(h.events).toContainEqual({ kind: 'subscriber', id: created.id, usernames: ['cli-carol'] });
    const list = await h.run('subscriber', 'list', '--username', 'cli-carol', '--json');
    expect((JSON.parse(list.stdout) as { items: { id: number }[] }).items.map((s) => s.id)).toEqual([created.id]);
    expect(list.stdout).not.toContain('carol-pass');
  });

  it('adds a subscriber with only an NT hash to an existing account', async () => {
    const [carol] = (await h.store.subscribers.list({ limit: 1, offset: 0 }, { username: 'cli-carol' })).items;
    const hash = ntPasswordHash('dave-pass').toString('hex').toUpperCase();
    const r = await h.run('subscriber', 'add', '--username', 'cli-dave', '--nt-hash', hash, '--account', String(carol!.accountId));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^created subscriber \\d+ cli-dave on account ${carol!.accountId}\\n$`));
    expect((await h.store.subscribers.snapshot('cli-dave'))?.password).toBeNull();
  });

  it('refuses bad data with 65 and leaves no empty account behind', async () => {
    const before = await accountCount();
    const mac = await h.run('subscriber', 'add', '--username', 'cli-erin', '--password', 'p', '--mac', 'zz');
    expect(mac.code).toBe(65);
    expect(mac.stderr).toContain('mac: must be a MAC address');
    const taken = await h.run('subscriber', 'add', '--username', 'cli-erin', '--password', 'p', '--ip', '100.64.9.7');
    expect(taken.code).toBe(65);
    const tariff = await h.run('subscriber', 'add', '--username', 'cli-erin', '--password', 'p', '--tariff', 'no-such-tariff');
    expect(tariff.code).toBe(65);
    expect(tariff.stderr).toContain('no tariff named no-such-tariff');
    expect(await accountCount()).toBe(before);
    expect((await h.run('subscriber', 'add', '--username', 'cli-erin', '--password', 'p', '--nt-hash', 'ab')).code).toBe(64);
    expect((await h.run('subscriber', 'add', '--username', 'cli-erin')).code).toBe(64);
  });
});

describe('tollgate payment and ledger verify', () => {
  it('records a payment by username once, however often it is repeated', async () => {
    const first = await h.run('payment', 'add', '--username', 'cli-carol', '--amount', '200000', '--external-id', 'bank-cli-1', '--json');
    expect(first.code, first.stderr).toBe(0);
    const paid = JSON.parse(first.stdout) as { created: boolean; account: { id: number; balance: number } };
    expect(paid).toMatchObject({ created: true, account: { balance: 200000 } });
    const again = await h.run('payment', 'add', '--account', String(paid.account.id), '--amount', '200000', '--external-id', 'bank-cli-1');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('was already recorded; nothing changed');
    expect((await h.store.accounts.get(paid.account.id))?.balance).toBe(200000);
    await h.settle();
    expect(h.events).toContainEqual({ kind: 'account', id: paid.account.id });
    const conflict = await h.run('payment', 'add', '--account', String(paid.account.id), '--amount', '1', '--external-id', 'bank-cli-1');
    expect(conflict.code).toBe(65);
    expect((await h.run('payment', 'add', '--username', 'nobody-here', '--amount', '1', '--external-id', 'x')).code).toBe(65);
    expect((await h.run('payment', 'add', '--username', 'cli-carol', '--amount', '0', '--external-id', 'x')).code).toBe(64);
  });

  it('verifies the ledger: 0 when it holds, 1 with the account named when it does not', async () => {
    const ok = await h.run('ledger', 'verify', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ mismatches: [] });
    const [carol] = (await h.store.subscribers.list({ limit: 1, offset: 0 }, { username: 'cli-carol' })).items;
    await h.db.sql.query('UPDATE accounts SET balance = balance + 1 WHERE id = $1', [carol!.accountId]);
    try {
      const bad = await h.run('ledger', 'verify');
      expect(bad.code).toBe(1);
      expect(bad.stdout).toContain(`account ${carol!.accountId}: balance 200001, expected 200000 (difference 1)`);
    } finally {
      await h.db.sql.query('UPDATE accounts SET balance = balance - 1 WHERE id = $1', [carol!.accountId]);
    }
  });

  it('verifies sessions and the journal too: exit 1 naming a tampered session and a stranded journal row', async () => {
    const [carol] = (await h.store.subscribers.list({ limit: 1, offset: 0 }, { username: 'cli-carol' })).items;
    const sessionId = await insertSession(h.db.sql, { username: 'cli-carol', startedAt: '2030-04-01T10:00:00Z', stoppedAt: '2030-04-01T11:00:00Z', nasName: 'bras-cli' });
    await h.db.sql.query('UPDATE sessions SET account_id = $2, charged_traffic = 7 WHERE id = $1', [sessionId, carol!.accountId]);
    const [old] = await h.db.sql.query<{ id: number }>("INSERT INTO accounting_journal (received_at, records, body) VALUES (now() - interval '10 minutes', 1, '[]') RETURNING id");
    try {
      const bad = await h.run('ledger', 'verify');
      expect(bad.code, bad.stderr).toBe(1);
      expect(bad.stdout).toContain(`session ${sessionId}: charged_traffic 7, but its traffic charges sum to 0\n`);
      expect(bad.stdout).toMatch(/^journal: 1 rows older than 5 minutes not rated \(oldest 6\d\d s\)/m);
      expect(bad.stdout).toMatch(/\nledger: \d+ accounts, 0 mismatches; \d+ sessions, 1 charge mismatches, 0 time mismatches; \d+ usage months, 0 traffic mismatches; journal: 1 stranded, 0 rejected\n$/);
      const json = await h.run('ledger', 'verify', '--json');
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({
        mismatches: [],
        sessionCharges: { count: 1, items: [{ sessionId, kind: 'traffic', charged: 7, charges: 0 }] },
        journal: { stranded: 1, rejected: 0 },
        problems: 2,
      });
    } finally {
      await h.db.sql.query('DELETE FROM sessions WHERE id = $1', [sessionId]);
      await h.db.sql.query('DELETE FROM accounting_journal WHERE id = $1', [old!.id]);
    }
    const ok = await h.run('ledger', 'verify');
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/^ledger: \d+ accounts, 0 mismatches; \d+ sessions, 0 charge mismatches/);
  });
});

describe('tollgate sessions', () => {
  let open: number;
  let closed: number;
  beforeAll(async () => {
    closed = await insertSession(h.db.sql, { username: 'cli-carol', framedIp: '100.64.9.7', startedAt: '2030-05-01T10:00:00Z', stoppedAt: '2030-05-01T12:00:00Z', nasName: 'bras-cli' });
    open = await insertSession(h.db.sql, { username: 'cli-carol', framedIp: '100.64.9.7', startedAt: '2030-05-02T08:00:00Z', nasName: 'bras-cli' });
  });

  it('lists active sessions, by username too', async () => {
    const all = await h.run('sessions', 'active', '--json');
    expect((JSON.parse(all.stdout) as { id: number }[]).map((s) => s.id)).toContain(open);
    const mine = await h.run('sessions', 'active', '--username', 'cli-carol', '--json');
    expect((JSON.parse(mine.stdout) as { id: number }[]).map((s) => s.id)).toEqual([open]);
    expect((await h.run('sessions', 'active', '--username', 'cli-nobody')).stdout).toBe('(none)\n');
  });

  it('answers who had an IP at an instant', async () => {
    const at = await h.run('sessions', 'at', '--ip', '100.64.9.7', '--time', '2030-05-01T11:00:00Z', '--json');
    expect(at.code, at.stderr).toBe(0);
    expect((JSON.parse(at.stdout) as { id: number; username: string }[]).map((s) => [s.id, s.username])).toEqual([[closed, 'cli-carol']]);
    const text = await h.run('sessions', 'at', '--ip', '100.64.9.7', '--time', '2030-05-01T11:00:00+03:00');
    expect(text.stdout).toBe('(none)\n');
    expect((await h.run('sessions', 'at', '--ip', '100.64.9.700', '--time', '2030-05-01T11:00:00Z')).code).toBe(64);
    expect((await h.run('sessions', 'at', '--ip', '100.64.9.7', '--time', '2030-05-01 11:00')).code).toBe(64);
  });

  it('exports a range as CSV to stdout and as JSON to a file', async () => {
    const csv = await h.run('sessions', 'export', '--from', '2030-05-01', '--to', '2030-05-02', '--username', 'cli-carol');
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.split('\r\n');
    expect(`${lines[0]}\r\n`).toBe(CSV_HEADER);
    expect(lines.slice(1).filter((l) => l !== '').map((l) => Number(l.split(',')[0]))).toEqual([closed]);
    expect(csv.stderr).toBe('exported 1 session from 2030-05-01T00:00:00.000Z to 2030-05-02T00:00:00.000Z\n');
    const file = join(dir, 'export.json');
    const json = await h.run('sessions', 'export', '--from', '2030-05-01T00:00:00Z', '--to', '2030-05-03T00:00:00Z', '--ip', '100.64.9.7', '--format', 'json', '--out', file);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout).toBe('');
    const items = JSON.parse(await readFile(file, 'utf8')) as { id: number; stoppedAt: string | null }[];
    expect(items.map((i) => [i.id, i.stoppedAt])).toEqual([[closed, '2030-05-01T12:00:00.000Z'], [open, null]]);
    // An existing file is never overwritten (or removed).
    const again = await h.run('sessions', 'export', '--from', '2030-05-01', '--to', '2030-05-03', '--out', file);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists; an export never overwrites a file');
    expect(JSON.parse(await readFile(file, 'utf8'))).toHaveLength(2);
  });

  it('refuses a bad range with 64', async () => {
    const inverted = await h.run('sessions', 'export', '--from', '2030-05-02', '--to', '2030-05-01');
    expect(inverted.code).toBe(64);
    expect(inverted.stderr).toContain('--to must be after --from');
    expect((await h.run('sessions', 'export', '--from', '2030-05-01')).code).toBe(64);
    expect((await h.run('sessions', 'export', '--from', '2030-05-01', '--to', '2030-05-02', '--format', 'xml')).code).toBe(64);
  });
});

describe('tollgate import csv (file errors)', () => {
  it('reports a missing file as 65', async () => {
    const r = await h.run('import', 'csv', join(dir, 'missing.csv'));
    expect(r.code).toBe(65);
    expect(r.stderr).toContain('cannot read');
    await writeFile(join(dir, 'empty.csv'), '');
    expect((await h.run('import', 'csv', join(dir, 'empty.csv'))).code).toBe(65);
    expect((await h.run('import', 'csv')).code).toBe(64);
  });
});

/**
 * The Store contract: one suite of behaviour, run against every Sql implementation (PGlite, PostgreSQL), so
 * the embedded default and production are held to the same assertions. `makeSql` returns an empty database;
 * the suite migrates it itself (twice, concurrently) and shares it across its tests, so every test makes
 * its own rows (unique names) and asserts relative to them.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ntPasswordHash } from '../../src/auth/mschapv2.js';
import type { AuthLogEntry } from '../../src/domain/types.js';
import { rederiveAccountStates } from '../../src/store/account-state.js';
import { seedBenchSubscribers } from '../../src/store/bench-seed.js';
import { MIGRATIONS, runMigrations } from '../../src/store/migrations.js';
import { StoreError, type Store } from '../../src/domain/ports.js';
import type { Sql } from '../../src/store/sql.js';
import { createStore } from '../../src/store/store.js';
import { sqlStateOf } from '../../src/store/db-errors.js';
import { isoTime as isoOf } from '../../src/store/sql-values.js';
import type { TestSql } from '../helpers/sql.js';
import { insertSession } from './sessions.contract.js';

const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

async function expectStoreError(promise: Promise<unknown>, code: StoreError['code'], field?: string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  expect((err as StoreError).code).toBe(code);
  if (field !== undefined) expect((err as StoreError).field).toBe(field);
}

/** Moves a balance the way the ledger does: an adjustment row and the balance in one transaction. */
async function adjustBalance(sql: Sql, accountId: number, amount: number): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query("INSERT INTO adjustments (account_id, amount, reason) VALUES ($1, $2, 'test')", [accountId, amount]);
    await tx.query('UPDATE accounts SET balance = balance + $2 WHERE id = $1', [accountId, amount]);
  });
}

async function addCredit(sql: Sql, accountId: number, amount: number, expiresInSeconds: number): Promise<void> {
  await sql.query(
    "INSERT INTO credits (account_id, amount, expires_at, reason) VALUES ($1, $2, now() + make_interval(secs => $3), 'test')",
    [accountId, amount, expiresInSeconds],
  );
}

export function storeContract(name: string, makeSql: () => Promise<TestSql>): void {
  describe(`Store contract: ${name}`, () => {
    let db: TestSql;
    let sql: Sql;
    let store: Store;
    let concurrentRuns: PromiseSettledResult<{ applied: number[] }>[];

    beforeAll(async () => {
      db = await makeSql();
      sql = db.sql;
      // Two instances starting together on an empty database.
      concurrentRuns = await Promise.allSettled([runMigrations(sql), runMigrations(sql)]);
      store = createStore(sql);
    });
    afterAll(async () => {
      await db?.cleanup();
    });

    describe('migrations', () => {
      it('applies every migration exactly once when two instances migrate concurrently', () => {
        expect(concurrentRuns.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
        const applied = concurrentRuns.flatMap((r) => (r.status === 'fulfilled' ? r.value.applied : []));
        expect(applied.sort((a, b) => a - b)).toEqual(MIGRATIONS.map((m) => m.version));
      });

      it('is idempotent: a second run applies nothing and schema_migrations lists each version once', async () => {
        expect(await runMigrations(sql)).toEqual({ applied: [] });
        const rows = await sql.query<{ version: number; name: string; applied_at: Date }>(
          'SELECT version, name, applied_at FROM schema_migrations ORDER BY version',
        );
        expect(rows.map((r) => [r.version, r.name])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
        expect(rows.every((r) => r.applied_at instanceof Date)).toBe(true);
      });

      it('declares versions in strictly increasing order', () => {
        const versions = MIGRATIONS.map((m) => m.version);
        expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
      });

      it('creates every table of the product schema', async () => {
        const rows = await sql.query<{ table_name: string }>(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        );
        expect(rows.map((r) => r.table_name).sort()).toEqual(
          [
            'account_states',
            'accounting_held',
            'accounting_journal',
            'accounting_journal_rejected',
            'accounting_nas_epochs',
            'accounts',
            'adjustments',
            'audit_log',
            'auth_log',
            'auth_log_minutes',
            'charges',
            'coa_audit',
            'config_client_last_seen',
            'config_client_message_authenticator',
            'credits',
            'fee_runs',
            'money_quarter_hours',
            'nas',
            'operator_sessions',
            'operator_tokens',
            'operators',
            'payments',
            'schema_migrations',
            'sessions',
            'subscribers',
            'subscriptions',
            'tariff_changes',
            'tariffs',
            'usage_monthly',
          ].sort(),
        );
      });

      it('logs each applied migration through the optional logger', async () => {
        const lines: object[] = [];
        const log = { info: (obj: object) => lines.push(obj), warn: (obj: object) => lines.push(obj) };
        const extra = { version: 9_000_001, name: 'test: no-op', sql: 'SELECT 1' };
        expect(await runMigrations(sql, log, [...MIGRATIONS, extra])).toEqual({ applied: [9_000_001] });
        expect(lines).toEqual([expect.objectContaining({ version: 9_000_001 })]);
        // The release without that migration warns instead of failing (a rolling upgrade).
        lines.length = 0;
        expect(await runMigrations(sql, log)).toEqual({ applied: [] });
        expect(lines).toEqual([expect.objectContaining({ versions: [9_000_001] })]);
        await sql.query('DELETE FROM schema_migrations WHERE version = 9000001');
      });

      it('rolls a failing migration back and leaves it pending', async () => {
        const broken = { version: 9_000_002, name: 'test: broken', sql: 'CREATE TABLE tg_half_done (id int); SELECT 1/0' };
        await expect(runMigrations(sql, undefined, [...MIGRATIONS, broken])).rejects.toThrow(/division by zero/);
        expect(await sql.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'tg_half_done'")).toEqual([]);
        expect(await sql.query('SELECT 1 FROM schema_migrations WHERE version = 9000002')).toEqual([]);
      });
    });

    describe('Sql adapter', () => {
      it('returns int8 and sums as exact numbers, dates as strings, timestamptz as Date', async () => {
        const [row] = await sql.query<Record<string, unknown>>(
          "SELECT 9007199254740991::bigint AS max, sum(x)::numeric AS total, DATE '2024-02-29' AS day, now() AS t FROM (VALUES (1::bigint), (2::bigint)) v(x)",
        );
        expect(row).toEqual({ max: Number.MAX_SAFE_INTEGER, total: 3, day: '2024-02-29', t: expect.any(Date) });
      });

      it('throws rather than return an int8 beyond the safe integer range', async () => {
        await expect(sql.query('SELECT 9007199254740993::bigint AS x')).rejects.toThrow(RangeError);
      });

      it('commits a transaction and rolls it back on throw, with savepoints for nested ones', async () => {
        const name = unique('tx');
        await expect(
          sql.transaction(async (tx) => {
            await tx.query('INSERT INTO tariffs (name) VALUES ($1)', [`${name}-a`]);
            await tx
              .transaction(async (inner) => {
                await inner.query('INSERT INTO tariffs (name) VALUES ($1)', [`${name}-b`]);
                throw new Error('inner');
              })
              .catch(() => undefined);
            await tx.query('INSERT INTO tariffs (name) VALUES ($1)', [`${name}-c`]);
          }),
        ).resolves.toBeUndefined();
        const kept = await sql.query<{ name: string }>('SELECT name FROM tariffs WHERE name LIKE $1 ORDER BY name', [`${name}-%`]);
        expect(kept.map((r) => r.name)).toEqual([`${name}-a`, `${name}-c`]);

        await expect(
          sql.transaction(async (tx) => {
            await tx.query('INSERT INTO tariffs (name) VALUES ($1)', [`${name}-d`]);
            throw new Error('rolled back');
          }),
        ).rejects.toThrow('rolled back');
        expect(await sql.query('SELECT 1 FROM tariffs WHERE name = $1', [`${name}-d`])).toEqual([]);
      });

      it('never deadlocks on the outer Sql inside a transaction (PGlite: one connection, so it fails fast)', async () => {
        const outer = sql.transaction(async () => sql.query<{ one: number }>('SELECT 1 AS one', [] as unknown[]));
        if (sql.kind === 'pglite') await expect(outer).rejects.toThrow(/use the tx/);
        else await expect(outer).resolves.toEqual([{ one: 1 }]);
      });

      it('runs concurrent transactions without losing updates', async () => {
        const account = await store.accounts.create({});
        await Promise.all(Array.from({ length: 10 }, () => adjustBalance(sql, account.id, 7)));
        expect((await store.accounts.get(account.id))?.balance).toBe(70);
      });
    });

    describe('Store.transaction', () => {
      it('commits every repository write made through the bound Store when fn resolves', async () => {
        const username = unique('tx-sub');
        const result = await store.transaction(async (tx) => {
          const tariff = await tx.tariffs.create({ name: unique('tx-tariff') });
          const account = await tx.accounts.create({ creditLimit: 5 });
          const subscriber = await tx.subscribers.create({ username, password: 'pw', accountId: account.id, tariffId: tariff.id });
          // Reads inside see the transaction's own writes.
          expect((await tx.subscribers.snapshot(username))?.tariff?.id).toBe(tariff.id);
          return { tariff, account, subscriber };
        });
        expect(await store.tariffs.get(result.tariff.id)).toEqual(result.tariff);
        expect((await store.accounts.get(result.account.id))?.creditLimit).toBe(5);
        expect((await store.subscribers.snapshot(username))?.subscriberId).toBe(result.subscriber.id);
      });

      it('rolls every write back when fn throws, and rethrows what it threw', async () => {
        const name = unique('tx-rollback');
        let accountId = 0;
        const boom = new Error('changed my mind');
        await expect(
          store.transaction(async (tx) => {
            await tx.tariffs.create({ name });
            accountId = (await tx.accounts.create({})).id;
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect((await store.tariffs.list({ limit: 1000, offset: 0 })).items.some((t) => t.name === name)).toBe(false);
        expect(await store.accounts.get(accountId)).toBeUndefined();
      });

      it('surfaces a violation inside it as a StoreError and rolls back what came before it', async () => {
        const name = unique('tx-dup');
        await store.tariffs.create({ name });
        const before = unique('tx-before');
        await expectStoreError(
          store.transaction(async (tx) => {
            await tx.tariffs.create({ name: before });
            await tx.tariffs.create({ name });
          }),
          'STORE_CONFLICT',
          'name',
        );
        expect((await store.tariffs.list({ limit: 1000, offset: 0 })).items.some((t) => t.name === before)).toBe(false);
      });

      it('a transaction inside it is a savepoint: its rollback keeps the outer writes', async () => {
        const [kept, dropped] = [unique('tx-outer'), unique('tx-inner')];
        await store.transaction(async (tx) => {
          await tx.tariffs.create({ name: kept });
          await tx
            .transaction(async (inner) => {
              await inner.tariffs.create({ name: dropped });
              throw new Error('inner');
            })
            .catch(() => undefined);
        });
        const names = (await store.tariffs.list({ limit: 1000, offset: 0 })).items.map((t) => t.name);
        expect(names).toContain(kept);
        expect(names).not.toContain(dropped);
      });
    });

    describe('nas', () => {
      it('creates with defaults, gets, lists by id, updates and deletes', async () => {
        const name = unique('bras');
        const created = await store.nas.create({ name, address: '192.0.2.10', secret: 's3cret-s3cret', vendor: 'mikrotik' });
        expect(created).toMatchObject({
          name,
          address: '192.0.2.10',
          secret: 's3cret-s3cret',
          vendor: 'mikrotik',
          coaPort: 3799,
          requireMessageAuthenticator: 'auto',
          limitProxyState: true,
          messageAuthenticatorSeenAt: null,
          tlsName: null,
        });
        expect(created.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(await store.nas.get(created.id)).toEqual(created);

        const second = await store.nas.create({
          name: unique('bras'),
          address: '198.51.100.0/24',
          secret: 'x-secret-1',
          vendor: 'cisco',
          coaPort: 1700,
          requireMessageAuthenticator: false,
          limitProxyState: false,
        });
        expect(second).toMatchObject({ coaPort: 1700, requireMessageAuthenticator: false, limitProxyState: false });
        const ids = (await store.nas.list()).map((n) => n.id);
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
        expect(ids).toEqual(expect.arrayContaining([created.id, second.id]));

        const updated = await store.nas.update(created.id, { secret: 'rotated-secret', coaPort: 3800 });
        expect(updated).toMatchObject({ id: created.id, name, secret: 'rotated-secret', coaPort: 3800, vendor: 'mikrotik' });
        expect(await store.nas.update(created.id, {})).toEqual(updated);
        expect(await store.nas.update(created.id, { tlsName: 'bras1.example.net' })).toMatchObject({ tlsName: 'bras1.example.net', coaPort: 3800 });
        expect((await store.nas.get(created.id))!.tlsName).toBe('bras1.example.net');
        expect(await store.nas.update(created.id, { tlsName: null })).toMatchObject({ tlsName: null });
        await expect(store.nas.update(created.id, { tlsName: '' })).rejects.toThrow(/tlsName/);
        const named = await store.nas.create({ name: unique('bras'), address: '192.0.2.11', secret: 's3cret-s3cret', vendor: 'generic', tlsName: 'CN-of-bras' });
        expect(named.tlsName).toBe('CN-of-bras');
        await store.nas.delete(named.id);

        expect(await store.nas.delete(created.id)).toBe(true);
        expect(await store.nas.delete(created.id)).toBe(false);
        expect(await store.nas.get(created.id)).toBeUndefined();
        await store.nas.delete(second.id);
      });

      it('keeps the first Message-Authenticator sighting of a NAS row and of a config-file client', async () => {
        const nas = await store.nas.create({ name: unique('auto'), address: '192.0.2.30', secret: 'x-secret-1', vendor: 'generic' });
        expect(await store.nas.messageAuthenticatorSeen(nas.id)).toBe(true);
        const seen = (await store.nas.get(nas.id))!;
        expect(seen.messageAuthenticatorSeenAt).toMatch(/^\d{4}-\d\d-\d\dT/);
        expect(await store.nas.messageAuthenticatorSeen(nas.id)).toBe(false);
        expect((await store.nas.get(nas.id))!.messageAuthenticatorSeenAt).toBe(seen.messageAuthenticatorSeenAt);
        expect(await store.nas.messageAuthenticatorSeen(987_654_321)).toBe(false);
        // The setting is written as given and read back the same.
        expect(await store.nas.update(nas.id, { requireMessageAuthenticator: true })).toMatchObject({ requireMessageAuthenticator: true });
        expect(await store.nas.update(nas.id, { requireMessageAuthenticator: 'auto' })).toMatchObject({ requireMessageAuthenticator: 'auto' });
        await expect(store.nas.update(nas.id, { requireMessageAuthenticator: 'yes' as never })).rejects.toThrow(/requireMessageAuthenticator: must be true, false or "auto"/);
        await store.nas.delete(nas.id);

        const address = `192.0.2.${40 + Math.floor(Math.random() * 200)}`;
        expect(await store.nas.configClientMessageAuthenticatorSeen(address, 'cfg-client')).toBe(true);
        expect(await store.nas.configClientMessageAuthenticatorSeen(address, 'renamed')).toBe(false);
        expect(await store.nas.configClientsWithMessageAuthenticator()).toContain(address);
      });

      it('returns undefined when updating a missing NAS', async () => {
        expect(await store.nas.update(987_654_321, { secret: 'x-secret-1' })).toBeUndefined();
      });

      it('rejects a duplicate name or address with STORE_CONFLICT naming the field', async () => {
        const name = unique('dup');
        const nas = await store.nas.create({ name, address: '192.0.2.20', secret: 'x-secret-1', vendor: 'generic' });
        await expectStoreError(store.nas.create({ name, address: '192.0.2.21', secret: 'x-secret-1', vendor: 'generic' }), 'STORE_CONFLICT', 'name');
        // The same address written as a /32 is the same client.
        await expectStoreError(
          store.nas.create({ name: unique('dup'), address: '192.0.2.20/32', secret: 'x-secret-1', vendor: 'generic' }),
          'STORE_CONFLICT',
          'address',
        );
        const other = await store.nas.create({ name: unique('dup'), address: '192.0.2.22', secret: 'x-secret-1', vendor: 'generic' });
        await expectStoreError(store.nas.update(other.id, { name }), 'STORE_CONFLICT', 'name');
        await store.nas.delete(nas.id);
        await store.nas.delete(other.id);
      });

      it('rejects an invalid vendor, address or port before writing', async () => {
        const base = { name: unique('bad'), secret: 'x-secret-1', address: '192.0.2.30', vendor: 'generic' } as const;
        await expect(store.nas.create({ ...base, vendor: 'acme' as 'generic' })).rejects.toThrow(/vendor/);
        await expect(store.nas.create({ ...base, address: 'bras.example' })).rejects.toThrow(/address/);
        await expect(store.nas.create({ ...base, coaPort: 0 })).rejects.toThrow(/coaPort/);
      });
    });

    describe('tariffs', () => {
      it('creates with zero defaults, gets, updates and deletes', async () => {
        const name = unique('plan');
        const t = await store.tariffs.create({ name });
        expect(t).toMatchObject({ name, monthlyFee: 0, downKbps: 0, upKbps: 0, pricePerGB: 0, includedBytes: 0, pricePerMinute: 0 });
        expect(await store.tariffs.get(t.id)).toEqual(t);
        const u = await store.tariffs.update(t.id, {
          monthlyFee: 50_000,
          downKbps: 100_000,
          upKbps: 50_000,
          pricePerGB: 1_234,
          includedBytes: 5_000_000_000_000,
          pricePerMinute: 3,
        });
        expect(u).toMatchObject({ id: t.id, name, monthlyFee: 50_000, pricePerGB: 1_234, includedBytes: 5_000_000_000_000, pricePerMinute: 3 });
        expect(await store.tariffs.update(987_654_321, { name: unique('x') })).toBeUndefined();
        expect(await store.tariffs.delete(t.id)).toBe(true);
        expect(await store.tariffs.delete(t.id)).toBe(false);
      });

      it('pages in id order with the total count', async () => {
        const before = (await store.tariffs.list({ limit: 0, offset: 0 })).total;
        const made = [];
        for (let i = 0; i < 5; i++) made.push(await store.tariffs.create({ name: unique('page') }));
        const first = await store.tariffs.list({ limit: 2, offset: before });
        expect(first).toMatchObject({ total: before + 5, limit: 2, offset: before });
        expect(first.items.map((t) => t.id)).toEqual(made.slice(0, 2).map((t) => t.id));
        const rest = await store.tariffs.list({ limit: 10, offset: before + 2 });
        expect(rest.items.map((t) => t.id)).toEqual(made.slice(2).map((t) => t.id));
        expect((await store.tariffs.list({ limit: 10, offset: before + 100 })).items).toEqual([]);
      });

      it('rejects a duplicate name and negative money', async () => {
        const name = unique('plan');
        await store.tariffs.create({ name });
        await expectStoreError(store.tariffs.create({ name }), 'STORE_CONFLICT', 'name');
        await expect(store.tariffs.create({ name: unique('plan'), monthlyFee: -1 })).rejects.toThrow(/monthlyFee/);
        await expect(store.tariffs.create({ name: unique('plan'), pricePerGB: 1.5 })).rejects.toThrow(/pricePerGB/);
      });

      it('refuses to delete a tariff in use with STORE_REFERENCE tariffId', async () => {
        const t = await store.tariffs.create({ name: unique('used') });
        const a = await store.accounts.create({});
        const s = await store.subscribers.create({ username: unique('u'), accountId: a.id, tariffId: t.id });
        await expectStoreError(store.tariffs.delete(t.id), 'STORE_REFERENCE', 'tariffId');
        await store.subscribers.delete(s.id);
        expect(await store.tariffs.delete(t.id)).toBe(true);
      });
    });

    describe('accounts', () => {
      it('creates an active account with zero balance and an open state period', async () => {
        const a = await store.accounts.create({ creditLimit: 1_000 });
        expect(a).toMatchObject({ balance: 0, creditLimit: 1_000, activeCredit: 0, state: 'active' });
        expect(a.stateSince).toBe(a.createdAt);
        expect(await store.accounts.get(a.id)).toEqual(a);
        const periods = await sql.query('SELECT state, until, reason FROM account_states WHERE account_id = $1', [a.id]);
        expect(periods).toEqual([{ state: 'active', until: null, reason: 'created' }]);
      });

      it('opens the state history of accounts inserted by direct SQL too', async () => {
        const rows = await sql.query<{ id: number }>('INSERT INTO accounts (balance) SELECT 0 FROM generate_series(1, 3) RETURNING id');
        const periods = await sql.query<{ n: number }>(
          "SELECT count(*) AS n FROM account_states WHERE account_id = ANY($1::bigint[]) AND until IS NULL AND reason = 'created'",
          [rows.map((r) => r.id)],
        );
        expect(periods).toEqual([{ n: 3 }]);
      });

      it('pages in id order with the total count', async () => {
        const before = (await store.accounts.list({ limit: 0, offset: 0 })).total;
        const made = [await store.accounts.create({}), await store.accounts.create({}), await store.accounts.create({})];
        const page = await store.accounts.list({ limit: 2, offset: before + 1 });
        expect(page.total).toBe(before + 3);
        expect(page.items.map((a) => a.id)).toEqual(made.slice(1).map((a) => a.id));
      });

      it('derives the state from balance + credit limit + unexpired credits, with a dated history', async () => {
        const a = await store.accounts.create({});
        await adjustBalance(sql, a.id, -500);
        const blocked = await store.accounts.update(a.id, {});
        expect(blocked).toMatchObject({ balance: -500, state: 'blocked' });

        // An expired credit does not count; an unexpired one does.
        await addCredit(sql, a.id, 10_000, -60);
        expect(await store.accounts.update(a.id, {})).toMatchObject({ state: 'blocked', activeCredit: 0 });
        await addCredit(sql, a.id, 200, 3600);
        expect(await store.accounts.update(a.id, {})).toMatchObject({ state: 'blocked', activeCredit: 200 });

        // Raising the credit limit to exactly cover the balance: -500 + 300 + 200 = 0 is active.
        const active = await store.accounts.update(a.id, { creditLimit: 300 });
        expect(active).toMatchObject({ creditLimit: 300, activeCredit: 200, state: 'active' });

        const history = await sql.query<{ state: string; until: Date | null; reason: string }>(
          'SELECT state, until, reason FROM account_states WHERE account_id = $1 ORDER BY id',
          [a.id],
        );
        expect(history.map((h) => [h.state, h.until === null, h.reason])).toEqual([
          ['active', false, 'created'],
          ['blocked', false, 'rederived'],
          ['active', true, 'credit_limit'],
        ]);
      });

      it('re-derives inside a caller transaction and reports only real transitions', async () => {
        const a = await store.accounts.create({});
        const b = await store.accounts.create({});
        const changes = await sql.transaction(async (tx) => {
          await tx.query('INSERT INTO adjustments (account_id, amount, reason) VALUES ($1, -1, $2)', [a.id, 'test']);
          await tx.query('UPDATE accounts SET balance = balance - 1 WHERE id = $1', [a.id]);
          return rederiveAccountStates(tx, [a.id, b.id, a.id], 'charge');
        });
        expect(changes).toEqual([{ accountId: a.id, state: 'blocked' }]);
        expect((await store.accounts.get(a.id))?.state).toBe('blocked');
        expect((await store.accounts.get(b.id))?.state).toBe('active');
      });

      it('returns undefined or false for a missing account', async () => {
        expect(await store.accounts.get(987_654_321)).toBeUndefined();
        expect(await store.accounts.update(987_654_321, { creditLimit: 1 })).toBeUndefined();
        expect(await store.accounts.delete(987_654_321)).toBe(false);
      });

      it('rejects a negative credit limit', async () => {
        await expect(store.accounts.create({ creditLimit: -1 })).rejects.toThrow(/creditLimit/);
      });

      it('refuses to delete an account with subscribers (STORE_REFERENCE accountId), deletes it once free', async () => {
        const a = await store.accounts.create({});
        const s = await store.subscribers.create({ username: unique('u'), accountId: a.id });
        await expectStoreError(store.accounts.delete(a.id), 'STORE_REFERENCE', 'accountId');
        await store.subscribers.delete(s.id);
        await addCredit(sql, a.id, 1, 60);
        expect(await store.accounts.delete(a.id)).toBe(true);
        expect(await sql.query('SELECT 1 FROM account_states WHERE account_id = $1', [a.id])).toEqual([]);
      });

      it('refuses to delete an account with money history (payments)', async () => {
        const a = await store.accounts.create({});
        await sql.query('INSERT INTO payments (account_id, amount, external_id) VALUES ($1, 100, $2)', [a.id, unique('pay')]);
        await expectStoreError(store.accounts.delete(a.id), 'STORE_REFERENCE', 'accountId');
      });
    });

    describe('subscribers', () => {
      let accountId: number;
      let tariffId: number;
      beforeAll(async () => {
        accountId = (await store.accounts.create({ creditLimit: 100 })).id;
        tariffId = (await store.tariffs.create({ name: unique('sub-plan'), downKbps: 20_000, upKbps: 10_000 })).id;
      });

      it('stores a password as cleartext and NT hash, and never returns either outside snapshots', async () => {
        const username = unique('alice');
        const s = await store.subscribers.create({ username, password: 'password', accountId, tariffId });
        expect(s).toMatchObject({ username, accountId, tariffId, status: 'active', hasCleartextPassword: true, framedIp: null });
        expect(JSON.stringify(s)).not.toContain('password"');
        expect(Object.keys(s)).not.toEqual(expect.arrayContaining(['password']));
        expect(Object.keys(s)).not.toContain('ntHash');
        const [stored] = await sql.query<{ password_cleartext: string; nt_hash: string }>(
          'SELECT password_cleartext, nt_hash FROM subscribers WHERE id = $1',
          [s.id],
        );
        // RFC 2759 / well-known vector: NT hash of "password".
        expect(stored).toEqual({ password_cleartext: 'password', nt_hash: '8846f7eaee8fb117ad06bdd830b7586c' });
        const snap = await store.subscribers.snapshot(username);
        expect(snap).toMatchObject({ password: 'password', ntHash: '8846f7eaee8fb117ad06bdd830b7586c' });
        expect(await store.subscribers.get(s.id)).toEqual(s);
      });

      it('stores only the NT hash when given only the hash (lower-cased), so CHAP is impossible', async () => {
        const username = unique('carol');
        const s = await store.subscribers.create({ username, ntHash: '8846F7EAEE8FB117AD06BDD830B7586C', accountId });
        expect(s.hasCleartextPassword).toBe(false);
        expect(await store.subscribers.snapshot(username)).toMatchObject({ password: null, ntHash: '8846f7eaee8fb117ad06bdd830b7586c' });
        await expect(store.subscribers.create({ username: unique('bad'), ntHash: 'xyz', accountId })).rejects.toThrow(/ntHash/);
      });

      it('replaces both secrets on a password change, and clears the cleartext on a hash-only change', async () => {
        const username = unique('dave');
        const s = await store.subscribers.create({ username, password: 'old', accountId });
        await store.subscribers.update(s.id, { password: 'new-pässword' });
        expect(await store.subscribers.snapshot(username)).toMatchObject({
          password: 'new-pässword',
          ntHash: ntPasswordHash('new-pässword').toString('hex'),
        });
        const hashOnly = await store.subscribers.update(s.id, { ntHash: ntPasswordHash('other').toString('hex') });
        expect(hashOnly?.hasCleartextPassword).toBe(false);
        expect(await store.subscribers.snapshot(username)).toMatchObject({ password: null, ntHash: ntPasswordHash('other').toString('hex') });
      });

      it('stores a subscriber without credentials (MAC authentication)', async () => {
        const username = unique('mac');
        await store.subscribers.create({ username, accountId, mac: 'AA-BB-CC-00-11-22' });
        expect(await store.subscribers.snapshot(username)).toMatchObject({ password: null, ntHash: null, mac: 'aa:bb:cc:00:11:22' });
      });

      it('updates every field, including setting nullable ones to null', async () => {
        const s = await store.subscribers.create({ username: unique('eve'), password: 'pw', accountId, tariffId });
        const other = await store.accounts.create({});
        const updated = await store.subscribers.update(s.id, {
          accountId: other.id,
          tariffId: null,
          framedIp: '100.64.7.9',
          framedPool: 'pool-a',
          mac: 'aabb.cc00.1122',
          simultaneousUse: 2,
          status: 'suspended',
        });
        expect(updated).toMatchObject({
          accountId: other.id,
          tariffId: null,
          framedIp: '100.64.7.9',
          framedPool: 'pool-a',
          mac: 'aa:bb:cc:00:11:22',
          simultaneousUse: 2,
          status: 'suspended',
          hasCleartextPassword: true,
        });
        const cleared = await store.subscribers.update(s.id, { framedIp: null, framedPool: null, mac: null, simultaneousUse: null });
        expect(cleared).toMatchObject({ framedIp: null, framedPool: null, mac: null, simultaneousUse: null });
        expect(await store.subscribers.update(s.id, {})).toEqual(cleared);
        expect(await store.subscribers.update(987_654_321, { status: 'disabled' })).toBeUndefined();
      });

      it('rejects a duplicate username or static IP with STORE_CONFLICT naming the field', async () => {
        const username = unique('dup');
        const s = await store.subscribers.create({ username, accountId, framedIp: '100.64.1.1' });
        await expectStoreError(store.subscribers.create({ username, accountId }), 'STORE_CONFLICT', 'username');
        await expectStoreError(store.subscribers.create({ username: unique('dup'), accountId, framedIp: '100.64.1.1' }), 'STORE_CONFLICT', 'framedIp');
        const other = await store.subscribers.create({ username: unique('dup'), accountId });
        await expectStoreError(store.subscribers.update(other.id, { username }), 'STORE_CONFLICT', 'username');
        await store.subscribers.delete(s.id);
      });

      it('rejects a missing account or tariff with STORE_REFERENCE naming the field', async () => {
        await expectStoreError(store.subscribers.create({ username: unique('x'), accountId: 987_654_321 }), 'STORE_REFERENCE', 'accountId');
        await expectStoreError(
          store.subscribers.create({ username: unique('x'), accountId, tariffId: 987_654_321 }),
          'STORE_REFERENCE',
          'tariffId',
        );
        const s = await store.subscribers.create({ username: unique('x'), accountId });
        await expectStoreError(store.subscribers.update(s.id, { tariffId: 987_654_321 }), 'STORE_REFERENCE', 'tariffId');
      });

      it('rejects invalid addresses, MACs, statuses and limits before writing', async () => {
        const base = { username: unique('bad'), accountId };
        await expect(store.subscribers.create({ ...base, framedIp: '10.0.0.0/24' })).rejects.toThrow(/framedIp/);
        await expect(store.subscribers.create({ ...base, mac: 'not-a-mac' })).rejects.toThrow(/mac/);
        await expect(store.subscribers.create({ ...base, status: 'gone' as 'active' })).rejects.toThrow(/status/);
        await expect(store.subscribers.create({ ...base, simultaneousUse: 0 })).rejects.toThrow(/simultaneousUse/);
      });

      it('lists by account and by exact username, paged in id order with totals', async () => {
        const owner = await store.accounts.create({});
        const made = [];
        for (let i = 0; i < 5; i++) made.push(await store.subscribers.create({ username: unique('list'), accountId: owner.id }));
        const page = await store.subscribers.list({ limit: 2, offset: 2 }, { accountId: owner.id });
        expect(page).toMatchObject({ total: 5, limit: 2, offset: 2 });
        expect(page.items.map((s) => s.id)).toEqual(made.slice(2, 4).map((s) => s.id));
        const byName = await store.subscribers.list({ limit: 10, offset: 0 }, { username: made[3]!.username });
        expect(byName.items).toEqual([made[3]]);
        expect(byName.total).toBe(1);
        const both = await store.subscribers.list({ limit: 10, offset: 0 }, { username: made[3]!.username, accountId: accountId });
        expect(both.total).toBe(0);
        const all = await store.subscribers.list({ limit: 1, offset: 0 });
        expect(all.total).toBeGreaterThanOrEqual(5);
      });

      it('deletes a subscriber; its sessions keep the username', async () => {
        const username = unique('gone');
        const s = await store.subscribers.create({ username, accountId });
        await sql.query(
          `INSERT INTO sessions (acct_unique_id, nas_name, acct_session_id, username, subscriber_id, account_id, started_at, updated_at, last_status)
           VALUES ($1, 'bras', 'abc', $2, $3, $4, now(), now(), 'start')`,
          [unique('uniq'), username, s.id, accountId],
        );
        expect(await store.subscribers.delete(s.id)).toBe(true);
        expect(await store.subscribers.delete(s.id)).toBe(false);
        expect(await store.subscribers.get(s.id)).toBeUndefined();
        expect(await store.subscribers.snapshot(username)).toBeUndefined();
        expect(await sql.query('SELECT subscriber_id FROM sessions WHERE username = $1', [username])).toEqual([{ subscriber_id: null }]);
      });
    });

    describe('snapshots', () => {
      it('joins subscriber, account, tariff and unexpired credits in one read', async () => {
        const t = await store.tariffs.create({ name: unique('snap'), downKbps: 100_000, upKbps: 50_000, monthlyFee: 50_000 });
        const a = await store.accounts.create({ creditLimit: 100 });
        const username = unique('snap');
        const s = await store.subscribers.create({
          username,
          password: 'pw',
          accountId: a.id,
          tariffId: t.id,
          framedIp: '100.64.7.7',
          framedPool: 'v6',
          simultaneousUse: 1,
        });
        await addCredit(sql, a.id, 250, 3600);
        await addCredit(sql, a.id, 40, 7200);
        await addCredit(sql, a.id, 999, -1);
        await adjustBalance(sql, a.id, -300);
        expect(await store.subscribers.snapshot(username)).toEqual({
          subscriberId: s.id,
          username,
          status: 'active',
          password: 'pw',
          ntHash: ntPasswordHash('pw').toString('hex'),
          framedIp: '100.64.7.7',
          framedPool: 'v6',
          mac: null,
          simultaneousUse: 1,
          accountId: a.id,
          balance: -300,
          creditLimit: 100,
          activeCredit: 290,
          accountState: 'active',
          tariff: { id: t.id, name: t.name, downKbps: 100_000, upKbps: 50_000 },
        });
      });

      it('shows the stored state: blocked once re-derived, active again after credit', async () => {
        const a = await store.accounts.create({});
        const username = unique('blk');
        await store.subscribers.create({ username, accountId: a.id });
        await adjustBalance(sql, a.id, -10);
        await store.accounts.update(a.id, {});
        expect(await store.subscribers.snapshot(username)).toMatchObject({ balance: -10, accountState: 'blocked', tariff: null });
        await addCredit(sql, a.id, 10, 60);
        await store.accounts.update(a.id, {});
        expect(await store.subscribers.snapshot(username)).toMatchObject({ activeCredit: 10, accountState: 'active' });
      });

      it('matches the username exactly (case-sensitive), undefined when unknown', async () => {
        const username = unique('Case');
        await store.subscribers.create({ username, accountId: (await store.accounts.create({})).id });
        expect(await store.subscribers.snapshot(username.toLowerCase())).toBeUndefined();
        expect(await store.subscribers.snapshot('')).toBeUndefined();
        expect((await store.subscribers.snapshot(username))?.username).toBe(username);
      });

      it('returns the snapshots of one account in id order', async () => {
        const a = await store.accounts.create({});
        const names = [unique('fam'), unique('fam'), unique('fam')];
        for (const username of names) await store.subscribers.create({ username, accountId: a.id });
        expect((await store.subscribers.snapshotsOfAccount(a.id)).map((s) => s.username)).toEqual(names);
        expect(await store.subscribers.snapshotsOfAccount(987_654_321)).toEqual([]);
      });

      it('pages every snapshot in id order with keyset batches', async () => {
        const a = await store.accounts.create({});
        for (let i = 0; i < 7; i++) await store.subscribers.create({ username: unique('batch'), accountId: a.id });
        const [{ total }] = (await sql.query<{ total: number }>('SELECT count(*) AS total FROM subscribers')) as [{ total: number }];
        const batches: number[][] = [];
        for await (const batch of store.subscribers.snapshotBatches(3)) batches.push(batch.map((s) => s.subscriberId));
        const ids = batches.flat();
        expect(ids).toHaveLength(total);
        expect(ids).toEqual([...ids].sort((x, y) => x - y));
        expect(new Set(ids).size).toBe(total);
        expect(batches.slice(0, -1).every((b) => b.length === 3)).toBe(true);
        expect(batches.at(-1)!.length).toBeGreaterThan(0);
      });
    });

    describe('subscriber lookup', () => {
      it('finds a subscriber, reports an unknown one absent, and a username the database refuses as data refused', async () => {
        const a = await store.accounts.create({});
        const username = unique('lookup');
        await store.subscribers.create({ username, password: 'pw', accountId: a.id });
        expect(await store.subscribers.lookup(username)).toMatchObject({ kind: 'found', snapshot: { username } });
        expect(await store.subscribers.lookup(unique('nobody'))).toEqual({ kind: 'absent' });
        const refused = await store.subscribers.lookup('bad\u0000name');
        expect(refused.kind).toBe('refused');
        expect(refused.kind === 'refused' && refused.code).toMatch(/^22/);
      });
    });

    describe('coa state and audit', () => {
      async function liveSession(state: 'active' | 'blocked'): Promise<{ accountId: number; sessionId: number; username: string }> {
        const account = await store.accounts.create({});
        const username = unique('coa');
        const sessionId = await insertSession(sql, { username, accountId: account.id, startedAt: new Date().toISOString(), framedIp: '10.9.8.7' });
        if (state === 'blocked') await adjustBalance(sql, account.id, -100);
        await rederiveAccountStates(sql, [account.id], 'test');
        return { accountId: account.id, sessionId, username };
      }

      it('claims the open sessions whose state disagrees with their account, once, and releases an unacknowledged claim', async () => {
        const blocked = await liveSession('blocked');
        const active = await liveSession('active');
        const claimed = await store.coa.claim([blocked.accountId, active.accountId]);
        expect(claimed).toEqual([
          { sessionId: blocked.sessionId, username: blocked.username, acctSessionId: expect.any(String), framedIp: '10.9.8.7', nasName: 'bras-1', state: 'restricted' },
        ]);
        // Claimed: a second pass (another instance) finds nothing to do.
        expect(await store.coa.claim([blocked.accountId])).toEqual([]);
        expect(await store.coa.release(claimed[0]!)).toBe(true);
        expect(await store.coa.release(claimed[0]!)).toBe(false);
        // Released: the next pass claims it again, also when it passes every account.
        expect((await store.coa.claim(null)).map((c) => c.sessionId)).toContain(blocked.sessionId);
      });

      it('writes one audit row per request, aborted ones with 0 attempts included, with the transport', async () => {
        const username = unique('audit');
        const base = { nas: 'bras-1', sessionId: 42, acctSessionId: 'a-1', username, request: 'coa' as const, action: 'restrict', transport: 'udp' as const };
        const at = new Date('2030-05-05T10:00:00.000Z');
        await store.coa.audit({ ...base, at, attempts: 2, result: 'ack', errorCause: null, rttMs: 12 });
        await store.coa.audit({ ...base, at, attempts: 1, result: 'nak', errorCause: 503, rttMs: 3, transport: 'radsec' });
        await store.coa.audit({ ...base, at, attempts: 0, result: 'aborted', errorCause: null, rttMs: null });
        const rows = await sql.query('SELECT at, session_id, result, attempts, error_cause, rtt_ms, transport FROM coa_audit WHERE username = $1 ORDER BY id', [username]);
        expect(rows).toEqual([
          { at, session_id: 42, result: 'ack', attempts: 2, error_cause: null, rtt_ms: 12, transport: 'udp' },
          { at, session_id: 42, result: 'nak', attempts: 1, error_cause: 503, rtt_ms: 3, transport: 'radsec' },
          { at, session_id: 42, result: 'aborted', attempts: 0, error_cause: null, rtt_ms: null, transport: 'udp' },
        ]);
        // Only a request that never went out has no transmission.
        await expect(store.coa.audit({ ...base, at, attempts: 0, result: 'timeout', errorCause: null, rttMs: null })).rejects.toThrow();
      });
    });

    describe('auth log', () => {
      const entry = (username: string, at: string, result: AuthLogEntry['result'] = 'accept'): AuthLogEntry => ({
        at,
        username,
        nas: 'bras-1',
        result,
        reason: result === 'accept' ? null : 'bad_password',
        method: 'pap',
        callingStationId: 'aa:bb:cc:dd:ee:ff',
        nasPort: '15',
      });

      /** The entries of stored records (their ids aside). */
      const entriesOf = (records: readonly (AuthLogEntry & { id: number })[]): AuthLogEntry[] => records.map(({ id: _id, ...e }) => e);

      it('appends a batch and reads it back newest first, filtered by user, with a before cursor', async () => {
        const user = unique('log');
        const t0 = Date.parse('2030-01-01T00:00:00.000Z');
        const entries = Array.from({ length: 5 }, (_v, i) => entry(user, new Date(t0 + i * 1000).toISOString(), i % 2 ? 'reject' : 'accept'));
        await store.authLog.append([entries[2]!, entries[0]!, entries[4]!, entries[1]!, entries[3]!]);
        await store.authLog.append([entry(unique('other'), new Date(t0 + 500).toISOString())]);
        const newest = await store.authLog.query({ username: user, limit: 3 });
        expect(entriesOf(newest)).toEqual([entries[4], entries[3], entries[2]]);
        const older = await store.authLog.query({ username: user, limit: 10, before: entries[2]!.at });
        expect(entriesOf(older)).toEqual([entries[1], entries[0]]);
        const any = await store.authLog.query({ limit: 2, before: new Date(t0 + 1000).toISOString() });
        expect(any.map((e) => e.at)).toEqual([new Date(t0 + 500).toISOString(), entries[0]!.at]);
      });

      it("stores the characters COPY's text format reads specially as they are, and counts the batch by minute", async () => {
        // Batches go in by COPY: a tab, newline, carriage return or backslash in a value must neither split
        // a row nor shift a column, and "\N" or "\." spelled by a NAS are text, not null or the end of data.
        const user = unique('copy');
        const t0 = Date.parse('2030-03-01T12:00:59.500Z');
        const odd = [`${user}\tx`, `${user}\ny`, `${user}\r\n`, `${user}\\N`, `${user}\\`, '\\.', `${user} \u00e9\u{1F600}`];
        const entries = odd.map((username, i) => ({
          ...entry(username, new Date(t0 + i * 100).toISOString(), i === 2 ? 'redirect' : 'accept'),
          callingStationId: i === 3 ? '\\N' : i === 4 ? null : 'a\tb',
          nasPort: '\\.',
        }));
        await store.authLog.append(entries);
        for (const e of entries) expect(entriesOf(await store.authLog.query({ username: e.username, limit: 5 }))).toEqual([e]);
        const minutes = await sql.query<{ minute: Date; accept: number; redirect: number }>(
          "SELECT minute, accept::int AS accept, redirect::int AS redirect FROM auth_log_minutes WHERE minute IN ('2030-03-01T12:00:00Z', '2030-03-01T12:01:00Z') ORDER BY minute",
        );
        expect(minutes.map((m) => [isoOf(m.minute), m.accept, m.redirect])).toEqual([
          ['2030-03-01T12:00:00.000Z', 4, 1],
          ['2030-03-01T12:01:00.000Z', 2, 0],
        ]);
      });

      it('a refused COPY leaves the connection usable for the next statements', async () => {
        const user = unique('refused');
        const bad = { ...entry(user, '2030-04-01T00:00:00.000Z'), nas: 'bras\u0000x' };
        for (let i = 0; i < 3; i++) await expect(store.authLog.append([bad])).rejects.toThrow();
        await store.authLog.append([entry(user, '2030-04-01T00:00:01.000Z')]);
        expect((await store.authLog.query({ username: user, limit: 5 })).map((e) => e.at)).toEqual(['2030-04-01T00:00:01.000Z']);
        await sql.copyIn('auth_log_minutes', ['minute', 'accept'], '2030-04-01T00:00:00Z\tnot a number\n').then(
          () => expect.unreachable(),
          (err: unknown) => expect(sqlStateOf(err)).toMatch(/^22/),
        );
        expect(await sql.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      });

      it("reads a login's history newest first across hours and pages whose cursor falls inside an hour", async () => {
        // The per-username index keys by (username, hour): the order within an hour comes from a sort, the
        // order of hours from the index; a cursor in the middle of an hour must continue inside that hour.
        const user = unique('hours');
        const t0 = Date.parse('2030-02-01T09:59:59.000Z');
        const offsets = [0, 1_000, 1_500, 1_800_000, 3_599_000, 3_601_000, 7_200_000, 7_200_001, 10_799_999];
        const entries = offsets.map((ms, i) => entry(user, new Date(t0 + ms).toISOString(), i % 3 === 0 ? 'reject' : 'accept'));
        await store.authLog.append([...entries].reverse().filter((_e, i) => i % 2 === 0));
        await store.authLog.append([...entries].reverse().filter((_e, i) => i % 2 === 1));
        await store.authLog.append([entry(unique('other'), new Date(t0 + 1_000).toISOString())]);
        const newestFirst = [...entries].reverse();
        expect(entriesOf(await store.authLog.query({ username: user, limit: 100 }))).toEqual(newestFirst);
        const pages: AuthLogEntry[][] = [];
        let cursor: { before: string; beforeId: number } | undefined;
        for (;;) {
          const page = await store.authLog.query({ username: user, limit: 2, ...cursor });
          if (page.length === 0) break;
          pages.push(entriesOf(page));
          cursor = { before: page.at(-1)!.at, beforeId: page.at(-1)!.id };
        }
        expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 2, 1]);
        expect(pages.flat()).toEqual(newestFirst);
      });

      it("pages a login's entries of one millisecond by (before, beforeId) without losing any", async () => {
        const user = unique('same-ms');
        const at = '2030-05-01T10:00:00.007Z';
        const entries = Array.from({ length: 5 }, (_v, i) => ({ ...entry(user, at), nasPort: String(i) }));
        await store.authLog.append(entries);
        await store.authLog.append([entry(user, '2030-05-01T09:59:59.999Z')]);
        const seen: string[] = [];
        let cursor: { before: string; beforeId: number } | undefined;
        for (let n = 0; n < 10; n++) {
          const page = await store.authLog.query({ username: user, limit: 2, ...cursor });
          if (page.length === 0) break;
          seen.push(...page.map((e) => `${e.at} ${e.nasPort}`));
          cursor = { before: page.at(-1)!.at, beforeId: page.at(-1)!.id };
        }
        expect(seen).toEqual([...['4', '3', '2', '1', '0'].map((p) => `${at} ${p}`), '2030-05-01T09:59:59.999Z 15']);
        // `before` alone is "strictly older": the rest of the millisecond is skipped, as documented.
        expect((await store.authLog.query({ username: user, limit: 10, before: at })).map((e) => e.at)).toEqual(['2030-05-01T09:59:59.999Z']);
      });

      it('deletes the oldest entries before a cutoff, a bounded chunk at a time', async () => {
        const user = unique('old');
        const t0 = Date.parse('2001-01-01T00:00:00.000Z');
        const entries = Array.from({ length: 5 }, (_v, i) => entry(user, new Date(t0 + i * 1000).toISOString()));
        await store.authLog.append(entries);
        const cutoff = new Date(t0 + 3000).toISOString();
        // The three before the cutoff, oldest first, two per call.
        expect(await store.authLog.deleteOlderThan(cutoff, 2)).toBe(2);
        expect((await store.authLog.query({ username: user, limit: 10 })).map((e) => e.at)).toEqual([entries[4]!.at, entries[3]!.at, entries[2]!.at]);
        expect(await store.authLog.deleteOlderThan(cutoff, 2)).toBe(1);
        expect(await store.authLog.deleteOlderThan(cutoff, 2)).toBe(0);
        expect((await store.authLog.query({ username: user, limit: 10 })).map((e) => e.at)).toEqual([entries[4]!.at, entries[3]!.at]);
        await expect(store.authLog.deleteOlderThan(cutoff, 0)).rejects.toThrow(/limit/);
      });

      it('appends more rows than one INSERT holds, all or nothing, and accepts an empty batch', async () => {
        const user = unique('bulk');
        const t0 = Date.parse('2031-01-01T00:00:00.000Z');
        const many = Array.from({ length: 2_345 }, (_v, i) => entry(user, new Date(t0 + i).toISOString()));
        await store.authLog.append(many);
        await store.authLog.append([]);
        const [{ n }] = (await sql.query<{ n: number }>('SELECT count(*) AS n FROM auth_log WHERE username = $1', [user])) as [{ n: number }];
        expect(n).toBe(2_345);
        expect(entriesOf(await store.authLog.query({ username: user, limit: 1 }))[0]).toEqual(many.at(-1));

        const failing = [...many.slice(0, 1_500).map((e) => ({ ...e, username: `${user}-x` })), { ...entry(user, 'not a time') }];
        await expect(store.authLog.append(failing)).rejects.toThrow();
        expect(await sql.query('SELECT 1 FROM auth_log WHERE username = $1', [`${user}-x`])).toEqual([]);
      });

      it('appendIsolating writes around the entries the database refuses and reports each of them alone', async () => {
        const user = unique('isolate');
        const t0 = Date.parse('2032-01-01T00:00:00.000Z');
        const entries = Array.from({ length: 9 }, (_v, i) => entry(`${user}-${i}`, new Date(t0 + i).toISOString()));
        const bad = new Set([2, 7]);
        const batch = entries.map((e, i) => (bad.has(i) ? { ...e, callingStationId: 'aa\u0000bb' } : e));
        const outcome = await store.authLog.appendIsolating(batch);
        expect(outcome.written).toBe(7);
        expect(outcome.unwritten).toEqual([]);
        expect(outcome.rejected.map((r) => r.entry.username)).toEqual([`${user}-2`, `${user}-7`]);
        expect(outcome.rejected.every((r) => /^22/.test(r.code ?? '') && r.reason.length > 0)).toBe(true);
        expect(outcome.refusals).toBeGreaterThanOrEqual(3);
        const stored = await sql.query<{ username: string }>('SELECT username FROM auth_log WHERE username LIKE $1 ORDER BY at', [`${user}-%`]);
        expect(stored.map((r) => r.username)).toEqual(entries.filter((_e, i) => !bad.has(i)).map((e) => e.username));
        expect(await store.authLog.appendIsolating([])).toEqual({ written: 0, rejected: [], refusals: 0, unwritten: [] });
      });
    });

    describe('bench seed', () => {
      it('creates funded subscribers with cleartext and NT hash on the bench tariff, ledger balanced', async () => {
        const { subscribers, tariffId } = await seedBenchSubscribers(sql, 1_203, { batchSize: 500, balance: 12_345 });
        expect(subscribers).toBe(1_203);
        expect(await store.subscribers.snapshot('user001203')).toMatchObject({
          password: 'pw001203',
          ntHash: ntPasswordHash('pw001203').toString('hex'),
          balance: 12_345,
          accountState: 'active',
          tariff: { id: tariffId, name: 'bench', downKbps: 100_000, upKbps: 50_000 },
        });
        expect((await store.tariffs.get(tariffId))?.monthlyFee).toBe(50_000);
        const [ledger] = await sql.query<{ n: number; distinct_accounts: number; unbalanced: number }>(
          `SELECT count(*) AS n, count(DISTINCT s.account_id) AS distinct_accounts,
             count(*) FILTER (WHERE a.balance <> (SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.account_id = a.id)) AS unbalanced
           FROM subscribers s JOIN accounts a ON a.id = s.account_id WHERE s.username LIKE 'user%' AND s.tariff_id = $1`,
          [tariffId],
        );
        expect(ledger).toEqual({ n: 1_203, distinct_accounts: 1_203, unbalanced: 0 });
        const [periods] = (await sql.query<{ n: number }>(
          "SELECT count(*) AS n FROM account_states st JOIN subscribers s ON s.account_id = st.account_id WHERE s.tariff_id = $1 AND st.until IS NULL",
          [tariffId],
        )) as [{ n: number }];
        expect(periods.n).toBe(1_203);
      });
    });

    describe('schema invariants', () => {
      it('charges a daily fee once per subscription and day', async () => {
        const a = await store.accounts.create({});
        const t = await store.tariffs.create({ name: unique('fee') });
        const [sub] = (await sql.query<{ id: number }>(
          "INSERT INTO subscriptions (account_id, tariff_id, activated_on) VALUES ($1, $2, '2030-01-01') RETURNING id",
          [a.id, t.id],
        )) as [{ id: number }];
        const charge = "INSERT INTO charges (account_id, kind, amount, subscription_id, fee_day) VALUES ($1, 'fee', 1613, $2, '2030-01-02')";
        await sql.query(charge, [a.id, sub.id]);
        await expect(sql.query(charge, [a.id, sub.id])).rejects.toMatchObject({ code: '23505' });
        const [{ n }] = (await sql.query<{ n: number }>('SELECT count(*) AS n FROM charges WHERE subscription_id = $1', [sub.id])) as [{ n: number }];
        expect(n).toBe(1);
        // A fee needs its subscription and day; other kinds have no fee day.
        await expect(sql.query("INSERT INTO charges (account_id, kind, amount) VALUES ($1, 'fee', 1)", [a.id])).rejects.toMatchObject({
          code: '23514',
        });
      });

      it('accepts a payment once per external id; money columns refuse negative amounts', async () => {
        const a = await store.accounts.create({});
        const ext = unique('psp');
        await sql.query('INSERT INTO payments (account_id, amount, external_id) VALUES ($1, 500, $2)', [a.id, ext]);
        await expect(sql.query('INSERT INTO payments (account_id, amount, external_id) VALUES ($1, 500, $2)', [a.id, ext])).rejects.toMatchObject({
          code: '23505',
          constraint: 'payments_external_id_key',
        });
        await expect(sql.query('INSERT INTO payments (account_id, amount, external_id) VALUES ($1, 0, $2)', [a.id, unique('p')])).rejects.toMatchObject({
          code: '23514',
        });
        await expect(sql.query("INSERT INTO charges (account_id, kind, amount) VALUES ($1, 'one_off', -1)", [a.id])).rejects.toMatchObject({
          code: '23514',
        });
        await expect(sql.query('UPDATE accounts SET credit_limit = -1 WHERE id = $1', [a.id])).rejects.toMatchObject({ code: '23514' });
      });

      it('keeps a cleartext password only together with its NT hash', async () => {
        const a = await store.accounts.create({});
        await expect(
          sql.query("INSERT INTO subscribers (username, password_cleartext, account_id) VALUES ($1, 'pw', $2)", [unique('raw'), a.id]),
        ).rejects.toMatchObject({ code: '23514', constraint: 'subscribers_password_check' });
      });

      it('answers "who had IP X at time T" from sessions, open sessions included', async () => {
        const ip = '100.100.3.7';
        const insert = `INSERT INTO sessions (acct_unique_id, nas_name, acct_session_id, username, framed_ip, started_at, updated_at, stopped_at, last_status)
          VALUES ($1, 'bras', $2, $3, $4, $5, $5, $6, $7)`;
        await sql.query(insert, [unique('u'), 's1', 'first', ip, '2030-03-01T10:00:00Z', '2030-03-01T11:00:00Z', 'stop']);
        await sql.query(insert, [unique('u'), 's2', 'second', ip, '2030-03-01T12:00:00Z', null, 'start']);
        const whoHad = (at: string): Promise<{ username: string }[]> =>
          sql.query(
            "SELECT username FROM sessions WHERE framed_ip = $1::inet AND tstzrange(started_at, stopped_at, '[]') @> $2::timestamptz",
            [ip, at],
          );
        expect(await whoHad('2030-03-01T10:30:00Z')).toEqual([{ username: 'first' }]);
        expect(await whoHad('2030-03-01T11:30:00Z')).toEqual([]);
        expect(await whoHad('2031-01-01T00:00:00Z')).toEqual([{ username: 'second' }]);
        const [index] = (await sql.query<{ indexdef: string }>(
          "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'sessions_ip_time_idx'",
        )) as [{ indexdef: string }];
        expect(index.indexdef).toMatch(/USING gist \(framed_ip inet_ops, tstzrange\(started_at, stopped_at, '\[\]'::text\)\)/);
        await expect(sql.query(insert, [unique('u'), 's3', 'x', ip, '2030-03-01T12:00:00Z', '2030-03-01T11:00:00Z', 'stop'])).rejects.toMatchObject({
          code: '23514',
        });
      });
    });
  });
}

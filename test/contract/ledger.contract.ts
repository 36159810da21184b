/**
 * The LedgerRepository contract, run against every Sql implementation (PGlite, PostgreSQL): payments applied
 * exactly once per externalId (retries and concurrent deliveries included), adjustments, temporary credits and
 * their expiry, statements newest first, and the ledger invariant check. Every write must leave
 * balance = Σ payments + Σ adjustments − Σ charges and the derived state in place.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/store/migrations.js';
import { StoreError, type Store } from '../../src/domain/ports.js';
import type { Sql } from '../../src/store/sql.js';
import { createStore } from '../../src/store/store.js';
import type { TestSql } from '../helpers/sql.js';
import { insertSession } from './sessions.contract.js';

const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;
const inHours = (hours: number): string => new Date(Date.now() + hours * 3_600_000).toISOString();

async function storeError(promise: Promise<unknown>): Promise<StoreError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  return err as StoreError;
}

/** A charge the way rating does it: the row and the balance in one transaction. */
async function charge(sql: Sql, accountId: number, amount: number, comment = 'test'): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query("INSERT INTO charges (account_id, kind, amount, comment) VALUES ($1, 'one_off', $2, $3)", [accountId, amount, comment]);
    await tx.query('UPDATE accounts SET balance = balance - $2 WHERE id = $1', [accountId, amount]);
  });
}

export function ledgerContract(name: string, makeSql: () => Promise<TestSql>): void {
  describe(`Ledger contract: ${name}`, () => {
    let db: TestSql;
    let sql: Sql;
    let store: Store;

    beforeAll(async () => {
      db = await makeSql();
      sql = db.sql;
      await runMigrations(sql);
      store = createStore(sql);
    });
    afterAll(async () => {
      await db?.cleanup();
    });

    const history = async (accountId: number) =>
      (
        await sql.query<{ state: string; reason: string }>('SELECT state, reason FROM account_states WHERE account_id = $1 ORDER BY id', [accountId])
      ).map((h) => [h.state, h.reason]);

    const blockedAccount = async (debt: number) => {
      const a = await store.accounts.create({});
      await charge(sql, a.id, debt);
      expect(await store.accounts.update(a.id, {})).toMatchObject({ balance: -debt, state: 'blocked' });
      return a.id;
    };

    describe('payments', () => {
      it('applies a new payment to the balance and re-derives the state in the same transaction', async () => {
        const accountId = await blockedAccount(300);
        const externalId = unique('psp');
        const { payment, created } = await store.ledger.pay({ accountId, amount: 500, externalId, comment: 'bank transfer' });
        expect(created).toBe(true);
        expect(payment).toEqual({ id: expect.any(Number), accountId, amount: 500, externalId, comment: 'bank transfer', createdAt: expect.any(String), operatorId: null, operatorLogin: null });
        expect(await store.accounts.get(accountId)).toMatchObject({ balance: 200, state: 'active' });
        expect(await history(accountId)).toEqual([
          ['active', 'created'],
          ['blocked', 'rederived'],
          ['active', 'payment'],
        ]);
      });

      it('returns the existing payment with created: false for a redelivery, changing nothing', async () => {
        const a = await store.accounts.create({});
        const externalId = unique('psp');
        const first = await store.ledger.pay({ accountId: a.id, amount: 700, externalId });
        const again = await store.ledger.pay({ accountId: a.id, amount: 700, externalId, comment: 'redelivered' });
        expect(again).toEqual({ payment: first.payment, created: false });
        expect((await store.accounts.get(a.id))?.balance).toBe(700);
        expect((await store.ledger.payments(a.id, { limit: 10, offset: 0 })).total).toBe(1);
      });

      it('refuses a reused externalId with another amount or account: STORE_CONFLICT on externalId', async () => {
        const a = await store.accounts.create({});
        const b = await store.accounts.create({});
        const externalId = unique('psp');
        await store.ledger.pay({ accountId: a.id, amount: 100, externalId });
        for (const input of [
          { accountId: a.id, amount: 101, externalId },
          { accountId: b.id, amount: 100, externalId },
        ]) {
          const err = await storeError(store.ledger.pay(input));
          expect(err.code).toBe('STORE_CONFLICT');
          expect(err.field).toBe('externalId');
        }
        expect((await store.accounts.get(a.id))?.balance).toBe(100);
        expect((await store.accounts.get(b.id))?.balance).toBe(0);
      });

      it('applies concurrent identical deliveries exactly once', async () => {
        const a = await store.accounts.create({});
        const externalId = unique('psp');
        const results = await Promise.all(Array.from({ length: 6 }, () => store.ledger.pay({ accountId: a.id, amount: 250, externalId })));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.payment.id)).size).toBe(1);
        expect((await store.accounts.get(a.id))?.balance).toBe(250);
      });

      it('applies concurrent different payments to one account, each once', async () => {
        const a = await store.accounts.create({});
        await Promise.all(Array.from({ length: 8 }, (_, i) => store.ledger.pay({ accountId: a.id, amount: 10 + i, externalId: unique('psp') })));
        expect((await store.accounts.get(a.id))?.balance).toBe(8 * 10 + 28);
      });

      it('refuses an unknown account (STORE_REFERENCE accountId) and non-positive or fractional amounts', async () => {
        const err = await storeError(store.ledger.pay({ accountId: 987_654_321, amount: 1, externalId: unique('psp') }));
        expect([err.code, err.field]).toEqual(['STORE_REFERENCE', 'accountId']);
        const a = await store.accounts.create({});
        for (const amount of [0, -5, 1.5, Number.NaN]) {
          await expect(store.ledger.pay({ accountId: a.id, amount, externalId: unique('psp') })).rejects.toThrow(/amount/);
        }
        await expect(store.ledger.pay({ accountId: a.id, amount: 1, externalId: '' })).rejects.toThrow(/externalId/);
        expect((await store.accounts.get(a.id))?.balance).toBe(0);
      });
    });

    describe('adjustments', () => {
      it('moves the balance by a signed amount and re-derives the state', async () => {
        const a = await store.accounts.create({ creditLimit: 100 });
        const debit = await store.ledger.adjust({ accountId: a.id, amount: -150, reason: 'correction' });
        expect(debit).toEqual({ id: expect.any(Number), accountId: a.id, amount: -150, reason: 'correction', createdAt: expect.any(String), operatorId: null, operatorLogin: null });
        expect(await store.accounts.get(a.id)).toMatchObject({ balance: -150, state: 'blocked' });
        await store.ledger.adjust({ accountId: a.id, amount: 50, reason: 'refund' });
        expect(await store.accounts.get(a.id)).toMatchObject({ balance: -100, state: 'active' });
        expect((await history(a.id)).slice(1)).toEqual([
          ['blocked', 'adjustment'],
          ['active', 'adjustment'],
        ]);
      });

      it('refuses zero, fractional amounts, an empty reason and an unknown account', async () => {
        const a = await store.accounts.create({});
        for (const amount of [0, 2.5]) await expect(store.ledger.adjust({ accountId: a.id, amount, reason: 'x' })).rejects.toThrow(/amount/);
        await expect(store.ledger.adjust({ accountId: a.id, amount: 1, reason: '' })).rejects.toThrow(/reason/);
        const err = await storeError(store.ledger.adjust({ accountId: 987_654_321, amount: 1, reason: 'x' }));
        expect([err.code, err.field]).toEqual(['STORE_REFERENCE', 'accountId']);
      });
    });

    describe('credits', () => {
      it('grants temporary credit that unblocks the account, listed newest first', async () => {
        const accountId = await blockedAccount(400);
        const small = await store.ledger.grantCredit({ accountId, amount: 100, expiresAt: inHours(1), reason: 'goodwill' });
        expect(small).toMatchObject({ accountId, amount: 100, reason: 'goodwill', active: true });
        expect((await store.accounts.get(accountId))?.state).toBe('blocked');
        const enough = await store.ledger.grantCredit({ accountId, amount: 300, expiresAt: inHours(24), reason: 'promised payment' });
        expect(await store.accounts.get(accountId)).toMatchObject({ balance: -400, activeCredit: 400, state: 'active' });
        expect((await store.ledger.listCredits(accountId)).map((c) => c.id)).toEqual([enough.id, small.id]);
        expect((await history(accountId)).at(-1)).toEqual(['active', 'credit']);
      });

      it('refuses an expiry in the past, non-positive amounts and an unknown account, inserting nothing', async () => {
        const a = await store.accounts.create({});
        await expect(store.ledger.grantCredit({ accountId: a.id, amount: 10, expiresAt: inHours(-1), reason: 'x' })).rejects.toThrow(/expiresAt/);
        await expect(store.ledger.grantCredit({ accountId: a.id, amount: 10, expiresAt: 'tomorrow', reason: 'x' })).rejects.toThrow(/expiresAt/);
        await expect(store.ledger.grantCredit({ accountId: a.id, amount: 0, expiresAt: inHours(1), reason: 'x' })).rejects.toThrow(/amount/);
        expect(await store.ledger.listCredits(a.id)).toEqual([]);
        const err = await storeError(store.ledger.grantCredit({ accountId: 987_654_321, amount: 1, expiresAt: inHours(1), reason: 'x' }));
        expect([err.code, err.field]).toEqual(['STORE_REFERENCE', 'accountId']);
      });

      it('expireCredits blocks the accounts whose credit expired, once, and leaves covered ones alone', async () => {
        const expiring = await blockedAccount(200);
        const covered = await blockedAccount(200);
        const c1 = await store.ledger.grantCredit({ accountId: expiring, amount: 200, expiresAt: inHours(1), reason: 'x' });
        const c2 = await store.ledger.grantCredit({ accountId: covered, amount: 200, expiresAt: inHours(1), reason: 'x' });
        await store.ledger.grantCredit({ accountId: covered, amount: 500, expiresAt: inHours(2), reason: 'y' });
        // Time passes for the first credits.
        await sql.query("UPDATE credits SET expires_at = now() - interval '1 second' WHERE id = ANY($1::bigint[])", [[c1.id, c2.id]]);
        expect((await store.accounts.get(expiring))?.state).toBe('active'); // stored state, until the sweep

        const changed = await store.ledger.expireCredits();
        expect(changed).toContain(expiring);
        expect(changed).not.toContain(covered);
        expect(await store.accounts.get(expiring)).toMatchObject({ state: 'blocked', activeCredit: 0 });
        expect((await store.accounts.get(covered))?.state).toBe('active');
        expect((await history(expiring)).at(-1)).toEqual(['blocked', 'credit_expired']);
        expect((await store.ledger.listCredits(expiring))[0]?.active).toBe(false);

        expect(await store.ledger.expireCredits()).not.toContain(expiring);
      });
    });

    describe('statements', () => {
      it('lists charges, payments and adjustments newest first with totals and paging', async () => {
        const a = await store.accounts.create({});
        for (const n of [1, 2, 3]) await charge(sql, a.id, n * 10, `c${n}`);
        const p1 = await store.ledger.pay({ accountId: a.id, amount: 100, externalId: unique('psp') });
        const p2 = await store.ledger.pay({ accountId: a.id, amount: 200, externalId: unique('psp') });
        const j = await store.ledger.adjust({ accountId: a.id, amount: -5, reason: 'fix' });

        const charges = await store.ledger.charges(a.id, { limit: 2, offset: 0 });
        expect(charges.total).toBe(3);
        expect(charges.items.map((c) => [c.amount, c.comment, c.kind])).toEqual([
          [30, 'c3', 'one_off'],
          [20, 'c2', 'one_off'],
        ]);
        expect(charges.items[0]).toMatchObject({ accountId: a.id, sessionId: null, subscriptionId: null, feeDay: null });
        expect((await store.ledger.charges(a.id, { limit: 2, offset: 2 })).items.map((c) => c.amount)).toEqual([10]);
        expect(await store.ledger.payments(a.id, { limit: 10, offset: 0 })).toEqual({ items: [p2.payment, p1.payment], total: 2, limit: 10, offset: 0 });
        expect(await store.ledger.adjustments(a.id, { limit: 10, offset: 0 })).toEqual({ items: [j], total: 1, limit: 10, offset: 0 });
        expect(await store.ledger.payments(987_654_321, { limit: 10, offset: 0 })).toEqual({ items: [], total: 0, limit: 10, offset: 0 });
        await expect(store.ledger.payments(a.id, { limit: -1, offset: 0 })).rejects.toThrow(/limit/);
      });
    });

    describe('verify', () => {
      it('finds every balance equal to the sum of its rows after ledger writes', async () => {
        const result = await store.ledger.verify();
        const [{ n }] = (await sql.query<{ n: number }>('SELECT count(*) AS n FROM accounts')) as [{ n: number }];
        expect(result).toEqual({
          accounts: n,
          mismatches: [],
          sessions: 0,
          sessionCharges: { count: 0, items: [] },
          sessionTime: { count: 0, items: [] },
          usageMonths: 0,
          usageTraffic: { count: 0, items: [] },
          journal: { stranded: 0, oldestStrandedSeconds: null, rejected: 0 },
          problems: 0,
        });
      });

      it('reports a corrupted balance with what it should be', async () => {
        const a = await store.accounts.create({});
        await store.ledger.pay({ accountId: a.id, amount: 1_000, externalId: unique('psp') });
        await charge(sql, a.id, 300);
        await sql.query('UPDATE accounts SET balance = balance + 1 WHERE id = $1', [a.id]);
        expect((await store.ledger.verify()).mismatches).toEqual([{ accountId: a.id, balance: 701, expected: 700 }]);
        expect((await store.ledger.verify()).problems).toBe(1);
        await sql.query('UPDATE accounts SET balance = balance - 1 WHERE id = $1', [a.id]);
        expect((await store.ledger.verify()).mismatches).toEqual([]);
      });

      /**
       * A rated session as the rater leaves it: tariff 100/GB and 60/min, 120 s rated (charged_time 120) and a
       * usage month of 0.5 GB (charged_traffic 50), its charges booked against the balance.
       */
      async function ratedSession(): Promise<{ sessionId: number; subscriberId: number; accountId: number; month: string }> {
        const tariff = await store.tariffs.create({ name: unique('rated'), pricePerGB: 100, pricePerMinute: 60 });
        const account = await store.accounts.create({});
        const subscriber = await store.subscribers.create({ username: unique('rated'), password: 'rated-pw', accountId: account.id, tariffId: tariff.id });
        const sessionId = await insertSession(sql, { username: subscriber.username, startedAt: '2030-03-01T10:00:00Z' });
        const month = '2030-03-01';
        await sql.transaction(async (tx) => {
          await tx.query(
            'UPDATE sessions SET subscriber_id = $2, account_id = $3, rated_octets = 500000000, rated_seconds = 120, charged_traffic = 50, charged_time = 120 WHERE id = $1',
            [sessionId, subscriber.id, account.id],
          );
          await tx.query("INSERT INTO charges (account_id, kind, amount, session_id) VALUES ($1, 'traffic', 50, $2), ($1, 'time', 120, $2)", [account.id, sessionId]);
          await tx.query('UPDATE accounts SET balance = balance - 170 WHERE id = $1', [account.id]);
          await tx.query('INSERT INTO usage_monthly (subscriber_id, month, account_id, octets, seconds, charged_traffic) VALUES ($1, $2, $3, 500000000, 120, 50)', [
            subscriber.id,
            month,
            account.id,
          ]);
        });
        return { sessionId, subscriberId: subscriber.id, accountId: account.id, month };
      }

      it('reports a session whose charged_traffic or charged_time no longer equals the sum of its charges', async () => {
        const { sessionId, accountId } = await ratedSession();
        const clean = await store.ledger.verify();
        expect(clean).toMatchObject({ problems: 0, sessionCharges: { count: 0 }, sessionTime: { count: 0 }, usageTraffic: { count: 0 } });
        expect(clean.sessions).toBeGreaterThan(0);
        expect(clean.usageMonths).toBeGreaterThan(0);

        await sql.query('UPDATE sessions SET charged_traffic = charged_traffic + 1 WHERE id = $1', [sessionId]);
        try {
          const tampered = await store.ledger.verify();
          expect(tampered.sessionCharges).toEqual({ count: 1, items: [{ sessionId, accountId, kind: 'traffic', charged: 51, charges: 50 }] });
          expect(tampered.problems).toBe(1);
        } finally {
          await sql.query('UPDATE sessions SET charged_traffic = charged_traffic - 1 WHERE id = $1', [sessionId]);
        }
        await sql.query("UPDATE charges SET amount = amount - 2 WHERE session_id = $1 AND kind = 'time'", [sessionId]);
        try {
          const tampered = await store.ledger.verify();
          expect(tampered.sessionCharges.items).toEqual([{ sessionId, accountId, kind: 'time', charged: 120, charges: 118 }]);
        } finally {
          await sql.query("UPDATE charges SET amount = amount + 2 WHERE session_id = $1 AND kind = 'time'", [sessionId]);
        }
        expect((await store.ledger.verify()).problems).toBe(0);
      });

      it('reports charged_time and usage-month charged_traffic that are not the cumulative floor under the tariff', async () => {
        const { sessionId, subscriberId, accountId, month } = await ratedSession();
        // Consistent with its charges, but not with the tariff: the rating itself drifted.
        await sql.transaction(async (tx) => {
          await tx.query('UPDATE sessions SET charged_time = 119 WHERE id = $1', [sessionId]);
          await tx.query("UPDATE charges SET amount = 119 WHERE session_id = $1 AND kind = 'time'", [sessionId]);
          await tx.query('UPDATE accounts SET balance = balance + 1 WHERE id = $1', [accountId]);
          await tx.query('UPDATE usage_monthly SET charged_traffic = 49 WHERE subscriber_id = $1', [subscriberId]);
        });
        const r = await store.ledger.verify();
        expect(r.mismatches).toEqual([]);
        expect(r.sessionCharges.count).toBe(0);
        expect(r.sessionTime).toEqual({ count: 1, items: [{ sessionId, subscriberId, ratedSeconds: 120, pricePerMinute: 60, chargedTime: 119, expected: 120 }] });
        expect(r.usageTraffic).toEqual({
          count: 1,
          items: [{ subscriberId, month, octets: 500_000_000, includedBytes: 0, pricePerGB: 100, chargedTraffic: 49, expected: 50 }],
        });
        expect(r.problems).toBe(2);
        await sql.transaction(async (tx) => {
          await tx.query('UPDATE sessions SET charged_time = 120 WHERE id = $1', [sessionId]);
          await tx.query("UPDATE charges SET amount = 120 WHERE session_id = $1 AND kind = 'time'", [sessionId]);
          await tx.query('UPDATE accounts SET balance = balance - 1 WHERE id = $1', [accountId]);
          await tx.query('UPDATE usage_monthly SET charged_traffic = 50 WHERE subscriber_id = $1', [subscriberId]);
        });
        expect((await store.ledger.verify()).problems).toBe(0);
      });

      it('reports journal rows older than five minutes (stranded) and rejected rows', async () => {
        const [old] = await sql.query<{ id: number }>("INSERT INTO accounting_journal (received_at, records, body) VALUES (now() - interval '10 minutes', 1, '[]') RETURNING id");
        const [fresh] = await sql.query<{ id: number }>("INSERT INTO accounting_journal (records, body) VALUES (1, '[]') RETURNING id");
        await sql.query("INSERT INTO accounting_journal_rejected (id, received_at, records, body, error) VALUES (987654321, now(), 1, '[]', 'test')");
        try {
          const r = await store.ledger.verify();
          expect(r.journal.stranded).toBe(1);
          expect(r.journal.oldestStrandedSeconds).toBeGreaterThanOrEqual(600);
          expect(r.journal.oldestStrandedSeconds).toBeLessThan(700);
          expect(r.journal.rejected).toBe(1);
          expect(r.problems).toBe(2);
        } finally {
          await sql.query('DELETE FROM accounting_journal WHERE id = ANY($1::bigint[])', [[old!.id, fresh!.id]]);
          await sql.query('DELETE FROM accounting_journal_rejected WHERE id = 987654321');
        }
        expect((await store.ledger.verify()).journal).toEqual({ stranded: 0, oldestStrandedSeconds: null, rejected: 0 });
      });
    });
  });
}

/**
 * The embedded demo: on an empty database, a tariff and two subscribers, one funded and one in debt, so the
 * README's radtest lines show an Access-Accept with speed and a redirect to the captive portal. Balances are
 * written as ledger rows (a payment, an adjustment) so balance = Σ payments + Σ adjustments − Σ charges holds.
 */
import { rederiveAccountStates } from './account-state.js';
import type { Sql } from './sql.js';

export const DEMO_SUBSCRIBERS = [
  { username: 'alice', password: 'alice-password', ledger: { kind: 'payment', amount: 100_000 } },
  { username: 'bob', password: 'bob-password', ledger: { kind: 'adjustment', amount: -5_000 } },
] as const;

/**
 * Seeds only when there is no subscriber and no tariff yet; returns what it created, or null. `ntHash` is the
 * MS-CHAP NT hash of a password as hex (auth/mschapv2's ntPasswordHash, passed in: store does not import auth).
 */
export async function seedDemo(sql: Sql, ntHash: (password: string) => string): Promise<{ tariff: string; subscribers: string[] } | null> {
  return sql.transaction(async (tx) => {
    const [{ n } = { n: 0 }] = await tx.query<{ n: number }>('SELECT (SELECT count(*) FROM subscribers) + (SELECT count(*) FROM tariffs) AS n');
    if (Number(n) > 0) return null;
    const [tariff] = await tx.query<{ id: number }>(
      `INSERT INTO tariffs (name, monthly_fee, down_kbps, up_kbps, price_per_gb, included_bytes, price_per_minute)
       VALUES ('Demo 100M', 50000, 100000, 50000, 0, 0, 0) RETURNING id`,
    );
    const accountIds: number[] = [];
    for (const s of DEMO_SUBSCRIBERS) {
      const [account] = await tx.query<{ id: number }>('INSERT INTO accounts (balance) VALUES ($1) RETURNING id', [s.ledger.amount]);
      const accountId = Number(account?.id);
      accountIds.push(accountId);
      if (s.ledger.kind === 'payment') {
        await tx.query(`INSERT INTO payments (account_id, amount, external_id, comment) VALUES ($1, $2, $3, 'demo seed')`, [accountId, s.ledger.amount, `demo-${s.username}`]);
      } else {
        await tx.query(`INSERT INTO adjustments (account_id, amount, reason) VALUES ($1, $2, 'demo seed: unpaid balance')`, [accountId, s.ledger.amount]);
      }
      const [sub] = await tx.query<{ id: number }>(
        `INSERT INTO subscribers (username, password_cleartext, nt_hash, account_id, tariff_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [s.username, s.password, ntHash(s.password), accountId, tariff?.id],
      );
      await tx.query(`INSERT INTO subscriptions (account_id, subscriber_id, tariff_id, activated_on) VALUES ($1, $2, $3, current_date)`, [accountId, sub?.id, tariff?.id]);
    }
    await rederiveAccountStates(tx, accountIds, 'demo seed');
    return { tariff: 'Demo 100M', subscribers: DEMO_SUBSCRIBERS.map((s) => s.username) };
  });
}

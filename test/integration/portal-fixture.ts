/**
 * Shared by the portal's integration and browser tests: a BRAS's RFC 5176 listener that ACKs what it receives,
 * and a blocked subscriber with an open session (charges this month and last month, a payment).
 */
import { currentAndPreviousMonth } from '../../src/billing/core/calendar.js';
import { rederiveAccountStates } from '../../src/store/account-state.js';
import type { Sql } from '../../src/store/sql.js';
import { createStore } from '../../src/store/store.js';
export { FakeBras } from '../helpers/fake-bras.js';



export interface Seeded {
  accountId: number;
  subscriberId: number;
  sessionId: number;
  /** The open session's Framed-IP-Address. */
  framedIp: string;
}

/** Amounts seeded (minor units). Balance: 1000 − 1500 − 200 − 100 − 700 = −1500. */
export const SEED = { payment: 1000, traffic: 1500, oneOff: 200, fee: 100, lastMonth: 700, balance: -1500 } as const;

/**
 * A tariff, an account, subscriber `dana` on it with an open session from NAS `bras` holding `framedIp`, and
 * charges that block the account. The session's coa_state is 'restricted': the NAS was told to restrict it.
 */
export async function seedBlockedSubscriber(sql: Sql, seeded: Seeded, options: { tariffName?: string } = {}): Promise<void> {
  const store = createStore(sql);
  const tariff = await store.tariffs.create({ name: options.tariffName ?? 'Home 100', monthlyFee: 3000, downKbps: 100_000, upKbps: 50_000 });
  const account = await store.accounts.create({ creditLimit: 0 });
  await store.ledger.pay({ accountId: account.id, amount: SEED.payment, externalId: 'opening-1', comment: 'bank transfer' });
  const subscriber = await store.subscribers.create({ username: 'dana', password: 'dana-password', accountId: account.id, tariffId: tariff.id });
  const [session] = await sql.query<{ id: number }>(
    `INSERT INTO sessions (acct_unique_id, nas_name, acct_session_id, username, subscriber_id, account_id, framed_ip,
                           started_at, updated_at, last_status, coa_state)
     VALUES ('portal-u1', 'bras', 'portal-s1', 'dana', $1, $2, $3::inet, now() - interval '1 hour', now(), 'interim-update', 'restricted')
     RETURNING id`,
    [subscriber.id, account.id, seeded.framedIp],
  );
  const [subscription] = await sql.query<{ id: number }>('SELECT id FROM subscriptions WHERE subscriber_id = $1', [subscriber.id]);
  const { previous } = currentAndPreviousMonth(new Date(), 'UTC');
  const lastMonthAt = new Date(previous.from.getTime() + 2 * 86_400_000).toISOString();
  const today = new Date().toISOString().slice(0, 10);
  await sql.transaction(async (tx) => {
    await tx.query(`INSERT INTO charges (account_id, kind, amount, session_id) VALUES ($1, 'traffic', $2, $3)`, [account.id, SEED.traffic, session!.id]);
    await tx.query(`INSERT INTO charges (account_id, kind, amount, comment) VALUES ($1, 'one_off', $2, 'router rent')`, [account.id, SEED.oneOff]);
    await tx.query(`INSERT INTO charges (account_id, kind, amount, subscription_id, fee_day) VALUES ($1, 'fee', $2, $3, $4::date)`, [account.id, SEED.fee, subscription!.id, today]);
    await tx.query(`INSERT INTO charges (account_id, kind, amount, comment, created_at) VALUES ($1, 'one_off', $2, 'installation', $3::timestamptz)`, [account.id, SEED.lastMonth, lastMonthAt]);
    await tx.query('UPDATE accounts SET balance = balance - $2 WHERE id = $1', [account.id, SEED.traffic + SEED.oneOff + SEED.fee + SEED.lastMonth]);
    await rederiveAccountStates(tx, [account.id], 'charge');
  });
  seeded.accountId = account.id;
  seeded.subscriberId = subscriber.id;
  seeded.sessionId = session!.id;
}

export async function until(what: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The hidden form fields of the promised-payment form in a page. */
export function formFields(page: string): { csrf: string; session: string } | undefined {
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
  const session = /name="session" value="([^"]+)"/.exec(page)?.[1];
  return csrf && session ? { csrf, session } : undefined;
}

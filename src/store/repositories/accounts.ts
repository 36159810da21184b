/**
 * Accounts: the balance holder. Balance is never written here (payments, adjustments and charges do that). The
 * credit limit is bounded by 10^15 minor units; balances, limits and active credit are read clamped to ±(2^53 − 1),
 * so a legacy row beyond that cannot fail a list (src/store/money.ts).
 */
import type { Account, AccountState } from '../../domain/types.js';
import { rederiveAccountStates } from '../account-state.js';
import { boundedAmount, clampedSql } from '../money.js';
import type { AccountRepository } from '../../domain/ports.js';
import type { Sql } from '../sql.js';
import { pageOf } from '../sql-build.js';
import { isoTime } from '../sql-values.js';
import { count } from '../validate.js';

interface AccountRow {
  id: number;
  balance: number;
  credit_limit: number;
  active_credit: number;
  state: AccountState;
  state_since: Date;
  created_at: Date;
  updated_at: Date;
}

const ACTIVE_CREDIT = 'coalesce((SELECT sum(c.amount) FROM credits c WHERE c.account_id = a.id AND c.expires_at > now()), 0)';
const SELECT = `SELECT a.id, ${clampedSql('a.balance')} AS balance, ${clampedSql('a.credit_limit')} AS credit_limit, a.state, a.state_since,
  a.created_at, a.updated_at, ${clampedSql(ACTIVE_CREDIT)} AS active_credit
  FROM accounts a`;

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    balance: row.balance,
    creditLimit: row.credit_limit,
    activeCredit: row.active_credit,
    state: row.state,
    stateSince: isoTime(row.state_since),
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
  };
}

async function getAccount(sql: Sql, id: number): Promise<Account | undefined> {
  const [row] = await sql.query<AccountRow>(`${SELECT} WHERE a.id = $1`, [id]);
  return row && toAccount(row);
}

export function accountRepository(sql: Sql): AccountRepository {
  return {
    list(page) {
      return pageOf(sql, page, { text: SELECT, params: [] }, 'SELECT count(*) AS total FROM accounts', toAccount);
    },
    get: (id) => getAccount(sql, id),
    async create(input) {
      const creditLimit = boundedAmount('creditLimit', count('creditLimit', input.creditLimit ?? 0));
      return sql.transaction(async (tx) => {
        // balance 0 + credit_limit ≥ 0: a new account is always active.
        const [row] = await tx.query<{ id: number }>(
          "INSERT INTO accounts (balance, credit_limit, state) VALUES (0, $1, 'active') RETURNING id",
          [creditLimit],
        );
        // The accounts_open_history trigger opens the first account_states period.
        return (await getAccount(tx, row!.id))!;
      });
    },
    async update(id, patch) {
      if (patch.creditLimit !== undefined) boundedAmount('creditLimit', count('creditLimit', patch.creditLimit));
      return sql.transaction(async (tx) => {
        const found =
          patch.creditLimit !== undefined
            ? await tx.query('UPDATE accounts SET credit_limit = $2 WHERE id = $1 RETURNING id', [id, patch.creditLimit])
            : await tx.query('SELECT id FROM accounts WHERE id = $1 FOR UPDATE', [id]);
        if (found.length === 0) return undefined;
        await rederiveAccountStates(tx, [id], patch.creditLimit !== undefined ? 'credit_limit' : 'rederived');
        return getAccount(tx, id);
      });
    },
    async delete(id) {
      return (await sql.query('DELETE FROM accounts WHERE id = $1 RETURNING id', [id])).length > 0;
    },
  };
}

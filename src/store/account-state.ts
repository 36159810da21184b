/**
 * The account state (active/blocked) is derived and stored: an account is active while
 * balance + credit_limit + Σ unexpired credits ≥ 0. Whoever changes one of those terms calls
 * rederiveAccountStates in the same transaction; each transition moves accounts.state/state_since and
 * closes the open account_states period, opening the next one, so blocking has a dated history.
 */
import type { AccountState } from '../domain/types.js';
import type { Sql } from '../domain/ports.js';

export interface AccountStateChange {
  readonly accountId: number;
  readonly state: AccountState;
}

/** SQL for the derived state of account `a` (used by rederive and by reports). */
export const DERIVED_STATE_SQL = `CASE WHEN a.balance + a.credit_limit + coalesce(
    (SELECT sum(c.amount) FROM credits c WHERE c.account_id = a.id AND c.expires_at > now()), 0) >= 0
  THEN 'active' ELSE 'blocked' END`;

/**
 * Re-derives the state of `accountIds` inside `tx` and records every transition with `reason`
 * ('payment', 'charge', 'credit_limit', 'credit_expired', …). Returns the accounts whose state changed.
 */
export async function rederiveAccountStates(tx: Sql, accountIds: readonly number[], reason: string): Promise<AccountStateChange[]> {
  if (accountIds.length === 0) return [];
  const ids = [...new Set(accountIds)].sort((x, y) => x - y);
  // Lock in id order first, so two transactions re-deriving overlapping sets cannot deadlock, and the
  // derivation below reads balances no one else can change before commit.
  await tx.query('SELECT id FROM accounts WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [ids]);
  const changed = await tx.query<{ id: number; state: AccountState }>(
    `WITH derived AS (
       SELECT a.id, ${DERIVED_STATE_SQL} AS state FROM accounts a WHERE a.id = ANY($1::bigint[])
     )
     UPDATE accounts a SET state = d.state, state_since = now()
     FROM derived d WHERE a.id = d.id AND a.state <> d.state
     RETURNING a.id, a.state`,
    [ids],
  );
  if (changed.length === 0) return [];
  const changedIds = changed.map((c) => c.id);
  await tx.query('UPDATE account_states SET until = now() WHERE account_id = ANY($1::bigint[]) AND until IS NULL', [changedIds]);
  await tx.query(
    `INSERT INTO account_states (account_id, state, since, reason)
     SELECT a.id, a.state, a.state_since, $2 FROM accounts a WHERE a.id = ANY($1::bigint[])`,
    [changedIds, reason],
  );
  return changed.map((c) => ({ accountId: c.id, state: c.state }));
}

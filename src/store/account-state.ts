/**
 * The account state (active/blocked) is derived and stored: an account is active while its allowance,
 * balance + credit_limit + Σ unexpired credits, is ≥ 0 (billing/core/allowance.ts). Whoever changes one of those
 * terms calls rederiveAccountStates in the same transaction; each transition moves accounts.state/state_since and
 * closes the open account_states period, opening the next one, so blocking has a dated history.
 */
import type { AccountStateChange } from '../domain/accounting.js';
import type { AccountState } from '../domain/types.js';
import type { Sql } from './sql.js';

/**
 * The allowance of account `a` without its temporary credits (billing/core/allowance.ts has the rule): credits only
 * add to it, so an account whose permanent allowance is ≥ 0 is active whatever its credits (the fee run's cheap
 * filter of the accounts a charge may block).
 */
export const PERMANENT_ALLOWANCE_SQL = 'a.balance + a.credit_limit';

/** The allowance of account `a` (billing/core/allowance.ts): balance + credit limit + unexpired temporary credit. */
export const ALLOWANCE_SQL = `${PERMANENT_ALLOWANCE_SQL} + coalesce(
    (SELECT sum(c.amount) FROM credits c WHERE c.account_id = a.id AND c.expires_at > now()), 0)`;

/** SQL for the derived state of account `a` (used by rederive and by reports): active while the allowance is ≥ 0. */
export const DERIVED_STATE_SQL = `CASE WHEN ${ALLOWANCE_SQL} >= 0
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

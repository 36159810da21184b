/**
 * The allowance: balance + credit limit + unexpired temporary credit, what an account may still spend (negative:
 * the debt beyond it). One rule with two readings: the account is active while its allowance is ≥ 0 (integer minor
 * units, so a credit that brings the sum to exactly 0 keeps the account active), blocked below. The store derives
 * and keeps accounts.state by the same rule in SQL (store/account-state.ts, ALLOWANCE_SQL); the portal shows the
 * allowance and AAA decides on it from a cached snapshot. Pure.
 */
import type { Account, AccountState } from '../../domain/types.js';

export type AllowanceTerms = Pick<Account, 'balance' | 'creditLimit' | 'activeCredit'>;

/** What the readers clamp stored values to (±(2^53 − 1)): the allowance saturates there as well. */
const CLAMP = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * balance + creditLimit + activeCredit, exact (bigint inside, so a partial sum beyond 2^53 does not round the
 * total) and saturating at ±(2^53 − 1), so clamped legacy values still give a number a page can format.
 */
export function allowance(account: AllowanceTerms): number {
  const total = BigInt(account.balance) + BigInt(account.creditLimit) + BigInt(account.activeCredit);
  return Number(total > CLAMP ? CLAMP : total < -CLAMP ? -CLAMP : total);
}

/** The state the allowance gives: active at ≥ 0, blocked below. */
export function stateOfAllowance(account: AllowanceTerms): AccountState {
  return allowance(account) >= 0 ? 'active' : 'blocked';
}

/**
 * How the store holds the bounds of money (docs/accounting.md "Limits of money", migration 9; the bounds
 * themselves are src/domain/money.ts): every amount, resulting balance, credit limit and active credit is within
 * ±10^15 minor units, checked in the transaction that books it, with the database's NOT VALID range CHECKs as the
 * last line of defence. Readers clamp what an older database may still hold beyond ±(2^53 − 1) instead of
 * failing, so one bad row cannot take an account list or a RADIUS reply down.
 */
import { MONEY_CLAMP, MONEY_LIMIT } from '../domain/money.js';
import { StoreError } from '../domain/ports.js';

// The repositories import the bounds from here, next to the SQL that enforces them.
export { MONEY_CLAMP, MONEY_LIMIT, withinMoneyLimit } from '../domain/money.js';

/** The range CHECKs of migration 9 and the input field each is about. */
export const MONEY_RANGE_CONSTRAINTS: Readonly<Record<string, string>> = {
  accounts_balance_range_check: 'balance',
  accounts_credit_limit_range_check: 'creditLimit',
  payments_amount_range_check: 'amount',
  adjustments_amount_range_check: 'amount',
  credits_amount_range_check: 'amount',
  charges_amount_range_check: 'amount',
};

/**
 * SQL clamping a bigint or numeric expression to ±(2^53 − 1), for the columns readers turn into JS numbers
 * (money, and the counters a report shows next to it).
 * `expr` must not be NULL (GREATEST and LEAST skip NULLs): use it on NOT NULL columns and coalesced sums.
 */
export function clampedSql(expr: string): string {
  return `least(greatest(${expr}, -${MONEY_CLAMP}), ${MONEY_CLAMP})`;
}

/** The StoreError of a value beyond the bounds; the message names the limit. */
export function outOfRange(field: string, what: string, cause?: unknown): StoreError {
  return new StoreError('STORE_OUT_OF_RANGE', `${what}: money is limited to ±${MONEY_LIMIT} minor units (10^15)`, field, cause === undefined ? undefined : { cause });
}

/** |amount| ≤ 10^15 (a number the validators already know to be an integer); STORE_OUT_OF_RANGE otherwise. */
export function boundedAmount(field: string, amount: number): number {
  if (Math.abs(amount) > MONEY_LIMIT) throw outOfRange(field, `${field} ${amount} is out of range`);
  return amount;
}

/**
 * The bounds of money (docs/accounting.md "Limits of money"), as rules every layer shares: an amount, a resulting
 * balance, a credit limit and an active credit are within ±10^15 minor units; what an older database may still
 * hold beyond ±(2^53 − 1) is read as the nearest safe integer. The store enforces them (src/store/money.ts: the
 * checks in the booking transaction, the clamped reads); the API documents and validates against them; the
 * portal sums clamped values without leaving the safe range.
 */

/** 10^15 minor units: far above any real balance, far below 2^53 so sums of a few stay exact. */
export const MONEY_LIMIT = 1_000_000_000_000_000;

/** What a reader returns for a stored value beyond ±(2^53 − 1): the nearest safe integer (never a real value). */
export const MONEY_CLAMP = Number.MAX_SAFE_INTEGER;

/** Whether a decimal integer (as SQL's numeric text) lies within ±10^15, compared exactly. */
export function withinMoneyLimit(decimal: string): boolean {
  const value = BigInt(decimal);
  const limit = BigInt(MONEY_LIMIT);
  return value >= -limit && value <= limit;
}

/**
 * The bounds of money (docs/accounting.md "Limits of money"), as rules every layer shares: an amount, a resulting
 * balance, a credit limit and an active credit are within ±10^15 minor units; what an older database may still
 * hold beyond ±(2^53 − 1) is read as the nearest safe integer. The store enforces them (src/store/money.ts: the
 * checks in the booking transaction, the clamped reads); the API documents and validates against them; the
 * portal sums clamped values without leaving the safe range. And the decimal text of an amount in a currency's
 * minor digits (minorToDecimal), which the portal and the admin API's statement files both write.
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

const digitsCache = new Map<string, number>();

/** The currency's minor digits (USD 2, JPY 0, BHD 3), as Intl knows them. */
export function minorDigits(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, d);
  }
  return d;
}

/** `-12345` minor units with 2 digits → `'-123.45'`. Exact for any integer. */
export function minorToDecimal(minor: number | bigint, digits: number): string {
  if (typeof minor === 'number' && !Number.isSafeInteger(minor)) throw new RangeError(`money must be an integer number of minor units, got ${minor}`);
  const value = BigInt(minor);
  const negative = value < 0n;
  const abs = (negative ? -value : value).toString();
  if (digits === 0) return `${negative ? '-' : ''}${abs}`;
  const padded = abs.padStart(digits + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Integer minor units in the currency's notation for people, without floating point: the decimal string is built
 * from the integer and handed to Intl.NumberFormat as a string, which formats the exact decimal (ECMA-402).
 *
 * @example
 * formatMoney(-150050, 'RUB', 'ru') // '-1 500,50 ₽'
 * formatMoney(1999, 'USD', 'en')    // '$19.99'
 */
export function formatMoney(minor: number | bigint, currency: string, locale: string): string {
  const key = `${locale}\u0000${currency}`;
  let f = formatters.get(key);
  if (!f) {
    const digits = minorDigits(currency);
    f = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(key, f);
  }
  return f.format(minorToDecimal(minor, minorDigits(currency)) as `${number}`);
}

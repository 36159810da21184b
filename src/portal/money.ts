/**
 * Money for people: integer minor units → the currency's decimal notation, without floating point. The decimal
 * string is built from the integer (a BigInt) and handed to Intl.NumberFormat as a string, which formats the
 * exact decimal (ECMA-402 treats a numeric string as an exact decimal).
 */

import { minorDigits, minorToDecimal } from '../domain/money.js';

// The decimal text of an amount is the domain's (the admin API's statement exports write the same digits).
export { minorDigits, minorToDecimal };

const formatters = new Map<string, Intl.NumberFormat>();

/**
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
  // A numeric string is formatted as an exact decimal (Intl.NumberFormat v3), never through a float.
  return f.format(minorToDecimal(minor, minorDigits(currency)) as `${number}`);
}

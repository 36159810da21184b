/**
 * Money for people: integer minor units → the currency's decimal notation, without floating point. The decimal
 * string is built from the integer (a BigInt) and handed to Intl.NumberFormat as a string, which formats the
 * exact decimal (ECMA-402 treats a numeric string as an exact decimal).
 */

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

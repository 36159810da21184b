/**
 * Money in the console: the API carries integer minor units (cents, kopecks); people read and type decimals.
 * Both directions are exact: formatting builds the decimal string from the integer (a BigInt) and hands it to
 * Intl.NumberFormat as a string (an exact decimal, ECMA-402), and parsing works on the typed digits as a string,
 * never through a float ("12.34" is 1234, "0.1" + "0.2" never happens).
 */

/** The API's bound on any amount (docs/api.md): ±10^15 minor units. */
export const MONEY_LIMIT = 1_000_000_000_000_000n;

// The same digits, decimal text and formatting as the server's statements and portal (src/domain/money.ts).
export { formatMoney, minorDigits, minorToDecimal } from '../../src/domain/money.js';

export type ParsedMoney = { readonly ok: true; readonly minor: number } | { readonly ok: false; readonly problem: 'format' | 'digits' | 'range' | 'sign' | 'zero' };

export interface ParseOptions {
  /** Whether a leading minus is accepted (adjustments); payments and credits are positive. */
  readonly signed?: boolean;
}

/**
 * What the operator typed → integer minor units, exactly: `"12.34"` with 2 digits is 1234, `"12,5"` is 1250,
 * `"1 000"` is 100000. More decimals than the currency has, a zero amount, or beyond ±10^15 minor units are refused
 * (the API would refuse them too, less clearly).
 */
export function parseMoney(text: string, digits: number, options: ParseOptions = {}): ParsedMoney {
  const compact = text.trim().replace(/[\s\u00a0\u202f']/g, '');
  const m = /^([+-]?)(\d+)(?:[.,](\d*))?$/.exec(compact) ?? /^([+-]?)()[.,](\d+)$/.exec(compact);
  if (!m) return { ok: false, problem: 'format' };
  const [, sign = '', whole = '', fraction = ''] = m;
  if (sign === '-' && !options.signed) return { ok: false, problem: 'sign' };
  if (fraction.length > digits) return { ok: false, problem: 'digits' };
  const magnitude = BigInt(`${whole || '0'}${fraction.padEnd(digits, '0')}`);
  if (magnitude === 0n) return { ok: false, problem: 'zero' };
  if (magnitude > MONEY_LIMIT) return { ok: false, problem: 'range' };
  return { ok: true, minor: Number(sign === '-' ? -magnitude : magnitude) };
}

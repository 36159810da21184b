/**
 * How both `Sql` adapters turn PostgreSQL values into JS, so the same query returns the same values on
 * PostgreSQL and PGlite: int8 and numeric become numbers only when exact (money and counters are never
 * rounded), dates stay 'YYYY-MM-DD' strings (no local-time-zone Date), timestamptz stays a Date.
 */

/** PostgreSQL type OIDs the adapters parse themselves. */
export const PG_OID = { INT8: 20, NUMERIC: 1700, DATE: 1082 } as const;

const INTEGER_TEXT = /^-?\d+$/;

/** int8 → number; throws rather than round a value beyond ±2^53−1. */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} is beyond the safe integer range of a JS number`);
  return value;
}

/**
 * numeric → number. Integral values (sum() of bigint money columns) must be exact, or this throws;
 * fractional values (averages, ratios) are not money and are returned as the nearest double.
 */
export function parseNumeric(text: string): number {
  if (INTEGER_TEXT.test(text)) return parseInt8(text);
  return Number(text);
}

/** A timestamptz as the domain's ISO-8601 UTC string. Accepts the Date both adapters return. */
export function isoTime(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return new Date(value).toISOString();
  throw new TypeError(`expected a timestamp, got ${typeof value}`);
}

/** The rows of the last statement, for adapters that return one result per statement. */
export function lastRows<T>(results: readonly { rows: T[] }[]): T[] {
  return results.length > 0 ? (results[results.length - 1]?.rows ?? []) : [];
}

const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * One row of COPY's text format (Sql.copyIn): fields joined by tabs, null as \N, and the four characters COPY
 * reads specially (backslash, newline, carriage return, tab) escaped, so no value can end its row, start another
 * or spell the end-of-data marker. A NUL stays as it is: PostgreSQL refuses it in text (SQLSTATE 22021), as it
 * does in any other statement.
 */
export function copyLine(fields: readonly (string | null)[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    const v = fields[i];
    if (i > 0) line += '\t';
    if (v === null || v === undefined) line += '\\N';
    else line += COPY_SPECIAL.test(v) ? v.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c] as string) : v;
  }
  return `${line}\n`;
}

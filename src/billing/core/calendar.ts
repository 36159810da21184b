/**
 * The calendar, one module for days and months: calendar days ('YYYY-MM-DD') and their arithmetic, the day of an
 * instant in a time zone (fee days are days of the fee time zone, fees.timeZone), the UTC month of the usage_monthly
 * key, and calendar months of a time zone as instants (the portal's "this month" and "last month" are months of the
 * fee time zone, the same calendar the daily fees are charged on). Pure: Intl only.
 */
import { checkTimeZone, offsetAt } from '../../domain/local-time.js';

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** [year, month 1-12, day 1-31] of a 'YYYY-MM-DD' calendar day; RangeError when it is not a real date. */
export function parseDay(day: string): [number, number, number] {
  const m = DAY_RE.exec(day);
  if (!m) throw new RangeError(`day must be YYYY-MM-DD, got ${JSON.stringify(day)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw new RangeError(`no such day ${day}`);
  return [y, mo, d];
}

/** Days of month `month` (1-12) of `year` (proleptic Gregorian). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function formatDay(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The calendar day `n` days after `day` (negative: before). Pure date arithmetic, no time zone involved. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = parseDay(day);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return formatDay(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** The first day of the calendar month after the month of `day` ('2030-01-31' → '2030-02-01'). */
export function firstDayOfNextMonth(day: string): string {
  const [y, m] = parseDay(day);
  return m === 12 ? formatDay(y + 1, 1, 1) : formatDay(y, m + 1, 1);
}

/** Throws RangeError unless `timeZone` is an IANA zone Intl knows; returns it (domain/local-time.ts). */
export { checkTimeZone };

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day ('YYYY-MM-DD') of `instant` in `timeZone` (IANA, e.g. 'UTC', 'Asia/Vladivostok'). */
export function dayInTimeZone(instant: Date, timeZone = 'UTC'): string {
  let f = formatters.get(timeZone);
  if (!f) {
    checkTimeZone(timeZone);
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', calendar: 'gregory', numberingSystem: 'latn' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]));
  return formatDay(Number(parts.year), Number(parts.month), Number(parts.day));
}

/** Days of the UTC calendar month that contains `date`. */
export function daysInMonthOf(date: Date): number {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
}

/** 'YYYY-MM-01' of the UTC calendar month that contains `date` (the usage_monthly key). */
export function monthOf(date: Date): string {
  const y = String(date.getUTCFullYear()).padStart(4, '0');
  const m = String(date.getUTCMonth() + 1).padStart(2, '0');
  return `${y}-${m}-01`;
}

/** The zone's offset from UTC at `instant`, in milliseconds (east positive): the tariff rules' (domain/local-time.ts). */
const offsetMs = offsetAt;

/** The instant of local midnight starting day 1 of `month` (1–12, may overflow into other years) in `timeZone`. */
export function monthStart(year: number, month: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, 1);
  // Two passes: the offset at the guess, then at the corrected instant (a DST change near midnight).
  let at = wall - offsetMs(wall, timeZone);
  at = wall - offsetMs(at, timeZone);
  return new Date(at);
}

export interface MonthPeriod {
  /** 'YYYY-MM' */
  readonly month: string;
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
}

/** The month containing `now` in `timeZone`, and the one before it. */
export function currentAndPreviousMonth(now: Date, timeZone: string): { current: MonthPeriod; previous: MonthPeriod } {
  const [y, m] = parseDay(dayInTimeZone(now, timeZone));
  const label = (year: number, month: number) => {
    const d = new Date(Date.UTC(year, month - 1, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  };
  const start = monthStart(y, m, timeZone);
  return {
    current: { month: label(y, m), from: start, to: monthStart(y, m + 1, timeZone) },
    previous: { month: label(y, m - 1), from: monthStart(y, m - 1, timeZone), to: start },
  };
}

/**
 * Calendar months of a time zone as instants: the portal's "this month" and "last month" are months of the fee
 * time zone (fees.timeZone), the same calendar the daily fees are charged on. Pure: Intl only.
 */
import { dayInTimeZone, parseDay } from '../billing/fees.js';

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at `instant`, in milliseconds (east positive). */
function offsetMs(instant: number, timeZone: string): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      calendar: 'gregory',
      numberingSystem: 'latn',
    });
    offsetFormatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

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

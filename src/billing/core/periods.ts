/**
 * Billing periods: where a tariff change scheduled for "the next period" starts. Today every tariff bills by the
 * calendar month of the fee time zone, so the next period starts on the first day of the next month. This is the
 * one seam for anniversary periods (docs/tariffs.md, `tariffs.period`): that step passes the tariff's period and
 * the subscription's `activated_on` here, and every caller (the API's schedule, the portal's date) follows. Pure.
 */
import { firstDayOfNextMonth } from './calendar.js';

/**
 * The first fee day of the period after the one containing `today` ('YYYY-MM-DD', a day of the fee time zone):
 * the first day of the next calendar month.
 *
 * @example
 * nextPeriodStart('2030-01-15'); // '2030-02-01'
 * nextPeriodStart('2030-12-31'); // '2031-01-01'
 */
export function nextPeriodStart(today: string): string {
  return firstDayOfNextMonth(today);
}

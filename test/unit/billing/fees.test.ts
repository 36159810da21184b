import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, checkTimeZone, dayInTimeZone, daysInMonth, parseDay } from '../../../src/billing/core/calendar.js';
import { feeForDay } from '../../../src/billing/core/rating.js';

/** Σ feeForDay over the days from..to inclusive. */
function sumDays(fee: number, from: string, to: string): bigint {
  let total = 0n;
  for (let day = from; day <= to; day = addDays(day, 1)) total += feeForDay(fee, day);
  return total;
}

function lastDay(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(daysInMonth(year, month)).padStart(2, '0')}`;
}

describe('calendar days', () => {
  it('knows 28/29/30/31-day months and leap years', () => {
    expect(daysInMonth(2030, 2)).toBe(28);
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2030, 4)).toBe(30);
    expect(daysInMonth(2030, 12)).toBe(31);
  });

  it('adds days across months and years', () => {
    expect(addDays('2030-01-31', 1)).toBe('2030-02-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2030-12-31', 1)).toBe('2031-01-01');
    expect(addDays('2030-03-10', -40)).toBe('2030-01-29');
  });

  it('rejects what is not a day', () => {
    expect(() => parseDay('2030-02-29')).toThrow(RangeError);
    expect(() => parseDay('2030-13-01')).toThrow(RangeError);
    expect(() => parseDay('2030-1-01')).toThrow(RangeError);
    expect(() => parseDay('2030-01-01T00:00:00Z')).toThrow(RangeError);
  });

  it('takes the calendar day in the fee time zone', () => {
    const instant = new Date('2030-03-31T14:30:00Z'); // 00:30 on April 1st in Vladivostok (UTC+10)
    expect(dayInTimeZone(instant)).toBe('2030-03-31');
    expect(dayInTimeZone(instant, 'UTC')).toBe('2030-03-31');
    expect(dayInTimeZone(instant, 'Asia/Vladivostok')).toBe('2030-04-01');
    expect(dayInTimeZone(new Date('2030-03-31T13:59:59Z'), 'Asia/Vladivostok')).toBe('2030-03-31');
    expect(dayInTimeZone(new Date('2030-01-01T04:00:00Z'), 'America/New_York')).toBe('2029-12-31');
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(RangeError);
  });
});

describe('daily fee', () => {
  it('charges floor(fee·d/D) − floor(fee·(d−1)/D)', () => {
    expect(feeForDay(50_000, '2030-04-01')).toBe(1666n); // floor(50000/30)
    expect(feeForDay(50_000, '2030-04-02')).toBe(1667n); // 3333 − 1666
    expect(feeForDay(50_000, '2030-04-30')).toBe(50_000n - 48_333n);
    expect(feeForDay(7, '2030-02-04')).toBe(1n); // floor(28/28) − floor(21/28)
    expect(feeForDay(7, '2030-02-03')).toBe(0n);
    expect(feeForDay(1, '2030-01-30')).toBe(0n);
    expect(feeForDay(1, '2030-01-31')).toBe(1n);
    expect(feeForDay(0, '2030-01-31')).toBe(0n);
  });

  it.each([
    [2030, 1], // 31 days
    [2030, 2], // 28
    [2028, 2], // 29 (leap year)
    [2030, 4], // 30
    [2000, 2], // 29 (divisible by 400)
    [2100, 2], // 28 (divisible by 100)
  ])('a whole month %i-%i sums to the fee exactly', (year, month) => {
    const first = `${year}-${String(month).padStart(2, '0')}-01`;
    for (const fee of [1, 7, 99_999, 50_000, 31, 29, 1_000_000_007]) {
      expect(sumDays(fee, first, lastDay(year, month))).toBe(BigInt(fee));
    }
  });

  it('a fee smaller than the month charges 1 on exactly `fee` days', () => {
    let ones = 0;
    for (let d = 1; d <= 31; d++) {
      const f = feeForDay(7, `2030-01-${String(d).padStart(2, '0')}`);
      expect(f === 0n || f === 1n).toBe(true);
      if (f === 1n) ones += 1;
    }
    expect(ones).toBe(7);
  });

  it('activation mid-month charges from the activation day: the rest of the month', () => {
    // Active from April 11th: Σ days 11..30 = fee − floor(fee·10/30).
    expect(sumDays(50_000, '2030-04-11', '2030-04-30')).toBe(50_000n - (50_000n * 10n) / 30n);
    expect(sumDays(99_999, '2030-02-15', '2030-02-28')).toBe(99_999n - (99_999n * 14n) / 28n);
  });

  it('any split of a month into periods sums to the fee (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2200 }),
        fc.integer({ min: 1, max: 12 }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, fee, split) => {
          const D = daysInMonth(year, month);
          const cut = Math.min(split, D);
          const first = `${year}-${String(month).padStart(2, '0')}-01`;
          let a = 0n;
          let b = 0n;
          for (let d = 1; d <= D; d++) {
            const f = feeForDay(fee, addDays(first, d - 1));
            if (d <= cut) a += f;
            else b += f;
          }
          expect(a).toBe((fee * BigInt(cut)) / BigInt(D));
          expect(a + b).toBe(fee);
        },
      ),
      { numRuns: 200 },
    );
  });
});

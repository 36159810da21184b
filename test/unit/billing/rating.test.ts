import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BYTES_PER_GB,
  advanceCounter,
  chargeFor,
  cumulativeFloor,
  dailyFee,
  rateTime,
  rateTraffic,
} from '../../../src/billing/core/rating.js';
import { daysInMonthOf, monthOf } from '../../../src/billing/core/calendar.js';

const TWO_32 = 2n ** 32n;

describe('cumulative floors', () => {
  it('charges floor(total × price / unit) − already', () => {
    expect(cumulativeFloor(1_500_000_000n, 7n, BYTES_PER_GB)).toBe(10n);
    expect(chargeFor(1_500_000_000n, 7n, BYTES_PER_GB, 7n)).toBe(3n);
    expect(chargeFor(1n, 7n, BYTES_PER_GB)).toBe(0n);
    expect(chargeFor(100n, 1n, 60n, 5n)).toBe(0n); // never negative
    expect(() => cumulativeFloor(-1n, 1n, 1n)).toThrow(RangeError);
    expect(() => cumulativeFloor(1n, 1n, 0n)).toThrow(RangeError);
    expect(() => cumulativeFloor(2 ** 60, 1, 1)).toThrow(RangeError);
  });

  it('many small interims at 7 per GB sum exactly to floor(total × 7 / 1e9)', () => {
    let total = 0n;
    let charged = 0n;
    for (let i = 0; i < 10_000; i++) {
      total += 123_456_789n + BigInt(i % 7);
      charged += chargeFor(total, 7n, BYTES_PER_GB, charged);
    }
    expect(charged).toBe((total * 7n) / BYTES_PER_GB);
  });

  it('any split of a total charges the same (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { maxLength: 50 }), fc.bigInt({ min: 0n, max: 100_000n }), (deltas, price) => {
        let total = 0n;
        let charged = 0n;
        for (const d of deltas) {
          total += d;
          charged += chargeFor(total, price, BYTES_PER_GB, charged);
        }
        return charged === (total * price) / BYTES_PER_GB;
      }),
    );
  });
});

describe('dailyFee', () => {
  for (const days of [28, 29, 30, 31]) {
    for (const fee of [0, 1, 7, 100, 99_999, 50_000, 123_456_789]) {
      it(`a ${days}-day month of fee ${fee} sums to the fee, each day within 1 of fee/D`, () => {
        let sum = 0n;
        for (let d = 1; d <= days; d++) {
          const day = dailyFee(fee, d, days);
          expect(day >= BigInt(Math.floor(fee / days)) && day <= BigInt(Math.ceil(fee / days))).toBe(true);
          sum += day;
        }
        expect(sum).toBe(BigInt(fee));
      });
    }
  }

  it('spreads a fee of 1 to the last day and rejects bad days', () => {
    expect(dailyFee(1, 30, 30)).toBe(1n);
    expect(dailyFee(1, 29, 30)).toBe(0n);
    expect(dailyFee(7n, 1, 31)).toBe(0n);
    expect(() => dailyFee(1, 0, 30)).toThrow(RangeError);
    expect(() => dailyFee(1, 31, 30)).toThrow(RangeError);
  });

  it('knows month lengths and keys (UTC)', () => {
    expect(daysInMonthOf(new Date('2028-02-10T00:00:00Z'))).toBe(29);
    expect(daysInMonthOf(new Date('2030-02-10T00:00:00Z'))).toBe(28);
    expect(daysInMonthOf(new Date('2030-04-30T23:59:59Z'))).toBe(30);
    expect(monthOf(new Date('2030-03-31T23:59:59.999Z'))).toBe('2030-03-01');
    expect(monthOf(new Date('2030-04-01T00:00:00Z'))).toBe('2030-04-01');
  });
});

describe('advanceCounter', () => {
  it('keeps the highest value: retransmits, reorders and zero Stops never lower it', () => {
    expect(advanceCounter(1000n, { bytes: 2000n, gigawords: false }, true)).toBe(2000n);
    expect(advanceCounter(2000n, { bytes: 1000n, gigawords: false }, true)).toBe(2000n);
    expect(advanceCounter(2000n, { bytes: 0n, gigawords: false }, false)).toBe(2000n);
    expect(advanceCounter(4_000_000_000n, { bytes: 0n, gigawords: false }, false)).toBe(4_000_000_000n);
  });

  it('uses Gigawords when present', () => {
    expect(advanceCounter(4_000_000_000n, { bytes: TWO_32 + 100n, gigawords: true }, true)).toBe(TWO_32 + 100n);
    expect(advanceCounter(3n * TWO_32 + 5n, { bytes: 2n * TWO_32 + 7n, gigawords: true }, true)).toBe(3n * TWO_32 + 5n);
  });

  it('infers a 32-bit wrap without Gigawords from a drop larger than half the range', () => {
    expect(advanceCounter(4_000_000_000n, { bytes: 100n, gigawords: false }, true)).toBe(TWO_32 + 100n);
    // A second wrap builds on the inferred high word.
    expect(advanceCounter(TWO_32 + 4_000_000_000n, { bytes: 5n, gigawords: false }, true)).toBe(2n * TWO_32 + 5n);
    // Without wrap the inferred high word is kept.
    expect(advanceCounter(TWO_32 + 100n, { bytes: 200n, gigawords: false }, true)).toBe(TWO_32 + 200n);
    // A small drop is a stale record, not a wrap.
    expect(advanceCounter(3_000_000_000n, { bytes: 2_000_000_000n, gigawords: false }, true)).toBe(3_000_000_000n);
    // A late record from before an inferred wrap is stale, not 2^32 + its low word.
    expect(advanceCounter(TWO_32 + 100_000_000n, { bytes: 4_200_000_000n, gigawords: false }, false)).toBe(TWO_32 + 100_000_000n);
    // An older record (mayWrap false) is never a wrap.
    expect(advanceCounter(4_000_000_000n, { bytes: 100n, gigawords: false }, false)).toBe(4_000_000_000n);
    // Gigawords present: the whole 64-bit count is reported, so a lower value is stale, never a wrap.
    expect(advanceCounter(TWO_32 + 4_000_000_000n, { bytes: TWO_32 + 10n, gigawords: true }, true)).toBe(TWO_32 + 4_000_000_000n);
    expect(advanceCounter(2_147_483_649n, { bytes: 0n, gigawords: true }, true)).toBe(2_147_483_649n);
  });
});

describe('rateTraffic and rateTime', () => {
  it('shares the included volume across the month and floors over chargeable bytes', () => {
    const month = { octets: 0n, charged: 0n };
    const a = rateTraffic(month, 1_000_000_000n, 1_500_000_000n, 1000n);
    expect(a).toEqual({ octets: 1_000_000_000n, charged: 0n, charge: 0n });
    const b = rateTraffic({ octets: a.octets, charged: a.charged }, 1_000_000_000n, 1_500_000_000n, 1000n);
    expect(b).toEqual({ octets: 2_000_000_000n, charged: 500n, charge: 500n });
    expect(() => rateTraffic(month, -1n, 0n, 1n)).toThrow(RangeError);
  });

  it('charges time by the cumulative floor over session seconds', () => {
    let charged = 0n;
    for (const t of [30n, 90n, 125n]) charged = rateTime(t, charged, 7n).charged;
    expect(charged).toBe(14n); // floor(125 × 7 / 60)
    expect(rateTime(90n, 10n, 7n)).toEqual({ charged: 10n, charge: 0n });
  });
});

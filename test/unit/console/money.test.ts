/**
 * The console's money (console/src/money.ts): what an operator types becomes integer minor units exactly, by
 * string arithmetic (never a float: "0.29" is 29, not 28.999…), with the currency's exponent; and minor units are
 * formatted back exactly, in the operator's locale.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, minorDigits, minorToDecimal, parseMoney } from '../../../console/src/money.js';

describe('console money', () => {
  it('parses typed amounts into minor units exactly', () => {
    expect(parseMoney('12.34', 2)).toEqual({ ok: true, minor: 1234 });
    expect(parseMoney('12,34', 2)).toEqual({ ok: true, minor: 1234 });
    expect(parseMoney('0.29', 2)).toEqual({ ok: true, minor: 29 });
    expect(parseMoney('1.005', 3)).toEqual({ ok: true, minor: 1005 });
    expect(parseMoney('12', 2)).toEqual({ ok: true, minor: 1200 });
    expect(parseMoney('12.5', 2)).toEqual({ ok: true, minor: 1250 });
    expect(parseMoney('.5', 2)).toEqual({ ok: true, minor: 50 });
    expect(parseMoney(' 1 000,50 ', 2)).toEqual({ ok: true, minor: 100050 });
    expect(parseMoney('1500', 0)).toEqual({ ok: true, minor: 1500 });
    expect(parseMoney('10000000000000.00', 2)).toEqual({ ok: true, minor: 1_000_000_000_000_000 });
    expect(parseMoney('-5.00', 2, { signed: true })).toEqual({ ok: true, minor: -500 });
  });

  it('refuses what is not an amount, with the reason', () => {
    expect(parseMoney('12.345', 2)).toEqual({ ok: false, problem: 'digits' });
    expect(parseMoney('1.5', 0)).toEqual({ ok: false, problem: 'digits' });
    expect(parseMoney('abc', 2)).toEqual({ ok: false, problem: 'format' });
    expect(parseMoney('1e3', 2)).toEqual({ ok: false, problem: 'format' });
    expect(parseMoney('1.2.3', 2)).toEqual({ ok: false, problem: 'format' });
    expect(parseMoney('', 2)).toEqual({ ok: false, problem: 'format' });
    expect(parseMoney('0.00', 2)).toEqual({ ok: false, problem: 'zero' });
    expect(parseMoney('-5', 2)).toEqual({ ok: false, problem: 'sign' });
    expect(parseMoney('10000000000000.01', 2)).toEqual({ ok: false, problem: 'range' });
  });

  it('round-trips every amount within the bound through its decimal notation', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }).filter((n) => n !== 0n), fc.constantFrom(0, 2, 3), (minor, digits) => {
        expect(parseMoney(minorToDecimal(minor, digits), digits, { signed: true })).toEqual({ ok: true, minor: Number(minor) });
      }),
    );
  });

  it("formats minor units with the currency's exponent in the operator's locale", () => {
    expect(minorDigits('USD')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('BHD')).toBe(3);
    expect(formatMoney(1234, 'USD', 'en-US')).toBe('$12.34');
    expect(formatMoney(-150050, 'RUB', 'ru').replace(/\s/g, ' ')).toBe('-1 500,50 ₽');
    expect(formatMoney(1500, 'JPY', 'en-US')).toBe('¥1,500');
    expect(formatMoney(9_007_199_254_740_991, 'USD', 'en-US')).toBe('$90,071,992,547,409.91');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowance, stateOfAllowance } from '../../../src/billing/core/allowance.js';

const SAFE = Number.MAX_SAFE_INTEGER;

describe('allowance', () => {
  it('is balance + credit limit + active credit; 0 is still active', () => {
    expect(allowance({ balance: -500, creditLimit: 300, activeCredit: 150 })).toBe(-50);
    expect(stateOfAllowance({ balance: -500, creditLimit: 300, activeCredit: 150 })).toBe('blocked');
    expect(allowance({ balance: -500, creditLimit: 300, activeCredit: 200 })).toBe(0);
    expect(stateOfAllowance({ balance: -500, creditLimit: 300, activeCredit: 200 })).toBe('active');
    expect(stateOfAllowance({ balance: -1, creditLimit: 0, activeCredit: 0 })).toBe('blocked');
  });

  it('saturates at ±(2^53 − 1) and does not round a partial sum beyond it', () => {
    expect(allowance({ balance: SAFE, creditLimit: SAFE, activeCredit: 0 })).toBe(SAFE);
    expect(allowance({ balance: -SAFE, creditLimit: -SAFE, activeCredit: 0 })).toBe(-SAFE);
    // In doubles SAFE + 2 rounds to 2^53, and the total to 1; the exact total is 2.
    expect(allowance({ balance: SAFE, creditLimit: 2, activeCredit: -SAFE })).toBe(2);
  });

  it('gives the sign of the exact sum (property)', () => {
    const money = fc.integer({ min: -SAFE, max: SAFE });
    fc.assert(
      fc.property(money, money, money, (balance, creditLimit, activeCredit) => {
        const exact = BigInt(balance) + BigInt(creditLimit) + BigInt(activeCredit);
        expect(stateOfAllowance({ balance, creditLimit, activeCredit })).toBe(exact >= 0n ? 'active' : 'blocked');
        if (exact >= BigInt(-SAFE) && exact <= BigInt(SAFE)) expect(allowance({ balance, creditLimit, activeCredit })).toBe(Number(exact));
      }),
      { numRuns: 500 },
    );
  });
});

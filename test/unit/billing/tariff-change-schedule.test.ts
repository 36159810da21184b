/**
 * Scheduled tariff changes without a database: where the next period starts (nextPeriodStart over the calendar),
 * and the fee scheduler applying the changes due by each day before it charges that day, with that day, over a
 * fake FeeRunStore that records the order of its calls.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeeScheduler, type FeeSchedulerLog } from '../../../src/billing/fee-scheduler.js';
import { addDays, firstDayOfNextMonth, parseDay } from '../../../src/billing/core/calendar.js';
import { nextPeriodStart } from '../../../src/billing/core/periods.js';
import type { AppliedTariffChange, FeeDayCharges, FeeRunStore } from '../../../src/domain/ports.js';

const quietLog: FeeSchedulerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('nextPeriodStart', () => {
  it('is the first day of the next calendar month, across years and leap days', () => {
    expect(nextPeriodStart('2030-01-01')).toBe('2030-02-01');
    expect(nextPeriodStart('2030-01-31')).toBe('2030-02-01');
    expect(nextPeriodStart('2028-02-29')).toBe('2028-03-01');
    expect(nextPeriodStart('2030-12-31')).toBe('2031-01-01');
    expect(firstDayOfNextMonth('2099-12-01')).toBe('2100-01-01');
    expect(() => nextPeriodStart('2030-02-30')).toThrow(RangeError);
  });

  it('is always a first of the month, after today, at most 31 days later', () => {
    const day = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, (today) => {
        const next = nextPeriodStart(today);
        expect(parseDay(next)[2]).toBe(1);
        expect(next > today).toBe(true);
        expect(next <= addDays(today, 31)).toBe(true);
        // No first of a month lies strictly between today and the answer.
        for (let d = addDays(today, 1); d < next; d = addDays(d, 1)) expect(parseDay(d)[2]).not.toBe(1);
      }),
    );
  });
});

/** A FeeRunStore whose pending changes are (id, effectiveOn) pairs; it records every call in order. */
function fakeFees(lastRun: string, changes: { id: number; effectiveOn: string; subscriberId: number }[], claimedElsewhere = new Set<number>()) {
  const calls: string[] = [];
  const applied = new Set<number>();
  let last = lastRun;
  const store: FeeRunStore = {
    lastRunDay: () => Promise.resolve(last),
    earliestActivation: () => Promise.resolve(null),
    chargeDay(day): Promise<FeeDayCharges> {
      calls.push(`charge ${day}`);
      return Promise.resolve({ charged: 0, amount: 0, accountStateChanges: [], busy: false });
    },
    recordRun(day) {
      if (day > last) last = day;
      return Promise.resolve();
    },
    dueTariffChanges(day) {
      return Promise.resolve(changes.filter((c) => c.effectiveOn <= day && !applied.has(c.id)).map((c) => c.id));
    },
    applyTariffChange(id, day): Promise<AppliedTariffChange | null> {
      calls.push(`apply ${id} ${day}`);
      const change = changes.find((c) => c.id === id)!;
      if (applied.has(id) || claimedElsewhere.has(id)) return Promise.resolve(null);
      applied.add(id);
      return Promise.resolve({ subscriberId: change.subscriberId, username: `u${change.subscriberId}`, tariffId: 9, fromDay: day });
    },
  };
  return { store, calls };
}

describe('FeeScheduler and scheduled tariff changes', () => {
  it('applies each change before charging its day, with that day, once; a catch-up applies a missed day on the first day charged', async () => {
    const { store, calls } = fakeFees('2030-01-30', [
      { id: 1, effectiveOn: '2030-02-01', subscriberId: 11 },
      { id: 2, effectiveOn: '2030-02-01', subscriberId: 12 },
      { id: 3, effectiveOn: '2030-02-03', subscriberId: 13 },
      { id: 4, effectiveOn: '2030-03-01', subscriberId: 14 },
    ]);
    const reported: AppliedTariffChange[][] = [];
    let clock = new Date('2030-02-03T08:00:00Z');
    const scheduler = new FeeScheduler(store, { now: () => clock }, quietLog, undefined, (c) => reported.push(c));
    await scheduler.runOnce();
    expect(calls).toEqual([
      'charge 2030-01-30',
      'charge 2030-01-31',
      'apply 1 2030-02-01',
      'apply 2 2030-02-01',
      'charge 2030-02-01',
      'charge 2030-02-02',
      'apply 3 2030-02-03',
      'charge 2030-02-03',
    ]);
    expect(reported.map((batch) => batch.map((c) => [c.subscriberId, c.fromDay]))).toEqual([
      [
        [11, '2030-02-01'],
        [12, '2030-02-01'],
      ],
      [[13, '2030-02-03']],
    ]);
    calls.length = 0;
    clock = new Date('2030-02-03T20:00:00Z');
    await scheduler.runOnce();
    expect(calls).toEqual(['charge 2030-02-03']);
  });

  it('a change another instance claimed is neither reported nor in the way', async () => {
    const { store, calls } = fakeFees('2030-02-01', [{ id: 7, effectiveOn: '2030-02-01', subscriberId: 70 }], new Set([7]));
    const reported: AppliedTariffChange[] = [];
    await new FeeScheduler(store, { now: () => new Date('2030-02-01T12:00:00Z') }, quietLog, undefined, (c) => reported.push(...c)).runOnce();
    expect(calls).toEqual(['apply 7 2030-02-01', 'charge 2030-02-01']);
    expect(reported).toEqual([]);
  });

  it('a failed application stops the run before its day is charged, reporting what was applied', async () => {
    const { store, calls } = fakeFees('2030-02-01', [
      { id: 1, effectiveOn: '2030-02-01', subscriberId: 10 },
      { id: 2, effectiveOn: '2030-02-01', subscriberId: 20 },
    ]);
    const apply = store.applyTariffChange.bind(store);
    store.applyTariffChange = (id, day) => (id === 2 ? Promise.reject(new Error('database away')) : apply(id, day));
    const reported: AppliedTariffChange[] = [];
    const scheduler = new FeeScheduler(store, { now: () => new Date('2030-02-01T12:00:00Z') }, quietLog, undefined, (c) => reported.push(...c));
    await expect(scheduler.runOnce()).rejects.toThrow('database away');
    expect(calls).toEqual(['apply 1 2030-02-01']);
    expect(reported.map((c) => c.subscriberId)).toEqual([10]);
  });
});

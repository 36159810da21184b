/**
 * The tariff speed plan's validator (src/domain/tariff-plan.ts, docs/tariffs.md "Data"): FUP steps strictly
 * ascending with a redirect only last, the bounds of the rest of the tariff, schedule windows in local HH:MM that
 * never overlap on the weekly clock (midnight crossings and the Sunday-to-Monday wrap included), and messages
 * that name the path the API reports.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MONEY_LIMIT } from '../../../src/domain/money.js';
import {
  checkTariffPlan,
  FLAT_PLAN,
  fupSchema,
  MAX_FUP_STEPS,
  parseTariffPlan,
  planIssues,
  scheduleOverlap,
  tariffPlanSchema,
  type PlanIssue,
  type ScheduleEntry,
} from '../../../src/domain/tariff-plan.js';

const GB = 1_000_000_000;

function issuesOf(input: unknown): readonly PlanIssue[] {
  const r = checkTariffPlan(input);
  if (r.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return r.issues;
}

const step = (afterBytes: number, downKbps = 1000, upKbps = 500) => ({ afterBytes, downKbps, upKbps });

describe('a valid plan', () => {
  it('takes the flat plan for an empty object: month period, no steps, no windows', () => {
    expect(checkTariffPlan({})).toEqual({ ok: true, value: FLAT_PLAN });
  });

  it('keeps steps, a final redirect and windows as given', () => {
    const plan = {
      period: 'anniversary',
      fup: [step(0, 0, 0), step(50 * GB), { afterBytes: 100 * GB, action: 'redirect' }],
      schedule: [
        { days: 'all', from: '23:00', to: '07:00', downKbps: 0 },
        { days: ['sat', 'sun'], from: '12:00', to: '18:00', pricePerGB: 0 },
        { days: ['mon'], from: '07:00', to: '23:00', upKbps: 2000, pricePerGB: MONEY_LIMIT },
      ],
    };
    expect(checkTariffPlan(plan)).toEqual({ ok: true, value: plan });
  });

  it('accepts adjacent windows (an end equals the next start) and a Sunday-night window beside Monday morning', () => {
    const r = checkTariffPlan({
      schedule: [
        { days: 'all', from: '22:00', to: '06:00', downKbps: 1 },
        { days: 'all', from: '06:00', to: '22:00', downKbps: 2 },
      ],
    });
    expect(r.ok).toBe(true);
    expect(checkTariffPlan({ schedule: [{ days: ['sun'], from: '22:00', to: '06:00', downKbps: 1 }, { days: ['mon'], from: '06:00', to: '08:00', downKbps: 2 }] }).ok).toBe(true);
  });
});

describe('FUP steps', () => {
  it('must ascend strictly by afterBytes: equal is refused, naming both steps', () => {
    expect(issuesOf({ fup: [step(1000), step(2000), step(2000)] })).toEqual([
      { key: 'fup[2].afterBytes', message: 'fup[2].afterBytes must be greater than fup[1].afterBytes (2000), got 2000' },
    ]);
    expect(issuesOf({ fup: [step(5000), step(10)] })).toEqual([{ key: 'fup[1].afterBytes', message: 'fup[1].afterBytes must be greater than fup[0].afterBytes (5000), got 10' }]);
  });

  it('allows a redirect step only last (so at most one)', () => {
    const issues = issuesOf({ fup: [step(1000), { afterBytes: 2000, action: 'redirect' }, { afterBytes: 3000, action: 'redirect' }] });
    expect(issues.map((i) => i.key)).toEqual(['fup[1]']);
    expect(issues[0]!.message).toMatch(/^fup\[1\] is a redirect step but fup\[2\] follows it/);
    expect(issuesOf({ fup: [{ afterBytes: 0, action: 'redirect' }, step(1)] }).map((i) => i.key)).toEqual(['fup[0]']);
    expect(checkTariffPlan({ fup: [{ afterBytes: 0, action: 'redirect' }] }).ok).toBe(true);
  });

  it('tells a misspelt action from a missing speed, by the alternative the step meant', () => {
    expect(issuesOf({ fup: [{ afterBytes: 1, action: 'redirec' }] })).toEqual([
      { key: 'fup[0].action', message: 'fup[0].action must be "redirect" (the only action), got string "redirec"' },
    ]);
    expect(issuesOf({ fup: [{ afterBytes: 1, downKbps: 100 }] })).toEqual([{ key: 'fup[0].upKbps', message: 'fup[0].upKbps is required' }]);
    expect(issuesOf({ fup: ['fast'] })[0]!.message).toBe('fup[0] must be a step { afterBytes, downKbps, upKbps } or { afterBytes, action: "redirect" }, got string "fast"');
    expect(issuesOf({ fup: [{ ...step(1), burst: 1 }] })).toEqual([{ key: 'fup[0].burst', message: 'fup[0].burst is not a field here (unknown field "burst")' }]);
  });

  it('takes non-negative safe integers only, with the bounds of the tariff', () => {
    expect(issuesOf({ fup: [step(-1)] })[0]).toEqual({ key: 'fup[0].afterBytes', message: 'fup[0].afterBytes must be an integer ≥ 0 (bytes), got -1' });
    expect(issuesOf({ fup: [step(1.5)] })[0]!.key).toBe('fup[0].afterBytes');
    expect(issuesOf({ fup: [step(2 ** 53)] })[0]!.key).toBe('fup[0].afterBytes');
    expect(checkTariffPlan({ fup: [step(Number.MAX_SAFE_INTEGER - 1), step(Number.MAX_SAFE_INTEGER)] }).ok).toBe(true);
    expect(issuesOf({ fup: [step(0, -1)] })[0]).toEqual({ key: 'fup[0].downKbps', message: 'fup[0].downKbps must be an integer ≥ 0 (kbit/s; 0 = no limit), got -1' });
    expect(issuesOf({ fup: [step(0, 100, '5' as unknown as number)] })[0]!.message).toBe('fup[0].upKbps must be an integer ≥ 0 (kbit/s; 0 = no limit), got string "5"');
  });

  it('refuses more than MAX_FUP_STEPS steps and a non-list', () => {
    const many = Array.from({ length: MAX_FUP_STEPS + 1 }, (_, i) => step(i));
    expect(issuesOf({ fup: many })[0]!.key).toBe('fup');
    expect(checkTariffPlan({ fup: many.slice(0, MAX_FUP_STEPS) }).ok).toBe(true);
    expect(issuesOf({ fup: {} })).toEqual([{ key: 'fup', message: 'fup must be a list of FUP steps, got an object' }]);
  });
});

describe('schedule windows', () => {
  const win = (days: ScheduleEntry['days'], from: string, to: string, extra: Partial<ScheduleEntry> = { downKbps: 1000 }) => ({ days, from, to, ...extra });

  it('refuses from = to, a window that sets nothing, and bad HH:MM', () => {
    expect(issuesOf({ schedule: [win('all', '08:00', '08:00')] })[0]!.key).toBe('schedule[0].to');
    expect(issuesOf({ schedule: [win('all', '08:00', '09:00', {})] })).toEqual([
      { key: 'schedule[0]', message: 'schedule[0] sets none of downKbps, upKbps, pricePerGB: a window must change a speed or the price' },
    ]);
    for (const bad of ['24:00', '7:00', '12:60', '12:00:00', '']) {
      expect(issuesOf({ schedule: [win('all', bad, '09:00')] })).toEqual([
        { key: 'schedule[0].from', message: `schedule[0].from must be a local time HH:MM (00:00 … 23:59), got string ${JSON.stringify(bad)}` },
      ]);
    }
    expect(checkTariffPlan({ schedule: [win('all', '00:00', '23:59')] }).ok).toBe(true);
  });

  it('takes "all" or a non-empty list of distinct weekdays', () => {
    expect(issuesOf({ schedule: [win('al' as 'all', '08:00', '09:00')] })[0]!.message).toBe(
      'schedule[0].days must be "all" or a list of days (mon, tue, wed, thu, fri, sat, sun), got string "al"',
    );
    expect(issuesOf({ schedule: [win(['mon', 'fun'] as unknown as ScheduleEntry['days'], '08:00', '09:00')] })[0]!.key).toBe('schedule[0].days[1]');
    expect(issuesOf({ schedule: [win([], '08:00', '09:00')] })[0]).toEqual({ key: 'schedule[0].days', message: 'schedule[0].days must name at least one day (or be "all")' });
    expect(issuesOf({ schedule: [win(['tue', 'mon', 'tue'], '08:00', '09:00')] })[0]).toEqual({ key: 'schedule[0].days[2]', message: 'schedule[0].days[2] repeats "tue" (days[0])' });
  });

  it('bounds speeds and the price as the tariff does', () => {
    expect(issuesOf({ schedule: [win('all', '08:00', '09:00', { pricePerGB: MONEY_LIMIT + 1 })] })[0]!.key).toBe('schedule[0].pricePerGB');
    expect(issuesOf({ schedule: [win('all', '08:00', '09:00', { pricePerGB: 1.5 })] })[0]!.key).toBe('schedule[0].pricePerGB');
    expect(issuesOf({ schedule: [win('all', '08:00', '09:00', { upKbps: -5 })] })[0]!.key).toBe('schedule[0].upKbps');
  });

  it('refuses overlapping windows, naming the later entry, the earlier one and where they meet', () => {
    expect(issuesOf({ schedule: [win(['mon'], '08:00', '12:00'), win(['mon', 'tue'], '11:00', '13:00')] })).toEqual([
      { key: 'schedule[1]', message: 'schedule[1] overlaps schedule[0]: both are in force from Monday 11:00 (windows must not overlap)' },
    ]);
  });

  it('sees a midnight crossing as belonging to the day it starts', () => {
    // Friday 22:00 – Saturday 06:00 meets Saturday 05:00 – 07:00, not Friday 05:00 – 07:00.
    expect(issuesOf({ schedule: [win(['fri'], '22:00', '06:00'), win(['sat'], '05:00', '07:00')] })[0]!.message).toMatch(/from Saturday 05:00/);
    expect(checkTariffPlan({ schedule: [win(['fri'], '22:00', '06:00'), win(['fri'], '05:00', '07:00')] }).ok).toBe(true);
  });

  it('wraps the week: Sunday 22:00 – Monday 06:00 overlaps Monday 05:00, and "all" nights overlap it', () => {
    expect(issuesOf({ schedule: [win(['sun'], '22:00', '06:00'), win(['mon'], '05:00', '07:00')] })[0]!.message).toMatch(/from Monday 05:00/);
    expect(issuesOf({ schedule: [win(['mon'], '00:00', '01:00'), win(['sun'], '23:00', '00:30')] })[0]!.message).toMatch(/from Monday 00:00/);
    expect(issuesOf({ schedule: [win(['sun'], '22:00', '06:00'), win('all', '21:00', '22:30')] })[0]!.message).toMatch(/from Sunday 22:00/);
  });

  it('scheduleOverlap gives the first shared minute of the week, or undefined', () => {
    const a: ScheduleEntry = { days: ['sun'], from: '22:00', to: '06:00', downKbps: 1 };
    expect(scheduleOverlap(a, { days: ['mon'], from: '06:00', to: '07:00', downKbps: 1 })).toBeUndefined();
    expect(scheduleOverlap(a, { days: ['mon'], from: '05:59', to: '07:00', downKbps: 1 })).toBe(359);
    expect(scheduleOverlap(a, { days: ['sun'], from: '21:00', to: '22:01', downKbps: 1 })).toBe(6 * 1440 + 22 * 60);
  });
});

describe('the plan object', () => {
  it('names an unknown period, unknown keys and a non-object', () => {
    expect(issuesOf({ period: 'week', burst: 1 })).toEqual([
      { key: 'period', message: 'period must be one of month, anniversary, got string "week"' },
      { key: 'burst', message: 'burst is not a field here (unknown field "burst")' },
    ]);
    expect(issuesOf(null)).toEqual([{ key: '', message: 'must be an object { period, fup, schedule }, got null' }]);
  });

  it('reports problems of fup and schedule together', () => {
    expect(issuesOf({ fup: [step(5), step(5)], schedule: [{ days: 'all', from: '01:00', to: '01:00', downKbps: 1 }] }).map((i) => i.key)).toEqual(['fup[1].afterBytes', 'schedule[0].to']);
  });

  it('parseTariffPlan returns the plan or throws a RangeError with every message', () => {
    expect(parseTariffPlan({ period: 'anniversary' })).toEqual({ ...FLAT_PLAN, period: 'anniversary' });
    expect(() => parseTariffPlan({ fup: [step(5), step(5)], period: 'x' })).toThrow(RangeError);
    expect(() => parseTariffPlan({ fup: [step(5), step(5)] })).toThrow('fup[1].afterBytes must be greater than fup[0].afterBytes (5), got 5');
  });

  it('checks one part on its own under its key, as the API will for the fup and schedule columns', () => {
    const r = fupSchema.safeParse([step(5), step(5)]);
    expect(r.success).toBe(false);
    expect(planIssues(r.error!, ['fup'])).toEqual([{ key: 'fup[1].afterBytes', message: 'fup[1].afterBytes must be greater than fup[0].afterBytes (5), got 5' }]);
  });

  it('has a JSON Schema for the OpenAPI document: a step is one of the two shapes', () => {
    const json = z.toJSONSchema(tariffPlanSchema, { io: 'input', unrepresentable: 'any' }) as unknown as { properties: { fup: { items: { anyOf: unknown[] } } } };
    expect(json.properties.fup.items.anyOf).toHaveLength(2);
  });
});

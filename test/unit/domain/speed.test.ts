/**
 * effectiveSpeed (src/domain/speed.ts, docs/tariffs.md "One question") on a fake clock: every `now` is a Date
 * literal, in zones other than UTC (Europe/Moscow without DST; Europe/Berlin and America/New_York over both DST
 * changes of 2026). Covers the precedence (redirect > add-on > window > FUP step > base, 0 = no limit = fastest),
 * FUP step boundaries on both sides of afterBytes, windows crossing midnight and the Sunday → Monday one,
 * changesAt as the next window edge stepped in local time, the earliest add-on expiry or the next period start,
 * and the anniversary period on the 31st in February of a common and of a leap year.
 */
import { describe, expect, it } from 'vitest';
import { effectiveSpeed, fupStepFor, nextPeriodStart, periodStart, pricePerGBAt, scheduleWindowAt, type SpeedInput } from '../../../src/domain/speed.js';
import { FLAT_PLAN, type ScheduleEntry, type TariffPlan } from '../../../src/domain/tariff-plan.js';

const at = (iso: string) => new Date(iso);
const MSK = 'Europe/Moscow';
const BERLIN = 'Europe/Berlin';
const NY = 'America/New_York';
const GB = 1_000_000_000;

const plan = (p: Partial<TariffPlan>): TariffPlan => ({ ...FLAT_PLAN, ...p });
const input = (p: Partial<SpeedInput>): SpeedInput => ({ downKbps: 100_000, upKbps: 50_000, plan: FLAT_PLAN, usedBytes: 0, addons: [], ...p });
const win = (days: ScheduleEntry['days'], from: string, to: string, extra: Partial<ScheduleEntry> = { downKbps: 0, upKbps: 0 }): ScheduleEntry => ({ days, from, to, ...extra });

describe('a flat tariff', () => {
  it('is the base speed, never changed by the clock', () => {
    expect(effectiveSpeed(input({}), at('2026-12-07T12:00:00Z'), MSK)).toEqual({
      downKbps: 100_000,
      upKbps: 50_000,
      source: 'base',
      fupStep: null,
      redirect: false,
      window: null,
      changesAt: null,
    });
  });

  it('refuses an unknown zone and an invalid Date', () => {
    expect(() => effectiveSpeed(input({}), at('2026-12-07T12:00:00Z'), 'Mars/Olympus')).toThrow(RangeError);
    expect(() => effectiveSpeed(input({}), new Date(Number.NaN), MSK)).toThrow(RangeError);
  });
});

describe('FUP steps', () => {
  const fup = plan({ fup: [{ afterBytes: 10 * GB, downKbps: 20_000, upKbps: 10_000 }, { afterBytes: 50 * GB, downKbps: 2_000, upKbps: 1_000 }] });
  const now = at('2026-12-07T12:00:00Z');

  it('puts a step in force when usage reaches afterBytes exactly, not a byte before', () => {
    expect(effectiveSpeed(input({ plan: fup, usedBytes: 10 * GB - 1 }), now, MSK)).toMatchObject({ downKbps: 100_000, upKbps: 50_000, source: 'base', fupStep: null });
    expect(effectiveSpeed(input({ plan: fup, usedBytes: 10 * GB }), now, MSK)).toMatchObject({ downKbps: 20_000, upKbps: 10_000, source: 'fup', fupStep: 0 });
    expect(effectiveSpeed(input({ plan: fup, usedBytes: 50 * GB - 1 }), now, MSK)).toMatchObject({ downKbps: 20_000, fupStep: 0 });
    expect(effectiveSpeed(input({ plan: fup, usedBytes: 50 * GB }), now, MSK)).toMatchObject({ downKbps: 2_000, upKbps: 1_000, fupStep: 1 });
    expect(fupStepFor(fup, 10 ** 15)).toBe(1);
  });

  it('wakes at the next period start, which resets the counter: calendar month of the zone', () => {
    // 2027-01-01 00:00 in Moscow (UTC+3).
    expect(effectiveSpeed(input({ plan: fup, usedBytes: 60 * GB }), now, MSK).changesAt).toEqual(at('2026-12-31T21:00:00Z'));
  });

  it('redirect beats every speed: a window and a faster add-on included; the speeds are the step before', () => {
    const p = plan({
      fup: [{ afterBytes: 10 * GB, downKbps: 20_000, upKbps: 10_000 }, { afterBytes: 30 * GB, action: 'redirect' }],
      schedule: [win('all', '00:00', '12:00'), win('all', '12:00', '00:00', { downKbps: 0 })],
    });
    const addons = [{ downKbps: 0, upKbps: 0, endsAt: at('2026-12-08T00:00:00Z') }];
    expect(effectiveSpeed(input({ plan: p, usedBytes: 30 * GB - 1, addons }), now, MSK)).toMatchObject({ redirect: false, source: 'addon', fupStep: 0 });
    expect(effectiveSpeed(input({ plan: p, usedBytes: 30 * GB, addons }), now, MSK)).toMatchObject({ redirect: true, source: 'fup', fupStep: 1, window: 1 });
    const alone = effectiveSpeed(input({ plan: plan({ fup: [{ afterBytes: 0, action: 'redirect' }] }) }), now, MSK);
    expect(alone).toMatchObject({ redirect: true, source: 'fup', fupStep: 0, downKbps: 100_000, upKbps: 50_000 });
  });
});

describe('schedule windows (Europe/Moscow, UTC+3 all year)', () => {
  const night = plan({ schedule: [win('all', '23:00', '07:00', { downKbps: 0 })] });

  it('is in force from `from` inclusive to `to` exclusive, crossing midnight', () => {
    expect(effectiveSpeed(input({ plan: night }), at('2026-12-07T19:59:59Z'), MSK)).toMatchObject({ window: null, source: 'base', changesAt: at('2026-12-07T20:00:00Z') });
    expect(effectiveSpeed(input({ plan: night }), at('2026-12-07T20:00:00Z'), MSK)).toMatchObject({
      window: 0,
      source: 'schedule',
      downKbps: 0,
      upKbps: 50_000,
      changesAt: at('2026-12-08T04:00:00Z'),
    });
    expect(effectiveSpeed(input({ plan: night }), at('2026-12-08T03:59:59Z'), MSK)).toMatchObject({ window: 0 });
    expect(effectiveSpeed(input({ plan: night }), at('2026-12-08T04:00:00Z'), MSK)).toMatchObject({ window: null, changesAt: at('2026-12-08T20:00:00Z') });
  });

  it('overrides the FUP speed in the directions it sets', () => {
    const p = plan({ fup: [{ afterBytes: 0, downKbps: 2_000, upKbps: 1_000 }], schedule: [win('all', '01:00', '06:00', { upKbps: 5_000 })] });
    expect(effectiveSpeed(input({ plan: p }), at('2026-12-07T23:00:00Z'), MSK)).toMatchObject({ downKbps: 2_000, upKbps: 5_000, source: 'schedule', fupStep: 0, window: 0 });
    expect(effectiveSpeed(input({ plan: p }), at('2026-12-08T03:00:00Z'), MSK)).toMatchObject({ downKbps: 2_000, upKbps: 1_000, source: 'fup', window: null });
  });

  it('leaves the speed alone for a price-only window, and prices by the window in force', () => {
    const p = plan({ schedule: [win('all', '01:00', '06:00', { pricePerGB: 0 }), win(['mon'], '09:00', '18:00', { downKbps: 1 })] });
    expect(effectiveSpeed(input({ plan: p }), at('2026-12-07T23:00:00Z'), MSK)).toMatchObject({ downKbps: 100_000, source: 'base', window: 0 });
    expect(pricePerGBAt(p, 500, at('2026-12-07T23:00:00Z'), MSK)).toBe(0);
    expect(pricePerGBAt(p, 500, at('2026-12-08T03:00:00Z'), MSK)).toBe(500);
    expect(pricePerGBAt(p, 500, at('2026-12-07T08:00:00Z'), MSK)).toBe(500); // Monday 11:00: a speed-only window
    expect(pricePerGBAt(FLAT_PLAN, 500, at('2026-12-07T08:00:00Z'), MSK)).toBe(500);
  });
});

describe('Sunday 22:00 → Monday 06:00 (Europe/Berlin, CET in December)', () => {
  const p = plan({ schedule: [win(['sun'], '22:00', '06:00', { downKbps: 0 })] });
  const monOnly = plan({ schedule: [win(['mon'], '22:00', '06:00', { downKbps: 0 })] });

  it('belongs to Sunday: in force in the small hours of Monday, a Monday-night window is not', () => {
    expect(scheduleWindowAt(p, at('2026-12-06T20:59:59Z'), BERLIN)).toBeNull(); // Sun 21:59:59
    expect(scheduleWindowAt(p, at('2026-12-06T21:00:00Z'), BERLIN)).toBe(0); // Sun 22:00
    expect(scheduleWindowAt(p, at('2026-12-07T02:00:00Z'), BERLIN)).toBe(0); // Mon 03:00
    expect(scheduleWindowAt(monOnly, at('2026-12-07T02:00:00Z'), BERLIN)).toBeNull();
    expect(scheduleWindowAt(p, at('2026-12-07T05:00:00Z'), BERLIN)).toBeNull(); // Mon 06:00
  });

  it('changes next at Monday 06:00, then a week later on Sunday 22:00', () => {
    expect(effectiveSpeed(input({ plan: p }), at('2026-12-07T02:00:00Z'), BERLIN).changesAt).toEqual(at('2026-12-07T05:00:00Z'));
    expect(effectiveSpeed(input({ plan: p }), at('2026-12-07T05:00:00Z'), BERLIN).changesAt).toEqual(at('2026-12-13T21:00:00Z'));
  });
});

describe('add-ons', () => {
  const now = at('2026-12-07T12:00:00Z');
  const slowFup = plan({ fup: [{ afterBytes: 0, downKbps: 2_000, upKbps: 1_000 }] });

  it('take per direction the faster of the add-on and what it replaces; never slow anyone', () => {
    const addons = [{ downKbps: 50_000, upKbps: 500, endsAt: at('2026-12-07T14:00:00Z') }];
    expect(effectiveSpeed(input({ plan: slowFup, addons }), now, MSK)).toMatchObject({ downKbps: 50_000, upKbps: 1_000, source: 'addon', fupStep: 0 });
    expect(effectiveSpeed(input({ addons }), now, MSK)).toMatchObject({ downKbps: 100_000, upKbps: 50_000, source: 'base' });
  });

  it('treat 0 as no limit, the fastest: an unlimited add-on wins, an unlimited base is kept', () => {
    const unlimited = [{ downKbps: 0, upKbps: 0, endsAt: at('2026-12-07T14:00:00Z') }];
    expect(effectiveSpeed(input({ plan: slowFup, addons: unlimited }), now, MSK)).toMatchObject({ downKbps: 0, upKbps: 0, source: 'addon' });
    const turbo = [{ downKbps: 1_000_000, upKbps: 1_000_000, endsAt: at('2026-12-07T14:00:00Z') }];
    expect(effectiveSpeed(input({ downKbps: 0, upKbps: 0, addons: turbo }), now, MSK)).toMatchObject({ downKbps: 0, upKbps: 0, source: 'base' });
  });

  it('beat a window too, and the earliest expiry is changesAt', () => {
    const p = plan({ schedule: [win('all', '14:00', '18:00', { downKbps: 10_000 })] }); // 14:00 MSK = 11:00Z
    const addons = [
      { downKbps: 30_000, upKbps: 0, endsAt: at('2026-12-07T13:00:00Z') },
      { downKbps: 20_000, upKbps: 0, endsAt: at('2026-12-07T12:30:00Z') },
    ];
    expect(effectiveSpeed(input({ plan: p, addons }), now, MSK)).toMatchObject({ downKbps: 30_000, upKbps: 0, source: 'addon', window: 0, changesAt: at('2026-12-07T12:30:00Z') });
    // An add-on expiring before the next window edge is the wake-up; at its endsAt it no longer counts.
    const one = [{ downKbps: 30_000, upKbps: 0, endsAt: at('2026-12-07T13:00:00Z') }];
    expect(effectiveSpeed(input({ plan: p, addons: one }), now, MSK).changesAt).toEqual(at('2026-12-07T13:00:00Z'));
    expect(effectiveSpeed(input({ plan: p, addons: one }), at('2026-12-07T13:00:00Z'), MSK)).toMatchObject({ downKbps: 10_000, upKbps: 50_000, source: 'schedule', changesAt: at('2026-12-07T15:00:00Z') });
  });
});

describe('DST in Europe/Berlin (2026-03-29 02:00 → 03:00, 2026-10-25 03:00 → 02:00)', () => {
  const twoToThree = plan({ schedule: [win('all', '02:00', '03:00')] });

  it('spring forward: 02:00–03:00 does not happen; changesAt skips to the next day', () => {
    expect(scheduleWindowAt(twoToThree, at('2026-03-29T00:59:59Z'), BERLIN)).toBeNull(); // 01:59:59 CET
    expect(scheduleWindowAt(twoToThree, at('2026-03-29T01:00:00Z'), BERLIN)).toBeNull(); // 03:00 CEST
    expect(effectiveSpeed(input({ plan: twoToThree }), at('2026-03-29T00:30:00Z'), BERLIN).changesAt).toEqual(at('2026-03-30T00:00:00Z')); // Mon 02:00 CEST
  });

  it('spring forward: a window starting in the skipped hour starts at the jump', () => {
    const p = plan({ schedule: [win('all', '02:30', '04:00')] });
    expect(effectiveSpeed(input({ plan: p }), at('2026-03-29T00:30:00Z'), BERLIN).changesAt).toEqual(at('2026-03-29T01:00:00Z'));
    expect(effectiveSpeed(input({ plan: p }), at('2026-03-29T01:00:00Z'), BERLIN)).toMatchObject({ window: 0, changesAt: at('2026-03-29T02:00:00Z') }); // ends 04:00 CEST
  });

  it('fall back: 02:00–03:00 lasts through both passes of the hour, two hours', () => {
    expect(scheduleWindowAt(twoToThree, at('2026-10-24T23:59:59Z'), BERLIN)).toBeNull(); // 01:59:59 CEST
    const start = effectiveSpeed(input({ plan: twoToThree }), at('2026-10-25T00:00:00Z'), BERLIN); // 02:00 CEST
    expect(start).toMatchObject({ window: 0, changesAt: at('2026-10-25T02:00:00Z') }); // 03:00 CET
    expect(scheduleWindowAt(twoToThree, at('2026-10-25T01:30:00Z'), BERLIN)).toBe(0); // 02:30 CET, second pass
    expect(scheduleWindowAt(twoToThree, at('2026-10-25T02:00:00Z'), BERLIN)).toBeNull();
  });

  it('fall back: a window ending in the repeated hour ends on its first pass', () => {
    const p = plan({ schedule: [win('all', '00:00', '02:30')] });
    expect(effectiveSpeed(input({ plan: p }), at('2026-10-25T00:00:00Z'), BERLIN)).toMatchObject({ window: 0, changesAt: at('2026-10-25T00:30:00Z') });
    expect(scheduleWindowAt(p, at('2026-10-25T01:30:00Z'), BERLIN)).toBeNull(); // 02:30 CET: the clock reads it again, the window is over
  });
});

describe('DST in America/New_York (2026-03-08 02:00 → 03:00, 2026-11-01 02:00 → 01:00)', () => {
  const nights = plan({ schedule: [win('all', '22:00', '06:00')] });

  it('steps local time: a 22:00–06:00 window is 9 hours on the fall-back night and 7 on the spring one', () => {
    // Sat 2026-10-31 22:00 EDT = 02:00Z; Sun 06:00 EST = 11:00Z; Sun 22:00 EST = Nov 2 03:00Z (not 02:00Z).
    expect(effectiveSpeed(input({ plan: nights }), at('2026-10-31T16:00:00Z'), NY).changesAt).toEqual(at('2026-11-01T02:00:00Z'));
    expect(effectiveSpeed(input({ plan: nights }), at('2026-11-01T02:00:00Z'), NY)).toMatchObject({ window: 0, changesAt: at('2026-11-01T11:00:00Z') });
    expect(effectiveSpeed(input({ plan: nights }), at('2026-11-01T11:00:00Z'), NY)).toMatchObject({ window: null, changesAt: at('2026-11-02T03:00:00Z') });
    // Sat 2026-03-07 22:00 EST = 03:00Z; Sun 06:00 EDT = 10:00Z.
    expect(effectiveSpeed(input({ plan: nights }), at('2026-03-08T03:00:00Z'), NY)).toMatchObject({ window: 0, changesAt: at('2026-03-08T10:00:00Z') });
  });

  it('fall back: 01:00–02:00 covers both passes of the repeated hour', () => {
    const p = plan({ schedule: [win(['sun'], '01:00', '02:00')] });
    expect(effectiveSpeed(input({ plan: p }), at('2026-11-01T05:00:00Z'), NY)).toMatchObject({ window: 0, changesAt: at('2026-11-01T07:00:00Z') });
    expect(scheduleWindowAt(p, at('2026-11-01T06:30:00Z'), NY)).toBe(0); // 01:30 EST
  });

  it('spring forward: 02:00–03:00 on Sunday 2026-03-08 does not happen', () => {
    const p = plan({ schedule: [win(['sun'], '02:00', '03:00')] });
    expect(scheduleWindowAt(p, at('2026-03-08T07:00:00Z'), NY)).toBeNull(); // 03:00 EDT
    expect(effectiveSpeed(input({ plan: p }), at('2026-03-08T06:30:00Z'), NY).changesAt).toEqual(at('2026-03-15T06:00:00Z')); // next Sunday 02:00 EDT
  });

  it('month periods start at local midnight with the offset of that day', () => {
    expect(periodStart(at('2026-03-15T12:00:00Z'), NY, 'month')).toEqual(at('2026-03-01T05:00:00Z'));
    expect(nextPeriodStart(at('2026-03-15T12:00:00Z'), NY, 'month')).toEqual(at('2026-04-01T04:00:00Z'));
    // 2026-03-01 00:00 EST exactly starts the period; a second before is February's.
    expect(periodStart(at('2026-03-01T05:00:00Z'), NY, 'month')).toEqual(at('2026-03-01T05:00:00Z'));
    expect(periodStart(at('2026-03-01T04:59:59Z'), NY, 'month')).toEqual(at('2026-02-01T05:00:00Z'));
  });
});

describe('America/Santiago: the clock changes at midnight (2026-04-04 24:00 → 23:00, 2026-09-06 00:00 → 01:00)', () => {
  const SCL = 'America/Santiago';

  it('a period starting on a day whose midnight is skipped starts at the jump', () => {
    expect(periodStart(at('2026-09-10T12:00:00Z'), SCL, 'anniversary', 6)).toEqual(at('2026-09-06T04:00:00Z')); // 01:00 -03
    expect(periodStart(at('2026-09-06T03:59:59Z'), SCL, 'anniversary', 6)).toEqual(at('2026-08-06T04:00:00Z'));
  });

  it('a window over the skipped midnight ends at 01:00, one inside it does not happen', () => {
    const p = plan({ schedule: [win(['sat'], '23:30', '00:30'), win(['sun'], '00:30', '00:45')] });
    expect(effectiveSpeed(input({ plan: p }), at('2026-09-06T03:30:00Z'), SCL)).toMatchObject({ window: 0, changesAt: at('2026-09-06T04:00:00Z') });
    expect(effectiveSpeed(input({ plan: p }), at('2026-09-06T04:00:00Z'), SCL)).toMatchObject({ window: null, changesAt: at('2026-09-13T02:30:00Z') }); // next Sat 23:30 -03
  });

  it('fall back before midnight: a window ending at 23:30 ends on the first pass; Sunday 00:00 is read once, at 04:00Z', () => {
    const p = plan({ schedule: [win(['sat'], '23:00', '23:30'), win(['sun'], '00:00', '01:00')] });
    expect(scheduleWindowAt(p, at('2026-04-05T02:15:00Z'), SCL)).toBe(0); // 23:15 -03
    expect(effectiveSpeed(input({ plan: p }), at('2026-04-05T02:30:00Z'), SCL)).toMatchObject({ window: null, changesAt: at('2026-04-05T04:00:00Z') });
    expect(scheduleWindowAt(p, at('2026-04-05T03:15:00Z'), SCL)).toBeNull(); // 23:15 -04, the second pass
    expect(scheduleWindowAt(p, at('2026-04-05T04:00:00Z'), SCL)).toBe(1);
  });
});

describe('other clocks', () => {
  it('Australia/Lord_Howe falls back half an hour: 01:30–02:00 on 2026-04-05 lasts an hour', () => {
    const p = plan({ schedule: [win(['sun'], '01:30', '02:00')] });
    expect(effectiveSpeed(input({ plan: p }), at('2026-04-04T14:30:00Z'), 'Australia/Lord_Howe')).toMatchObject({ window: 0, changesAt: at('2026-04-04T15:30:00Z') });
    expect(scheduleWindowAt(p, at('2026-04-04T15:15:00Z'), 'Australia/Lord_Howe')).toBe(0); // 01:45 +10:30, the second pass
  });

  it('gives the same answers whatever was asked before (the zone offsets are cached per zone)', () => {
    const p = plan({ schedule: [win('all', '02:00', '03:00')] });
    const autumn = () => effectiveSpeed(input({ plan: p }), at('2026-10-25T01:30:00Z'), BERLIN);
    const first = autumn();
    effectiveSpeed(input({ plan: p }), at('2031-06-01T12:00:00Z'), BERLIN);
    effectiveSpeed(input({ plan: p }), at('1999-01-01T12:00:00Z'), BERLIN);
    expect(autumn()).toEqual(first);
    expect(first).toMatchObject({ window: 0, changesAt: at('2026-10-25T02:00:00Z') });
  });
});

describe('anniversary periods (Europe/Moscow)', () => {
  it('the 31st falls on 28 February in a common year and 29 February in a leap year', () => {
    expect(periodStart(at('2027-02-15T12:00:00Z'), MSK, 'anniversary', 31)).toEqual(at('2027-01-30T21:00:00Z')); // 31 Jan 00:00 MSK
    expect(nextPeriodStart(at('2027-02-15T12:00:00Z'), MSK, 'anniversary', 31)).toEqual(at('2027-02-27T21:00:00Z')); // 28 Feb
    expect(nextPeriodStart(at('2027-02-27T21:00:00Z'), MSK, 'anniversary', 31)).toEqual(at('2027-03-30T21:00:00Z')); // 31 Mar
    expect(periodStart(at('2027-03-15T12:00:00Z'), MSK, 'anniversary', 31)).toEqual(at('2027-02-27T21:00:00Z'));
    expect(nextPeriodStart(at('2028-02-15T12:00:00Z'), MSK, 'anniversary', 31)).toEqual(at('2028-02-28T21:00:00Z')); // 29 Feb 2028
    expect(nextPeriodStart(at('2028-02-15T12:00:00Z'), MSK, 'anniversary', 30)).toEqual(at('2028-02-28T21:00:00Z'));
    expect(nextPeriodStart(at('2028-04-15T12:00:00Z'), MSK, 'anniversary', 31)).toEqual(at('2028-04-29T21:00:00Z')); // 30 Apr
  });

  it('a period starting on the 15th: before it the previous month\'s; exactly at it the new one', () => {
    expect(periodStart(at('2026-12-14T20:59:59Z'), MSK, 'anniversary', 15)).toEqual(at('2026-11-14T21:00:00Z'));
    expect(periodStart(at('2026-12-14T21:00:00Z'), MSK, 'anniversary', 15)).toEqual(at('2026-12-14T21:00:00Z'));
    expect(nextPeriodStart(at('2026-12-14T21:00:00Z'), MSK, 'anniversary', 15)).toEqual(at('2027-01-14T21:00:00Z'));
  });

  it('effectiveSpeed wakes at the anniversary, and needs the day', () => {
    const p = plan({ period: 'anniversary', fup: [{ afterBytes: GB, downKbps: 1, upKbps: 1 }] });
    expect(effectiveSpeed(input({ plan: p, usedBytes: 2 * GB, anniversaryDay: 31 }), at('2027-02-15T12:00:00Z'), MSK).changesAt).toEqual(at('2027-02-27T21:00:00Z'));
    expect(() => effectiveSpeed(input({ plan: p }), at('2027-02-15T12:00:00Z'), MSK)).toThrow(RangeError);
    expect(() => periodStart(at('2027-02-15T12:00:00Z'), MSK, 'anniversary', 32)).toThrow(RangeError);
  });
});

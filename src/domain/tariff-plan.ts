/**
 * A tariff's speed plan (docs/tariffs.md, issue 14): the period its FUP counter counts over, the FUP steps that
 * slow a subscriber (or send them to the portal) as the period's traffic grows, and the weekly schedule of
 * windows that set another speed or price by local time. The types, and the one validator every writer goes
 * through (the API, the CLI, a snapshot loader reading the jsonb columns), so `effectiveSpeed` (./speed.ts) can
 * rely on what it reads: steps ascending, a redirect only last, windows that never overlap, so at most one is in
 * force at any instant.
 *
 * Bounds are those of the rest of the tariff (src/schema/resources.ts tariffFields, docs/schema.md `tariffs`):
 * speeds are integers ≥ 0 in kbit/s with 0 = no speed limit, prices integer minor units 0 … 10^15, byte counts
 * safe integers ≥ 0. Messages have the API's form — the key first, then what is wrong and what was given
 * (`fup[2].afterBytes must be greater than fup[1].afterBytes (1000), got 1000`) — so the API can hand the issues
 * on as they are. The domain layer cannot import src/schema (eslint.boundaries.js), so the wording of its builders
 * is repeated here, not shared.
 */
import { z } from 'zod';
import { MONEY_LIMIT } from './money.js';
import { describeValue } from './describe.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const PERIODS = ['month', 'anniversary'] as const;
/**
 * What the FUP counter counts over: `month` the calendar month of the fee time zone; `anniversary` from the
 * subscription's `activated_on` day of month (the 31st falls on the last day of shorter months).
 */
export type Period = (typeof PERIODS)[number];

/** From `afterBytes` of the period's traffic on, the subscriber has this speed (0 = no limit, as everywhere). */
export interface FupSpeedStep {
  readonly afterBytes: number;
  readonly downKbps: number;
  readonly upKbps: number;
}

/** From `afterBytes` on, the subscriber is redirected to the portal (a prepaid volume is used up). Only last. */
export interface FupRedirectStep {
  readonly afterBytes: number;
  readonly action: 'redirect';
}

export type FupStep = FupSpeedStep | FupRedirectStep;

/**
 * A weekly window in local `HH:MM` of the fee time zone. `to` before `from` crosses midnight and belongs to the
 * day it starts (`days: ['fri'], from 22:00, to 06:00` is Friday 22:00 to Saturday 06:00); `to` equal to `from`
 * is refused, so a window is 1 minute to 23 h 59 min long, and a whole day is two windows (00:00–12:00 and
 * 12:00–00:00). Unset speeds and price keep what is in force without the window.
 */
export interface ScheduleEntry {
  readonly days: readonly Weekday[] | 'all';
  readonly from: string;
  readonly to: string;
  readonly downKbps?: number | undefined;
  readonly upKbps?: number | undefined;
  readonly pricePerGB?: number | undefined;
}

export interface TariffPlan {
  readonly period: Period;
  readonly fup: readonly FupStep[];
  readonly schedule: readonly ScheduleEntry[];
}

/** A plan with neither steps nor windows: the tariff's speed and price all the time (today's tariffs). */
export const FLAT_PLAN: TariffPlan = { period: 'month', fup: [], schedule: [] };

/** Enough for any real tariff, and a bound on the jsonb a write may store and the overlap check's work. */
export const MAX_FUP_STEPS = 32;
export const MAX_SCHEDULE_ENTRIES = 64;

export function isRedirectStep(step: FupStep): step is FupRedirectStep {
  return 'action' in step;
}

/** Minutes after midnight of an `HH:MM` the validator accepted. */
export function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** The weekdays a window starts on, as indexes 0 = Monday … 6 = Sunday. */
export function weekdaysOf(entry: ScheduleEntry): readonly number[] {
  return entry.days === 'all' ? [0, 1, 2, 3, 4, 5, 6] : entry.days.map((d) => WEEKDAYS.indexOf(d));
}

// ---- messages ------------------------------------------------------------------------------------------

/** A value's message: `is required` when the key is absent, else `must be <what>, got …`. */
const must = (what: string) => (iss: { readonly input?: unknown }) => (iss.input === undefined ? 'is required' : `must be ${what}, ${describeValue(iss.input)}`);

const intSchema = (min: number, max: number, range: string) => {
  const error = must(`an integer ${range}`);
  return z.int({ error }).min(min, { error }).max(max, { error });
};

const kbps = intSchema(0, Number.MAX_SAFE_INTEGER, '≥ 0 (kbit/s; 0 = no limit)');
const bytes = intSchema(0, Number.MAX_SAFE_INTEGER, '≥ 0 (bytes)');
const pricePerGB = intSchema(0, MONEY_LIMIT, `between 0 and ${MONEY_LIMIT} (minor units per 10^9 bytes)`);

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const hhmm = z
  .string({ error: must('a local time HH:MM (00:00 … 23:59)') })
  .regex(HHMM, { error: (iss) => `must be a local time HH:MM (00:00 … 23:59), ${describeValue(iss.input)}` });

// ---- schemas -------------------------------------------------------------------------------------------

export const periodSchema = z.enum(PERIODS, { error: must(`one of ${PERIODS.join(', ')}`) });

const speedStepSchema = z.strictObject({ afterBytes: bytes, downKbps: kbps, upKbps: kbps });
const redirectStepSchema = z.strictObject({
  afterBytes: bytes,
  action: z.literal('redirect', { error: must('"redirect" (the only action)') }),
});

/** The FUP steps; the checks across steps name both steps by their path (`fup[1]`), the key the API uses. */
export const fupSchema = z
  .array(z.union([speedStepSchema, redirectStepSchema], { error: must('a step { afterBytes, downKbps, upKbps } or { afterBytes, action: "redirect" }') }), {
    error: must('a list of FUP steps'),
  })
  .max(MAX_FUP_STEPS, { error: `must have at most ${MAX_FUP_STEPS} steps` })
  .superRefine((steps, ctx) => {
    for (let i = 1; i < steps.length; i++) {
      const prev = steps[i - 1]!.afterBytes;
      const cur = steps[i]!.afterBytes;
      if (cur <= prev) ctx.addIssue({ code: 'custom', path: [i, 'afterBytes'], message: `must be greater than fup[${i - 1}].afterBytes (${prev}), got ${cur}` });
    }
    steps.forEach((step, i) => {
      if (isRedirectStep(step) && i < steps.length - 1) {
        ctx.addIssue({ code: 'custom', path: [i], message: `is a redirect step but fup[${i + 1}] follows it: a redirect must be the last step (once redirected, no speed applies)` });
      }
    });
  });

const daysSchema = z.union(
  [
    z.literal('all'),
    z
      .array(z.enum(WEEKDAYS, { error: must(`one of ${WEEKDAYS.join(', ')}`) }), { error: must('"all" or a list of days') })
      .min(1, { error: 'must name at least one day (or be "all")' }),
  ],
  { error: must(`"all" or a list of days (${WEEKDAYS.join(', ')})`) },
);

const entrySchema = z
  .strictObject({ days: daysSchema, from: hhmm, to: hhmm, downKbps: kbps.optional(), upKbps: kbps.optional(), pricePerGB: pricePerGB.optional() })
  .superRefine((e, ctx) => {
    if (e.days !== 'all') {
      e.days.forEach((d, i) => {
        const first = e.days.indexOf(d);
        if (first < i) ctx.addIssue({ code: 'custom', path: ['days', i], message: `repeats ${JSON.stringify(d)} (days[${first}])` });
      });
    }
    if (e.from === e.to) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `must differ from from (${e.from}): a window crossing midnight ends the next day, so it is at most 23:59 long; a whole day is two windows (00:00–12:00, 12:00–00:00)`,
      });
    }
    if (e.downKbps === undefined && e.upKbps === undefined && e.pricePerGB === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'sets none of downKbps, upKbps, pricePerGB: a window must change a speed or the price' });
    }
  });

const WEEK_MIN = 7 * 1440;

/** The minutes of the week (0 = Monday 00:00) a window covers, as half-open intervals; a Sunday-night one wraps. */
function weekIntervals(e: ScheduleEntry): [number, number][] {
  const from = minutesOf(e.from);
  const length = (minutesOf(e.to) - from + 1440) % 1440;
  const out: [number, number][] = [];
  for (const d of weekdaysOf(e)) {
    const start = d * 1440 + from;
    const end = start + length;
    if (end <= WEEK_MIN) out.push([start, end]);
    else out.push([start, WEEK_MIN], [0, end - WEEK_MIN]);
  }
  return out;
}

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function weekMinuteText(m: number): string {
  const day = Math.floor(m / 1440);
  const min = m % 1440;
  return `${DAY_NAMES[day]} ${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
}

/**
 * The first minute of the week two windows are both in force, or undefined. Computed on the weekly wall-clock
 * timeline; a DST change cannot make windows that are apart here overlap (./local-time.ts: the instant of a wall
 * time never runs backwards).
 */
export function scheduleOverlap(a: ScheduleEntry, b: ScheduleEntry): number | undefined {
  let first: number | undefined;
  for (const [as, ae] of weekIntervals(a)) {
    for (const [bs, be] of weekIntervals(b)) {
      if (as < be && bs < ae) {
        const m = Math.max(as, bs);
        if (first === undefined || m < first) first = m;
      }
    }
  }
  return first;
}

/** The schedule; overlapping windows are refused, so at most one is in force at any instant. */
export const scheduleSchema = z
  .array(entrySchema, { error: must('a list of schedule windows') })
  .max(MAX_SCHEDULE_ENTRIES, { error: `must have at most ${MAX_SCHEDULE_ENTRIES} windows` })
  .superRefine((entries, ctx) => {
    for (let j = 1; j < entries.length; j++) {
      for (let i = 0; i < j; i++) {
        const m = scheduleOverlap(entries[i]!, entries[j]!);
        if (m !== undefined) {
          ctx.addIssue({ code: 'custom', path: [j], message: `overlaps schedule[${i}]: both are in force from ${weekMinuteText(m)} (windows must not overlap)` });
          break;
        }
      }
    }
  });

/** The whole plan as the tariff carries it; absent parts are the flat plan's. */
export const tariffPlanSchema = z.strictObject(
  {
    period: periodSchema.default('month'),
    fup: fupSchema.default([]),
    schedule: scheduleSchema.default([]),
  },
  { error: must('an object { period, fup, schedule }') },
);

// ---- issues --------------------------------------------------------------------------------------------

/** One problem, in the shape of src/schema's Issue: the path as a key (`schedule[1].from`) and a message. */
export interface PlanIssue {
  readonly key: string;
  readonly message: string;
}

export type PlanCheck = { readonly ok: true; readonly value: TariffPlan } | { readonly ok: false; readonly issues: readonly PlanIssue[] };

/** `fup[2].afterBytes` from zod's ['fup', 2, 'afterBytes']. */
export function pathKey(path: readonly PropertyKey[]): string {
  let key = '';
  for (const p of path) key += typeof p === 'number' ? `[${p}]` : key === '' ? String(p) : `.${String(p)}`;
  return key;
}

type ZodIssue = z.core.$ZodIssue;

/** Whether an issue says the value is of the wrong kind altogether (not a field of it being wrong). */
function atRoot(i: ZodIssue): boolean {
  return i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value');
}

/**
 * Issues with their full paths. A union (a FUP step, `days`) reports one list per alternative; the one that shows
 * what was meant is the alternative the value got furthest in: not failing at its root, fewest problems (so
 * `{ afterBytes, action: "redirec" }` is told about `action`, not that `downKbps` is missing). When every
 * alternative fails at the root, the union's own message says what the value may be.
 */
function flatten(issues: readonly ZodIssue[], base: readonly PropertyKey[]): { path: PropertyKey[]; issue: ZodIssue }[] {
  const out: { path: PropertyKey[]; issue: ZodIssue }[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const candidates = issue.errors.filter((alt) => !alt.some(atRoot));
      if (candidates.length === 0) {
        out.push({ path, issue });
        continue;
      }
      const best = candidates.reduce((a, b) => (b.length < a.length ? b : a));
      out.push(...flatten(best, path));
    } else out.push({ path, issue });
  }
  return out;
}

/** zod issues as PlanIssues, prefixed by `base` (the key of the part checked: `fup`, `schedule`, or none). */
export function planIssues(error: z.ZodError, base: readonly PropertyKey[] = []): PlanIssue[] {
  const out: PlanIssue[] = [];
  for (const { path, issue } of flatten(error.issues, base)) {
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) {
        const key = pathKey([...path, k]);
        out.push({ key, message: `${key} is not a field here (unknown field ${JSON.stringify(k)})` });
      }
      continue;
    }
    const key = pathKey(path);
    out.push({ key, message: key === '' ? issue.message : `${key} ${issue.message}` });
  }
  return out;
}

/** Checks a whole plan (`{ period?, fup?, schedule? }`): every problem at once, or the plan with defaults applied. */
export function checkTariffPlan(input: unknown): PlanCheck {
  const r = tariffPlanSchema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, issues: planIssues(r.error) };
}

/** The plan, or a RangeError naming every problem (for code that reads stored plans, which were checked on write). */
export function parseTariffPlan(input: unknown): TariffPlan {
  const r = checkTariffPlan(input);
  if (!r.ok) throw new RangeError(r.issues.map((i) => i.message).join('; '));
  return r.value;
}

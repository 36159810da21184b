/**
 * The one answer to "what speed should this subscriber have now?" (docs/tariffs.md "One question"): the
 * Access-Accept, the live-session reconciler, the scheduler, the portal and the console all ask it here, so the
 * precedence of FUP steps, schedule windows and add-ons lives in one place. Pure: the clock and the zone are
 * arguments, the period's traffic is the caller's counter (`usage_periods`), nothing is read.
 *
 * Precedence, highest first:
 * 1. a FUP redirect step in force (the prepaid volume is used up): `redirect` is set and beats every speed;
 * 2. an active add-on, per direction the faster of it and what it replaces (a turbo never slows anyone);
 * 3. the schedule window in force, per direction it sets (it overrides the base and the FUP speed);
 * 4. the FUP step in force (usage ≥ its `afterBytes`);
 * 5. the tariff's base speed.
 * Speeds follow Tollgate's convention (docs/schema.md `down_kbps`): kbit/s, and **0 = no speed limit**, so 0 is
 * the fastest value when an add-on is compared with what it replaces.
 *
 * Time is the wall clock of the fee time zone (./local-time.ts). A window is in force from the first instant the
 * local clock reads its `from` (or later) until the first instant after that it reads its `to` (or later), on the
 * next day for a window crossing midnight. So on a spring-forward day a window inside the skipped hour
 * (02:00–03:00 in Europe/Berlin or America/New_York) does not happen, one starting in it starts at the jump; on a
 * fall-back day a window over the repeated hour lasts through both passes (Berlin's 02:00–03:00 is two hours),
 * one ending in it ends on the first pass and one starting in it starts on the first pass. The instant of a wall
 * time never decreases as the wall time grows, so windows that the validator found apart on the weekly clock are
 * apart as instants too: at most one is in force. Next edges are found by stepping local days and converting each
 * edge's wall time, never by adding 86,400 s to an instant.
 */
import { DAY_MS, MINUTE_MS, checkTimeZone, daysInMonth, firstInstantAtWall, localDayOf, wallAt } from './local-time.js';
import { isRedirectStep, minutesOf, weekdaysOf, type Period, type TariffPlan } from './tariff-plan.js';

/** An add-on bought or granted, as the snapshot holds it; one whose `endsAt` is not after `now` is ignored. */
export interface ActiveAddon {
  readonly downKbps: number;
  readonly upKbps: number;
  readonly endsAt: Date;
}

export interface SpeedInput {
  /** The tariff's base speed (kbit/s, 0 = no limit). */
  readonly downKbps: number;
  readonly upKbps: number;
  readonly plan: TariffPlan;
  /** Bytes (input + output) of the current period, the FUP counter. */
  readonly usedBytes: number;
  readonly addons: readonly ActiveAddon[];
  /**
   * The subscription's `activated_on` day of month (1–31). Needed for an `anniversary` period when the plan has
   * FUP steps (the period start is then a wake-up); a RangeError without it.
   */
  readonly anniversaryDay?: number | undefined;
}

export type SpeedSource = 'base' | 'fup' | 'schedule' | 'addon';

export interface EffectiveSpeed {
  /** What the NAS should enforce (kbit/s, 0 = no limit); with `redirect`, what would apply without the redirect step. */
  readonly downKbps: number;
  readonly upKbps: number;
  /** The layer that decided the speed (the highest that changed either direction); `fup` when redirected. */
  readonly source: SpeedSource;
  /** Index of the FUP step in force by usage (even when a window or add-on overrides its speed); null = none. */
  readonly fupStep: number | null;
  /** The redirect step is in force: render the redirect profile, not a speed. */
  readonly redirect: boolean;
  /** Index of the schedule entry in force; null = none. */
  readonly window: number | null;
  /**
   * The next instant an input of the answer changes with no new usage: a window edge, the earliest add-on expiry,
   * the next period start (only when the plan has FUP steps, which it resets). The scheduler's wake-up time; the
   * answer recomputed then may still come out the same (a slower add-on ending beside a faster one). Null: the
   * clock alone never changes it.
   */
  readonly changesAt: Date | null;
}

/** `a` is faster than `b` in Tollgate's convention (0 = no limit, the fastest). */
function faster(a: number, b: number): boolean {
  if (a === b) return false;
  if (a === 0) return true;
  if (b === 0) return false;
  return a > b;
}

function instantOf(now: Date): number {
  const t = now.getTime();
  if (!Number.isFinite(t)) throw new RangeError('now must be a valid Date');
  return t;
}

// ---- schedule windows ----------------------------------------------------------------------------------

interface Occurrence {
  readonly entry: number;
  /** Instants (ms), half-open; equal when the window fell into a spring-forward gap (it does not happen). */
  readonly start: number;
  readonly end: number;
}

/** The windows of `plan` that start on the local day whose wall midnight is `midnight`, as instants. */
function occurrencesStarting(plan: TariffPlan, midnight: number, timeZone: string): Occurrence[] {
  const { weekday } = localDayOf(midnight);
  const out: Occurrence[] = [];
  plan.schedule.forEach((e, entry) => {
    if (!weekdaysOf(e).includes(weekday)) return;
    const from = minutesOf(e.from);
    const to = minutesOf(e.to);
    const startWall = midnight + from * MINUTE_MS;
    const endWall = midnight + (to > from ? 0 : DAY_MS) + to * MINUTE_MS;
    out.push({ entry, start: firstInstantAtWall(startWall, timeZone), end: firstInstantAtWall(endWall, timeZone) });
  });
  return out;
}

/** The local midnight (wall) of the day `now` falls on. */
function todayMidnight(t: number, timeZone: string): number {
  return localDayOf(wallAt(t, timeZone)).midnight;
}

/**
 * The index of the schedule entry in force at `at`, or null. Windows starting yesterday, today and tomorrow
 * (local) are looked at: one starting earlier has ended (a window is shorter than a day), and tomorrow's would
 * matter were a clock to fall back across midnight after reading the new day (America/Santiago falls back at
 * 24:00, before it reads 00:00, so no zone does today; the look costs little). Should a stored schedule overlap
 * after all (it was not validated), the lowest index wins.
 */
export function scheduleWindowAt(plan: TariffPlan, at: Date, timeZone: string): number | null {
  const t = instantOf(at);
  if (plan.schedule.length === 0) {
    checkTimeZone(timeZone);
    return null;
  }
  const today = todayMidnight(t, timeZone);
  let found: number | null = null;
  for (let k = -1; k <= 1; k++) {
    for (const o of occurrencesStarting(plan, today + k * DAY_MS, timeZone)) {
      if (o.start <= t && t < o.end && (found === null || o.entry < found)) found = o.entry;
    }
  }
  return found;
}

/** The first window edge (a start or an end that happens) after `t`, or null without windows. */
function nextWindowEdge(plan: TariffPlan, t: number, timeZone: string): number | null {
  if (plan.schedule.length === 0) return null;
  const today = todayMidnight(t, timeZone);
  let next: number | null = null;
  // A weekly window recurs within 7 days of today; from yesterday to 8 days on covers every next edge.
  for (let k = -1; k <= 8; k++) {
    for (const o of occurrencesStarting(plan, today + k * DAY_MS, timeZone)) {
      if (o.start === o.end) continue;
      for (const edge of [o.start, o.end]) if (edge > t && (next === null || edge < next)) next = edge;
    }
  }
  return next;
}

/**
 * The price per 10^9 bytes at `at`: the `pricePerGB` of the window in force, else `basePricePerGB` (also when
 * the window in force sets only speeds). The rater prices an interim's delta at the interim's time.
 */
export function pricePerGBAt(plan: TariffPlan, basePricePerGB: number, at: Date, timeZone: string): number {
  const w = scheduleWindowAt(plan, at, timeZone);
  return (w === null ? undefined : plan.schedule[w]?.pricePerGB) ?? basePricePerGB;
}

// ---- periods -------------------------------------------------------------------------------------------

function checkAnniversaryDay(period: Period, anniversaryDay: number | undefined): number {
  if (period === 'month') return 1;
  if (anniversaryDay === undefined || !Number.isInteger(anniversaryDay) || anniversaryDay < 1 || anniversaryDay > 31) {
    throw new RangeError(`an anniversary period needs the activation day of month 1–31, got ${String(anniversaryDay)}`);
  }
  return anniversaryDay;
}

/** The instant the period that starts in local month `month` (may overflow) of `year` starts: its day's local midnight. */
function startInMonth(year: number, month: number, day: number, timeZone: string): number {
  const d = Math.min(day, daysInMonth(year, month));
  return firstInstantAtWall(Date.UTC(year, month - 1, d), timeZone);
}

/**
 * The period starts around `t`: those starting in the local month before `t`'s, in it, and in the one after. The
 * one before has always begun and the one after never has, so the period containing `t` and the next are among them.
 */
function periodStartsAround(t: number, timeZone: string, period: Period, anniversaryDay: number | undefined): number[] {
  const day = checkAnniversaryDay(period, anniversaryDay);
  const { year, month } = localDayOf(wallAt(t, timeZone));
  return [-1, 0, 1].map((k) => startInMonth(year, month + k, day, timeZone));
}

/**
 * The start of the FUP period containing `now`: local midnight of the 1st (`month`) or of the anniversary day
 * (`anniversary`, clamped to the month's last day: the 31st is 28 or 29 February, 30 April). A day whose
 * midnight the clock skips starts at the jump (the first instant reading 00:00 or later).
 */
export function periodStart(now: Date, timeZone: string, period: Period, anniversaryDay?: number): Date {
  const t = instantOf(now);
  const starts = periodStartsAround(t, timeZone, period, anniversaryDay).filter((s) => s <= t);
  return new Date(Math.max(...starts));
}

/** The start of the period after the one containing `now` (exclusive end of the current one). */
export function nextPeriodStart(now: Date, timeZone: string, period: Period, anniversaryDay?: number): Date {
  const t = instantOf(now);
  const starts = periodStartsAround(t, timeZone, period, anniversaryDay).filter((s) => s > t);
  return new Date(Math.min(...starts));
}

// ---- the answer ----------------------------------------------------------------------------------------

/** The FUP step in force for `usedBytes`: the last one whose `afterBytes` it has reached (steps ascend). */
export function fupStepFor(plan: TariffPlan, usedBytes: number): number | null {
  let step: number | null = null;
  for (let i = 0; i < plan.fup.length && usedBytes >= plan.fup[i]!.afterBytes; i++) step = i;
  return step;
}

/** See the module comment for the precedence and the rule of local time. */
export function effectiveSpeed(input: SpeedInput, now: Date, timeZone: string): EffectiveSpeed {
  const t = instantOf(now);
  checkTimeZone(timeZone);
  const { plan } = input;

  const fupStep = fupStepFor(plan, input.usedBytes);
  const step = fupStep === null ? undefined : plan.fup[fupStep];
  const redirect = step !== undefined && isRedirectStep(step);
  // Under a redirect the speeds are those the steps before it give (the redirect is only ever last).
  const speedStep = redirect ? (fupStep !== null && fupStep > 0 ? plan.fup[fupStep - 1] : undefined) : step;

  let downKbps = input.downKbps;
  let upKbps = input.upKbps;
  let source: SpeedSource = 'base';
  if (speedStep !== undefined && !isRedirectStep(speedStep)) {
    downKbps = speedStep.downKbps;
    upKbps = speedStep.upKbps;
    source = 'fup';
  }

  const window = scheduleWindowAt(plan, now, timeZone);
  const entry = window === null ? undefined : plan.schedule[window];
  if (entry?.downKbps !== undefined) {
    downKbps = entry.downKbps;
    source = 'schedule';
  }
  if (entry?.upKbps !== undefined) {
    upKbps = entry.upKbps;
    source = 'schedule';
  }

  let firstExpiry: number | null = null;
  for (const a of input.addons) {
    const ends = a.endsAt.getTime();
    if (!(ends > t)) continue;
    if (firstExpiry === null || ends < firstExpiry) firstExpiry = ends;
    if (faster(a.downKbps, downKbps)) {
      downKbps = a.downKbps;
      source = 'addon';
    }
    if (faster(a.upKbps, upKbps)) {
      upKbps = a.upKbps;
      source = 'addon';
    }
  }

  const edges = [nextWindowEdge(plan, t, timeZone), firstExpiry];
  if (plan.fup.length > 0) edges.push(nextPeriodStart(now, timeZone, plan.period, input.anniversaryDay).getTime());
  const due = edges.filter((e): e is number => e !== null);
  return {
    downKbps,
    upKbps,
    source: redirect ? 'fup' : source,
    fupStep,
    redirect,
    window,
    changesAt: due.length === 0 ? null : new Date(Math.min(...due)),
  };
}

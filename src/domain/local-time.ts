/**
 * Wall-clock time of an IANA time zone as a function of the instant, for the rules that are written in local
 * `HH:MM` (tariff schedule windows, period starts: docs/tariffs.md "Time"). The zone check and the offset live
 * here, in the domain, and the billing calendar (src/billing/core/calendar.ts) uses them, since the domain may
 * not import billing (eslint.boundaries.js). The rules here need a form of their own: not "the instant of a
 * wall time", which on a DST change is two instants or none, but **the first instant the local clock reads a
 * wall time or later**. That one is defined for every wall time, it never decreases as the wall time grows (so
 * windows that do not overlap on the wall clock do not overlap as instants either), and it is what a person
 * watching the clock on the wall would call "when it was 02:00". Pure: Intl only, plus a cache of the zone's offsets that only makes repeated calls cheaper.
 *
 * "Wall" values below are milliseconds since 1970 of the local date and time read as if it were UTC
 * (`Date.UTC(y, m - 1, d, hh, mm)`), so calendar arithmetic on them is plain UTC date arithmetic.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const knownZones = new Set<string>();

/**
 * Throws RangeError unless `timeZone` is an IANA zone Intl knows; returns it (as the billing calendar's). A zone
 * once found is remembered: building a DateTimeFormat costs far more than the rest of an effectiveSpeed call.
 */
export function checkTimeZone(timeZone: string): string {
  if (knownZones.has(timeZone)) return timeZone;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)}`);
  }
  knownZones.add(timeZone);
  return timeZone;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at `instant` (ms), in milliseconds, east positive; whole seconds as Intl gives them. */
export function offsetAt(instant: number, timeZone: string): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    checkTimeZone(timeZone);
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      calendar: 'gregory',
      numberingSystem: 'latn',
    });
    offsetFormatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** One stretch of constant offset: `offset` is in force from `from` (instant ms) until the next segment's `from`. */
interface Segment {
  readonly from: number;
  readonly offset: number;
}

/**
 * The zone's offsets over a range of instants, as segments of constant offset. Built by probing every 6 hours and
 * bisecting to the second where two probes differ: no zone in the tz database changes its offset twice within
 * 6 hours, so no change is missed.
 */
interface Timeline {
  readonly start: number;
  readonly end: number;
  readonly segments: readonly Segment[];
}

const PROBE_MS = 6 * HOUR_MS;
/** A timeline covers this much either side of the instant that asked for it, so a month of calls reuse one. */
const MARGIN_MS = 70 * DAY_MS;

function buildTimeline(start: number, end: number, timeZone: string): Timeline {
  const segments: Segment[] = [{ from: start, offset: offsetAt(start, timeZone) }];
  let prevAt = start;
  let prev = segments[0]!.offset;
  for (let at = start + PROBE_MS; ; at += PROBE_MS) {
    const t = Math.min(at, end);
    const o = offsetAt(t, timeZone);
    if (o !== prev) {
      // The change is in (prevAt, t]: bisect to the first second with the new offset.
      let lo = prevAt;
      let hi = t;
      while (hi - lo > 1000) {
        // Whole seconds (offsets change on them), and always strictly between lo and hi.
        const mid = lo + Math.max(1000, Math.floor((hi - lo) / 2000) * 1000);
        if (offsetAt(mid, timeZone) === prev) lo = mid;
        else hi = mid;
      }
      segments.push({ from: hi, offset: o });
      prev = o;
    }
    prevAt = t;
    if (t >= end) break;
  }
  return { start, end, segments };
}

const timelines = new Map<string, Timeline>();

/** At most this span is cached per zone: beyond it the cache starts again around the new request. */
const MAX_SPAN_MS = 800 * DAY_MS;

/**
 * A timeline of `timeZone` covering [from, to]: the cached one when it does, else one around them — grown to
 * include the cached range while that stays under MAX_SPAN_MS, so calls that alternate between two months (a
 * period start and a window edge) do not rebuild it each time.
 */
function timelineFor(from: number, to: number, timeZone: string): Timeline {
  const cached = timelines.get(timeZone);
  if (cached && cached.start <= from && to <= cached.end) return cached;
  let start = Math.floor((from - MARGIN_MS) / 1000) * 1000;
  let end = Math.ceil((to + MARGIN_MS) / 1000) * 1000;
  if (cached && Math.max(end, cached.end) - Math.min(start, cached.start) <= MAX_SPAN_MS) {
    start = Math.min(start, cached.start);
    end = Math.max(end, cached.end);
  }
  const t = buildTimeline(start, end, timeZone);
  timelines.set(timeZone, t);
  return t;
}

/** The local wall time (see the module comment) at `instant`. */
export function wallAt(instant: number, timeZone: string): number {
  const tl = timelineFor(instant, instant, timeZone);
  let offset = tl.segments[0]!.offset;
  for (const s of tl.segments) {
    if (s.from > instant) break;
    offset = s.offset;
  }
  return instant + offset;
}

/**
 * The first instant at which the local clock reads `wall` or later. Within a segment the wall clock runs with the
 * instant, so the answer is `wall − offset` in the first segment (in time order) that reaches `wall`, or that
 * segment's start when the clock jumped over `wall` into it (spring forward: 02:30 is never read, the first
 * instant reading 02:30 or later is the jump to 03:00). On a fall-back the earlier of the two readings wins.
 */
export function firstInstantAtWall(wall: number, timeZone: string): number {
  // Any offset lies within ±18 h, so the instant is within a day of `wall` read as UTC.
  const tl = timelineFor(wall - DAY_MS, wall + DAY_MS, timeZone);
  const segs = tl.segments;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    const until = i + 1 < segs.length ? segs[i + 1]!.from : Infinity;
    const t = wall - s.offset;
    if (t < until) return Math.max(s.from, t);
  }
  throw new RangeError('local time outside the zone timeline');
}

/** A local calendar day as its wall midnight, with the parts the rules need. */
export interface LocalDay {
  /** Wall value of 00:00 of the day. */
  readonly midnight: number;
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  /** 1–31 */
  readonly day: number;
  /** 0 = Monday … 6 = Sunday (ISO order, as the schedule's `days` are listed). */
  readonly weekday: number;
}

/** The local day containing the wall value `wall`. */
export function localDayOf(wall: number): LocalDay {
  const midnight = Math.floor(wall / DAY_MS) * DAY_MS;
  const d = new Date(midnight);
  return { midnight, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: (d.getUTCDay() + 6) % 7 };
}

/** Days of month `month` (1–12, may overflow into other years) of `year` (proleptic Gregorian). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Rating arithmetic: pure and exact (bigint inside, no floats on a money path; docs/design.md invariant 1).
 * Every charge is a difference of cumulative floors, floor(total × price / unit) − already charged, so the sum
 * of the charges never depends on how the total was split into deltas (interims, days).
 */
import type { OctetCounter } from '../../domain/accounting.js';
import { daysInMonth, parseDay } from './calendar.js';

export const BYTES_PER_GB = 1_000_000_000n;
export const SECONDS_PER_MINUTE = 60n;
const TWO_32 = 1n << 32n;
const HALF_32 = 1n << 31n;
const LOW_32 = TWO_32 - 1n;

function big(v: bigint | number): bigint {
  if (typeof v === 'bigint') return v;
  if (!Number.isSafeInteger(v)) throw new RangeError(`${v} is not a safe integer`);
  return BigInt(v);
}

/** floor(total × price / unit) for non-negative operands. */
export function cumulativeFloor(totalUnits: bigint | number, priceNumerator: bigint | number, unit: bigint | number): bigint {
  const t = big(totalUnits);
  const p = big(priceNumerator);
  const u = big(unit);
  if (t < 0n || p < 0n || u <= 0n) throw new RangeError('cumulativeFloor needs total ≥ 0, price ≥ 0, unit > 0');
  return (t * p) / u; // bigint division truncates, = floor for non-negative operands
}

/**
 * What to charge now for a running total: floor(total × price / unit) − already charged, never negative
 * (a price lowered mid-period charges nothing until the floor catches up; a refund is an adjustment).
 *
 * @example chargeFor(1_500_000_000n, 7n, BYTES_PER_GB, 7n) // 3n: floor(10.5) − 7
 */
export function chargeFor(
  totalUnits: bigint | number,
  priceNumerator: bigint | number,
  unit: bigint | number,
  alreadyCharged: bigint | number = 0n,
): bigint {
  const d = cumulativeFloor(totalUnits, priceNumerator, unit) - big(alreadyCharged);
  return d > 0n ? d : 0n;
}

/**
 * The fee of day `dayOfMonth` (1-based) of a month of `daysInMonth` days:
 * floor(fee × d / D) − floor(fee × (d − 1) / D), so the days of a month sum to exactly `monthlyFee`.
 */
export function dailyFee(monthlyFee: bigint | number, dayOfMonth: number, daysInMonth: number): bigint {
  if (!Number.isInteger(daysInMonth) || daysInMonth < 1) throw new RangeError(`bad daysInMonth ${daysInMonth}`);
  if (!Number.isInteger(dayOfMonth) || dayOfMonth < 1 || dayOfMonth > daysInMonth) throw new RangeError(`bad dayOfMonth ${dayOfMonth}`);
  const fee = big(monthlyFee);
  const days = BigInt(daysInMonth);
  const d = BigInt(dayOfMonth);
  return cumulativeFloor(d, fee, days) - cumulativeFloor(d - 1n, fee, days);
}

/**
 * The new stored value of a monotonic octet counter: the highest seen, never lower than `stored`.
 * Without Gigawords, a low word that dropped by more than half the 32-bit range is a wrap: +2^32. With
 * Gigawords the NAS reports the whole 64-bit count, so a lower value is stale, never a wrap. `mayWrap` is false
 * when the record is known to be older than the stored state (smaller Acct-Session-Time) or carries all-zero
 * counters (a zero Stop), so a drop is just stale.
 *
 * @example advanceCounter(4_000_000_000n, { bytes: 100n, gigawords: false }, true) // 4_294_967_396n
 */
export function advanceCounter(stored: bigint, reported: OctetCounter, mayWrap: boolean): bigint {
  if (reported.gigawords) return reported.bytes > stored ? reported.bytes : stored;
  const oldHigh = stored >> 32n;
  const oldLow = stored & LOW_32;
  const newLow = reported.bytes & LOW_32;
  let high = oldHigh;
  if (mayWrap && newLow < oldLow && oldLow - newLow > HALF_32) {
    high = oldHigh + 1n; // wrapped since the stored value
  } else if (oldHigh > 0n && newLow > oldLow && newLow - oldLow > HALF_32) {
    high = oldHigh - 1n; // a late record from before an inferred wrap: stale, not a new high
  }
  const candidate = high * TWO_32 + newLow;
  return candidate > stored ? candidate : stored;
}

export interface TrafficRating {
  /** Month octets after this delta. */
  readonly octets: bigint;
  /** Month traffic charged after this delta = floor(max(0, octets − included) × price / 10^9). */
  readonly charged: bigint;
  /** What to charge now. */
  readonly charge: bigint;
}

/**
 * Rates `delta` new bytes of a subscriber's month: the included volume is shared by every session of the
 * month, and the cumulative floor runs over the month's chargeable bytes.
 */
export function rateTraffic(month: { octets: bigint; charged: bigint }, delta: bigint, includedBytes: bigint, pricePerGB: bigint): TrafficRating {
  if (delta < 0n) throw new RangeError('negative traffic delta');
  const octets = month.octets + delta;
  const chargeable = octets > includedBytes ? octets - includedBytes : 0n;
  const floor = cumulativeFloor(chargeable, pricePerGB, BYTES_PER_GB);
  const charge = floor > month.charged ? floor - month.charged : 0n;
  return { octets, charged: month.charged + charge, charge };
}

export interface TimeRating {
  readonly charged: bigint;
  readonly charge: bigint;
}

/** Rates a session's cumulative seconds at `pricePerMinute` per 60 s. */
export function rateTime(totalSeconds: bigint, alreadyCharged: bigint, pricePerMinute: bigint): TimeRating {
  const charge = chargeFor(totalSeconds, pricePerMinute, SECONDS_PER_MINUTE, alreadyCharged);
  return { charged: alreadyCharged + charge, charge };
}

/** The fee of calendar day `day` for a monthly fee (dailyFee on the day's month). */
export function feeForDay(monthlyFee: bigint | number, day: string): bigint {
  const [y, m, d] = parseDay(day);
  return dailyFee(monthlyFee, d, daysInMonth(y, m));
}

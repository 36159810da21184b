/**
 * The reference rater: docs/accounting.md "Rules of rating" 1–8, written from the page and nothing else — a Map of
 * sessions, records applied one at a time in arrival (journal) order, plain bigint arithmetic. No SQL, no
 * batching, no code shared with src/billing (only the AccountingRecord *type* shape is mirrored, as ModelRecord).
 * It is the oracle of test/integration/accounting-traces.test.ts: the daemon must end in the same state.
 *
 * Readings of the page where it leaves room (each is also listed in the trace test's header):
 * - R1 clamping is computed for every record (Start/Interim/Stop, Accounting-On/Off, records later ignored or
 *   held alike); a record counts as clamped when its event time lies strictly outside [lo, hi]. Times are kept in
 *   milliseconds (receivedAt has ms, Event-Timestamp whole seconds).
 * - R2 "open" = not stopped (stopped_at null). A retransmitted / duplicated Accounting-On is a second reboot:
 *   it bumps the epoch again (nothing in the page deduplicates it).
 * - R5 started_at is set when the session is created and not moved by a later (reordered) Start.
 *   A Stop's stopped_at is, like a reboot's, never before started_at (the schema's sessions_period_check).
 * - R6 wrap inference applies only to a counter sent WITHOUT its Gigawords attribute: the record's low word is
 *   read against the stored value's high part: same gigaword if it did not fall, the next one (+2³²) if it fell
 *   by more than 2³¹ (and the record is neither older nor all-zero), else the stored value is kept; a low word
 *   that ROSE by more than 2³¹ above a stored value past 2³² is a late record from before that wrap: kept too
 *   (the page's prose omits this case; it defers to advanceCounter's contract, whose doc comment says so). With
 *   Gigawords the reported value is exact and the stored value is kept when it is larger. "Older" = the record
 *   has an Acct-Session-Time smaller than the session's stored session time. "All-zero" = every octet counter
 *   present is 0, whatever the Acct-Session-Time (the page says so since 2ad5a73).
 * - R7 "increments" = (input + output after R6) − (stored input + output), i.e. over the session's counters.
 *   Elapsed times are exact (milliseconds, no rounding). A held record applies neither its octets nor its
 *   session time, but it does count as the session's "previous record" for the next record's elapsed time.
 *   The session-time base is the first record's even if it was held (the page says so since b5ad67b / 7af9f82):
 *   its Acct-Session-Time capped at maxSessionSeconds, and its time = min(clamped time, receive time).
 *   One held row per held record; when both checks fail the reason is session_time.
 * - R8 Δ is charged into the usage month of the record being applied; rated_octets / rated_seconds move up only
 *   when the session has a subscriber (an unknown login's octets wait for the subscriber to appear). usage rows
 *   are compared only where octets or charged_traffic are non-zero.
 */

export const TWO_32 = 1n << 32n;
const TWO_31 = 1n << 31n;
const GB = 1_000_000_000n;

export type ModelStatus = 'start' | 'stop' | 'interim-update' | 'accounting-on' | 'accounting-off' | 'other';

/** The fields of an AccountingRecord (src/domain/accounting.ts) the rules read. */
export interface ModelRecord {
  readonly nas: string;
  readonly status: ModelStatus;
  /** Exact text form of the Acct-Session-Id octets (docs/accounting.md "Strings are octets"). */
  readonly acctSessionId: string;
  readonly username: string;
  readonly sessionTime: bigint | null;
  readonly input: { readonly bytes: bigint; readonly gigawords: boolean } | null;
  readonly output: { readonly bytes: bigint; readonly gigawords: boolean } | null;
  readonly eventTime: Date;
  readonly receivedAt: Date;
  readonly delayTime: number;
  readonly terminateCause: string | null;
}

export interface ModelTariff {
  readonly pricePerGB: bigint;
  readonly includedBytes: bigint;
  readonly pricePerMinute: bigint;
}

export interface ModelSubscriber {
  /** Any stable key of the account (the test uses the database id). */
  readonly accountId: number;
  readonly tariff: ModelTariff;
}

export interface ModelOptions {
  readonly skewSeconds?: number;
  readonly maxRateBitsPerSecond?: number;
  readonly maxSessionSeconds?: number;
}

export interface ModelSession {
  readonly nas: string;
  readonly epoch: number;
  readonly acctSessionId: string;
  readonly username: string;
  /** The login's subscriber (username key), null while unknown. */
  subscriber: string | null;
  startedAt: number;
  stoppedAt: number | null;
  final: boolean;
  terminateCause: string | null;
  input: bigint;
  output: bigint;
  sessionTime: bigint;
  ratedOctets: bigint;
  ratedSeconds: bigint;
  chargedTraffic: bigint;
  chargedTime: bigint;
  readonly firstReceivedAt: number;
  readonly firstSessionTime: bigint;
  lastReceivedAt: number;
}

export interface ModelHeld {
  readonly nas: string;
  readonly acctSessionId: string;
  readonly reason: 'octet_rate' | 'session_time';
  readonly octets: bigint;
  readonly seconds: bigint;
}

export interface ModelUsage {
  readonly username: string;
  /** 'YYYY-MM-01' (UTC). */
  readonly month: string;
  octets: bigint;
  charged: bigint;
}

export type ModelOutcome = 'applied' | 'held' | 'ignored' | 'reboot' | 'other';

export interface ModelResult {
  /** accountId → charges by kind. */
  readonly charges: Map<number, { traffic: bigint; time: bigint }>;
  readonly sessions: ModelSession[];
  readonly usage: ModelUsage[];
  readonly held: ModelHeld[];
  /** Records acknowledged and ignored (after_stop). */
  readonly ignored: number;
  /** Records whose event time was clamped. */
  readonly clamped: number;
  /** NAS → current epoch (NASes never rebooted are absent: epoch 0). */
  readonly epochs: Map<string, number>;
  /** Outcome of each record, in input order. */
  readonly outcomes: ModelOutcome[];
}

const sessionKey = (nas: string, acctSessionId: string): string => JSON.stringify([nas, acctSessionId]);
const bmax = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const bmin = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** 'YYYY-MM-01' of a UTC time in ms. */
export function utcMonth(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-01`;
}

export class ReferenceRater {
  private readonly skewMs: bigint;
  private readonly maxRate: bigint;
  private readonly maxSession: bigint;
  private readonly epochs = new Map<string, number>();
  /** (NAS, Acct-Session-Id) → the latest session with that id. */
  private readonly current = new Map<string, ModelSession>();
  private readonly sessions: ModelSession[] = [];
  private readonly usage = new Map<string, ModelUsage>();
  private readonly charges = new Map<number, { traffic: bigint; time: bigint }>();
  private readonly held: ModelHeld[] = [];
  private readonly outcomes: ModelOutcome[] = [];
  private ignored = 0;
  private clamped = 0;

  constructor(
    /** Login (exact text form) → subscriber. */
    private readonly subscribers: ReadonlyMap<string, ModelSubscriber>,
    options: ModelOptions = {},
  ) {
    this.skewMs = BigInt(options.skewSeconds ?? 300) * 1000n;
    this.maxRate = BigInt(options.maxRateBitsPerSecond ?? 100_000_000_000);
    this.maxSession = BigInt(options.maxSessionSeconds ?? 7_776_000);
  }

  /** Rule 1: the clamped event time, in ms. */
  private clamp(r: ModelRecord): number {
    const received = BigInt(r.receivedAt.getTime());
    const lo = received - bmin(BigInt(r.delayTime), 86_400n) * 1000n - this.skewMs;
    const hi = received + this.skewMs;
    const event = BigInt(r.eventTime.getTime());
    if (event < lo) {
      this.clamped++;
      return Number(lo);
    }
    if (event > hi) {
      this.clamped++;
      return Number(hi);
    }
    return Number(event);
  }

  apply(r: ModelRecord): ModelOutcome {
    const outcome = this.applyRecord(r);
    this.outcomes.push(outcome);
    return outcome;
  }

  private applyRecord(r: ModelRecord): ModelOutcome {
    const at = this.clamp(r);
    const received = r.receivedAt.getTime();
    if (r.status === 'accounting-on' || r.status === 'accounting-off') {
      // Rule 2.
      for (const s of this.sessions) {
        if (s.nas !== r.nas || s.stoppedAt !== null) continue;
        s.stoppedAt = Math.max(at, s.startedAt);
        s.final = true;
        s.terminateCause = 'NAS-Reboot';
      }
      this.epochs.set(r.nas, (this.epochs.get(r.nas) ?? 0) + 1);
      return 'reboot';
    }
    if (r.status === 'other') return 'other';

    // Rule 3: identity.
    const epoch = this.epochs.get(r.nas) ?? 0;
    const key = sessionKey(r.nas, r.acctSessionId);
    let s = this.current.get(key);
    let first = false;
    if (s === undefined || s.epoch !== epoch) {
      // Rule 5: a new session, with the login of its first record.
      const st = r.sessionTime ?? 0n;
      s = {
        nas: r.nas,
        epoch,
        acctSessionId: r.acctSessionId,
        username: r.username,
        subscriber: this.subscribers.has(r.username) ? r.username : null,
        startedAt: r.status === 'start' ? at : at - Number(bmin(st, this.maxSession)) * 1000,
        stoppedAt: null,
        final: false,
        terminateCause: null,
        input: 0n,
        output: 0n,
        sessionTime: 0n,
        ratedOctets: 0n,
        ratedSeconds: 0n,
        chargedTraffic: 0n,
        chargedTime: 0n,
        // Rule 7: the first record's time is the earlier of its clamped and its receive time.
        firstReceivedAt: Math.min(at, received),
        // Capped like started_at and the first elapsed: a held first record's absurd claim is no base to grow from.
        firstSessionTime: bmin(st, this.maxSession),
        lastReceivedAt: received,
      };
      this.current.set(key, s);
      this.sessions.push(s);
      first = true;
    } else if (s.final) {
      // Rule 4.
      this.ignored++;
      return 'ignored';
    }
    if (s.subscriber === null && this.subscribers.has(s.username)) s.subscriber = s.username;

    // Rule 6: the counters this record would leave.
    const older = r.sessionTime !== null && r.sessionTime < s.sessionTime;
    // A zero-counter Stop (every octet counter 0, whatever its session time) is stale, never a wrap.
    const allZero = (r.input?.bytes ?? 0n) === 0n && (r.output?.bytes ?? 0n) === 0n;
    const mayWrap = !older && !allZero;
    const input = advance(s.input, r.input, mayWrap);
    const output = advance(s.output, r.output, mayWrap);
    const sessionTime = r.sessionTime === null ? s.sessionTime : bmax(s.sessionTime, r.sessionTime);

    // Rule 7: held for review (receive times only).
    const deltaOctets = input + output - (s.input + s.output);
    const deltaSeconds = sessionTime - s.sessionTime;
    const elapsedMs = first ? bmin(r.sessionTime ?? 0n, this.maxSession) * 1000n : BigInt(received - s.lastReceivedAt);
    let reason: ModelHeld['reason'] | null = null;
    if (r.sessionTime !== null) {
      const tooLong = first
        ? r.sessionTime > this.maxSession
        : r.sessionTime * 1000n > s.firstSessionTime * 1000n + BigInt(received - s.firstReceivedAt) + this.skewMs;
      if (tooLong) reason = 'session_time';
    }
    if (reason === null && deltaOctets * 8n * 1000n > this.maxRate * (elapsedMs + this.skewMs)) reason = 'octet_rate';
    s.lastReceivedAt = received;
    if (reason !== null) {
      this.held.push({ nas: r.nas, acctSessionId: r.acctSessionId, reason, octets: deltaOctets, seconds: deltaSeconds });
    } else {
      s.input = input;
      s.output = output;
      s.sessionTime = sessionTime;
    }
    // A Stop closes the session for good, held or not.
    if (r.status === 'stop') {
      s.stoppedAt = Math.max(at, s.startedAt);
      s.final = true;
      s.terminateCause = r.terminateCause;
    }
    if (reason === null) this.charge(s, at);
    return reason === null ? 'applied' : 'held';
  }

  /** Rule 8. */
  private charge(s: ModelSession, at: number): void {
    if (s.subscriber === null) return;
    const sub = this.subscribers.get(s.subscriber)!;
    const dOctets = bmax(0n, s.input + s.output - s.ratedOctets);
    const dSeconds = bmax(0n, s.sessionTime - s.ratedSeconds);
    const month = utcMonth(at);
    const mkey = JSON.stringify([s.subscriber, month]);
    let u = this.usage.get(mkey);
    if (u === undefined) {
      u = { username: s.subscriber, month, octets: 0n, charged: 0n };
      this.usage.set(mkey, u);
    }
    u.octets += dOctets;
    const traffic = (bmax(0n, u.octets - sub.tariff.includedBytes) * sub.tariff.pricePerGB) / GB - u.charged;
    u.charged += traffic;
    const time = (s.sessionTime * sub.tariff.pricePerMinute) / 60n - s.chargedTime;
    s.chargedTraffic += traffic;
    s.chargedTime += time;
    s.ratedOctets += dOctets;
    s.ratedSeconds += dSeconds;
    const c = this.charges.get(sub.accountId) ?? { traffic: 0n, time: 0n };
    c.traffic += traffic;
    c.time += time;
    this.charges.set(sub.accountId, c);
  }

  result(): ModelResult {
    return {
      charges: this.charges,
      sessions: this.sessions,
      usage: [...this.usage.values()],
      held: this.held,
      ignored: this.ignored,
      clamped: this.clamped,
      epochs: this.epochs,
      outcomes: this.outcomes,
    };
  }
}

/** Rule 6 for one counter: the value after a record reporting `reported` (null: not reported, keep). */
export function advance(stored: bigint, reported: { readonly bytes: bigint; readonly gigawords: boolean } | null, mayWrap: boolean): bigint {
  if (reported === null) return stored;
  if (reported.gigawords) return bmax(stored, reported.bytes);
  const low = reported.bytes % TWO_32;
  const storedLow = stored % TWO_32;
  const high = stored - storedLow;
  if (low >= storedLow) {
    // Risen by more than 2^31 above a value with an inferred high part: a late record from before that wrap.
    if (high > 0n && low - storedLow > TWO_31) return stored;
    return high + low;
  }
  if (storedLow - low > TWO_31 && mayWrap) return high + TWO_32 + low;
  return stored;
}

/** Rates `records` in order from an empty state. */
export function rateTrace(subscribers: ReadonlyMap<string, ModelSubscriber>, records: Iterable<ModelRecord>, options: ModelOptions = {}): ModelResult {
  const rater = new ReferenceRater(subscribers, options);
  for (const r of records) rater.apply(r);
  return rater.result();
}

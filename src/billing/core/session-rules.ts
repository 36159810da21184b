/**
 * The rules of rating, applied in memory to one batch of records in arrival order (docs/accounting.md, "Rules
 * of rating"): clock clamp, NAS epochs, session identity, Stop finality, plausibility holds, monotonic counters
 * and cumulative-floor charges. Pure: the store (store/repositories/rating.ts) loads the state this works on
 * and writes back what it changed.
 */
import { monthOf } from './calendar.js';
import { advanceCounter, rateTime, rateTraffic } from './rating.js';
import type { AccountingRecord, AnsweredService, RatingRules, RatingStats } from '../../domain/accounting.js';
import type { HeldReason } from '../../domain/ports.js';



export const DEFAULT_RATING_RULES: RatingRules = Object.freeze({
  maxClockSkewSeconds: 300,
  maxRateBitsPerSecond: 100_000_000_000,
  maxSessionSeconds: 7_776_000,
});

/** Acct-Delay-Time beyond a day is not believed when bounding a NAS event time. */
const MAX_DELAY_SECONDS = 86_400;
/** Counter values that no bigint column can hold (and no NAS can count) are never applied, approved or not. */
const MAX_STORED_COUNTER = 1n << 62n;

/** The current acct_unique_id of a session: `<length of NAS name>:<NAS name>:<Acct-Session-Id>`. */
export function acctUniqueId(nas: string, acctSessionId: string): string {
  return `${nas.length}:${nas}:${acctSessionId}`;
}

export interface SubscriberRating {
  readonly id: number;
  readonly accountId: number;
  readonly pricePerGB: bigint;
  readonly includedBytes: bigint;
  readonly pricePerMinute: bigint;
}

export interface Usage {
  readonly subscriberId: number;
  readonly month: string;
  accountId: number;
  octets: bigint;
  seconds: bigint;
  charged: bigint;
  dirty: boolean;
}

export interface Session {
  id: number | null;
  readonly key: string;
  /** Set when this row gives its key up to a newer generation. */
  archived: boolean;
  readonly nas: string;
  readonly acctSessionId: string;
  readonly epoch: number;
  username: string;
  subscriberId: number | null;
  accountId: number | null;
  framedIp: string | null;
  callingStationId: string | null;
  nasPort: string | null;
  startedAt: Date;
  updatedAt: Date;
  stoppedAt: Date | null;
  terminateCause: string | null;
  /** Closed by a Stop or Accounting-On/Off: never changes again (a stale-swept session is not final). */
  final: boolean;
  /**
   * When its first record happened — its clamped time (our clock minus at most the declared delay and the skew),
   * or its receive time if that is earlier — and when its latest record was received (our clock): the bases of
   * the plausibility checks.
   */
  readonly firstSeenAt: Date;
  lastSeenAt: Date;
  /** Acct-Session-Time of its first record, at most maxSessionSeconds. */
  firstSessionTime: bigint;
  input: bigint;
  output: bigint;
  sessionTime: bigint;
  ratedOctets: bigint;
  ratedSeconds: bigint;
  chargedTraffic: bigint;
  chargedTime: bigint;
  lastStatus: 'start' | 'interim-update' | 'stop';
  /** For a new session: what its Access-Accept said (Class echo), null when unknown. */
  readonly answered: AnsweredService | null;
  dirty: boolean;
  /** Charges of this batch, by kind. */
  traffic: bigint;
  time: bigint;
  chargeAccountId: number | null;
}

export interface Held {
  readonly session: Session;
  readonly reason: HeldReason;
  readonly octets: bigint;
  readonly seconds: bigint;
  readonly elapsedMs: number;
  readonly record: AccountingRecord;
}


/** The state one batch works on; the store fills it from the database and writes it back. */
export interface Batch {
  /** Current session of each (NAS, Acct-Session-Id) key. */
  readonly sessions: Map<string, Session>;
  /** Every session row in memory (loaded, archived, new), by id where it has one. */
  readonly all: Session[];
  readonly byId: Map<number, Session>;
  readonly subscribers: Map<string, SubscriberRating>;
  readonly usage: Map<string, Usage>;
  /** Current epoch per NAS name (absent: 0). */
  readonly epochs: Map<string, number>;
  readonly epochsChanged: Set<string>;
  readonly nasCloses: { nas: string; at: Date }[];
  readonly held: Held[];
  readonly stats: RatingStats;
}

export function emptyBatch(): Batch {
  return {
    sessions: new Map(),
    all: [],
    byId: new Map(),
    subscribers: new Map(),
    usage: new Map(),
    epochs: new Map(),
    epochsChanged: new Set(),
    nasCloses: [],
    held: [],
    stats: { afterStop: 0, approvedMissing: 0, clamped: 0 },
  };
}

export const isSessionRecord = (r: AccountingRecord): boolean => r.status === 'start' || r.status === 'stop' || r.status === 'interim-update';
export const isNasRecord = (r: AccountingRecord): boolean => r.status === 'accounting-on' || r.status === 'accounting-off';
const maxDate = (a: Date, b: Date): Date => (a.getTime() >= b.getTime() ? a : b);
const bmin = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/**
 * The event time used for scheduling: the NAS's time bounded to [receivedAt − delay − skew, receivedAt + skew]
 * (rule 1), and whether it had to be moved.
 */
export function clampedTime(r: AccountingRecord, rules: RatingRules): { at: Date; clamped: boolean } {
  const skew = rules.maxClockSkewSeconds * 1000;
  const received = r.receivedAt.getTime();
  const lo = received - Math.min(r.delayTime, MAX_DELAY_SECONDS) * 1000 - skew;
  const hi = received + skew;
  const t = r.eventTime.getTime();
  if (t < lo) return { at: new Date(lo), clamped: true };
  if (t > hi) return { at: new Date(hi), clamped: true };
  return { at: r.eventTime, clamped: false };
}

function newSession(r: AccountingRecord, key: string, epoch: number, at: Date, rules: RatingRules, sub: SubscriberRating | undefined): Session {
  const claimed = Math.min(Number(r.sessionTime ?? 0n), rules.maxSessionSeconds);
  const started = r.status === 'start' ? at : new Date(at.getTime() - claimed * 1000);
  return {
    id: null,
    key,
    archived: false,
    nas: r.nas,
    acctSessionId: r.acctSessionId,
    epoch,
    username: r.username,
    subscriberId: sub?.id ?? null,
    accountId: sub?.accountId ?? null,
    framedIp: r.framedIp,
    callingStationId: r.callingStationId,
    nasPort: r.nasPort,
    startedAt: started,
    updatedAt: at,
    stoppedAt: null,
    terminateCause: null,
    final: false,
    // Never later than its arrival: a NAS clock ahead may not shorten the time later records can claim.
    firstSeenAt: at.getTime() < r.receivedAt.getTime() ? at : r.receivedAt,
    lastSeenAt: r.receivedAt,
    firstSessionTime: 0n,
    input: 0n,
    output: 0n,
    sessionTime: 0n,
    ratedOctets: 0n,
    ratedSeconds: 0n,
    chargedTraffic: 0n,
    chargedTime: 0n,
    lastStatus: r.status === 'start' ? 'start' : 'interim-update',
    answered: r.answered,
    dirty: true,
    traffic: 0n,
    time: 0n,
    chargeAccountId: null,
  };
}

/** Accounting-On/Off (rule 2): closes the NAS's open sessions for good and starts its next epoch. */
function applyNasRecord(b: Batch, r: AccountingRecord, at: Date): void {
  for (const s of b.all) {
    if (s.nas === r.nas && s.stoppedAt === null) {
      s.stoppedAt = maxDate(at, s.startedAt);
      s.terminateCause = 'NAS-Reboot';
      s.lastStatus = 'stop';
      s.final = true;
      s.updatedAt = maxDate(s.updatedAt, at);
      s.dirty = true;
    }
  }
  b.epochs.set(r.nas, (b.epochs.get(r.nas) ?? 0) + 1);
  b.epochsChanged.add(r.nas);
  b.nasCloses.push({ nas: r.nas, at });
}

/** The session `r` belongs to (rules 3 and 4), a new one if need be; null when `r` is to be ignored. */
function sessionFor(b: Batch, r: AccountingRecord, at: Date, rules: RatingRules): { s: Session; first: boolean } | null {
  if (r.approved !== undefined) {
    const s = r.approved.sessionId === null ? undefined : b.byId.get(r.approved.sessionId);
    if (s === undefined) {
      b.stats.approvedMissing++;
      return null;
    }
    return { s, first: false };
  }
  const key = acctUniqueId(r.nas, r.acctSessionId);
  const epoch = b.epochs.get(r.nas) ?? 0;
  const current = b.sessions.get(key);
  if (current !== undefined && current.epoch >= epoch) {
    if (current.final) {
      b.stats.afterStop++;
      return null;
    }
    return { s: current, first: false };
  }
  if (current !== undefined) {
    current.archived = true;
    current.dirty = true;
  }
  const s = newSession(r, key, epoch, at, rules, b.subscribers.get(r.username));
  b.sessions.set(key, s);
  b.all.push(s);
  return { s, first: true };
}

/** Rule 7: whether the record's increments are physically possible; the hold if not. */
function holdOf(s: Session, r: AccountingRecord, first: boolean, octets: bigint, time: bigint, rules: RatingRules): Held | null {
  const skewMs = rules.maxClockSkewSeconds * 1000;
  const claimed = r.sessionTime ?? 0n;
  const elapsedMs = first
    ? Number(claimed < BigInt(rules.maxSessionSeconds) ? claimed : BigInt(rules.maxSessionSeconds)) * 1000
    : Math.max(0, r.receivedAt.getTime() - s.lastSeenAt.getTime());
  const octetsBad = octets * 8n * 1000n > BigInt(rules.maxRateBitsPerSecond) * BigInt(elapsedMs + skewMs);
  const timeBad = first
    ? claimed > BigInt(rules.maxSessionSeconds)
    : time * 1000n > s.firstSessionTime * 1000n + BigInt(r.receivedAt.getTime() - s.firstSeenAt.getTime() + skewMs);
  if (!octetsBad && !timeBad) return null;
  return { session: s, reason: timeBad ? 'session_time' : 'octet_rate', octets, seconds: time - s.sessionTime, elapsedMs, record: r };
}

/** Applies `r` in memory (rules 1–8): session state, usage and the batch's charges. */
export function applyRecord(b: Batch, r: AccountingRecord, rules: RatingRules): void {
  const { at, clamped } = clampedTime(r, rules);
  if (clamped) b.stats.clamped++;
  if (isNasRecord(r)) return applyNasRecord(b, r, at);
  if (!isSessionRecord(r)) return;
  const found = sessionFor(b, r, at, rules);
  if (found === null) return;
  const { s, first } = found;
  const approved = r.approved !== undefined;

  // A session is rated for the login it started with (a User-Name changing mid-session does not move it).
  const sub = b.subscribers.get(s.username);
  if (sub !== undefined && s.subscriberId === null) {
    s.subscriberId = sub.id;
    s.accountId = sub.accountId;
  }
  if (!approved) {
    if (r.framedIp !== null) s.framedIp = r.framedIp;
    if (r.callingStationId !== null) s.callingStationId = r.callingStationId;
    if (r.nasPort !== null) s.nasPort = r.nasPort;
  }

  // Monotonic counters (rule 6). A record older than the stored state (smaller Acct-Session-Time) or a
  // zero-counter Stop is stale, never a wrap.
  const notOlder = r.sessionTime === null || r.sessionTime >= s.sessionTime;
  const zero = (r.input?.bytes ?? 0n) === 0n && (r.output?.bytes ?? 0n) === 0n;
  const mayWrap = notOlder && !zero;
  const advance = (stored: bigint, reported: AccountingRecord['input']): bigint => {
    if (reported === null) return stored;
    const next = advanceCounter(stored, reported, mayWrap);
    return next < MAX_STORED_COUNTER ? next : stored;
  };
  const input = advance(s.input, r.input);
  const output = advance(s.output, r.output);
  const sessionTime = r.sessionTime !== null && r.sessionTime > s.sessionTime && r.sessionTime < MAX_STORED_COUNTER ? r.sessionTime : s.sessionTime;
  const hold = approved ? null : holdOf(s, r, first, input + output - (s.input + s.output), sessionTime, rules);
  if (hold !== null) {
    b.held.push(hold);
  } else {
    s.input = input;
    s.output = output;
    s.sessionTime = sessionTime;
  }
  // The base of later session-time checks, held or not (capped: an absurd first claim is no base to grow from).
  if (first) s.firstSessionTime = bmin(r.sessionTime ?? 0n, BigInt(rules.maxSessionSeconds));
  if (r.receivedAt.getTime() > s.lastSeenAt.getTime()) s.lastSeenAt = r.receivedAt;

  if (!approved) {
    if (r.status === 'stop' && !s.final) {
      s.stoppedAt = maxDate(at, s.startedAt);
      s.terminateCause = r.terminateCause;
      s.lastStatus = 'stop';
      s.final = true;
    } else if (r.status === 'interim-update' && s.stoppedAt === null) {
      s.lastStatus = 'interim-update';
    }
    s.updatedAt = maxDate(s.updatedAt, at);
  }
  s.dirty = true;
  rateSession(b, s, sub, at);
}

/** Rule 8: charges the increase of the session's counters over what is already rated. */
function rateSession(b: Batch, s: Session, sub: SubscriberRating | undefined, at: Date): void {
  const total = s.input + s.output;
  const deltaOctets = total > s.ratedOctets ? total - s.ratedOctets : 0n;
  const deltaSeconds = s.sessionTime > s.ratedSeconds ? s.sessionTime - s.ratedSeconds : 0n;
  if (deltaOctets === 0n && deltaSeconds === 0n) return;
  if (sub !== undefined) {
    const month = monthOf(at);
    const u = b.usage.get(`${sub.id}/${month}`);
    if (u === undefined) throw new Error(`usage row ${sub.id}/${month} not loaded`);
    const traffic = rateTraffic(u, deltaOctets, sub.includedBytes, sub.pricePerGB);
    u.octets = traffic.octets;
    u.charged = traffic.charged;
    u.seconds += deltaSeconds;
    u.accountId = sub.accountId;
    u.dirty = true;
    const time = rateTime(s.sessionTime, s.chargedTime, sub.pricePerMinute);
    s.chargedTraffic += traffic.charge;
    s.chargedTime = time.charged;
    if (traffic.charge > 0n || time.charge > 0n) {
      s.chargeAccountId = sub.accountId;
      s.traffic += traffic.charge;
      s.time += time.charge;
    }
  }
  s.ratedOctets = total;
  s.ratedSeconds = s.sessionTime;
}

// The batch around the rules: what a batch must load before its records can be applied, and what it must write
// after. The store (store/repositories/rating.ts) runs the statements; which rows they touch is decided here.

/** The rows a batch of records needs, by key. */
export interface BatchNeeds {
  /** The Start/Interim/Stop records of the batch, in order. */
  readonly sessionRecords: readonly AccountingRecord[];
  /** Current-session keys (acct_unique_id) of the records not approved. */
  readonly keys: readonly string[];
  /** Sessions approved records were held for. */
  readonly approvedIds: readonly number[];
  /** Every NAS of a session or NAS record (its epoch). */
  readonly nasNames: readonly string[];
}

export function batchNeeds(records: readonly AccountingRecord[]): BatchNeeds {
  const sessionRecords = records.filter(isSessionRecord);
  return {
    sessionRecords,
    keys: [...new Set(sessionRecords.filter((r) => r.approved === undefined).map((r) => acctUniqueId(r.nas, r.acctSessionId)))],
    approvedIds: [...new Set(sessionRecords.flatMap((r) => (r.approved?.sessionId == null ? [] : [r.approved.sessionId])))],
    nasNames: [...new Set(records.filter((r) => isSessionRecord(r) || isNasRecord(r)).map((r) => r.nas))],
  };
}

/** A loaded session row into the batch. An archived row (loaded by id for an approval) keeps its `#id` key, which no record looks up. */
export function addLoadedSession(b: Batch, s: Session): void {
  b.sessions.set(s.key, s);
  b.byId.set(s.id as number, s);
  b.all.push(s);
}

/** Logins whose subscriber (and tariff) the batch needs: the records' own and those of their loaded sessions. */
export function batchUsernames(b: Batch, needs: BatchNeeds): string[] {
  return [...new Set([...needs.sessionRecords.map((r) => r.username), ...b.all.map((s) => s.username)])];
}

/** The accounts the batch may charge, in id order (the order they are locked in). */
export function batchAccountIds(b: Batch): number[] {
  return [...new Set([...b.subscribers.values()].map((s) => s.accountId))].sort((x, y) => x - y);
}

/** A usage month the batch may rate. */
export interface UsageKey {
  readonly subscriberId: number;
  readonly accountId: number;
  /** 'YYYY-MM-01' */
  readonly month: string;
}

/** The usage months the batch may rate: every (subscriber, month) of a record's own login or its session's. */
export function usageMonthsOf(b: Batch, needs: BatchNeeds, rules: RatingRules): UsageKey[] {
  const wanted = new Map<string, UsageKey>();
  for (const r of needs.sessionRecords) {
    const month = monthOf(clampedTime(r, rules).at);
    const session = r.approved?.sessionId == null ? b.sessions.get(acctUniqueId(r.nas, r.acctSessionId)) : b.byId.get(r.approved.sessionId);
    for (const username of [r.username, session?.username]) {
      const sub = username === undefined ? undefined : b.subscribers.get(username);
      if (sub !== undefined) wanted.set(`${sub.id}/${month}`, { subscriberId: sub.id, accountId: sub.accountId, month });
    }
  }
  return [...wanted.values()];
}

/** Puts the usage months into the batch, with the stored counters where a row exists (`stored`), else zero. */
export function addUsageMonths(
  b: Batch,
  months: readonly UsageKey[],
  stored: readonly { subscriberId: number; month: string; octets: bigint; seconds: bigint; charged: bigint }[],
): void {
  for (const p of months) {
    b.usage.set(`${p.subscriberId}/${p.month}`, { subscriberId: p.subscriberId, month: p.month, accountId: p.accountId, octets: 0n, seconds: 0n, charged: 0n, dirty: false });
  }
  for (const row of stored) {
    const u = b.usage.get(`${row.subscriberId}/${row.month}`);
    if (u === undefined) continue;
    u.octets = row.octets;
    u.seconds = row.seconds;
    u.charged = row.charged;
  }
}

/** One charge row of the batch. */
export interface BatchCharge {
  readonly accountId: number;
  readonly kind: 'traffic' | 'time';
  readonly amount: bigint;
  readonly sessionId: number;
}

/** What an applied batch writes back. */
export interface BatchWrites {
  /** Loaded rows it changed (archived ones among them). */
  readonly existing: Session[];
  /** New sessions (no id until inserted). */
  readonly fresh: Session[];
  /** Whether an existing row gives its key up: its update must run before the inserts (the unique key). */
  readonly archiving: boolean;
  readonly usage: Usage[];
}

export function batchWrites(b: Batch): BatchWrites {
  const existing = b.all.filter((s) => s.id !== null && s.dirty);
  return {
    existing,
    fresh: b.all.filter((s) => s.id === null),
    archiving: existing.some((s) => s.archived),
    usage: [...b.usage.values()].filter((u) => u.dirty),
  };
}

/** The charges of the batch (sessions must have their ids by now) and their sum per account. */
export function batchCharges(b: Batch): { charges: BatchCharge[]; byAccount: Map<number, bigint> } {
  const charges: BatchCharge[] = [];
  const byAccount = new Map<number, bigint>();
  for (const s of b.all) {
    if (s.traffic === 0n && s.time === 0n) continue;
    const a = s.chargeAccountId as number;
    for (const [kind, amount] of [['traffic', s.traffic], ['time', s.time]] as const) {
      if (amount === 0n) continue;
      charges.push({ accountId: a, kind, amount, sessionId: s.id as number });
      byAccount.set(a, (byAccount.get(a) ?? 0n) + amount);
    }
  }
  return { charges, byAccount };
}

/** Held records of the batch, by reason. */
export function heldCounts(b: Batch): Record<HeldReason, number> {
  const held = { octet_rate: 0, session_time: 0 };
  for (const h of b.held) held[h.reason]++;
  return held;
}

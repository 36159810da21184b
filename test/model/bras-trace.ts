/**
 * A fast-check generator of BRAS behaviour for the accounting trace test: a `TracePlan` (small, shrinkable
 * choices) becomes a `Trace` — subscribers with tariffs, and a list of sends, each an Accounting-Request spec
 * (octet strings as Buffers), its receive time (a monotonic wall clock, ms) and the daemon instance (0 or 1) it
 * went to. `bindTrace` then gives it per-trace NAS names and logins, with both the daemon's record
 * (`accountingRecordOf`, the real packet → record path) and the reference model's record (built here from the
 * spec, independently of src/aaa/accounting-record.ts; strings through the spec's `octetsToText`).
 *
 * Behaviours: Start / Interim / Stop with growing counters and session time, Stop without Start, zero-counter
 * Stop, Interim after Stop, 32-bit wraps with and without Gigawords, retransmits (same record again; a new
 * Identifier with a larger Acct-Delay-Time), late (reordered) records, duplicates to the other instance,
 * Accounting-On/Off (and its retransmit) with Acct-Session-Id reuse afterwards, a whole trace inside one second,
 * NAS clock steps (Event-Timestamp far from the receive time), NUL / invalid UTF-8 / literal `\x` in
 * Acct-Session-Id and User-Name, absurd counters (2^53−1 octets, Acct-Session-Time 2^32−1) for the held rule,
 * several subscribers (one unknown login, a shared account) on 2 NASes.
 */
import fc from 'fast-check';
import { accountingRecordOf } from '../../src/aaa/accounting-record.js';
import { type AccountingRecord } from '../../src/domain/accounting.js';
import { Attr } from '../../src/radius/codes.js';
import { octetsToText } from '../../src/radius/octets.js';
import type { RawAttribute, RawPacket } from '../../src/radius/packet.js';
import { acctPacket, STATUS, type AcctSpec } from '../unit/billing/packets.js';
import type { ModelRecord, ModelStatus } from './reference-rater.js';

/** An AcctSpec whose Acct-Session-Id and User-Name are raw octets. */
export type PacketSpec = Omit<AcctSpec, 'sid' | 'user'> & { readonly sid?: Buffer; readonly user?: Buffer };

export interface TraceSend {
  readonly nas: 0 | 1;
  readonly instance: 0 | 1;
  /** Receive time, ms since the epoch (non-decreasing along the trace). */
  readonly receivedAt: number;
  readonly spec: PacketSpec;
  /** What the generator meant (for failure reports). */
  readonly note: string;
}

export interface TraceTariff {
  readonly pricePerGB: number;
  readonly includedBytes: number;
  readonly pricePerMinute: number;
}

export interface TraceSubscriber {
  /** Login octets, without the per-trace prefix. */
  readonly login: Buffer;
  /** Index of the account (subscribers with the same index share one account). */
  readonly account: number;
  readonly tariff: TraceTariff;
}

export interface Trace {
  readonly subscribers: readonly TraceSubscriber[];
  readonly sends: readonly TraceSend[];
  /** Sizes of the concurrent submit groups, used cyclically (a group never spans both instances). */
  readonly groups: readonly number[];
  /** Drain the raters after every group (else only at the end: rating overlaps journaling). */
  readonly drainEachGroup: boolean;
}

const b = (...bytes: (number | string)[]): Buffer =>
  Buffer.concat(bytes.map((x) => (typeof x === 'number' ? Buffer.from([x]) : Buffer.from(x, 'utf8'))));

/** Acct-Session-Ids: colliding after lossy decoding (invalid bytes, NUL), and `\x41` vs `A`. */
export const SID_POOL: readonly Buffer[] = [
  b('A'),
  b('B'),
  b('81000001'),
  b('n', 0x00, 's'),
  b('inv-', 0xff, 'A'),
  b('inv-', 0xfe, 'A'),
  b('bs\\x41'),
  b('bsA'),
  b('sé'),
];

/** Logins (before the per-trace prefix). The last one never is a subscriber. */
export const LOGIN_POOL: readonly Buffer[] = [b('alice'), b('bob', 0xff), b('bob', 0xfe), b('c', 0x00, 'rol'), b('DOM\\x5cuser'), b('d\\\\ve')];
const UNKNOWN_LOGIN = b('nobody');

const BASES = {
  /** 2030-03-10 12:00 UTC. */
  mid: Date.UTC(2030, 2, 10, 12),
  /** 2030-03-31 23:40 UTC: the trace crosses into April. */
  monthEnd: Date.UTC(2030, 2, 31, 23, 40),
} as const;

const TWO_32 = 2 ** 32;
const CAUSES: Readonly<Record<number, string>> = { 1: 'User-Request', 2: 'Lost-Carrier', 11: 'NAS-Reboot' };

interface StepPlan {
  readonly dIn: number;
  readonly dOut: number;
  /** Seconds (ms in a burst trace). */
  readonly dt: number;
}

interface SessionPlan {
  readonly nas: 0 | 1;
  readonly sid: number;
  readonly login: number;
  readonly instance: 0 | 1;
  readonly startOffset: number;
  readonly gigawords: boolean;
  readonly withStart: boolean;
  readonly steps: readonly StepPlan[];
  readonly stop: 'none' | 'normal' | 'zero';
  readonly cause: 1 | 2;
  readonly interimAfterStop: boolean;
  /**
   * One implausible record: octets 2^53−1, Acct-Session-Time 2^32−1, or near the held thresholds: the session
   * time jumped ahead by `jump` seconds (either side of the skew), or 5·10^12 extra octets (held when the
   * record came less than 100 s after the previous one, at 100 Gbit/s and 300 s skew).
   */
  readonly absurd: 'none' | 'octets' | 'time' | 'timeJump' | 'octetsHigh';
  readonly absurdAt: number;
  readonly jump: number;
  readonly eventTimestamp: boolean;
}

interface RebootPlan {
  readonly nas: 0 | 1;
  readonly kind: 'on' | 'off';
  readonly at: number;
  readonly instance: 0 | 1;
  readonly retransmit: 'none' | 'same' | 'other';
  readonly eventTimestamp: boolean;
}

interface ClockStepPlan {
  readonly nas: 0 | 1;
  readonly at: number;
  readonly shift: number;
}

interface PerturbationPlan {
  readonly kind: 'retransmit' | 'retransmitDelay' | 'duplicateOther' | 'late';
  readonly target: number;
  readonly amount: number;
}

export interface TracePlan {
  readonly base: keyof typeof BASES;
  readonly burst: boolean;
  readonly subscribers: readonly { readonly login: number; readonly shareAccount: boolean; readonly tariff: TraceTariff }[];
  readonly sessions: readonly SessionPlan[];
  readonly reboots: readonly RebootPlan[];
  /** Drop a rebooting NAS's records of sessions begun before the reboot that it would have sent after it. */
  readonly rebootLosesSessions: boolean;
  /** Each NAS's clock error from the start, seconds (then moved by clockSteps). */
  readonly clockOffsets: readonly [number, number];
  readonly clockSteps: readonly ClockStepPlan[];
  readonly perturbations: readonly PerturbationPlan[];
  readonly groups: readonly number[];
  readonly drainEachGroup: boolean;
}

const tariffArb: fc.Arbitrary<TraceTariff> = fc.record({
  pricePerGB: fc.constantFrom(7, 1000, 0),
  includedBytes: fc.constantFrom(0, 1_500_000_000, 5_000_000_000),
  pricePerMinute: fc.constantFrom(3, 0),
});

const sessionArb: fc.Arbitrary<SessionPlan> = fc.record({
  nas: fc.constantFrom<0 | 1>(0, 1),
  sid: fc.nat({ max: SID_POOL.length - 1 }),
  login: fc.nat({ max: 9 }),
  instance: fc.constantFrom<0 | 1>(0, 1),
  startOffset: fc.nat({ max: 3600 }),
  gigawords: fc.boolean(),
  withStart: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
  // Each increment stays below 2^31, so a wrap without Gigawords is always recognisable.
  steps: fc.array(fc.record({ dIn: fc.nat({ max: 2_000_000_000 }), dOut: fc.nat({ max: 1_000_000_000 }), dt: fc.integer({ min: 10, max: 900 }) }), {
    minLength: 0,
    maxLength: 4,
  }),
  stop: fc.oneof({ arbitrary: fc.constant('normal' as const), weight: 5 }, { arbitrary: fc.constant('none' as const), weight: 2 }, { arbitrary: fc.constant('zero' as const), weight: 1 }),
  cause: fc.constantFrom<1 | 2>(1, 2),
  interimAfterStop: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 }),
  absurd: fc.oneof(
    { arbitrary: fc.constant('none' as const), weight: 16 },
    { arbitrary: fc.constant('octets' as const), weight: 1 },
    { arbitrary: fc.constant('time' as const), weight: 1 },
    { arbitrary: fc.constant('timeJump' as const), weight: 2 },
    { arbitrary: fc.constant('octetsHigh' as const), weight: 1 },
  ),
  absurdAt: fc.nat({ max: 5 }),
  jump: fc.constantFrom(200, 310, 400, 550, 1000),
  eventTimestamp: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
});

const clockOffsetArb: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.constant(0), weight: 6 },
  { arbitrary: fc.constantFrom(-400, -7200, 400, 7200), weight: 2 },
);

export const tracePlanArb: fc.Arbitrary<TracePlan> = fc.record({
  base: fc.constantFrom<keyof typeof BASES>('mid', 'monthEnd'),
  burst: fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 }),
  subscribers: fc.uniqueArray(
    fc.record({ login: fc.nat({ max: LOGIN_POOL.length - 1 }), shareAccount: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }), tariff: tariffArb }),
    { minLength: 1, maxLength: 3, selector: (s) => s.login },
  ),
  sessions: fc.array(sessionArb, { minLength: 1, maxLength: 5 }),
  reboots: fc.array(
    fc.record({
      nas: fc.constantFrom<0 | 1>(0, 1),
      kind: fc.constantFrom<'on' | 'off'>('on', 'off'),
      at: fc.nat({ max: 3600 }),
      instance: fc.constantFrom<0 | 1>(0, 1),
      retransmit: fc.oneof({ arbitrary: fc.constant('none' as const), weight: 4 }, { arbitrary: fc.constant('same' as const), weight: 1 }, { arbitrary: fc.constant('other' as const), weight: 1 }),
      eventTimestamp: fc.boolean(),
    }),
    { maxLength: 2 },
  ),
  rebootLosesSessions: fc.boolean(),
  clockOffsets: fc.tuple(clockOffsetArb, clockOffsetArb),
  clockSteps: fc.array(
    fc.record({ nas: fc.constantFrom<0 | 1>(0, 1), at: fc.nat({ max: 3600 }), shift: fc.constantFrom(-86_400 * 40, -7200, -400, 400, 7200, 86_400 * 40) }),
    { maxLength: 2 },
  ),
  perturbations: fc.array(
    fc.record({
      kind: fc.constantFrom<PerturbationPlan['kind']>('retransmit', 'retransmitDelay', 'duplicateOther', 'late'),
      target: fc.nat({ max: 1000 }),
      amount: fc.integer({ min: 1, max: 240 }),
    }),
    { maxLength: 8 },
  ),
  groups: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 6 }),
  drainEachGroup: fc.boolean(),
});

/** Most sends in a trace. */
export const MAX_SENDS = 40;

interface Pending {
  nas: 0 | 1;
  instance: 0 | 1;
  /** When the NAS emitted it (its own idea of time is `nominal + clock offset`), ms. */
  nominal: number;
  arrival: number;
  seq: number;
  spec: PacketSpec;
  note: string;
  /** Index of the session plan (-1: a reboot). */
  session: number;
}

/** The concrete trace of a plan (deterministic). */
export function traceOf(plan: TracePlan): Trace {
  const base = BASES[plan.base];
  // In a burst trace every offset and step is milliseconds: the whole trace fits in about a second.
  const unit = plan.burst ? 1 : 1000;
  const offsetScale = plan.burst ? 1 / 8 : 1; // burst: offsets 0…450 ms
  const subscribers: TraceSubscriber[] = plan.subscribers.map((s, i) => ({
    login: LOGIN_POOL[s.login]!,
    account: s.shareAccount ? 0 : i,
    tariff: s.tariff,
  }));
  const clockOffset = (nas: 0 | 1, nominal: number): number =>
    plan.clockOffsets[nas] * 1000 +
    plan.clockSteps.filter((c) => c.nas === nas && base + Math.floor(c.at * offsetScale) * unit <= nominal).reduce((sum, c) => sum + c.shift * 1000, 0);
  const eventTs = (nas: 0 | 1, nominal: number): number => Math.floor((nominal + clockOffset(nas, nominal)) / 1000);

  const pending: Pending[] = [];
  let seq = 0;
  const push = (p: Omit<Pending, 'seq' | 'arrival'>): void => {
    pending.push({ ...p, arrival: p.nominal, seq: seq++ });
  };

  plan.sessions.forEach((s, si) => {
    const sid = SID_POOL[s.sid]!;
    const user = s.login < 9 ? LOGIN_POOL[plan.subscribers[s.login % plan.subscribers.length]!.login]! : UNKNOWN_LOGIN;
    const t0 = base + Math.floor(s.startOffset * offsetScale) * unit;
    const common = (nominal: number): PacketSpec => ({
      status: STATUS.interim,
      sid,
      user,
      ...(s.eventTimestamp ? { at: eventTs(s.nas, nominal) } : {}),
    });
    const counters = (inTotal: number, outTotal: number): Pick<PacketSpec, 'in' | 'inGw' | 'out' | 'outGw'> =>
      s.gigawords
        ? { in: inTotal % TWO_32, inGw: Math.floor(inTotal / TWO_32), out: outTotal % TWO_32, outGw: Math.floor(outTotal / TWO_32) }
        : { in: inTotal % TWO_32, out: outTotal % TWO_32 };
    const sessionTime = (nominal: number): number => Math.floor((nominal - t0) / 1000);
    const add = (nominal: number, spec: PacketSpec, note: string): void => push({ nas: s.nas, instance: s.instance, nominal, spec, note: `s${si} ${note}`, session: si });

    if (s.withStart) add(t0, { ...common(t0), status: STATUS.start }, 'start');
    let t = t0;
    let inTotal = 0;
    let outTotal = 0;
    const reports: { nominal: number; spec: PacketSpec; note: string }[] = [];
    s.steps.forEach((step, k) => {
      t += step.dt * unit;
      inTotal += step.dIn;
      outTotal += step.dOut;
      const last = k === s.steps.length - 1;
      const isStop = last && s.stop === 'normal';
      reports.push({
        nominal: t,
        spec: {
          ...common(t),
          status: isStop ? STATUS.stop : STATUS.interim,
          ...counters(inTotal, outTotal),
          time: sessionTime(t),
          ...(isStop ? { cause: s.cause } : {}),
        },
        note: isStop ? 'stop' : `interim ${k + 1}`,
      });
    });
    if (s.stop === 'zero' || (s.stop === 'normal' && s.steps.length === 0)) {
      t += 30 * unit;
      reports.push({
        nominal: t,
        spec: { ...common(t), status: STATUS.stop, ...counters(0, 0), time: 0, cause: s.cause },
        note: 'zero stop',
      });
    }
    if (s.absurd !== 'none' && reports.length > 0) {
      const k = s.absurdAt % reports.length;
      const r = reports[k]!;
      reports[k] = {
        ...r,
        spec: absurdSpec(s, r.spec),
        note: `${r.note} (absurd ${s.absurd}${s.absurd === 'timeJump' ? ` +${s.jump} s` : ''})`,
      };
    }
    for (const r of reports) add(r.nominal, r.spec, r.note);
    if (s.interimAfterStop && s.stop !== 'none') {
      t += 60 * unit;
      inTotal += 1_000_000_000;
      add(t, { ...common(t), ...counters(inTotal, outTotal), time: sessionTime(t) }, 'interim after stop');
    }
  });

  plan.reboots.forEach((r, ri) => {
    const nominal = base + Math.floor(r.at * offsetScale) * unit;
    const spec: PacketSpec = { status: r.kind === 'on' ? STATUS.on : STATUS.off, ...(r.eventTimestamp ? { at: eventTs(r.nas, nominal) } : {}) };
    push({ nas: r.nas, instance: r.instance, nominal, spec, note: `reboot ${ri} accounting-${r.kind}`, session: -1 });
  });

  // Records a rebooting NAS never sent: those of sessions begun before the reboot, due after it.
  let kept = pending;
  if (plan.rebootLosesSessions && plan.reboots.length > 0) {
    kept = pending.filter((p) => {
      if (p.session < 0) return true;
      const s = plan.sessions[p.session]!;
      const t0 = base + Math.floor(s.startOffset * offsetScale) * unit;
      return !plan.reboots.some((r) => {
        const at = base + Math.floor(r.at * offsetScale) * unit;
        return r.nas === p.nas && t0 < at && p.nominal > at;
      });
    });
  }

  // Network and retransmission effects, applied to the records as the NAS sent them.
  const originals = [...kept];
  const lateBy = new Map<Pending, number>();
  const copies: Pending[] = [];
  for (const q of plan.perturbations) {
    if (originals.length === 0) break;
    const p = originals[q.target % originals.length]!;
    const ms = plan.burst ? q.amount : q.amount * 1000; // burst: ≤ 240 ms
    switch (q.kind) {
      case 'late':
        // At most 240 s late (below the 300 s skew: lateness alone never makes a session time implausible).
        lateBy.set(p, Math.max(lateBy.get(p) ?? 0, ms));
        break;
      case 'retransmit':
        copies.push({ ...p, arrival: 0, nominal: p.nominal + Math.min(ms, 30_000), seq: p.seq, note: `${p.note} (retransmit)` });
        break;
      case 'retransmitDelay': {
        const extra = Math.max(1, Math.min(30, q.amount % 31));
        const delay = (p.spec.delay ?? 0) + extra;
        copies.push({
          ...p,
          arrival: 0,
          nominal: p.nominal + (plan.burst ? Math.min(ms, 200) : extra * 1000),
          seq: p.seq,
          spec: { ...p.spec, delay },
          note: `${p.note} (retransmit, Acct-Delay-Time ${delay})`,
        });
        break;
      }
      case 'duplicateOther':
        copies.push({ ...p, arrival: 0, nominal: p.nominal + (q.amount % 50), seq: p.seq, instance: p.instance === 0 ? 1 : 0, note: `${p.note} (to the other instance)` });
        break;
    }
  }
  const all: Pending[] = [];
  for (const p of kept) all.push({ ...p, arrival: p.nominal + (lateBy.get(p) ?? 0) });
  for (const c of copies) all.push({ ...c, arrival: c.nominal + (lateBy.get(originals.find((o) => o.seq === c.seq)!) ?? 0), seq: c.seq + 0.25 });
  // Retransmitted Accounting-On/Off right behind the original (nothing in between).
  plan.reboots.forEach((r, ri) => {
    if (r.retransmit === 'none') return;
    const original = all.find((p) => p.session === -1 && p.note.startsWith(`reboot ${ri} `));
    if (!original) return;
    all.push({ ...original, seq: original.seq + 0.5, instance: r.retransmit === 'same' ? original.instance : original.instance === 0 ? 1 : 0, note: `${original.note} (retransmit)` });
  });
  all.sort((x, y) => x.arrival - y.arrival || x.seq - y.seq);
  const sends: TraceSend[] = all.slice(0, MAX_SENDS).map((p) => ({ nas: p.nas, instance: p.instance, receivedAt: p.arrival, spec: p.spec, note: p.note }));
  return { subscribers, sends, groups: plan.groups, drainEachGroup: plan.drainEachGroup };
}

/** The implausible version of a report (see SessionPlan.absurd). */
function absurdSpec(s: SessionPlan, spec: PacketSpec): PacketSpec {
  switch (s.absurd) {
    case 'octets':
      return { ...spec, in: TWO_32 - 1, inGw: 2 ** 21 - 1 };
    case 'time':
      return { ...spec, time: TWO_32 - 1 };
    case 'timeJump':
      return { ...spec, time: (spec.time ?? 0) + s.jump };
    case 'octetsHigh': {
      const total = (spec.inGw ?? 0) * TWO_32 + (spec.in ?? 0) + 5_000_000_000_000;
      return { ...spec, in: total % TWO_32, inGw: Math.floor(total / TWO_32) };
    }
    case 'none':
      return spec;
  }
}

export const traceArb: fc.Arbitrary<Trace> = tracePlanArb.map(traceOf);

/** Behaviours `traceArbWithout` can switch off (to tell one known failure from the next). */
export const BEHAVIOURS = ['clock', 'absurd', 'reboot', 'burst', 'perturb', 'sharedIds', 'strings'] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

/**
 * traceArb without some behaviours: clock (NAS clock steps), absurd (held-rule counters), reboot
 * (Accounting-On/Off), burst (one-second traces), perturb (retransmits, duplicates, late records), sharedIds
 * (two session plans on one NAS with one Acct-Session-Id), strings (NUL / invalid UTF-8 / backslash octets).
 */
export function traceArbWithout(off: ReadonlySet<Behaviour>): fc.Arbitrary<Trace> {
  if (off.size === 0) return traceArb;
  return tracePlanArb
    .map((p): TracePlan => {
      let sessions = p.sessions.map((s) => ({
        ...s,
        ...(off.has('absurd') ? { absurd: 'none' as const } : {}),
        ...(off.has('strings') ? { sid: s.sid % 3 } : {}),
      }));
      if (off.has('sharedIds')) {
        const seen = new Set<string>();
        sessions = sessions.filter((s) => {
          const k = `${s.nas}/${s.sid}`;
          if (seen.has(k)) return false;
          seen.add(k);
          return true;
        });
      }
      return {
        ...p,
        sessions,
        ...(off.has('strings') ? { subscribers: p.subscribers.filter((s) => s.login === 0).concat(p.subscribers.some((s) => s.login === 0) ? [] : [{ ...p.subscribers[0]!, login: 0 }]) } : {}),
        ...(off.has('clock') ? { clockSteps: [], clockOffsets: [0, 0] as const } : {}),
        ...(off.has('reboot') ? { reboots: [] } : {}),
        ...(off.has('burst') ? { burst: false } : {}),
        ...(off.has('perturb') ? { perturbations: [] } : {}),
      };
    })
    .map(traceOf);
}

/** The RawPacket of a spec: `acctPacket` of test/unit/billing/packets.ts with the two strings as raw octets. */
export function rawAcctPacket(spec: PacketSpec): RawPacket {
  const { sid, user, ...rest } = spec;
  const packet = acctPacket(rest);
  const strings: RawAttribute[] = [];
  if (sid !== undefined) strings.push({ type: Attr.AcctSessionId, value: sid });
  if (user !== undefined) strings.push({ type: Attr.UserName, value: user });
  // Same attribute order as acctPacket: Acct-Status-Type, Acct-Session-Id, User-Name, …
  return { ...packet, attributes: [packet.attributes[0]!, ...strings, ...packet.attributes.slice(1)] };
}

const STATUS_NAMES: Readonly<Record<number, ModelStatus>> = {
  [STATUS.start]: 'start',
  [STATUS.stop]: 'stop',
  [STATUS.interim]: 'interim-update',
  [STATUS.on]: 'accounting-on',
  [STATUS.off]: 'accounting-off',
};

/** The model's record of a send, from the spec alone (RFC 2866 semantics, docs/accounting.md string form). */
export function modelRecordOf(nas: string, spec: PacketSpec, receivedAt: number): ModelRecord {
  const counter = (low: number | undefined, gw: number | undefined): ModelRecord['input'] =>
    low === undefined && gw === undefined ? null : { bytes: BigInt(gw ?? 0) * (1n << 32n) + BigInt(low ?? 0), gigawords: gw !== undefined };
  const delay = spec.delay ?? 0;
  return {
    nas,
    status: STATUS_NAMES[spec.status] ?? 'other',
    acctSessionId: spec.sid === undefined ? '' : octetsToText(spec.sid),
    username: spec.user === undefined ? '' : octetsToText(spec.user),
    sessionTime: spec.time === undefined ? null : BigInt(spec.time),
    input: counter(spec.in, spec.inGw),
    output: counter(spec.out, spec.outGw),
    eventTime: new Date(spec.at !== undefined ? spec.at * 1000 : receivedAt - delay * 1000),
    receivedAt: new Date(receivedAt),
    delayTime: delay,
    terminateCause: spec.cause === undefined ? null : (CAUSES[spec.cause] ?? String(spec.cause)),
  };
}

/** The daemon's record of a send: the real packet → record path. */
export function daemonRecordOf(nas: string, spec: PacketSpec, receivedAt: number): AccountingRecord {
  const r = accountingRecordOf(rawAcctPacket(spec), { name: nas }, new Date(receivedAt));
  if ('error' in r) throw new Error(`accountingRecordOf: ${r.error}`);
  return r;
}

export interface BoundSend {
  readonly index: number;
  readonly nasName: string;
  readonly instance: 0 | 1;
  readonly receivedAt: number;
  readonly spec: PacketSpec;
  readonly note: string;
  readonly model: ModelRecord;
  readonly daemon: AccountingRecord;
}

/** A trace with real names: NAS i is `nasNames[i]`, every login is prefixed with `loginPrefix`. */
export function bindTrace(trace: Trace, nasNames: readonly [string, string], loginPrefix: string): BoundSend[] {
  const prefix = Buffer.from(loginPrefix, 'utf8');
  return trace.sends.map((s, index) => {
    const spec: PacketSpec = s.spec.user === undefined ? s.spec : { ...s.spec, user: Buffer.concat([prefix, s.spec.user]) };
    const nasName = nasNames[s.nas];
    return { index, nasName, instance: s.instance, receivedAt: s.receivedAt, spec, note: s.note, model: modelRecordOf(nasName, spec, s.receivedAt), daemon: daemonRecordOf(nasName, spec, s.receivedAt) };
  });
}

/** The login of a subscriber of a bound trace, in exact text form. */
export function loginText(login: Buffer, loginPrefix: string): string {
  return octetsToText(Buffer.concat([Buffer.from(loginPrefix, 'utf8'), login]));
}

/** One line per send, for failure reports. */
export function describeSends(sends: readonly BoundSend[]): string {
  const t0 = sends[0]?.receivedAt ?? 0;
  return sends
    .map((s) => {
      const p = s.spec;
      const parts = [
        `#${s.index}`,
        `rcv=+${((s.receivedAt - t0) / 1000).toFixed(3)}s`,
        `inst=${s.instance}`,
        s.nasName,
        s.model.status,
        p.sid !== undefined ? `sid=${JSON.stringify(octetsToText(p.sid))}` : '',
        p.user !== undefined ? `user=${JSON.stringify(octetsToText(p.user))}` : '',
        p.at !== undefined ? `ET=${new Date(p.at * 1000).toISOString()}` : '',
        p.delay !== undefined ? `delay=${p.delay}` : '',
        p.in !== undefined ? `in=${p.in}` : '',
        p.inGw !== undefined ? `inGw=${p.inGw}` : '',
        p.out !== undefined ? `out=${p.out}` : '',
        p.outGw !== undefined ? `outGw=${p.outGw}` : '',
        p.time !== undefined ? `time=${p.time}` : '',
        p.cause !== undefined ? `cause=${p.cause}` : '',
        `[${s.note}]`,
      ];
      return parts.filter((x) => x !== '').join(' ');
    })
    .join('\n');
}

/**
 * The oracle checked by hand: docs/accounting.md's rules on small cases worked out on paper, and the trace
 * generator's shape (sizes, how often each behaviour and the held rule show up, non-trivial charges).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STATUS } from '../unit/billing/packets.js';
import { bindTrace, loginText, MAX_SENDS, modelRecordOf, traceArb, type PacketSpec } from './bras-trace.js';
import { advance, rateTrace, TWO_32, type ModelSubscriber } from './reference-rater.js';

const GB = 1_000_000_000;
const T0 = Date.UTC(2030, 2, 10, 12);
const subs = new Map<string, ModelSubscriber>([['alice', { accountId: 1, tariff: { pricePerGB: 1000n, includedBytes: 0n, pricePerMinute: 6n } }]]);
const user = Buffer.from('alice');
const rec = (spec: Omit<PacketSpec, 'user'>, rcvSeconds: number, nas = 'bras') => modelRecordOf(nas, { user, ...spec }, T0 + rcvSeconds * 1000);

describe('reference rater', () => {
  it('advance: exact with Gigawords, wrap inferred without, older and zero keep', () => {
    expect(advance(4_000_000_000n, { bytes: 100_000_000n, gigawords: false }, true)).toBe(TWO_32 + 100_000_000n);
    expect(advance(TWO_32 + 100_000_000n, { bytes: 300_000_000n, gigawords: false }, true)).toBe(TWO_32 + 300_000_000n);
    expect(advance(4_000_000_000n, { bytes: 100_000_000n, gigawords: false }, false)).toBe(4_000_000_000n);
    expect(advance(3_000_000_000n, { bytes: 2_000_000_000n, gigawords: false }, true)).toBe(3_000_000_000n); // fell by < 2^31
    expect(advance(TWO_32 + 5n, { bytes: 4_200_000_000n, gigawords: true }, true)).toBe(TWO_32 + 5n);
    expect(advance(5n, { bytes: TWO_32 * 3n, gigawords: true }, true)).toBe(TWO_32 * 3n);
    expect(advance(7n, null, true)).toBe(7n);
    // After an inferred wrap, a low word risen by more than 2^31 is from before the wrap (stale); less is an advance.
    expect(advance(TWO_32 + 5n, { bytes: 2_147_483_654n, gigawords: false }, true)).toBe(TWO_32 + 5n);
    expect(advance(TWO_32 + 5n, { bytes: 2_147_483_653n, gigawords: false }, true)).toBe(TWO_32 + 2_147_483_653n);
    expect(advance(5n, { bytes: 3_000_000_000n, gigawords: false }, true)).toBe(3_000_000_000n);
  });

  it('charges, Interim after Stop, Stop without Start, zero Stop', () => {
    const r = rateTrace(subs, [
      rec({ status: STATUS.start, sid: Buffer.from('A'), at: T0 / 1000 }, 0),
      rec({ status: STATUS.interim, sid: Buffer.from('A'), at: T0 / 1000 + 60, in: GB, out: GB / 2, time: 60 }, 60),
      rec({ status: STATUS.stop, sid: Buffer.from('A'), at: T0 / 1000 + 130, in: 2 * GB, out: GB / 2, time: 130, cause: 1 }, 130),
      rec({ status: STATUS.interim, sid: Buffer.from('A'), at: T0 / 1000 + 140, in: 9 * GB, out: GB / 2, time: 140 }, 140),
      rec({ status: STATUS.stop, sid: Buffer.from('B'), in: GB, out: 0, time: 100, cause: 2 }, 200),
      rec({ status: STATUS.stop, sid: Buffer.from('B'), in: 0, out: 0, time: 0 }, 201),
    ]);
    // A: 2.5 GB → 2500, 130 s × 6/min → 13; B: 1 GB → +1000 (month cumulative 3500), 100 s → 10.
    expect(r.charges.get(1)).toEqual({ traffic: 3500n, time: 23n });
    expect(r.ignored).toBe(2);
    expect(r.sessions.map((s) => [s.acctSessionId, s.input, s.sessionTime, s.final, s.terminateCause])).toEqual([
      ['A', 2n * BigInt(GB), 130n, true, 'User-Request'],
      ['B', BigInt(GB), 100n, true, 'Lost-Carrier'],
    ]);
    expect(r.sessions[1]!.startedAt).toBe(T0 + 100_000);
  });

  it('Accounting-On closes, bumps the epoch; the reused id is a new session; invalid bytes are distinct ids', () => {
    const inv = (x: number) => Buffer.from([0x69, 0x6e, 0x76, 0x2d, x, 0x41]);
    const r = rateTrace(subs, [
      rec({ status: STATUS.start, sid: inv(0xff) }, 0),
      rec({ status: STATUS.start, sid: inv(0xfe) }, 0),
      rec({ status: STATUS.interim, sid: inv(0xff), in: GB, out: 0, time: 60 }, 60),
      modelRecordOf('bras', { status: STATUS.on }, T0 + 100_000),
      rec({ status: STATUS.interim, sid: inv(0xff), in: GB, out: 0, time: 90 }, 101), // the old session's, late: a new one
    ]);
    expect(r.sessions.map((s) => [s.acctSessionId, s.epoch, s.final, s.input])).toEqual([
      ['inv-\\xffA', 0, true, BigInt(GB)],
      ['inv-\\xfeA', 0, true, 0n],
      ['inv-\\xffA', 1, false, BigInt(GB)],
    ]);
    expect(r.sessions[0]!.stoppedAt).toBe(T0 + 100_000);
    expect(r.epochs.get('bras')).toBe(1);
    expect(r.charges.get(1)!.traffic).toBe(2000n);
  });

  it('held: absurd octets and session time are not applied, the next sane record is charged', () => {
    const r = rateTrace(subs, [
      rec({ status: STATUS.start, sid: Buffer.from('H') }, 0),
      rec({ status: STATUS.interim, sid: Buffer.from('H'), in: 2 ** 32 - 1, inGw: 2 ** 21 - 1, out: 0, time: 60 }, 60),
      rec({ status: STATUS.interim, sid: Buffer.from('H'), in: GB, out: 0, time: 2 ** 32 - 1 }, 70),
      rec({ status: STATUS.interim, sid: Buffer.from('H'), in: 2 * GB, out: 0, time: 120 }, 120),
      rec({ status: STATUS.stop, sid: Buffer.from('S'), in: GB, out: 0, time: 2 ** 32 - 1 }, 130), // first record: too long
    ]);
    expect(r.held.map((h) => h.reason)).toEqual(['octet_rate', 'session_time', 'session_time']);
    expect(r.sessions[0]).toMatchObject({ input: 2n * BigInt(GB), sessionTime: 120n });
    expect(r.sessions[1]).toMatchObject({ input: 0n, final: true });
    expect(r.charges.get(1)).toEqual({ traffic: 2000n, time: 12n });
  });

  it("the session-time base: the first record's time is the earlier of its clamped and receive times", () => {
    const behind = rateTrace(subs, [
      rec({ status: STATUS.start, sid: Buffer.from('K'), at: T0 / 1000 - 7200 }, 0), // clamped to receive − 300 s
      rec({ status: STATUS.interim, sid: Buffer.from('K'), at: T0 / 1000 - 7140, time: 650, in: 0, out: 0 }, 60), // ≤ 60 + 300 + 300
      rec({ status: STATUS.interim, sid: Buffer.from('K'), at: T0 / 1000 - 7080, time: 721, in: 0, out: 0 }, 120), // > 120 + 600
    ]);
    expect(behind.outcomes).toEqual(['applied', 'applied', 'held']);
    const ahead = rateTrace(subs, [
      rec({ status: STATUS.start, sid: Buffer.from('L'), at: T0 / 1000 + 7200 }, 0), // clamped to receive + 300 s: receive time counts
      rec({ status: STATUS.interim, sid: Buffer.from('L'), at: T0 / 1000 + 7210, time: 310, in: 0, out: 0 }, 10),
      rec({ status: STATUS.interim, sid: Buffer.from('L'), at: T0 / 1000 + 7220, time: 321, in: 0, out: 0 }, 20),
    ]);
    expect(ahead.outcomes).toEqual(['applied', 'applied', 'held']);
  });

  it('clamps the event time to the receive time ± skew and rates the clamped month', () => {
    const april = Date.UTC(2030, 3, 1) / 1000;
    const r = rateTrace(subs, [
      // Received 10 s before April, NAS clock 40 days ahead: clamped to receive + 300 s = April.
      modelRecordOf('bras', { user, status: STATUS.stop, sid: Buffer.from('C'), at: april + 40 * 86400, in: GB, out: 0, time: 10 }, (april - 10) * 1000),
      // Received 400 s before April, clock 7200 s behind: clamped to receive − 300 s = March.
      modelRecordOf('bras', { user, status: STATUS.stop, sid: Buffer.from('D'), at: april - 7600, in: GB, out: 0, time: 10 }, (april - 400) * 1000),
    ]);
    expect(r.clamped).toBe(2);
    expect(r.usage.map((u) => [u.month, u.octets])).toEqual([
      ['2030-04-01', BigInt(GB)],
      ['2030-03-01', BigInt(GB)],
    ]);
  });

  it('generated traces are small, varied, and charge something', () => {
    const traces = fc.sample(traceArb, { numRuns: 400, seed: 1 });
    let charged = 0;
    let held = 0;
    let ignored = 0;
    let clamped = 0;
    let reboots = 0;
    for (const t of traces) {
      expect(t.sends.length).toBeLessThanOrEqual(MAX_SENDS);
      for (let i = 1; i < t.sends.length; i++) expect(t.sends[i]!.receivedAt).toBeGreaterThanOrEqual(t.sends[i - 1]!.receivedAt);
      const sends = bindTrace(t, ['n0', 'n1'], 'p-');
      const m = new Map<string, ModelSubscriber>(
        t.subscribers.map((s, i) => [
          loginText(s.login, 'p-'),
          { accountId: i, tariff: { pricePerGB: BigInt(s.tariff.pricePerGB), includedBytes: BigInt(s.tariff.includedBytes), pricePerMinute: BigInt(s.tariff.pricePerMinute) } },
        ]),
      );
      const r = rateTrace(m, sends.map((s) => s.model));
      if ([...r.charges.values()].some((c) => c.traffic > 0n || c.time > 0n)) charged++;
      if (r.held.length > 0) held++;
      if (r.ignored > 0) ignored++;
      if (r.clamped > 0) clamped++;
      if (r.outcomes.includes('reboot')) reboots++;
    }
    console.log({ traces: traces.length, charged, held, ignored, clamped, reboots, sends: traces.reduce((n, t) => n + t.sends.length, 0) });
    expect(charged).toBeGreaterThan(100);
    expect(held).toBeGreaterThan(10);
    expect(ignored).toBeGreaterThan(20);
    expect(clamped).toBeGreaterThan(20);
    expect(reboots).toBeGreaterThan(50);
  });
});

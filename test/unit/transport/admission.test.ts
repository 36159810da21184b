/**
 * The admission controller on forced signals: samples are driven by hand with a chosen event-loop lag and chosen
 * accounting latencies, so every step is deterministic. The real clock-driven probe is covered by the integration
 * test (test/integration/overload.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { radiusShed, radiusShedFraction } from '../../../src/observability/metrics.js';
import { Code } from '../../../src/radius/codes.js';
import { createLogger } from '../../../src/observability/logger.js';
import { ACCOUNTING_QUIET_MS, AdmissionController, OVERLOAD_OFF, overloadLog, SHED_STEP, type OverloadOptions } from '../../../src/transport/admission.js';
import { logSink } from '../../helpers/log.js';

const OPTIONS: OverloadOptions = { enabled: true, maxEventLoopUtilizationPercent: 95, maxEventLoopLagMs: 50, maxAccountingLatencyMs: 100, maxShedPercent: 50, sampleIntervalMs: 100 };

/** How many of `n` Access-Requests on the authentication port are admitted. */
function admitted(c: AdmissionController, n: number): number {
  let ok = 0;
  for (let i = 0; i < n; i++) if (c.admit('auth', Code.AccessRequest)) ok++;
  return ok;
}

/** A controller on forced signals, with accounting arriving in the intervals sampled (shedding exists to protect it). */
function controller(options: Partial<OverloadOptions> = {}, lag = { ms: 0 }, busy = { share: 0 }, accounting = { arriving: true }) {
  const changes: boolean[] = [];
  const c = new AdmissionController({ ...OPTIONS, ...options }, { lagSource: () => lag.ms, utilizationSource: () => busy.share, onChange: (shedding) => changes.push(shedding) });
  const sample = c.sample.bind(c);
  // An Accounting-Request arrives in every sampled interval while `accounting.arriving`.
  c.sample = (measuredLagMs?: number): void => {
    if (accounting.arriving) c.admit('acct', Code.AccountingRequest);
    sample(measuredLagMs);
  };
  return { c, lag, busy, changes, accounting };
}

describe('AdmissionController', () => {
  it('sheds nothing while no accounting arrives, and releases once accounting has been quiet for ACCOUNTING_QUIET_MS', () => {
    const { c, lag, accounting } = controller();
    lag.ms = 500;
    for (let i = 0; i < 5; i++) c.sample();
    accounting.arriving = false;
    expect(c.state.shedFraction).toBeCloseTo(0.5);
    // Accounting stops: after the quiet time (in sampling intervals) the pressure is nil and the fraction falls to 0.
    for (let i = 0; i < ACCOUNTING_QUIET_MS / OPTIONS.sampleIntervalMs - 5; i++) c.sample();
    expect(c.state.shedFraction).toBeCloseTo(0.5);
    for (let i = 0; i < 40; i++) c.sample();
    expect(c.state.shedFraction).toBe(0);
    expect(admitted(c, 100)).toBe(100);
    // A saturated listener with only logins to serve serves them all.
    const quiet = new AdmissionController(OPTIONS, { lagSource: () => 500, utilizationSource: () => 1 });
    for (let i = 0; i < 20; i++) quiet.sample();
    expect(quiet.state.shedFraction).toBe(0);
    // Accounting arrives again: shedding resumes.
    accounting.arriving = true;
    c.sample();
    expect(c.state.shedFraction).toBeCloseTo(SHED_STEP);
  });

  it('admits everything while the signals are under their limits', () => {
    const { c, lag } = controller();
    lag.ms = 40;
    for (let i = 0; i < 50; i++) c.sample();
    expect(c.state.shedFraction).toBe(0);
    expect(admitted(c, 1000)).toBe(1000);
  });

  it('sheds a growing share of Access-Requests while the event loop lags, up to maxShedPercent, evenly spread', () => {
    const { c, lag, changes } = controller();
    lag.ms = 500;
    c.sample(); // the smoothed lag is 150 ms after one sample of 500: over the limit at once
    expect(c.state.shedFraction).toBeCloseTo(SHED_STEP);
    expect(changes).toEqual([true]);
    expect(admitted(c, 100)).toBe(90);
    for (let i = 0; i < 20; i++) c.sample();
    expect(c.state.shedFraction).toBeCloseTo(0.5);
    // Half of them, alternating: a NAS retransmitting at once gets through the second time.
    const pattern = Array.from({ length: 6 }, () => c.admit('auth', Code.AccessRequest));
    expect(pattern.filter(Boolean)).toHaveLength(3);
    expect(pattern[0]).not.toBe(pattern[1]);
    expect(admitted(c, 1000)).toBe(500);
  });

  it('never sheds Accounting-Requests, Status-Server or anything on the accounting port', () => {
    const { c, lag } = controller({ maxShedPercent: 100 });
    lag.ms = 1000;
    for (let i = 0; i < 20; i++) c.sample();
    expect(c.state.shedFraction).toBe(1);
    for (let i = 0; i < 100; i++) {
      expect(c.admit('acct', Code.AccountingRequest)).toBe(true);
      expect(c.admit('auth', Code.StatusServer)).toBe(true);
      expect(c.admit('acct', Code.AccessRequest)).toBe(true); // dropped later as unexpected on that port, not shed
      expect(c.admit('auth', undefined)).toBe(true); // an empty datagram: dropped as malformed, not shed
    }
    expect(admitted(c, 100)).toBe(0);
  });

  it('sheds while the event loop is saturated (utilisation over the limit) even without lag', () => {
    const { c, busy } = controller();
    busy.share = 0.9;
    for (let i = 0; i < 20; i++) c.sample();
    expect(c.state.shedFraction).toBe(0);
    busy.share = 1;
    for (let i = 0; i < 20; i++) c.sample();
    expect(c.state.eventLoopUtilizationPercent).toBeGreaterThan(95);
    expect(c.state.shedFraction).toBeCloseTo(0.5);
    busy.share = 0.5;
    for (let i = 0; i < 30; i++) c.sample();
    expect(c.state.shedFraction).toBe(0);
  });

  it('measures the utilisation with performance.eventLoopUtilization unless told otherwise', async () => {
    const c = new AdmissionController(OPTIONS, { lagSource: () => 0 });
    c.sample(); // the first reading is the baseline
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        const until = performance.now() + 60;
        while (performance.now() < until) {
          /* busy */
        }
        resolve();
      }, 1),
    );
    c.sample();
    expect(c.state.eventLoopUtilizationPercent).toBeGreaterThan(10);
  });

  it('sheds when accounting replies slow down even without event-loop lag, and releases when they recover', () => {
    const { c, changes } = controller();
    for (let i = 0; i < 10; i++) {
      for (let j = 0; j < 20; j++) c.answered(Code.AccountingRequest, 0.4); // 400 ms each
      c.answered(Code.AccessRequest, 5); // auth latency is not a signal
      c.sample();
    }
    expect(c.state.accountingLatencyMs).toBeGreaterThan(100);
    expect(c.state.shedFraction).toBeCloseTo(0.5);
    for (let i = 0; i < 40; i++) {
      c.answered(Code.AccountingRequest, 0.005);
      c.sample();
    }
    expect(c.state.shedFraction).toBe(0);
    expect(changes).toEqual([true, false]);
    expect(admitted(c, 100)).toBe(100);
  });

  it('holds its fraction in the dead band between RELEASE_BELOW and the limit (no oscillation)', () => {
    const { c, lag } = controller();
    lag.ms = 200;
    for (let i = 0; i < 3; i++) c.sample();
    const held = c.state.shedFraction;
    expect(held).toBeGreaterThan(0);
    lag.ms = 42; // pressure settles at 0.84: inside the band
    for (let i = 0; i < 30; i++) c.sample();
    expect(c.state.shedFraction).toBeCloseTo(held + SHED_STEP * 2, 5); // it rose while the smoothed lag was still over
    const settled = c.state.shedFraction;
    for (let i = 0; i < 30; i++) c.sample();
    expect(c.state.shedFraction).toBe(settled);
  });

  it('an accounting path that answers nothing is no reason to shed logins (the signal decays)', () => {
    const { c } = controller();
    for (let j = 0; j < 20; j++) c.answered(Code.AccountingRequest, 2);
    c.sample();
    expect(c.state.shedFraction).toBeGreaterThan(0);
    for (let i = 0; i < 60; i++) c.sample(); // the database answers nothing at all
    expect(c.state.shedFraction).toBe(0);
  });

  it('maxAccountingLatencyMs 0 takes accounting latency out of the signals', () => {
    const { c } = controller({ maxAccountingLatencyMs: 0 });
    for (let i = 0; i < 10; i++) {
      c.answered(Code.AccountingRequest, 10);
      c.sample();
    }
    expect(c.state.shedFraction).toBe(0);
  });

  it('off: starts no timer and admits everything', () => {
    const c = new AdmissionController(OVERLOAD_OFF);
    c.start();
    expect(admitted(c, 10)).toBe(10);
    c.stop();
    expect(() => new AdmissionController({ ...OPTIONS, maxShedPercent: 101 })).toThrow(RangeError);
  });

  it('measures the lag as the lateness of its own sampling timer (injected clock) and exports its metrics', async () => {
    // Each reading moves the clock by 505 ms: the timer always fires 500 ms later than it was due.
    let now = 0;
    const c = new AdmissionController({ ...OPTIONS, sampleIntervalMs: 5 }, { clock: () => (now += 505), utilizationSource: () => 0 });
    const before = (await radiusShed.get()).values.find((v) => v.labels.code === 'Access-Request')?.value ?? 0;
    c.admit('acct', Code.AccountingRequest); // accounting arrives (within the quiet time of 200 intervals)
    c.start();
    await new Promise((r) => setTimeout(r, 100));
    expect(c.state.eventLoopLagMs).toBeGreaterThan(50);
    expect(c.state.eventLoopLagMs).toBeLessThanOrEqual(500);
    expect(c.state.shedFraction).toBeGreaterThan(0);
    expect((await radiusShedFraction.get()).values[0]?.value).toBeGreaterThan(0);
    admitted(c, 100);
    const after = (await radiusShed.get()).values.find((v) => v.labels.code === 'Access-Request')?.value ?? 0;
    expect(after - before).toBe(c.state.shed);
    c.stop();
    expect((await radiusShedFraction.get()).values[0]?.value).toBe(0);
  });
});

describe('overloadLog', () => {
  it('warns when shedding begins, at most once a minute, with the episodes left out since', () => {
    const sink = logSink();
    const onChange = overloadLog(createLogger('debug', sink.stream));
    const state = { shedFraction: 0.1, eventLoopUtilizationPercent: 50, eventLoopLagMs: 80, accountingLatencyMs: 0, shed: 0 };
    for (let i = 0; i < 3; i++) {
      onChange(true, state);
      onChange(false, { ...state, shedFraction: 0 });
    }
    const warnings = sink.lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ eventLoopLagMs: 80, msg: expect.stringContaining('shedding new Access-Requests') });
    expect(sink.lines.filter((l) => l.level === 'debug')).toHaveLength(3);
  });
});

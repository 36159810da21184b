/**
 * Admission under overload: which datagrams the UDP listener processes when it cannot process them all.
 *
 * Accounting-Requests are never shed: a lost one delays money, and each carries a record the BRAS may not keep.
 * New Access-Requests are shed first (the BRAS retransmits them, and a login that waits a retransmission is the
 * cheaper loss), and never more than `maxShedPercent` of them, so neither path starves the other.
 *
 * Three signals, sampled every `sampleIntervalMs`, each smoothed (EWMA) and divided by its limit into a pressure:
 *  - event-loop utilisation: the share of the interval the loop was busy. Near 100 % the process has no headroom:
 *    datagrams queue in the socket buffers (and overflow them, accounting with them, when the NASes' windows add
 *    up to more than they hold), and auth work takes the CPU accounting's replies need. A saturated loop still
 *    runs its timers every turn, so this, not the lag, is what shows it.
 *  - event-loop lag: how late the sampling timer fires: long turns (large synchronous work, the embedded database)
 *    or a process starved of CPU by others; every request waits that long before it is read.
 *  - accounting latency: the mean time from an Accounting-Request's verification to its Accounting-Response (the
 *    journal's group commit). Accounting is answered by a window-limited BRAS, so its rate is window ÷ latency:
 *    when auth work takes the CPU PostgreSQL and the journal need, accounting loses share without any lag showing.
 * Above a pressure of 1 the shed fraction rises by `SHED_STEP` per sample (up to `maxShedPercent`); below
 * `RELEASE_BELOW` it falls by half a step; in between it holds (a dead band, so it does not oscillate). Shedding is
 * deterministic (a credit counter, not a random draw): with a fraction f, exactly f of the Access-Requests are
 * dropped, evenly spread.
 *
 * Shedding protects accounting, so it happens only while accounting arrives: when no Accounting-Request has come
 * for ACCOUNTING_QUIET_MS, a saturated listener serves every login it can (refusing some would protect nothing).
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { Code } from '../radius/codes.js';
import type { PortRole } from '../radius/handler.js';
import type { Logger } from '../observability/logger.js';
import { setShedFraction, shedAccessRequests } from '../observability/metrics.js';
import { LogLimiter } from './log-limiter.js';

export interface OverloadOptions {
  /** Off: every datagram is processed as it comes. */
  readonly enabled: boolean;
  /** Event-loop utilisation (percent of the interval busy, smoothed) above which Access-Requests are shed. */
  readonly maxEventLoopUtilizationPercent: number;
  /** Event-loop lag (ms, smoothed) above which Access-Requests are shed. */
  readonly maxEventLoopLagMs: number;
  /** Mean accounting reply latency (ms, smoothed) above which Access-Requests are shed; 0 = not a signal. */
  readonly maxAccountingLatencyMs: number;
  /** The largest share of Access-Requests ever shed, in percent. */
  readonly maxShedPercent: number;
  /** How often the signals are sampled. */
  readonly sampleIntervalMs: number;
}

export const OVERLOAD_OFF: OverloadOptions = { enabled: false, maxEventLoopUtilizationPercent: 100, maxEventLoopLagMs: 250, maxAccountingLatencyMs: 0, maxShedPercent: 0, sampleIntervalMs: 100 };

/** Shed fraction added per sample while over the limit (0 → 0.5 in five samples). */
export const SHED_STEP = 0.1;
/** Below this pressure the fraction is released (by half a step per sample). */
export const RELEASE_BELOW = 0.7;
/** With no Accounting-Request for this long, there is no accounting to protect: the pressure counts as nil. */
export const ACCOUNTING_QUIET_MS = 1000;
/** Weight of the newest sample in the smoothed signals. */
const EWMA_WEIGHT = 0.3;

export interface AdmissionDeps {
  /** Milliseconds, monotonic (performance.now by default). */
  readonly clock?: () => number;
  /** The event-loop lag in ms; by default, how late the sampling timer fired. Tests force it. */
  readonly lagSource?: () => number;
  /** The event-loop utilisation (0–1) since the previous sample; by default performance.eventLoopUtilization. */
  readonly utilizationSource?: () => number;
  /** Told when shedding starts and when it ends (the listener logs it). */
  readonly onChange?: (shedding: boolean, state: AdmissionState) => void;
}

export interface AdmissionState {
  /** Share of new Access-Requests being shed now. */
  readonly shedFraction: number;
  /** Smoothed event-loop utilisation, percent. */
  readonly eventLoopUtilizationPercent: number;
  /** Smoothed event-loop lag, ms. */
  readonly eventLoopLagMs: number;
  /** Smoothed mean accounting reply latency, ms. */
  readonly accountingLatencyMs: number;
  /** Access-Requests shed since start. */
  readonly shed: number;
}

const shedTally = shedAccessRequests();

export class AdmissionController {
  private fraction = 0;
  private credit = 0;
  private lag = 0;
  private utilization = 0;
  private elu: EventLoopUtilization | null = null;
  private acctLatency = 0;
  private acctSum = 0;
  private acctCount = 0;
  private shedCount = 0;
  private acctArrivals = 0;
  /** Samples since the last one that saw an Accounting-Request arrive (starts "long ago"). */
  private samplesSinceAcct = Number.POSITIVE_INFINITY;
  private readonly quietSamples: number;
  private timer: NodeJS.Timeout | null = null;
  private expectedAt = 0;
  private readonly clock: () => number;
  private readonly maxFraction: number;

  constructor(
    private readonly options: OverloadOptions,
    private readonly deps: AdmissionDeps = {},
  ) {
    if (!(options.maxShedPercent >= 0 && options.maxShedPercent <= 100)) throw new RangeError('maxShedPercent must be between 0 and 100');
    this.maxFraction = options.maxShedPercent / 100;
    this.clock = deps.clock ?? (() => performance.now());
    this.quietSamples = Math.ceil(ACCOUNTING_QUIET_MS / options.sampleIntervalMs);
  }

  /**
   * Whether to process a datagram that arrived on a `role` port (first octet: the code). Only Access-Requests on
   * the authentication port are ever refused; a refused one is counted, the caller drops it unanswered.
   */
  admit(role: PortRole, code: number | undefined): boolean {
    if (role !== 'auth') {
      this.acctArrivals++;
      return true;
    }
    if (this.fraction === 0 || code !== Code.AccessRequest) return true;
    this.credit += this.fraction;
    // (the tolerance: ten additions of 0.1 make 0.9999999999999999)
    if (this.credit < 1 - 1e-9) return true;
    this.credit -= 1;
    this.shedCount++;
    shedTally.inc();
    return false;
  }

  /** A request of `code` answered `seconds` after it was verified (accounting latency is a signal). */
  answered(code: number, seconds: number): void {
    if (code !== Code.AccountingRequest) return;
    this.acctSum += seconds * 1000;
    this.acctCount++;
  }

  /** One sampling step: smooths the signals, moves the shed fraction. The timer calls it; tests call it directly. */
  sample(measuredLagMs = 0): void {
    const lag = this.deps.lagSource ? this.deps.lagSource() : measuredLagMs;
    this.lag += EWMA_WEIGHT * (Math.max(0, lag) - this.lag);
    this.utilization += EWMA_WEIGHT * (this.measureUtilization() - this.utilization);
    // No reply this interval: the latency signal decays (a database that answers nothing is not made faster by
    // shedding logins; its records are not acknowledged either way).
    const acctMean = this.acctCount > 0 ? this.acctSum / this.acctCount : 0;
    this.acctLatency += EWMA_WEIGHT * (acctMean - this.acctLatency);
    this.acctSum = 0;
    this.acctCount = 0;

    this.samplesSinceAcct = this.acctArrivals > 0 ? 0 : this.samplesSinceAcct + 1;
    this.acctArrivals = 0;
    const accountingArrives = this.samplesSinceAcct <= this.quietSamples;

    const { maxEventLoopUtilizationPercent, maxEventLoopLagMs, maxAccountingLatencyMs } = this.options;
    const pressure = !accountingArrives ? 0 : Math.max(
      (this.utilization * 100) / maxEventLoopUtilizationPercent,
      this.lag / maxEventLoopLagMs,
      maxAccountingLatencyMs > 0 ? this.acctLatency / maxAccountingLatencyMs : 0,
    );
    const before = this.fraction;
    if (pressure > 1) this.fraction = Math.min(this.maxFraction, this.fraction + SHED_STEP);
    else if (pressure < RELEASE_BELOW) this.fraction = Math.max(0, this.fraction - SHED_STEP / 2);
    // Float steps must reach exactly 0, or a residue would keep shedding one request in thousands.
    if (this.fraction < 1e-9) this.fraction = 0;
    if (this.fraction === 0) this.credit = 0;
    setShedFraction(this.fraction);
    if ((before === 0) !== (this.fraction === 0)) this.deps.onChange?.(this.fraction > 0, this.state);
  }

  get state(): AdmissionState {
    return {
      shedFraction: this.fraction,
      eventLoopUtilizationPercent: this.utilization * 100,
      eventLoopLagMs: this.lag,
      accountingLatencyMs: this.acctLatency,
      shed: this.shedCount,
    };
  }

  /** The share of the time since the previous sample the event loop was busy (0–1). */
  private measureUtilization(): number {
    if (this.deps.utilizationSource) return this.deps.utilizationSource();
    const now = performance.eventLoopUtilization();
    const since = this.elu ? performance.eventLoopUtilization(now, this.elu).utilization : 0;
    this.elu = now;
    return since;
  }

  /** Starts sampling (nothing when overload protection is off). The timer does not hold the process open. */
  start(): void {
    if (!this.options.enabled || this.timer) return;
    const interval = this.options.sampleIntervalMs;
    const arm = (): void => {
      this.expectedAt = this.clock() + interval;
      this.timer = setTimeout(() => {
        // How late this timer fired is how long the loop was busy with other work: the event-loop lag.
        this.sample(this.clock() - this.expectedAt);
        arm();
      }, interval);
      this.timer.unref();
    };
    arm();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.fraction = 0;
    this.credit = 0;
    setShedFraction(0);
  }
}

/**
 * The listener's `onChange`: shedding episodes come and go within seconds under a ragged load, so one warning a
 * minute at most, saying how many episodes began since the previous one; the ends are debug lines.
 */
export function overloadLog(log: Pick<Logger, 'warn' | 'debug'>): (shedding: boolean, state: AdmissionState) => void {
  const limiter = new LogLimiter(60_000);
  return (shedding, state) => {
    if (!shedding) return log.debug(state, 'no longer shedding Access-Requests');
    const suppressed = limiter.admit('overload');
    if (suppressed >= 0) {
      log.warn({ ...state, ...(suppressed > 0 ? { episodesSinceLastWarning: suppressed } : {}) }, 'overloaded: shedding new Access-Requests (never accounting); the NAS retransmits them');
    }
  };
}

/**
 * Runs the daily fee inside the daemon: at start and every `intervalMs`, it charges every fee day from the latest
 * day recorded in `fee_runs` (re-run, since it may have been "today" when recorded and gained subscriptions since)
 * up to today in the fee time zone, one day after another, so days missed while no instance ran are caught up.
 * Every instance may run it: UNIQUE (subscription_id, fee_day) makes each charge exactly-once, and an instance
 * that finds another one charging (the store's fee-run lock) leaves the rest to it until its next tick. The rows are
 * the store's (FeeRunStore: store/repositories/fees.ts).
 *
 * Before it charges a day D it applies the scheduled tariff changes due by D (tariff_changes, effective_on ≤ D),
 * each with D as the day the new tariff starts: days before D were charged on the old tariff, D and after are
 * charged on the new one, also when the run is catching up on days missed while no instance ran. Each change is
 * claimed in the transaction that changes the tariff, so with several instances exactly one applies it.
 */
import type { AccountStateChange } from '../domain/accounting.js';
import type { AppliedTariffChange, FeeRunStore } from '../domain/ports.js';
import { addDays, checkTimeZone, dayInTimeZone } from './core/calendar.js';

export interface FeeSchedulerOptions {
  /** IANA time zone whose calendar days are fee days (default 'UTC'); the subscribers repository must use the same. */
  readonly timeZone?: string;
  /** Time between runs (default 15 minutes). */
  readonly intervalMs?: number;
  /**
   * On the very first run (empty fee_runs) charging starts at the earliest activated_on, but not more than this
   * many days before today (default 31), so imported subscriptions do not charge their whole history.
   */
  readonly firstRunMaxDays?: number;
  /** Subscriptions per transaction (FeeRunStore.chargeDay chunkSize). */
  readonly chunkSize?: number;
  /** The clock (tests). */
  readonly now?: () => Date;
}

export interface FeeSchedulerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface FeeDayResult {
  readonly day: string;
  readonly charged: number;
  readonly amount: number;
}

export interface FeeRunResult {
  /** The days charged by this run, oldest first. */
  readonly days: FeeDayResult[];
  /** Stopped early because another instance was charging. */
  readonly busy: boolean;
}

export class FeeScheduler {
  readonly #fees: FeeRunStore;
  readonly #timeZone: string;
  readonly #intervalMs: number;
  readonly #firstRunMaxDays: number;
  readonly #chunkSize: number | undefined;
  readonly #now: () => Date;
  readonly #log: FeeSchedulerLog;
  readonly #onStateChanges: ((changes: AccountStateChange[]) => void) | undefined;
  readonly #onTariffChanges: ((changes: AppliedTariffChange[]) => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<FeeRunResult> | undefined;

  /**
   * `onStateChanges`: accounts a day's fees blocked (for CoA); `onTariffChanges`: subscribers whose scheduled tariff
   * change this run applied (for the subscriber change event, so every instance's snapshot gets the new speed).
   */
  constructor(
    fees: FeeRunStore,
    options: FeeSchedulerOptions,
    log: FeeSchedulerLog,
    onStateChanges?: (changes: AccountStateChange[]) => void,
    onTariffChanges?: (changes: AppliedTariffChange[]) => void,
  ) {
    this.#fees = fees;
    this.#timeZone = checkTimeZone(options.timeZone ?? 'UTC');
    this.#intervalMs = options.intervalMs ?? 15 * 60_000;
    if (!Number.isSafeInteger(this.#intervalMs) || this.#intervalMs < 1) throw new RangeError(`intervalMs must be a positive integer, got ${this.#intervalMs}`);
    this.#firstRunMaxDays = options.firstRunMaxDays ?? 31;
    this.#chunkSize = options.chunkSize;
    this.#now = options.now ?? (() => new Date());
    this.#log = log;
    this.#onStateChanges = onStateChanges;
    this.#onTariffChanges = onTariffChanges;
  }

  /** Runs now and then every intervalMs. A failed run is logged and retried at the next tick. */
  start(): void {
    if (this.#timer) return;
    const tick = (): void => {
      this.runOnce().catch((err: unknown) => this.#log.error({ err }, 'fee run failed; retrying at the next interval'));
    };
    this.#timer = setInterval(tick, this.#intervalMs);
    this.#timer.unref();
    tick();
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /** One run (catch-up to today). Concurrent calls share the run in progress. */
  runOnce(): Promise<FeeRunResult> {
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Today in the fee time zone. */
  today(): string {
    return dayInTimeZone(this.#now(), this.#timeZone);
  }

  async #firstDay(today: string): Promise<string> {
    const last = await this.#fees.lastRunDay();
    if (last) return last < today ? last : today;
    const first = await this.#fees.earliestActivation();
    const floor = addDays(today, -this.#firstRunMaxDays);
    const start = first ?? today;
    if (start < floor) {
      this.#log.warn({ earliestActivation: start, from: floor }, 'first fee run: days before the catch-up window are not charged');
      return floor;
    }
    return start < today ? start : today;
  }

  /**
   * Applies the scheduled tariff changes due by `day`, one transaction each, starting the new tariffs on `day`. A
   * change another instance applied first (or one cancelled meanwhile) answers null and is skipped. A failure stops
   * the run before `day` is charged, so no day is charged on a tariff it should not have; the next tick retries.
   */
  async #applyTariffChanges(day: string): Promise<void> {
    const applied: AppliedTariffChange[] = [];
    try {
      for (const id of await this.#fees.dueTariffChanges(day)) {
        const change = await this.#fees.applyTariffChange(id, day);
        if (change) applied.push(change);
      }
    } finally {
      if (applied.length > 0) {
        // The count, and the first ids for the reader: at a month's start this may be every subscriber.
        this.#log.info({ day, count: applied.length, subscribers: applied.slice(0, 20).map((c) => c.subscriberId) }, 'scheduled tariff changes applied');
        this.#onTariffChanges?.(applied);
      }
    }
  }

  async #run(): Promise<FeeRunResult> {
    const today = this.today();
    const days: FeeDayResult[] = [];
    for (let day = await this.#firstDay(today); day <= today; day = addDays(day, 1)) {
      const started = performance.now();
      await this.#applyTariffChanges(day);
      const result = await this.#fees.chargeDay(day, { yieldToOtherRun: true, ...(this.#chunkSize === undefined ? {} : { chunkSize: this.#chunkSize }) });
      if (result.accountStateChanges.length > 0) this.#onStateChanges?.(result.accountStateChanges);
      if (result.busy) {
        this.#log.info({ day }, 'another instance is charging fees; leaving the run to it');
        return { days, busy: true };
      }
      await this.#fees.recordRun(day, result.charged, result.amount);
      days.push({ day, charged: result.charged, amount: result.amount });
      if (result.charged > 0 || result.accountStateChanges.length > 0) {
        this.#log.info(
          { day, charged: result.charged, amount: result.amount, stateChanges: result.accountStateChanges.length, ms: Math.round(performance.now() - started) },
          'daily fees charged',
        );
      }
    }
    return { days, busy: false };
  }
}

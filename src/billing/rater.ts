/**
 * The rater: applies accounting_journal rows to sessions, charges, usage and balances, and deletes them, in one
 * transaction, oldest rows first (a pass of the store's AccountingRatingStore: store/repositories/rating.ts).
 * Each instance runs one (in its single process, or in the cluster's primary, which its workers wake over IPC);
 * a cluster-wide advisory lock lets one rating transaction run at a time, so records are rated in journal order
 * and rows journaled by an instance that died are rated by the others. The journal writer wakes the rater after
 * each commit; a poll picks up the rest.
 *
 * Failures. A transient failure (the database away, read-only, out of disk, a deadlock) leaves the rows in
 * the journal: retried with backoff, visible as tollgate_accounting_rating_lag_seconds. A data error (a row
 * that does not decode, a constraint the rating violates) must not stall accounting behind one bad record, nor
 * take its neighbours with it: the failed batch is bisected (its first half is retried, halving again on each
 * failure, then the rest) down to one journal row, and that row's records likewise: a prefix of a row is rated
 * in a transaction that also rewrites the row to the records left, so arrival order holds. The one record that
 * fails on its own moves to accounting_journal_rejected with the error, logged and counted, for the operator to
 * inspect and replay; every other record of the batch is rated. (The journal keeps one row per group commit,
 * not per record: per-record rows cost a quarter of the accounting throughput, measured in docs/accounting.md.)
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from '../observability/logger.js';
import {
  accountingClockClamped,
  accountingFailures,
  accountingHeld,
  accountingHeldPending,
  accountingIgnored,
  accountingJournalBacklog,
  accountingRatingDuration,
  accountingRatingLag,
  accountingRecords,
  Tally,
} from '../observability/metrics.js';
import type { AccountStateChange, RatingRules } from '../domain/accounting.js';
import type { AccountingRatingStore, FailedRatingPass, RatingPassResult, SessionChanges } from '../domain/ports.js';
import { DEFAULT_RATING_RULES } from './core/session-rules.js';

export interface RaterOptions {
  /** Most records rated in one transaction (whole journal rows; a larger first row is taken alone). */
  readonly maxRecords: number;
  /** How often an idle rater looks for rows it was not woken for (other instances', retries). */
  readonly pollIntervalMs: number;
  /**
   * Least time between the starts of two rating passes while the rater keeps up (a pass that took fewer than
   * maxRecords). Waiting lets records accumulate: fewer, larger transactions cost PostgreSQL much less per
   * record, and rating a few milliseconds later costs nothing. Default 0.
   */
  readonly minIntervalMs?: number;
  /** How often the backlog and lag gauges are refreshed (0: never). */
  readonly backlogIntervalMs?: number;
  /** Clock tolerance and plausibility limits (docs/accounting.md); the defaults of accounting.* when absent. */
  readonly rules?: RatingRules;
}

export type RaterLog = Pick<Logger, 'error' | 'warn' | 'info' | 'debug'>;

/** Journal rows looked at per transaction (each holds up to accounting.maxBatch records). */
const MAX_ROWS = 1000;
/** Back-off after a transient failure: doubles from 100 ms up to 5 s. */
const MAX_BACKOFF_MS = 5000;
/** When another instance holds the lock, wait at least this long before trying again. */
const BUSY_WAIT_MS = 25;

const rated = Tally.of(accountingRecords, 'rated');
const rejected = Tally.of(accountingRecords, 'rejected');
const ignoredAfterStop = Tally.of(accountingIgnored, 'after_stop');
const ignoredApprovedMissing = Tally.of(accountingIgnored, 'approved_missing');
const clamped = Tally.of(accountingClockClamped);
const heldOctets = Tally.of(accountingHeld, 'octet_rate');
const heldTime = Tally.of(accountingHeld, 'session_time');

type Outcome = { kind: 'rated'; rows: number; records: number; changes: AccountStateChange[]; sessions: SessionChanges | null } | { kind: 'empty' } | { kind: 'busy' };

export class AccountingRater {
  private stopped = true;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** Ends the current sleep, wakeable or not (stop). */
  private interrupt: (() => void) | null = null;
  private kicked = false;
  /**
   * After a batch failed on a data error: rate at most `rows` rows per transaction until the rows up to `upTo`
   * (inclusive, the failed batch's last) are rated or rejected; `rows` halves on each failure (bisection). Once
   * one row fails alone, `records` bisects its records the same way.
   */
  private isolate: { upTo: number; rows: number; records: number | null } | null = null;
  private backlogTimer: NodeJS.Timeout | null = null;
  private lastFailureLog = 0;
  /** The publication of the latest pass's session changes (settled; its failure is the callback's to log). */
  private published: Promise<void> = Promise.resolve();
  /** A rating pass (transaction and the state-change callback) is running in this process. */
  private passing = false;

  constructor(
    private readonly store: AccountingRatingStore,
    private readonly options: RaterOptions,
    private readonly log: RaterLog,
    /** Account state transitions of each committed rating transaction (publish them, send CoA). */
    private readonly onStateChanges: (changes: AccountStateChange[]) => void = () => {},
    /**
     * The open sessions each committed rating transaction changed, when it changed any (publish them: every
     * instance keeps its Simultaneous-Use counts from them).
     */
    private readonly onSessionChanges: (changes: SessionChanges) => void | Promise<void> = () => {},
  ) {
    if (!Number.isInteger(options.maxRecords) || options.maxRecords < 1) throw new RangeError('maxRecords must be a positive integer');
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
    const every = this.options.backlogIntervalMs ?? 5000;
    if (every > 0) {
      this.backlogTimer = setInterval(() => void this.refreshBacklog(), every);
      this.backlogTimer.unref();
      void this.refreshBacklog();
    }
  }

  /** New rows were journaled: rate them now rather than at the next poll. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /**
   * Resolves when every row journaled before the call (by any instance) is rated or rejected, or rejects after
   * `timeoutMs`. For shutdown with a deadline, tests and benchmarks.
   */
  async drain(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const upTo = await this.store.newestRow();
    for (;;) {
      const left = upTo === null ? 0 : await this.store.rowsUpTo(upTo);
      // This process's own pass may have committed and not yet reported its state changes.
      if (left === 0 && !this.passing) {
        // And its last session changes are out (a test or benchmark asks every instance next).
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, deadline - Date.now()))));
        await Promise.race([this.published, late]);
        clearTimeout(timer);
        return;
      }
      if (Date.now() > deadline) throw new Error(`accounting journal not drained within ${timeoutMs} ms (${left} rows left)`);
      this.kick();
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Finishes the transaction in progress and stops; rows left in the journal wait for the next rater. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.backlogTimer) clearInterval(this.backlogTimer);
    this.interrupt?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      this.kicked = false;
      let outcome: Outcome;
      this.passing = true;
      const passStarted = Date.now();
      try {
        outcome = await this.rateOnce();
        failures = 0;
        if (outcome.kind === 'rated' && outcome.changes.length > 0) this.onStateChanges(outcome.changes);
        if (outcome.kind === 'rated' && outcome.sessions !== null) this.published = Promise.resolve(this.onSessionChanges(outcome.sessions)).catch(() => undefined);
      } catch (err) {
        accountingFailures.labels('rate').inc();
        const failed = (err as { failedBatch?: FailedRatingPass } | null)?.failedBatch;
        if (this.store.isDataError(err) && failed !== undefined && (failed.rows > 1 || failed.records > 1)) {
          // Find the bad record by halving the batch, then its row (see the module comment).
          const upTo = this.isolate === null ? failed.lastRowId : Math.max(this.isolate.upTo, failed.lastRowId);
          this.isolate =
            failed.rows > 1 ? { upTo, rows: Math.ceil(failed.rows / 2), records: null } : { upTo, rows: 1, records: Math.ceil(failed.records / 2) };
          if (failures === 0) this.log.warn({ err, rows: failed.rows }, 'accounting rating failed on a data error; bisecting the batch');
          continue;
        }
        failures++;
        this.logFailure(err);
        await this.sleep(Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(failures - 1, 6)), false);
        continue;
      } finally {
        this.passing = false;
      }
      if (outcome.kind === 'rated') {
        const wait = (this.options.minIntervalMs ?? 0) - (Date.now() - passStarted);
        if (outcome.records < this.options.maxRecords && wait > 0) await this.sleep(wait, false);
        continue;
      }
      // Another instance is rating (it takes this instance's rows too): do not spin on every wake-up.
      if (outcome.kind === 'busy') await this.sleep(BUSY_WAIT_MS, false);
      if (!this.kicked) await this.sleep(this.options.pollIntervalMs, true);
    }
  }

  private async rateOnce(): Promise<Outcome> {
    const started = performance.now();
    const isolating = this.isolate;
    let pass: RatingPassResult;
    try {
      pass = await this.store.ratePass({
        maxRecords: this.options.maxRecords,
        maxRows: isolating?.rows ?? MAX_ROWS,
        recordLimit: isolating?.records ?? null,
        rules: this.options.rules ?? DEFAULT_RATING_RULES,
      });
    } catch (err) {
      const failed = (err as { failedBatch?: FailedRatingPass } | null)?.failedBatch;
      if (this.store.isDataError(err) && failed !== undefined && failed.rows === 1 && failed.records <= 1) return this.reject(failed.lastRowId, err);
      throw err;
    }
    if (pass.kind === 'rated') {
      rated.inc(pass.records);
      ignoredAfterStop.inc(pass.stats.afterStop);
      ignoredApprovedMissing.inc(pass.stats.approvedMissing);
      clamped.inc(pass.stats.clamped);
      heldOctets.inc(pass.held.octet_rate);
      heldTime.inc(pass.held.session_time);
      accountingRatingDuration.observe((performance.now() - started) / 1000);
      if (this.isolate !== null && !pass.partial && pass.lastRowId >= this.isolate.upTo) this.isolate = null;
      const s = pass.sessions;
      const sessions = s.open.length > 0 || s.closed.length > 0 || s.nasRestarts.length > 0 ? s : null;
      return { kind: 'rated', rows: pass.rows, records: pass.records, changes: pass.changes, sessions };
    }
    if (pass.kind === 'empty') this.isolate = null;
    return pass;
  }

  /**
   * Moves the record that cannot be rated to accounting_journal_rejected: the row itself when it holds just that
   * record, else its first record (the row keeps the rest, under a new id from the journal's sequence).
   */
  private async reject(id: number, cause: unknown): Promise<Outcome> {
    const message = cause instanceof Error ? cause.message : String(cause);
    const moved = await this.store.reject(id, message);
    if (moved === null) return { kind: 'busy' };
    rejected.inc(moved);
    this.log.error({ err: cause, journalId: id, records: moved }, 'accounting record cannot be rated; moved to accounting_journal_rejected');
    // The rest is rated in full batches again; another bad record in it starts its own bisection.
    this.isolate = null;
    return { kind: 'rated', rows: 1, records: 0, changes: [], sessions: null };
  }

  private async refreshBacklog(): Promise<void> {
    try {
      const backlog = await this.store.backlog();
      accountingJournalBacklog.set(backlog.records);
      accountingRatingLag.set(backlog.lagSeconds);
      accountingHeldPending.set(backlog.heldPending);
    } catch {
      // The database is away: the rater logs that; the gauges keep their last values.
    }
  }

  private logFailure(err: unknown): void {
    const now = Date.now();
    if (now - this.lastFailureLog < 5000) return;
    this.lastFailureLog = now;
    this.log.error({ err }, 'accounting rating failed; the records stay journaled and are retried');
  }

  /** Waits `ms`; `wakeable`: a kick() ends the wait early. stop() always does. */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        this.interrupt = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interrupt = done;
      if (wakeable) this.wake = done;
    });
  }
}

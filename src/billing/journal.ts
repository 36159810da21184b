/**
 * The accounting journal's writer: group commit of Accounting-Requests into accounting_journal (through the
 * store's AccountingJournalStore), one row and one durable commit per batch (docs/design.md invariant 4: the
 * Accounting-Response goes out only after this commit).
 * While one INSERT is in flight, records queue; the next INSERT takes the whole queue (up to maxBatch). If the
 * INSERT fails every record of its batch is rejected: no reply is sent, the NAS retransmits, nothing was
 * written. Rating happens after the acknowledgement, in the rater (rater.ts), which `onCommitted` wakes.
 *
 * Why a journal and not rating before the ack: a rating transaction costs PostgreSQL a dozen statements and
 * row locks whatever its size, and the closed-loop window of a BRAS (tens of requests in flight) caps the
 * batch; the journal INSERT is one statement, so acknowledgements are as fast as the WAL flush, and the rater
 * works on thousands of records per transaction, where a session's Start, Interims and Stop collapse into one
 * row write.
 */
import type { Logger } from '../observability/logger.js';
import { accountingFailures, accountingRecords, Tally } from '../observability/metrics.js';
import type { AccountingJournalStore } from '../domain/ports.js';
import type { AccountingRecord } from '../domain/accounting.js';

export interface JournalOptions {
  /** Most records in one journal row (one INSERT). */
  readonly maxBatch: number;
  /** INSERTs in flight at once (default 1: classic group commit). Keep 1 on PGlite (one connection). */
  readonly maxInFlight?: number;
}

export type JournalLog = Pick<Logger, 'error' | 'warn' | 'debug'>;

interface Pending {
  readonly record: AccountingRecord;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

const journaled = Tally.of(accountingRecords, 'journaled');
/** Failure log lines while the database is away: one per this many milliseconds. */
const FAILURE_LOG_INTERVAL_MS = 5000;

export class AccountingJournal {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private stopped = false;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly maxInFlight: number;
  private lastFailureLog = 0;
  private failuresSinceLog = 0;

  constructor(
    private readonly store: AccountingJournalStore,
    private readonly options: JournalOptions,
    private readonly log: JournalLog,
    /** Called after each committed INSERT (the rater's wake-up). */
    private readonly onCommitted: () => void = () => {},
  ) {
    if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) throw new RangeError('maxBatch must be a positive integer');
    this.maxInFlight = options.maxInFlight ?? 1;
    if (!Number.isInteger(this.maxInFlight) || this.maxInFlight < 1) throw new RangeError('maxInFlight must be a positive integer');
  }

  /** Records waiting for the next INSERT. */
  get queued(): number {
    return this.queue.length;
  }

  /** Resolves once the record is durably journaled; rejects when its INSERT failed (send no reply then). */
  submit(record: AccountingRecord): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('accounting journal stopped'));
    // Unknown Acct-Status-Type: acknowledged and ignored, nothing to make durable.
    if (record.status === 'other') return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      this.schedule();
    });
  }

  /** Refuses new records, waits for the queued ones to commit (or fail). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.inFlight === 0 && this.queue.length === 0 && !this.scheduled) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Starts an INSERT on the next microtask, so the submits of the current tick join it. */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      // Share the queue among the free slots, so a small window still keeps several INSERTs busy.
      const size = Math.min(this.options.maxBatch, Math.ceil(this.queue.length / (this.maxInFlight - this.inFlight)));
      const batch = this.queue.splice(0, size);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
    if (this.inFlight === 0 && this.queue.length === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  private async run(batch: readonly Pending[]): Promise<void> {
    try {
      // One row, one statement in autocommit: one round trip, one WAL flush. A record the rater cannot apply is
      // still isolated alone: the rater bisects the row's records (rater.ts).
      await this.store.append(batch.map((p) => p.record));
    } catch (err) {
      accountingFailures.labels('journal').inc();
      this.logFailure(err, batch.length);
      for (const p of batch) p.reject(err);
      return;
    }
    journaled.inc(batch.length);
    for (const p of batch) p.resolve();
    this.onCommitted();
  }

  private logFailure(err: unknown, records: number): void {
    this.failuresSinceLog++;
    const now = Date.now();
    if (now - this.lastFailureLog < FAILURE_LOG_INTERVAL_MS) return;
    this.log.error(
      { err, records, failedBatches: this.failuresSinceLog },
      'accounting not journaled; not acknowledged (the NAS retransmits)',
    );
    this.lastFailureLog = now;
    this.failuresSinceLog = 0;
  }
}

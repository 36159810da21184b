/**
 * Every access decision goes to the auth log, written in batches: the access path only pushes to an array;
 * a timer (or a full batch) writes them, one transaction per batch. If the database is unavailable the entries
 * wait, up to `maxQueued`; beyond that the oldest are dropped and counted (the decision itself never waits).
 *
 * A timer's write takes what is queued, and goes on only while full batches wait: the entries that arrive while
 * a batch is being written wait for the next tick. Writing them at once, as this did, turned the writer into a
 * loop of small batches back to back (measured: 150 transactions a second instead of 10 at 15,000 decisions a
 * second), each paying its statements' round trips in the daemon and its commit in PostgreSQL.
 *
 * A batch the database refuses for its data is written around the one entry it cannot store (the repository
 * isolates it); that entry is dropped, counted and logged. Retrying the whole batch would stall the log behind
 * one bad entry for good.
 */
import type { AuthLogEntry } from '../domain/types.js';
import type { Logger } from '../observability/logger.js';
import { authLogBacklog, authLogDropped, authLogFailures, authLogRejected, authLogWritten } from '../observability/metrics.js';
import type { AuthLogRejection, AuthLogRepository } from '../domain/ports.js';

export interface AuthLogWriterOptions {
  readonly flushIntervalMs: number;
  readonly batchSize: number;
  readonly maxQueued: number;
}

export class AuthLogWriter {
  private queue: AuthLogEntry[] = [];
  /** Entries taken from the queue by the write in progress (still part of the backlog). */
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private failing = false;

  constructor(
    private readonly repo: AuthLogRepository,
    private readonly options: AuthLogWriterOptions,
    private readonly log: Logger,
  ) {
    // Both series exist at 0 from the start, so the first failure is an increase an alert can see.
    authLogFailures.labels('transient').inc(0);
    authLogFailures.labels('data').inc(0);
  }

  start(): void {
    this.timer = setInterval(() => void this.write(false), this.options.flushIntervalMs);
    this.timer.unref();
  }

  add(entry: AuthLogEntry): void {
    this.queue.push(entry);
    if (this.queue.length > this.options.maxQueued) this.dropOldest();
    if (this.queue.length >= this.options.batchSize && !this.flushing) void this.write(false);
  }

  /**
   * Writes everything queued, including what arrives meanwhile (stop, tests); resolves when written, or when a
   * write failed and the entries were kept (a later tick retries them).
   */
  async flush(): Promise<void> {
    for (;;) {
      if (this.flushing) {
        await this.flushing;
        continue;
      }
      if (this.queue.length === 0) return;
      await this.write(true);
      if (this.failing) return;
    }
  }

  /** One write pass; with `drain`, also entries that arrive during it; without, only full batches after the first. */
  private write(drain: boolean): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.queue.length === 0) return Promise.resolve();
    this.flushing = this.writeAll(drain).finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async writeAll(drain: boolean): Promise<void> {
    let first = true;
    while (this.queue.length > 0 && (first || drain || this.queue.length >= this.options.batchSize)) {
      first = false;
      // Taken out while written, so entries dropped for space meanwhile are never the ones being written.
      const batch = this.queue.splice(0, this.options.batchSize);
      this.inFlight = batch.length;
      this.updateBacklog();
      const unwritten = await this.writeBatch(batch);
      this.inFlight = 0;
      if (unwritten.length > 0) {
        this.queue = unwritten.concat(this.queue);
        if (this.queue.length > this.options.maxQueued) this.dropOldest();
        break;
      }
    }
    this.updateBacklog();
  }

  /**
   * Writes one batch, isolating entries the database refuses. Returns the entries not written because the
   * database is unavailable (empty when the batch is done), in their order.
   */
  private async writeBatch(batch: readonly AuthLogEntry[]): Promise<AuthLogEntry[]> {
    // appendIsolating reports an unavailable database in its outcome; anything it throws is taken as the same.
    const outcome = await this.repo.appendIsolating(batch).catch((err: unknown) => ({ written: 0, rejected: [], refusals: 0, unwritten: batch, failure: err }));
    if (outcome.refusals > 0) authLogFailures.labels('data').inc(outcome.refusals);
    for (const rejection of outcome.rejected) this.reject(rejection);
    if (outcome.written > 0) this.written(outcome.written);
    if (outcome.unwritten.length > 0) this.transientFailure(outcome.failure);
    return [...outcome.unwritten];
  }

  /** Drops an entry the database refuses on its own: its identity and the reason, never its field values. */
  private reject({ entry, reason, code }: AuthLogRejection): void {
    authLogRejected.inc();
    this.log.warn(
      { username: entry.username, nas: entry.nas, at: entry.at, result: entry.result, sqlState: code, reason },
      'auth log entry rejected by the database; dropped, the rest of its batch is written',
    );
  }

  private transientFailure(err: unknown): void {
    authLogFailures.labels('transient').inc();
    if (!this.failing) this.log.error({ err, queued: this.queue.length + this.inFlight }, 'auth log write failed; keeping entries and retrying');
    this.failing = true;
  }

  private written(count: number): void {
    if (this.failing) this.log.info('auth log writes recovered');
    this.failing = false;
    authLogWritten.inc(count);
  }

  private dropOldest(): void {
    const excess = this.queue.length - this.options.maxQueued;
    this.queue.splice(0, excess);
    authLogDropped.inc(excess);
  }

  /** Set per batch rather than per entry: the access path only pushes to an array. */
  private updateBacklog(): void {
    authLogBacklog.set(this.queue.length + this.inFlight);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}

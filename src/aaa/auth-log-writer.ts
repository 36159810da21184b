/**
 * Every access decision goes to the auth log, written in batches: the access path only pushes to an array;
 * a timer (or a full batch) writes them with one multi-row INSERT. If the database is unavailable the entries
 * wait, up to `maxQueued`; beyond that the oldest are dropped and counted (the decision itself never waits).
 *
 * A batch the database refuses for its data (SQLSTATE class 22 or 23) is split in halves, and halves again, until
 * the one entry that cannot be stored fails alone: that entry is dropped, counted and logged, everything around
 * it is written. Retrying the whole batch would stall the log behind one bad entry for good.
 */
import type { AuthLogEntry } from '../domain/types.js';
import type { Logger } from '../observability/logger.js';
import { authLogBacklog, authLogDropped, authLogFailures, authLogRejected, authLogWritten } from '../observability/metrics.js';
import { isDataError, sqlStateOf } from '../store/db-errors.js';
import type { AuthLogRepository } from '../domain/ports.js';

export interface AuthLogWriterOptions {
  readonly flushIntervalMs: number;
  readonly batchSize: number;
  readonly maxQueued: number;
}

/** A run of entries still to write; `refused` holds the data error it failed with as a whole, if it did. */
interface Pending {
  readonly entries: readonly AuthLogEntry[];
  refused?: unknown;
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
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  add(entry: AuthLogEntry): void {
    this.queue.push(entry);
    if (this.queue.length > this.options.maxQueued) this.dropOldest();
    if (this.queue.length >= this.options.batchSize && !this.flushing) void this.flush();
  }

  /** Writes what is queued; resolves when written (or when the write failed and the entries were kept). */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.queue.length === 0) return Promise.resolve();
    this.flushing = this.writeAll().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async writeAll(): Promise<void> {
    while (this.queue.length > 0) {
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
    const work: Pending[] = [{ entries: batch }];
    while (work.length > 0) {
      const next = work[0] as Pending;
      if (next.refused !== undefined) {
        work.shift();
        work.unshift(...this.split(next));
        continue;
      }
      try {
        await this.repo.append(next.entries);
      } catch (err) {
        if (!isDataError(err)) {
          this.transientFailure(err);
          return work.flatMap((p) => p.entries);
        }
        authLogFailures.labels('data').inc();
        next.refused = err;
        continue;
      }
      work.shift();
      this.written(next.entries.length);
    }
    return [];
  }

  /** The halves of a refused run; a single refused entry is rejected and leaves nothing to write. */
  private split(refused: Pending): Pending[] {
    const { entries } = refused;
    if (entries.length === 1) {
      this.reject(entries[0] as AuthLogEntry, refused.refused);
      return [];
    }
    const mid = Math.ceil(entries.length / 2);
    return [{ entries: entries.slice(0, mid) }, { entries: entries.slice(mid) }];
  }

  /** Drops an entry the database refuses on its own: its identity and the reason, never its field values. */
  private reject(entry: AuthLogEntry, err: unknown): void {
    authLogRejected.inc();
    const reason = err instanceof Error ? err.message : String(err);
    this.log.warn(
      { username: entry.username, nas: entry.nas, at: entry.at, result: entry.result, sqlState: sqlStateOf(err), reason },
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

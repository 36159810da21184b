/**
 * Every access decision goes to the auth log, written in batches: the access path only pushes to an array;
 * a timer (or a full batch) writes them with one multi-row INSERT. If the database is unavailable the entries
 * wait, up to `maxQueued`; beyond that the oldest are dropped and counted (the decision itself never waits).
 */
import type { AuthLogEntry } from '../domain/types.js';
import type { Logger } from '../observability/logger.js';
import { authLogDropped, authLogWritten } from '../observability/metrics.js';
import type { AuthLogRepository } from '../store/ports.js';

export interface AuthLogWriterOptions {
  readonly flushIntervalMs: number;
  readonly batchSize: number;
  readonly maxQueued: number;
}

export class AuthLogWriter {
  private queue: AuthLogEntry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private failing = false;

  constructor(
    private readonly repo: AuthLogRepository,
    private readonly options: AuthLogWriterOptions,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  add(entry: AuthLogEntry): void {
    this.queue.push(entry);
    if (this.queue.length > this.options.maxQueued) {
      const excess = this.queue.length - this.options.maxQueued;
      this.queue.splice(0, excess);
      authLogDropped.inc(excess);
    }
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
      const batch = this.queue.slice(0, this.options.batchSize);
      try {
        await this.repo.append(batch);
      } catch (err) {
        if (!this.failing) this.log.error({ err, queued: this.queue.length }, 'auth log write failed; keeping entries and retrying');
        this.failing = true;
        return;
      }
      if (this.failing) this.log.info('auth log writes recovered');
      this.failing = false;
      this.queue.splice(0, batch.length);
      authLogWritten.inc(batch.length);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}

/**
 * Auth log retention: deletes entries older than `retentionDays`, oldest first, in bounded chunks, so a pass
 * never holds long locks or writes a burst of WAL. Run by the housekeeping pass of every admin instance (chunks
 * of concurrent passes skip what another already deleted).
 */
import type { AuthLogRepository } from '../domain/ports.js';

export interface RetentionOptions {
  readonly retentionDays: number;
  /** Rows per DELETE. */
  readonly chunk?: number;
  /** DELETEs per pass at most (the next pass goes on). */
  readonly maxChunks?: number;
}

/** Deletes what is due (up to chunk × maxChunks rows); returns how many rows went. 0 days = keep for ever. */
export async function pruneAuthLog(repo: Pick<AuthLogRepository, 'deleteOlderThan'>, options: RetentionOptions, now = new Date()): Promise<number> {
  if (options.retentionDays <= 0) return 0;
  const chunk = options.chunk ?? 10_000;
  const maxChunks = options.maxChunks ?? 100;
  const cutoff = new Date(now.getTime() - options.retentionDays * 86_400_000).toISOString();
  let deleted = 0;
  for (let i = 0; i < maxChunks; i++) {
    const n = await repo.deleteOlderThan(cutoff, chunk);
    deleted += n;
    if (n < chunk) break;
  }
  return deleted;
}

/**
 * How many RADIUS processes an instance runs, and why: the start-up log line says both, so an operator can tell a
 * default from their own setting. An explicit `radius.workers` (or TOLLGATE_WORKERS) wins; unset, an instance on
 * PostgreSQL uses every core (one worker per core), and the embedded database keeps one process, since PGlite
 * lives in the process that opened it. Pure: the caller passes the core count (os.availableParallelism()).
 */
import type { Config } from './schema.js';

export interface WorkerCount {
  /** Processes serving RADIUS: 1 = the single process, more = a primary and that many cluster workers. */
  readonly count: number;
  /** `explicit`: radius.workers was set; `default`: derived from the database in use and the cores. */
  readonly source: 'explicit' | 'default';
  /** Why this count, for the log line. */
  readonly reason: string;
}

export function workerCount(config: Pick<Config, 'radius' | 'database'>, cores: number): WorkerCount {
  const perCore = Math.max(1, Math.min(64, Math.floor(cores)));
  const set = config.radius.workers;
  if (set !== undefined) {
    return set === 0
      ? { count: perCore, source: 'explicit', reason: `radius.workers 0: one per core (${perCore})` }
      : { count: set, source: 'explicit', reason: `radius.workers ${set}` };
  }
  return config.database.url !== undefined
    ? { count: perCore, source: 'default', reason: `one per core (${perCore}) on PostgreSQL (database.url)` }
    : { count: 1, source: 'default', reason: 'one process: the embedded database lives in one process' };
}

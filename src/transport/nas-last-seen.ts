/**
 * When each NAS client last sent a request that passed the authenticity checks, for the console's NAS status
 * (GET /api/v1/nas-status). The request path only stores Date.now() on the client (NasClient.lastSeenMs); this
 * timer writes what moved to the database every `intervalMs` (30 s by default), so the per-request cost stays one
 * clock read, and every RADIUS process (each cluster worker) writes its own sightings: whichever instance answers
 * the API reads the newest from the database. A client table replaced by a reload hands its times over first.
 */
import type { NasSighting } from '../domain/console.js';
import type { Logger } from '../observability/logger.js';
import type { NasClient } from './nas-table.js';

/** Stores sightings (the newest wins); see ConsoleRepository.recordNasSightings. */
export type RecordSightings = (sightings: readonly NasSighting[]) => Promise<void>;

export const LAST_SEEN_INTERVAL_MS = 30_000;

export class NasLastSeen {
  /** What was last written (or handed over), by client key: wall-clock ms. */
  private readonly written = new Map<string, number>();
  /** Sightings of clients no longer in the table, not yet written. */
  private readonly retired = new Map<string, NasSighting>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly clients: () => readonly NasClient[],
    private readonly record: RecordSightings,
    private readonly log: Logger,
    private readonly intervalMs = LAST_SEEN_INTERVAL_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  /** Keeps the unwritten times of a table about to be replaced (a reload builds new NasClient objects). */
  retire(clients: readonly NasClient[]): void {
    for (const c of clients) {
      const s = this.pendingOf(c);
      if (s) this.retired.set(c.key, s);
    }
  }

  /** Writes every sighting newer than the last written one; a failure is logged and retried next time. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /** Stops the timer after a last write. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private pendingOf(c: NasClient): NasSighting | undefined {
    if (c.lastSeenMs === 0 || c.lastSeenMs <= (this.written.get(c.key) ?? 0)) return undefined;
    return { ...(c.id === undefined ? {} : { id: c.id }), address: c.address, name: c.name, at: new Date(c.lastSeenMs) };
  }

  private async write(): Promise<void> {
    const batch = new Map(this.retired);
    for (const c of this.clients()) {
      const s = this.pendingOf(c);
      if (s) batch.set(c.key, s);
    }
    if (batch.size === 0) return;
    try {
      await this.record([...batch.values()]);
      for (const [key, s] of batch) {
        this.written.set(key, Math.max(this.written.get(key) ?? 0, s.at.getTime()));
        if (this.retired.get(key) === s) this.retired.delete(key);
      }
    } catch (err) {
      this.log.warn({ err, clients: batch.size }, 'could not store when the NAS clients were last seen; retrying at the next interval');
    }
  }
}

/**
 * Subscriber snapshots for the access path, in three tiers: this process's memory (warmed from PostgreSQL at
 * start-up, bounded), the shared snapshots (Redis: survive restarts, shared by instances), and PostgreSQL only
 * on a miss of both. Changes arrive as ChangeEvents on the change feed and refresh every instance.
 * Unknown usernames are remembered briefly so a flood of bad logins does not become a flood of SQL.
 * A username the database cannot even compare (a data exception, SQLSTATE class 22) is unknown too: it names no
 * subscriber, and the NAS gets an Access-Reject rather than silence.
 */
import type { SubscriberSnapshot } from '../domain/types.js';
import type { Logger } from '../observability/logger.js';
import type { ChangeEvent, ChangeSource, SharedSnapshots, SubscriberLookup, SubscriberRepository } from '../domain/ports.js';

/** What the directory reads from the database. */
export type DirectoryRepository = Pick<SubscriberRepository, 'snapshot' | 'snapshotsOfAccount' | 'snapshotBatches'> & SubscriberLookup;

export interface SubscriberEntry {
  readonly snapshot: SubscriberSnapshot;
  readonly cleartext: Buffer | undefined;
  readonly ntHash: Buffer | undefined;
}

export interface DirectoryOptions {
  /** Most snapshots kept in this process (warm-up stops there; beyond it, least recently loaded go first). */
  readonly maxEntries: number;
  /** Seconds an unknown username is remembered as unknown. */
  readonly negativeTtlSeconds: number;
  /** Seconds a snapshot lives in the shared cache. */
  readonly sharedTtlSeconds: number;
}

function entryOf(snapshot: SubscriberSnapshot): SubscriberEntry {
  return {
    snapshot,
    cleartext: snapshot.password !== null ? Buffer.from(snapshot.password, 'utf8') : undefined,
    ntHash: snapshot.ntHash !== null ? Buffer.from(snapshot.ntHash, 'hex') : undefined,
  };
}

export class SubscriberDirectory {
  private entries = new Map<string, SubscriberEntry>();
  private readonly unknown = new Map<string, number>();
  /** In-flight loads, so concurrent requests for one cold username cost one query. */
  private readonly loading = new Map<string, Promise<SubscriberEntry | undefined>>();
  private stats = { memoryHits: 0, sharedHits: 0, databaseLoads: 0 };

  constructor(
    private readonly repo: DirectoryRepository,
    private readonly shared: SharedSnapshots,
    private readonly options: DirectoryOptions,
    private readonly log: Logger,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  counters(): Readonly<typeof this.stats> {
    return this.stats;
  }

  /** Loads every snapshot (up to maxEntries) into memory; returns how many and how long it took. */
  async warm(batchSize = 10_000): Promise<{ count: number; ms: number }> {
    const started = performance.now();
    const count = await this.loadAll(this.entries, batchSize);
    return { count, ms: Math.round(performance.now() - started) };
  }

  /**
   * Reloads every snapshot from PostgreSQL and swaps the whole set in (lookups meanwhile use the old one):
   * after change events may have been lost (the change channel was down).
   */
  async resync(batchSize = 10_000): Promise<{ count: number; ms: number }> {
    const started = performance.now();
    const fresh = new Map<string, SubscriberEntry>();
    const count = await this.loadAll(fresh, batchSize);
    this.entries = fresh;
    this.unknown.clear();
    return { count, ms: Math.round(performance.now() - started) };
  }

  private async loadAll(into: Map<string, SubscriberEntry>, batchSize: number): Promise<number> {
    let count = 0;
    for await (const batch of this.repo.snapshotBatches(batchSize)) {
      for (const s of batch) {
        if (into.size >= this.options.maxEntries) break;
        into.set(s.username, entryOf(s));
        count++;
      }
      if (into.size >= this.options.maxEntries) break;
    }
    return count;
  }

  /** The entry for a username: synchronously when in memory, else a promise (shared cache, then PostgreSQL). */
  get(username: string): SubscriberEntry | undefined | Promise<SubscriberEntry | undefined> {
    const hit = this.entries.get(username);
    if (hit) {
      this.stats.memoryHits++;
      return hit;
    }
    const until = this.unknown.get(username);
    if (until !== undefined) {
      if (until > Date.now()) return undefined;
      this.unknown.delete(username);
    }
    let pending = this.loading.get(username);
    if (!pending) {
      pending = this.load(username).finally(() => this.loading.delete(username));
      this.loading.set(username, pending);
    }
    return pending;
  }

  private async load(username: string): Promise<SubscriberEntry | undefined> {
    // The shared cache is an optimisation: while it is away (Redis down) PostgreSQL answers.
    const shared = await this.shared.get(username).catch(() => null);
    if (shared) {
      this.stats.sharedHits++;
      const entry = entryOf(shared);
      this.remember(entry);
      return entry;
    }
    this.stats.databaseLoads++;
    const snapshot = await this.lookup(username);
    if (!snapshot) {
      if (this.unknown.size > 100_000) this.unknown.clear();
      this.unknown.set(username, Date.now() + this.options.negativeTtlSeconds * 1000);
      return undefined;
    }
    await this.shared.put(snapshot, this.options.sharedTtlSeconds).catch(() => undefined);
    const entry = entryOf(snapshot);
    this.remember(entry);
    return entry;
  }

  /** The snapshot from PostgreSQL; a username it refuses as data is not found (other errors are thrown). */
  private async lookup(username: string): Promise<SubscriberSnapshot | undefined> {
    const found = await this.repo.lookup(username);
    if (found.kind === 'found') return found.snapshot;
    if (found.kind === 'refused') this.log.warn({ username, sqlState: found.code, reason: found.reason }, 'username refused by the database; treated as unknown');
    return undefined;
  }

  private remember(entry: SubscriberEntry): void {
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(entry.snapshot.username, entry);
  }

  /** Applies a change published by any instance: drops what it affects and reloads it from PostgreSQL. */
  async apply(event: ChangeEvent): Promise<void> {
    switch (event.kind) {
      case 'subscriber':
        for (const u of event.usernames) await this.refresh(u);
        return;
      case 'account': {
        const snapshots = await this.repo.snapshotsOfAccount(event.id);
        for (const s of snapshots) this.entries.set(s.username, entryOf(s));
        return;
      }
      case 'tariff': {
        // A tariff change touches every subscriber on it: refresh those held here.
        const affected = [...this.entries.values()].filter((e) => e.snapshot.tariff?.id === event.id).map((e) => e.snapshot.username);
        for (const u of affected) await this.refresh(u);
        return;
      }
      case 'nas':
        return;
    }
  }

  private async refresh(username: string): Promise<void> {
    this.unknown.delete(username);
    const snapshot = await this.repo.snapshot(username);
    if (snapshot) this.entries.set(username, entryOf(snapshot));
    else this.entries.delete(username);
  }

  /**
   * Follows the change feed; every instance runs this at start-up. When the feed comes back after an outage,
   * every snapshot is reloaded (the changes published meanwhile were lost) and `onResynced` runs.
   */
  async follow(changes: ChangeSource, onResynced: () => void = () => undefined): Promise<void> {
    changes.onResync(() => {
      this.log.info('change channel back after an outage: reloading every subscriber snapshot');
      this.resync().then(
        (r) => {
          this.log.info(r, 'subscriber snapshots reloaded');
          onResynced();
        },
        (err: unknown) => this.log.error({ err }, 'could not reload subscriber snapshots; changes made during the outage may be missed until the next change'),
      );
    });
    await changes.subscribe((event) => {
      this.apply(event).catch((err: unknown) => this.log.error({ err, event }, 'could not apply a change event; the snapshot may be stale until the next change'));
    });
  }
}

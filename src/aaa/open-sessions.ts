/**
 * Simultaneous-Use from memory: the open sessions of every subscriber, held in each process next to the
 * subscriber snapshots, so the access path counts them without SQL.
 *
 * Where the counts come from. Loaded at start from the store (the sessions the counting query counts), then kept
 * by the `sessions` change event that the rater publishes after each committed rating pass (which sessions it
 * opened, refreshed or closed, and which NAS sent Accounting-On/Off). Every instance follows the feed; after a
 * feed outage the counts are reloaded, and until the reload ends every check asks the database.
 *
 * Why a reject is confirmed. Memory can only be behind the database. A count below the limit is answered at
 * once: the database would answer the same, give or take the few milliseconds an event takes to arrive (the
 * same window in which two logins race the SQL check). A count at or over the limit is asked of the database
 * (one indexed query, coalesced per username) and memory takes the answer: a session whose Stop was missed, or
 * whose event never came, costs one query instead of a false reject.
 *
 * Stale sessions are not counted, here or in the query: a session not heard from within its NAS's stale limit
 * (aaa/stale-limits.ts, the stale sweep's too: its Stop was lost) or from before its NAS's latest
 * Accounting-On/Off. Memory keeps a session counted for MEMORY_MARGIN_SECONDS longer than the query does, so a
 * clock difference between this process and the database makes a confirmation, never an under-count.
 */
import type { ChangeSource, OpenSession, SessionChanges, SessionRepository, StaleLimits } from '../domain/ports.js';
import type { Logger } from '../observability/logger.js';
import { simultaneousUseChecks, simultaneousUseOverturned, Tally } from '../observability/metrics.js';

export type OpenSessionsRepository = Pick<SessionRepository, 'countedSessions' | 'allCountedSessions'>;

export interface OpenSessionsOptions {
  /** The stale limits as they are now (a reload or a NAS change may change them). */
  readonly staleLimits: () => StaleLimits;
  /** The clock, ms since the epoch (tests). */
  readonly now?: () => number;
  /** Wait before a failed reload is tried again (default 5 s). */
  readonly retryMs?: number;
}

/** Seconds memory counts a silent session beyond the database's stale limit (clock differences). */
export const MEMORY_MARGIN_SECONDS = 60;
/** How often sessions past the stale limit are forgotten (a walk over every session held). */
const PRUNE_EVERY_MS = 5 * 60_000;

/** The oldest updatedAt (seconds since the epoch) still counted for a session of this NAS. */
type Freshness = (nas: string) => number;

interface Entry {
  readonly id: number;
  nas: string;
  /** Seconds since the epoch, rounded up. */
  updatedAt: number;
}

/**
 * The sessions by username (a few each). A session is named by its id and its username together: an event can
 * only ever touch the subscriber it names.
 */
class SessionTable {
  private readonly byUser = new Map<string, Entry[]>();
  private count_ = 0;

  get size(): number {
    return this.count_;
  }

  put(id: number, username: string, nas: string, updatedAt: number): void {
    const list = this.byUser.get(username);
    const known = list?.find((e) => e.id === id);
    if (known !== undefined) {
      known.nas = nas;
      // Events of one session arrive in rating order; a load may still bring an older view of it.
      if (updatedAt > known.updatedAt) known.updatedAt = updatedAt;
      return;
    }
    const entry: Entry = { id, nas, updatedAt };
    if (list === undefined) this.byUser.set(username, [entry]);
    else list.push(entry);
    this.count_++;
  }

  /** Whether the session was held. */
  remove(id: number, username: string): boolean {
    const list = this.byUser.get(username);
    if (list === undefined) return false;
    const rest = list.filter((e) => e.id !== id);
    if (rest.length === list.length) return false;
    if (rest.length === 0) this.byUser.delete(username);
    else this.byUser.set(username, rest);
    this.count_--;
    return true;
  }

  /** Drops every session of the NAS (its Accounting-On/Off closed them all). Rare: a walk over every session. */
  removeNas(nas: string): void {
    for (const [username, list] of this.byUser) {
      const rest = list.filter((e) => e.nas !== nas);
      if (rest.length === list.length) continue;
      this.count_ -= list.length - rest.length;
      if (rest.length === 0) this.byUser.delete(username);
      else this.byUser.set(username, rest);
    }
  }

  /** Drops the sessions not fresh (not counted; an event brings one back if it lives). */
  prune(fresh: Freshness): number {
    let dropped = 0;
    for (const [username, list] of this.byUser) {
      const rest = list.filter((e) => e.updatedAt >= fresh(e.nas));
      if (rest.length === list.length) continue;
      dropped += list.length - rest.length;
      if (rest.length === 0) this.byUser.delete(username);
      else this.byUser.set(username, rest);
    }
    this.count_ -= dropped;
    return dropped;
  }

  replaceUser(username: string, sessions: readonly OpenSession[]): void {
    this.count_ -= this.byUser.get(username)?.length ?? 0;
    this.byUser.delete(username);
    for (const s of sessions) this.put(s.id, s.username, s.nas, s.updatedAt);
  }

  /** Sessions of `username` heard from at or after the freshness bound of their NAS. */
  count(username: string, fresh: Freshness): number {
    const list = this.byUser.get(username);
    if (list === undefined) return 0;
    let n = 0;
    for (const e of list) if (e.updatedAt >= fresh(e.nas)) n++;
    return n;
  }

  apply(changes: SessionChanges): void {
    for (const nas of changes.nasRestarts) this.removeNas(nas);
    for (const [id, username] of changes.closed) this.remove(id, username);
    for (const [id, username, nas, updatedAt] of changes.open) this.put(id, username, nas, updatedAt);
  }
}

const fromMemory = Tally.of(simultaneousUseChecks, 'memory');
const fromDatabase = Tally.of(simultaneousUseChecks, 'database');
const overturned = Tally.of(simultaneousUseOverturned);

interface Confirmation {
  readonly result: Promise<number>;
  /** An event or a load changed the user's sessions while the query ran: its answer may be older than memory. */
  touched: boolean;
}

export class OpenSessions {
  private table = new SessionTable();
  /** The table a load is filling: events go to it too, so none is lost while it loads. */
  private loading: SessionTable | null = null;
  /** Memory follows the feed (false before the first load and from a feed outage until the reload). */
  private trusted = false;
  private readonly confirming = new Map<string, Confirmation>();
  private retry: NodeJS.Timeout | null = null;
  private pruner: NodeJS.Timeout | null = null;
  /** Loads started (the latest one's table is the one swapped in). */
  private loads = 0;
  private stopped = false;
  private readonly now: () => number;

  constructor(
    private readonly repo: OpenSessionsRepository,
    private readonly options: OpenSessionsOptions,
    private readonly log: Pick<Logger, 'info' | 'warn' | 'error'>,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Sessions held. */
  get size(): number {
    return this.table.size;
  }

  /** Whether checks are answered from memory (false: every check asks the database). */
  get isTrusted(): boolean {
    return this.trusted;
  }

  /**
   * Whether `username` may open another session under `limit`: synchronously from memory when it holds fewer,
   * else (or while memory is not trusted) by the database's count, which memory then takes.
   */
  admits(username: string, limit: number): boolean | Promise<boolean> {
    const memory = this.trusted;
    if (memory && this.count(username) < limit) {
      fromMemory.inc();
      return true;
    }
    fromDatabase.inc();
    return this.confirm(username).then((n) => {
      if (n >= limit) return false;
      if (memory) overturned.inc();
      return true;
    });
  }

  /** The sessions memory counts for `username` now. */
  count(username: string): number {
    return this.table.count(username, this.freshness());
  }

  /**
   * Forgets the sessions no longer counted (the stale sweep closes them without an event, so nothing else
   * would); follow() runs it every PRUNE_EVERY_MS. Returns how many.
   */
  prune(): number {
    return this.table.prune(this.freshness());
  }

  /** The oldest updatedAt (seconds) still counted, per NAS. */
  private freshness(): Freshness {
    const limits = this.options.staleLimits();
    const bound = Math.floor(this.now() / 1000) - MEMORY_MARGIN_SECONDS;
    const byDefault = bound - limits.defaultSeconds;
    return (nas) => (Object.hasOwn(limits.byNas, nas) ? bound - (limits.byNas[nas] as number) : byDefault);
  }

  /** Applies one rating pass's changes (every instance, in publish order). */
  apply(changes: SessionChanges): void {
    this.loading?.apply(changes);
    if (this.confirming.size === 0) {
      this.table.apply(changes);
      return;
    }
    // A confirmation running for a user this changes may answer from before it: memory keeps its own view.
    for (const nas of changes.nasRestarts) this.table.removeNas(nas);
    if (changes.nasRestarts.length > 0) this.touchAll();
    for (const [id, username] of changes.closed) {
      this.table.remove(id, username);
      this.touch(username);
    }
    for (const [id, username, nas, updatedAt] of changes.open) {
      this.table.put(id, username, nas, updatedAt);
      this.touch(username);
    }
  }

  /**
   * Loads every counted session from the store and swaps the set in (checks meanwhile use the old one, or the
   * database before the first load). Returns how many and how long it took.
   */
  async load(): Promise<{ sessions: number; ms: number }> {
    const started = performance.now();
    const next = new SessionTable();
    const generation = ++this.loads;
    this.loading = next;
    try {
      for (const s of await this.repo.allCountedSessions(this.options.staleLimits())) next.put(s.id, s.username, s.nas, s.updatedAt);
    } finally {
      if (this.loading === next) this.loading = null;
    }
    // A later load (another outage came meanwhile) started after this one read: its answer is the one to keep.
    if (generation !== this.loads) return { sessions: this.table.size, ms: Math.round(performance.now() - started) };
    this.table = next;
    this.trusted = true;
    this.touchAll();
    return { sessions: next.size, ms: Math.round(performance.now() - started) };
  }

  /**
   * Follows the change feed (subscribe before the first load: an event published meanwhile reaches the table
   * being loaded). After a feed outage, memory is not trusted until it is reloaded.
   */
  async follow(changes: ChangeSource): Promise<void> {
    changes.onResync(() => {
      this.trusted = false;
      this.log.info('change channel back after an outage: Simultaneous-Use asks the database until open sessions are reloaded');
      this.reload();
    });
    await changes.subscribe((event) => {
      if (event.kind === 'sessions') this.apply(event);
    });
    if (this.pruner === null && !this.stopped) {
      this.pruner = setInterval(() => this.prune(), PRUNE_EVERY_MS);
      this.pruner.unref();
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    if (this.pruner) clearInterval(this.pruner);
    this.pruner = null;
  }

  private reload(): void {
    if (this.stopped) return;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.load().then(
      (r) => this.log.info(r, 'open sessions reloaded'),
      (err: unknown) => {
        this.log.error({ err }, 'could not reload open sessions; Simultaneous-Use asks the database until a reload succeeds');
        if (this.stopped) return;
        this.retry = setTimeout(() => this.reload(), this.options.retryMs ?? 5000);
        this.retry.unref();
      },
    );
  }

  /** The database's count of `username`'s sessions; memory takes the answer unless it changed meanwhile. */
  private confirm(username: string): Promise<number> {
    const running = this.confirming.get(username);
    if (running !== undefined) return running.result;
    const c: Confirmation = {
      touched: false,
      result: this.repo
        .countedSessions(username, this.options.staleLimits())
        .then((sessions) => {
          if (!c.touched && this.trusted) this.table.replaceUser(username, sessions);
          return sessions.length;
        })
        .finally(() => this.confirming.delete(username)),
    };
    this.confirming.set(username, c);
    return c.result;
  }

  private touch(username: string): void {
    const c = this.confirming.get(username);
    if (c !== undefined) c.touched = true;
  }

  private touchAll(): void {
    for (const c of this.confirming.values()) c.touched = true;
  }
}

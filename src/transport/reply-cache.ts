/**
 * Duplicate detection (RFC 5080 §2.2.2): a request with the same source address, port, Identifier and
 * Request Authenticator as one seen within `ttlMs` is a retransmission. If its reply was sent, the same
 * bytes are sent again; if it is still being processed, the copy is dropped. A changed authenticator is a
 * new request (for accounting, a new Acct-Delay-Time): it replaces the entry.
 *
 * Entries live in a Map per source address keyed by a number (port · 256 + Identifier), so a packet costs no
 * string building; a FIFO of entries in arrival order lets expiry stop at the first live one.
 */
export interface CacheEntry {
  /** A view into the request datagram (each datagram is its own allocation, so this keeps ~a packet alive). */
  readonly authenticator: Buffer;
  reply: Buffer | null;
  readonly at: number;
  readonly key: number;
  readonly bySource: Map<number, CacheEntry>;
}

export type Lookup =
  | { readonly kind: 'new'; readonly entry: CacheEntry | null }
  | { readonly kind: 'replay'; readonly reply: Buffer }
  | { readonly kind: 'in-progress' };

const IN_PROGRESS: Lookup = { kind: 'in-progress' };
const UNCACHED: Lookup = { kind: 'new', entry: null };

export class ReplyCache {
  private readonly sources = new Map<string, Map<number, CacheEntry>>();
  private fifo: CacheEntry[] = [];
  private head = 0;
  private count = 0;

  constructor(private readonly ttlMs: number, private readonly maxEntries = 1_000_000) {}

  get size(): number {
    return this.count;
  }

  /** Registers the request unless it is a duplicate. `entry` is null when caching is off (ttl 0). */
  begin(address: string, port: number, identifier: number, authenticator: Buffer, now: number): Lookup {
    if (this.ttlMs === 0) return UNCACHED;
    let bySource = this.sources.get(address);
    if (!bySource) this.sources.set(address, (bySource = new Map<number, CacheEntry>()));
    const key = port * 256 + identifier;
    const existing = bySource.get(key);
    if (existing && now - existing.at < this.ttlMs && existing.authenticator.equals(authenticator)) {
      return existing.reply ? { kind: 'replay', reply: existing.reply } : IN_PROGRESS;
    }
    if (existing) this.remove(existing);
    if (this.count >= this.maxEntries) this.evictOldest();
    const entry: CacheEntry = { authenticator, reply: null, at: now, key, bySource };
    bySource.set(key, entry);
    this.fifo.push(entry);
    this.count++;
    return { kind: 'new', entry };
  }

  /** Forgets a request that got no reply (dropped or failed), so the NAS's retransmission is processed. */
  abandon(entry: CacheEntry | null): void {
    if (entry) this.remove(entry);
  }

  sweep(now: number): void {
    while (this.head < this.fifo.length) {
      const e = this.fifo[this.head] as CacheEntry;
      if (now - e.at < this.ttlMs) break;
      this.remove(e);
      this.head++;
    }
    this.compact();
  }

  private remove(entry: CacheEntry): void {
    if (entry.bySource.get(entry.key) === entry) {
      entry.bySource.delete(entry.key);
      this.count--;
    }
  }

  private evictOldest(): void {
    while (this.head < this.fifo.length) {
      const e = this.fifo[this.head++] as CacheEntry;
      if (e.bySource.get(e.key) === e) {
        this.remove(e);
        break;
      }
    }
    this.compact();
  }

  /** Drops the consumed front of the FIFO (and empty per-source maps) once it is large. */
  private compact(): void {
    if (this.head > 4096 && this.head * 2 > this.fifo.length) {
      this.fifo = this.fifo.slice(this.head);
      this.head = 0;
      for (const [address, m] of this.sources) if (m.size === 0) this.sources.delete(address);
    }
  }
}

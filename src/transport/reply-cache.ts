/**
 * Duplicate detection (RFC 5080 §2.2.2): a request with the same source address, port, Identifier and
 * Request Authenticator as one seen within `ttlMs` is a retransmission. If its reply was sent, the same
 * bytes are sent again; if it is still being processed, the copy is dropped. A changed authenticator is a
 * new request (for accounting, a new Acct-Delay-Time): it replaces the entry.
 *
 * Entries live in a Map per source address keyed by a number (port · 256 + Identifier), so a packet costs no
 * string building; a FIFO of entries in arrival order lets expiry stop at the first live one.
 *
 * An entry holds only what a retransmission needs: the request's digest and the reply's bytes. The digest is the
 * Request Authenticator, copied into four integers: it is random and unique per request for Access-Request
 * (RFC 2865 §3) and an MD5 of the whole packet for Accounting-Request (RFC 2866 §3), so it tells a retransmission
 * from a new request with the same Identifier — and, unlike a view into the datagram, it keeps no receive buffer
 * alive. The cache is bounded by the bytes it holds; an entry replaced, evicted or expired drops its reply at once
 * (the FIFO may keep the emptied entry a while), and each is counted.
 */
export interface CacheEntry {
  readonly a0: number;
  readonly a1: number;
  readonly a2: number;
  readonly a3: number;
  /** Set through ReplyCache.complete (which accounts for its bytes); null while in progress and once removed. */
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

/**
 * What an entry costs besides its reply: the entry object, its slots in the per-source Map and in the FIFO (an
 * estimate, rounded up; the bound is about memory, not exact accounting).
 */
export const ENTRY_OVERHEAD_BYTES = 160;

/**
 * The bound of one cache (one per listening socket) when none is given. There is no config key for it: at
 * ~250 bytes per answered request it holds about 500,000 requests, 100,000 requests/s over the default
 * 5 s `radius.replyCacheSeconds`, far beyond what one process answers.
 */
export const DEFAULT_MAX_BYTES = 128 * 1024 * 1024;

export interface ReplyCacheStats {
  /** Bytes held: replies plus ENTRY_OVERHEAD_BYTES per entry. */
  readonly bytes: number;
  /** Entries replaced by a new request with the same source, port and Identifier. */
  readonly replaced: number;
  /** Entries evicted, oldest first, to stay within the byte bound. */
  readonly evicted: number;
  /** Entries expired after the ttl. */
  readonly expired: number;
}

export class ReplyCache {
  private readonly sources = new Map<string, Map<number, CacheEntry>>();
  private fifo: CacheEntry[] = [];
  private head = 0;
  private count = 0;
  private bytes = 0;
  private replaced = 0;
  private evicted = 0;
  private expired = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxBytes = DEFAULT_MAX_BYTES,
  ) {}

  get size(): number {
    return this.count;
  }

  get stats(): ReplyCacheStats {
    return { bytes: this.bytes, replaced: this.replaced, evicted: this.evicted, expired: this.expired };
  }

  /** Registers the request unless it is a duplicate. `entry` is null when caching is off (ttl 0). */
  begin(address: string, port: number, identifier: number, authenticator: Buffer, now: number): Lookup {
    if (this.ttlMs === 0) return UNCACHED;
    let bySource = this.sources.get(address);
    if (!bySource) this.sources.set(address, (bySource = new Map<number, CacheEntry>()));
    const key = port * 256 + identifier;
    const a0 = authenticator.readUInt32BE(0);
    const a1 = authenticator.readUInt32BE(4);
    const a2 = authenticator.readUInt32BE(8);
    const a3 = authenticator.readUInt32BE(12);
    const existing = bySource.get(key);
    if (existing) {
      if (now - existing.at < this.ttlMs && existing.a0 === a0 && existing.a1 === a1 && existing.a2 === a2 && existing.a3 === a3) {
        return existing.reply ? { kind: 'replay', reply: existing.reply } : IN_PROGRESS;
      }
      this.remove(existing);
      this.replaced++;
    }
    this.makeRoom(ENTRY_OVERHEAD_BYTES, undefined);
    const entry: CacheEntry = { a0, a1, a2, a3, reply: null, at: now, key, bySource };
    bySource.set(key, entry);
    this.fifo.push(entry);
    this.count++;
    this.bytes += ENTRY_OVERHEAD_BYTES;
    return { kind: 'new', entry };
  }

  /** Keeps the reply sent for a request, for its retransmissions (unless the entry was removed meanwhile). */
  complete(entry: CacheEntry | null, reply: Buffer): void {
    if (!entry || !this.holds(entry) || entry.reply) return;
    if (ENTRY_OVERHEAD_BYTES + reply.length > this.maxBytes) {
      // Larger than the whole cache can hold: forget the request rather than empty the cache for it.
      this.remove(entry);
      this.evicted++;
      return;
    }
    this.makeRoom(reply.length, entry);
    entry.reply = reply;
    this.bytes += reply.length;
  }

  /** Forgets a request that got no reply (dropped or failed), so the NAS's retransmission is processed. */
  abandon(entry: CacheEntry | null): void {
    if (entry) this.remove(entry);
  }

  sweep(now: number): void {
    while (this.head < this.fifo.length) {
      const e = this.fifo[this.head] as CacheEntry;
      if (now - e.at < this.ttlMs) break;
      if (this.remove(e)) this.expired++;
      this.head++;
    }
    this.compact();
  }

  private holds(entry: CacheEntry): boolean {
    return entry.bySource.get(entry.key) === entry;
  }

  /** Removes a live entry and frees its reply; false when it was already gone. */
  private remove(entry: CacheEntry): boolean {
    if (!this.holds(entry)) return false;
    entry.bySource.delete(entry.key);
    this.count--;
    this.bytes -= ENTRY_OVERHEAD_BYTES + (entry.reply?.length ?? 0);
    entry.reply = null;
    return true;
  }

  /** Evicts the oldest entries (never `keep`) until `more` bytes fit in the bound. */
  private makeRoom(more: number, keep: CacheEntry | undefined): void {
    while (this.bytes + more > this.maxBytes && this.head < this.fifo.length) {
      const e = this.fifo[this.head] as CacheEntry;
      // The oldest is this request itself: it stays, over the bound by its reply until the next request makes room.
      if (e === keep) break;
      this.head++;
      if (this.remove(e)) this.evicted++;
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

/**
 * Duplicate detection (RFC 5080 §2.2.2): a request with the same source address, port, Identifier and
 * Request Authenticator as one seen within `ttlMs` is a retransmission. If its reply was sent, the same
 * bytes are sent again; if it is still being processed, the copy is dropped. A changed authenticator is a
 * new request (for accounting, a new Acct-Delay-Time): it replaces the entry.
 */
export interface CacheEntry {
  readonly authenticator: Buffer;
  reply: Buffer | null;
  readonly at: number;
}

export type Lookup =
  | { readonly kind: 'new'; readonly entry: CacheEntry | null }
  | { readonly kind: 'replay'; readonly reply: Buffer }
  | { readonly kind: 'in-progress' };

export class ReplyCache {
  /** Insertion-ordered: the oldest entries are at the front, so expiry stops at the first live one. */
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly ttlMs: number, private readonly maxEntries = 1_000_000) {}

  get size(): number {
    return this.entries.size;
  }

  /** Registers the request unless it is a duplicate. `entry` is null when caching is off (ttl 0). */
  begin(address: string, port: number, identifier: number, authenticator: Buffer, now: number): Lookup {
    if (this.ttlMs === 0) return { kind: 'new', entry: null };
    const key = `${address}|${port}|${identifier}`;
    const existing = this.entries.get(key);
    if (existing && now - existing.at < this.ttlMs && existing.authenticator.equals(authenticator)) {
      return existing.reply ? { kind: 'replay', reply: existing.reply } : { kind: 'in-progress' };
    }
    if (existing) this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.evictOldest();
    const entry: CacheEntry = { authenticator: Buffer.from(authenticator), reply: null, at: now };
    this.entries.set(key, entry);
    return { kind: 'new', entry };
  }

  /** Forgets a request that got no reply (dropped or failed), so the NAS's retransmission is processed. */
  abandon(address: string, port: number, identifier: number, entry: CacheEntry | null): void {
    if (!entry) return;
    const key = `${address}|${port}|${identifier}`;
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }

  sweep(now: number): void {
    for (const [key, entry] of this.entries) {
      if (now - entry.at < this.ttlMs) break;
      this.entries.delete(key);
    }
  }

  private evictOldest(): void {
    const first = this.entries.keys().next();
    if (!first.done) this.entries.delete(first.value);
  }
}

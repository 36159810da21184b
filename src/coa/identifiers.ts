/**
 * RADIUS Identifier allocation for one destination (NAS address + CoA port). An Identifier stays taken while its
 * request is outstanding, so a reply can only ever match one request (RFC 5176 §2.3, RFC 2865 §3); with all 256
 * taken, callers wait in FIFO order for the next release.
 */

export const IDENTIFIER_SPACE = 256;

export class IdentifierPool {
  private readonly taken = new Uint8Array(IDENTIFIER_SPACE);
  private used = 0;
  /** Next Identifier to try: allocation walks round the space so a just-released one is not reused at once. */
  private cursor: number;
  private readonly waiters: ((id: number) => void)[] = [];

  constructor(start = Math.floor(Math.random() * IDENTIFIER_SPACE)) {
    this.cursor = start % IDENTIFIER_SPACE;
  }

  /** Identifiers outstanding. */
  get inUse(): number {
    return this.used;
  }

  /** Callers waiting for a free Identifier. */
  get queued(): number {
    return this.waiters.length;
  }

  /** A free Identifier now, or undefined when all 256 are outstanding. */
  tryAcquire(): number | undefined {
    if (this.used === IDENTIFIER_SPACE) return undefined;
    for (let i = 0; i < IDENTIFIER_SPACE; i++) {
      const id = (this.cursor + i) % IDENTIFIER_SPACE;
      if (this.taken[id] === 0) {
        this.taken[id] = 1;
        this.used++;
        this.cursor = (id + 1) % IDENTIFIER_SPACE;
        return id;
      }
    }
    return undefined; // unreachable: used < 256 means one is free
  }

  /** A free Identifier, waiting in line behind earlier callers when none is. */
  acquire(): Promise<number> {
    if (this.waiters.length === 0) {
      const id = this.tryAcquire();
      if (id !== undefined) return Promise.resolve(id);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Gives an Identifier back; the longest waiter, if any, gets it (it stays taken). */
  release(id: number): void {
    if (this.taken[id] !== 1) throw new Error(`identifier ${id} is not taken`);
    const next = this.waiters.shift();
    if (next) {
      next(id);
      return;
    }
    this.taken[id] = 0;
    this.used--;
  }
}

/**
 * Open connections per peer address: a captive portal faces every subscriber's device, and one of them (or a
 * scanner) holding thousands of half-open connections exhausts the process's file descriptors and the database
 * pool for everyone. The address is the socket's own, never X-Forwarded-For: a connection is counted before a
 * byte of it is read, and behind a proxy every client shares the proxy's count (the proxy limits its clients).
 * The table holds only addresses with an open connection, so it is bounded by the connections themselves.
 */
import type { Socket } from 'node:net';
import { normalizeAddress } from './client-address.js';

export class ConnectionLimit {
  private readonly open = new Map<string, number>();

  constructor(private readonly perAddress: number) {}

  /**
   * Counts `socket` against its peer address until it closes, or returns false (and counts nothing) when the
   * address already holds the limit: the caller closes it.
   */
  admit(socket: Socket): boolean {
    // A socket already closed by its peer reports no address; it has nothing left to limit.
    const peer = socket.remoteAddress === undefined ? '' : normalizeAddress(socket.remoteAddress);
    const held = this.open.get(peer) ?? 0;
    if (held >= this.perAddress) return false;
    this.open.set(peer, held + 1);
    socket.once('close', () => {
      const left = (this.open.get(peer) ?? 1) - 1;
      if (left > 0) this.open.set(peer, left);
      else this.open.delete(peer);
    });
    return true;
  }

  /** Open connections of `address` now (tests, diagnostics). */
  count(address: string): number {
    return this.open.get(normalizeAddress(address)) ?? 0;
  }
}

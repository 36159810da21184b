/** Identifier allocation per NAS: no reuse while outstanding, round-robin, FIFO queue beyond 256. */
import { describe, expect, it } from 'vitest';
import { IDENTIFIER_SPACE, IdentifierPool } from '../../../src/coa/identifiers.js';

describe('IdentifierPool', () => {
  it('hands out all 256 Identifiers once each before any is reused', () => {
    const pool = new IdentifierPool(250);
    const ids = Array.from({ length: IDENTIFIER_SPACE }, () => pool.tryAcquire());
    expect(new Set(ids).size).toBe(IDENTIFIER_SPACE);
    expect(ids.slice(0, 8)).toEqual([250, 251, 252, 253, 254, 255, 0, 1]);
    expect(pool.tryAcquire()).toBeUndefined();
    expect(pool.inUse).toBe(256);
  });

  it('does not reuse a released Identifier at once (round-robin from the last one given)', () => {
    const pool = new IdentifierPool(0);
    expect(pool.tryAcquire()).toBe(0);
    pool.release(0);
    expect(pool.tryAcquire()).toBe(1);
    expect(pool.tryAcquire()).toBe(2);
  });

  it('skips Identifiers still outstanding when it wraps round', () => {
    const pool = new IdentifierPool(254);
    const a = pool.tryAcquire(); // 254
    const b = pool.tryAcquire(); // 255
    expect([a, b]).toEqual([254, 255]);
    for (let i = 0; i < 254; i++) pool.tryAcquire(); // 0..253
    pool.release(10);
    expect(pool.tryAcquire()).toBe(10);
  });

  it('queues the 257th caller and gives it the first Identifier released, in FIFO order', async () => {
    const pool = new IdentifierPool(0);
    for (let i = 0; i < IDENTIFIER_SPACE; i++) await pool.acquire();
    const order: number[] = [];
    const first = pool.acquire().then((id) => order.push(id));
    const second = pool.acquire().then((id) => order.push(id));
    expect(pool.queued).toBe(2);
    pool.release(42);
    pool.release(7);
    await Promise.all([first, second]);
    expect(order).toEqual([42, 7]);
    expect(pool.inUse).toBe(256);
    expect(pool.queued).toBe(0);
  });

  it('refuses to release an Identifier that is not taken', () => {
    const pool = new IdentifierPool(0);
    expect(() => pool.release(3)).toThrow(/not taken/);
  });
});

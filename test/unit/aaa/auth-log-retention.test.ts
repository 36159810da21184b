import { describe, expect, it } from 'vitest';
import { pruneAuthLog } from '../../../src/aaa/auth-log-retention.js';

/** An auth log of `total` rows, all past the cutoff, deleted `limit` at a time. */
function fakeLog(total: number) {
  const calls: { cutoff: string; limit: number }[] = [];
  let left = total;
  return {
    calls,
    deleteOlderThan(cutoff: string, limit: number): Promise<number> {
      calls.push({ cutoff, limit });
      const n = Math.min(left, limit);
      left -= n;
      return Promise.resolve(n);
    },
  };
}

describe('auth log retention', () => {
  const now = new Date('2030-03-31T12:00:00.000Z');

  it('deletes in chunks until a chunk comes back short, with the cutoff retentionDays before now', async () => {
    const log = fakeLog(25);
    expect(await pruneAuthLog(log, { retentionDays: 30, chunk: 10 }, now)).toBe(25);
    expect(log.calls).toEqual(Array.from({ length: 3 }, () => ({ cutoff: '2030-03-01T12:00:00.000Z', limit: 10 })));
  });

  it('stops after maxChunks (the next pass goes on), and does nothing with 0 days', async () => {
    const log = fakeLog(1000);
    expect(await pruneAuthLog(log, { retentionDays: 1, chunk: 10, maxChunks: 3 }, now)).toBe(30);
    expect(log.calls).toHaveLength(3);
    const keep = fakeLog(1000);
    expect(await pruneAuthLog(keep, { retentionDays: 0 }, now)).toBe(0);
    expect(keep.calls).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { LogLimiter } from '../../../src/transport/log-limiter.js';

describe('LogLimiter', () => {
  it('admits one event per key and interval, and says how many were left out since', () => {
    const l = new LogLimiter(1000);
    expect(l.admit('bras-1\0malformed', 0)).toBe(0);
    expect(l.admit('bras-1\0malformed', 10)).toBe(-1);
    expect(l.admit('bras-1\0malformed', 999)).toBe(-1);
    // Another reason, or another client, is its own key.
    expect(l.admit('bras-1\0bad_authenticator', 20)).toBe(0);
    expect(l.admit('bras-2\0malformed', 20)).toBe(0);
    expect(l.admit('bras-1\0malformed', 1000)).toBe(2);
    expect(l.admit('bras-1\0malformed', 1500)).toBe(-1);
    expect(l.admit('bras-1\0malformed', 2000)).toBe(1);
  });

  it('stays bounded under a flood of keys', () => {
    const l = new LogLimiter(60_000, 100);
    for (let i = 0; i < 1000; i++) expect(l.admit(`10.0.${i >> 8}.${i & 255}`, 0)).toBe(0);
    expect((l as unknown as { last: Map<string, unknown> }).last.size).toBeLessThanOrEqual(100);
  });
});

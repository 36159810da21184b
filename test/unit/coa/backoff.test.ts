/**
 * The retransmission schedule (FreeRADIUS's irt=2 s, mrt=16 s, mrc=5, mrd=30 s for RFC 5176), as a pure function
 * and as the client runs it under fake timers against a UDP receiver that never answers.
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffSchedule, checkRetryPolicy, DEFAULT_RETRY, waitAfter } from '../../../src/coa/backoff.js';
import { CoaClient, type CoaOutcome } from '../../../src/coa/client.js';
import { createLogger } from '../../../src/observability/logger.js';
import { Attr } from '../../../src/radius/codes.js';

describe('backoffSchedule', () => {
  it('with the defaults sends at 0, 2, 6 and 14 s and times out at 30 s (mrd ends it before a fifth try)', () => {
    expect(backoffSchedule(DEFAULT_RETRY)).toEqual({ sends: [0, 2000, 6000, 14_000], timeoutAt: 30_000 });
  });

  it('stops at maxTries when the duration allows more', () => {
    expect(backoffSchedule({ initialMs: 100, maxMs: 400, maxTries: 5, maxDurationMs: 60_000 })).toEqual({
      sends: [0, 100, 300, 700, 1100],
      timeoutAt: 1500,
    });
  });

  it('caps each wait at maxMs and the last one at the deadline', () => {
    expect(waitAfter(DEFAULT_RETRY, 5, 0)).toBe(16_000);
    expect(waitAfter(DEFAULT_RETRY, 4, 14_000)).toBe(16_000);
    expect(waitAfter(DEFAULT_RETRY, 4, 20_000)).toBe(10_000);
    expect(backoffSchedule({ initialMs: 2000, maxMs: 16_000, maxTries: 10, maxDurationMs: 20_000 })).toEqual({
      sends: [0, 2000, 6000, 14_000],
      timeoutAt: 20_000,
    });
  });

  it('one try: no retransmission', () => {
    expect(backoffSchedule({ ...DEFAULT_RETRY, maxTries: 1 })).toEqual({ sends: [0], timeoutAt: 2000 });
  });

  it('reports every bad setting', () => {
    expect(checkRetryPolicy(DEFAULT_RETRY)).toEqual([]);
    expect(checkRetryPolicy({ initialMs: 0, maxMs: 1.5, maxTries: -1, maxDurationMs: 10 })).toHaveLength(3);
    expect(checkRetryPolicy({ ...DEFAULT_RETRY, maxMs: 1000 })).toEqual(['retry.maxMs (1000) is below retry.initialMs (2000)']);
  });
});

describe('CoaClient retransmission under fake timers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the same bytes at 0, 2, 6, 14 s and resolves timeout at 30 s with 4 attempts', async () => {
    const silent = dgram.createSocket('udp4');
    const got: { at: number; bytes: Buffer }[] = [];
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    const port = silent.address().port;

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const start = Date.now();
    silent.on('message', (msg) => got.push({ at: Date.now() - start, bytes: msg }));
    const client = new CoaClient({ log: createLogger('silent') });
    await client.start();
    let outcome: CoaOutcome | undefined;
    const sent = client
      .send({
        nas: { name: 'bras', address: '127.0.0.1', secret: Buffer.from('s3cret'), coaPort: port },
        kind: 'coa',
        action: 'restrict',
        attributes: [{ type: Attr.UserName, value: Buffer.from('alice') }],
      })
      .then((o) => (outcome = o));

    const arrived = async (n: number): Promise<void> => {
      for (let i = 0; i < 200 && got.length < n; i++) await new Promise((r) => setImmediate(r));
    };
    await arrived(1);
    for (const [advance, expected] of [[1999, 1], [1, 2], [4000, 3], [8000, 4], [15_999, 4]] as const) {
      await vi.advanceTimersByTimeAsync(advance);
      await arrived(expected);
      expect(got).toHaveLength(expected);
      expect(outcome).toBeUndefined();
    }
    await vi.advanceTimersByTimeAsync(1);
    await sent;
    expect(outcome).toEqual({ result: 'timeout', attempts: 4, transport: 'udp' });
    expect(got.map((g) => g.at)).toEqual([0, 2000, 6000, 14_000]);
    for (const g of got) expect(g.bytes.equals(got[0]!.bytes)).toBe(true);
    vi.useRealTimers();
    await client.stop();
    silent.close();
  });
});

/**
 * The auth-log writer against a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL): an entry the
 * database refuses is isolated from its batch and dropped alone; a database that is away keeps every entry.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthLogWriter } from '../../../src/aaa/auth-log-writer.js';
import type { AuthLogEntry } from '../../../src/domain/types.js';
import { createLogger } from '../../../src/observability/logger.js';
import { authLogBacklog, authLogFailures, authLogRejected, authLogWritten } from '../../../src/observability/metrics.js';
import { StoreError, type AuthLogRepository } from '../../../src/domain/ports.js';
import type { Sql } from '../../../src/store/sql.js';
import { createStore } from '../../../src/store/store.js';
import { createTestSql, type TestSql } from '../../helpers/sql.js';

const OPTIONS = { flushIntervalMs: 60_000, batchSize: 8, maxQueued: 1000 };

function entry(username: string, callingStationId: string | null = 'aa:bb:cc:dd:ee:ff'): AuthLogEntry {
  return { at: new Date().toISOString(), username, nas: 'bras-1', result: 'reject', reason: 'unknown_user', method: 'pap', callingStationId, nasPort: '7' };
}

async function counter(metric: { get(): Promise<{ values: { value: number; labels: Record<string, unknown> }[] }> }, labels: Record<string, string> = {}): Promise<number> {
  const { values } = await metric.get();
  const match = values.find((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want));
  return match?.value ?? 0;
}

function capturingLogger(): { log: ReturnType<typeof createLogger>; lines: Record<string, unknown>[]; raw: string[] } {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      cb();
    },
  });
  return { log: createLogger('info', sink), lines, raw };
}

/** The database behind `sql`, unavailable whenever `down(n)` says so for the n-th statement (1-based). */
function flaky(sql: Sql, down: (n: number) => boolean): Sql {
  let n = 0;
  const unavailable = (): Promise<never> => Promise.reject(new StoreError('STORE_UNAVAILABLE', 'PostgreSQL is unavailable: connect ECONNREFUSED'));
  return {
    kind: sql.kind,
    query: (text, params) => (down(++n) ? unavailable() : sql.query(text, params)),
    copyIn: (table, columns, rows) => (down(++n) ? unavailable() : sql.copyIn(table, columns, rows)),
    transaction: (fn) => (down(++n) ? unavailable() : sql.transaction(fn)),
    close: () => Promise.resolve(),
  };
}

async function usernames(sql: Sql): Promise<string[]> {
  return (await sql.query<{ username: string }>('SELECT username FROM auth_log ORDER BY id')).map((r) => r.username);
}

describe('auth-log writer', () => {
  let db: TestSql;
  let repo: AuthLogRepository;
  beforeAll(async () => {
    db = await createTestSql({ migrate: true });
    repo = createStore(db.sql).authLog;
  });
  afterAll(() => db.cleanup());
  beforeEach(async () => {
    await db.sql.query('DELETE FROM auth_log');
  });

  it('one NUL byte stops the auth log for good: the entry is dropped alone, its batch and later ones are written', async () => {
    const { log, lines, raw } = capturingLogger();
    const writer = new AuthLogWriter(repo, OPTIONS, log);
    const rejectedBefore = await counter(authLogRejected);
    const dataFailuresBefore = await counter(authLogFailures, { kind: 'data' });
    const writtenBefore = await counter(authLogWritten);

    for (const name of ['u1', 'u2', 'u3']) writer.add(entry(name));
    writer.add(entry('poisoned', 'aa:bb\u0000secret-tail'));
    for (const name of ['u5', 'u6', 'u7']) writer.add(entry(name));
    await writer.flush();
    expect(await usernames(db.sql)).toEqual(['u1', 'u2', 'u3', 'u5', 'u6', 'u7']);

    // Later decisions are written too: the writer is not stuck on the bad batch.
    writer.add(entry('later'));
    await writer.flush();
    expect(await usernames(db.sql)).toEqual(['u1', 'u2', 'u3', 'u5', 'u6', 'u7', 'later']);

    expect((await counter(authLogRejected)) - rejectedBefore).toBe(1);
    expect((await counter(authLogFailures, { kind: 'data' })) - dataFailuresBefore).toBeGreaterThanOrEqual(1);
    expect((await counter(authLogWritten)) - writtenBefore).toBe(7);
    expect(await counter(authLogBacklog)).toBe(0);

    // Logged once, with the database's reason, and without the entry's raw bytes.
    const rejections = lines.filter((l) => String(l.msg).includes('auth log entry rejected'));
    expect(rejections).toHaveLength(1);
    expect(rejections[0]).toMatchObject({ username: 'poisoned', nas: 'bras-1' });
    expect(String(rejections[0]?.sqlState)).toMatch(/^22/);
    expect(raw.some((l) => l.includes('secret-tail'))).toBe(false);
    await writer.stop();
  });

  it('a batch of nothing but bad entries rejects each of them and leaves no backlog', async () => {
    const { log } = capturingLogger();
    const writer = new AuthLogWriter(repo, OPTIONS, log);
    const rejectedBefore = await counter(authLogRejected);
    writer.add(entry('bad-1', '\u0000'));
    writer.add(entry('bad-2', '\u0000'));
    writer.add(entry('good'));
    await writer.flush();
    expect(await usernames(db.sql)).toEqual(['good']);
    expect((await counter(authLogRejected)) - rejectedBefore).toBe(2);
    expect(await counter(authLogBacklog)).toBe(0);
  });

  it('while the database is away every entry is kept, counted as transient, and written once it is back', async () => {
    const { log } = capturingLogger();
    let down = true;
    const writer = new AuthLogWriter(createStore(flaky(db.sql, () => down)).authLog, OPTIONS, log);
    const transientBefore = await counter(authLogFailures, { kind: 'transient' });
    const rejectedBefore = await counter(authLogRejected);
    for (const name of ['a', 'b', 'c']) writer.add(entry(name));
    await writer.flush();
    await writer.flush();
    expect((await counter(authLogFailures, { kind: 'transient' })) - transientBefore).toBe(2);
    expect(await counter(authLogBacklog)).toBe(3);
    expect(await usernames(db.sql)).toEqual([]);

    down = false;
    writer.add(entry('d'));
    await writer.flush();
    expect(await usernames(db.sql)).toEqual(['a', 'b', 'c', 'd']);
    expect(await counter(authLogBacklog)).toBe(0);
    expect((await counter(authLogRejected)) - rejectedBefore).toBe(0);
  });

  it('the database going away in the middle of isolating a bad entry loses nothing that was not written', async () => {
    const { log } = capturingLogger();
    const writer = new AuthLogWriter(createStore(flaky(db.sql, (n) => n === 2)).authLog, OPTIONS, log);
    for (const name of ['w', 'x']) writer.add(entry(name));
    writer.add(entry('nul', '\u0000'));
    writer.add(entry('y'));
    await writer.flush(); // whole batch: data error; first half: transient
    expect(await counter(authLogBacklog)).toBe(4);
    await writer.flush();
    expect(await usernames(db.sql)).toEqual(['w', 'x', 'y']);
    expect(await counter(authLogBacklog)).toBe(0);
  });

  it('a repository that throws instead of reporting is taken as a database that is away: nothing is lost', async () => {
    const { log } = capturingLogger();
    let fail = true;
    const throwing: AuthLogRepository = {
      ...repo,
      appendIsolating: (entries) => (fail ? Promise.reject(new Error('unexpected')) : repo.appendIsolating(entries)),
    };
    const writer = new AuthLogWriter(throwing, OPTIONS, log);
    writer.add(entry('kept'));
    await writer.flush();
    expect(await counter(authLogBacklog)).toBe(1);
    fail = false;
    await writer.flush();
    expect(await usernames(db.sql)).toEqual(['kept']);
  });

  it('a full batch is written at once, and entries that arrive during a write wait for the next tick unless a full batch waits', async () => {
    // Writing every arrival at once turned the writer into a loop of small transactions back to back.
    const { log } = capturingLogger();
    const sizes: number[] = [];
    // Each write waits at a gate until the test opens it; `gates` holds the writes waiting there, in order.
    const gates: (() => void)[] = [];
    let arrived: (() => void) | null = null;
    const gated: AuthLogRepository = {
      ...repo,
      appendIsolating: async (entries) => {
        sizes.push(entries.length);
        await new Promise<void>((resolve) => {
          gates.push(resolve);
          arrived?.();
        });
        const outcome = await repo.appendIsolating(entries);
        completed++;
        return outcome;
      },
    };
    let completed = 0;
    /** Waits (bounded) until `n` writes have reached the database, and a few turns more for the writer to go on. */
    const written = async (n: number): Promise<void> => {
      for (let i = 0; i < 500 && completed < n; i++) await new Promise((r) => setTimeout(r, 10));
      expect(completed).toBe(n);
      for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    };
    /** Opens the next gate, waiting (bounded) for a write to reach it. */
    const open = async (): Promise<void> => {
      if (gates.length === 0) {
        await Promise.race([
          new Promise<void>((resolve) => (arrived = resolve)),
          new Promise((_r, reject) => setTimeout(() => reject(new Error('no write reached the gate')), 5000)),
        ]);
        arrived = null;
      }
      (gates.shift() as () => void)();
    };
    const writer = new AuthLogWriter(gated, OPTIONS, log);
    for (let i = 0; i < 8; i++) writer.add(entry(`a${i}`)); // a full batch: written at once
    for (let i = 0; i < 3; i++) writer.add(entry(`b${i}`)); // during its write
    await open();
    await written(1);
    expect(sizes).toEqual([8]);
    expect(await counter(authLogBacklog)).toBe(3);

    for (let i = 0; i < 17; i++) writer.add(entry(`c${i}`)); // now 20 waiting: two full batches, 4 left
    const draining = writer.flush(); // flush writes everything, in batches
    for (let n = 0; n < 3; n++) await open();
    await draining;
    expect(sizes).toEqual([8, 8, 8, 4]);
    expect((await usernames(db.sql)).length).toBe(28);
  });
});

/**
 * The subscriber directory's database lookup on a real database: a username PostgreSQL refuses as data is an
 * unknown user (the access path answers Access-Reject), while a database that is away is still an error.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubscriberDirectory } from '../../../src/aaa/subscriber-directory.js';
import { createLogger } from '../../../src/observability/logger.js';
import { StoreError, type Store } from '../../../src/domain/ports.js';
import { hotCacheSnapshots } from '../../../src/store/change-feed.js';
import { createStore } from '../../../src/store/store.js';
import { createTestCache, type TestCache } from '../../helpers/cache.js';
import { createTestSql, type TestSql } from '../../helpers/sql.js';

const OPTIONS = { maxEntries: 1000, negativeTtlSeconds: 60, sharedTtlSeconds: 60 };

function quietLogger(lines: Record<string, unknown>[]): ReturnType<typeof createLogger> {
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return createLogger('info', sink);
}

describe('subscriber directory lookups', () => {
  let db: TestSql;
  let cache: TestCache;
  let repo: Store['subscribers'];
  beforeAll(async () => {
    db = await createTestSql({ migrate: true });
    cache = await createTestCache();
    const store = createStore(db.sql);
    const tariff = await store.tariffs.create({ name: 'Home', monthlyFee: 0, downKbps: 10_000, upKbps: 10_000 });
    const account = await store.accounts.create({});
    await store.subscribers.create({ username: 'known', password: 'pw', accountId: account.id, tariffId: tariff.id });
    repo = store.subscribers;
  });
  afterAll(async () => {
    await cache.cleanup();
    await db.cleanup();
  });

  it('NUL in User-Name gets no reply: a username the database refuses as data is not found, and remembered as unknown', async () => {
    const lines: Record<string, unknown>[] = [];
    let lookups = 0;
    const counting: Store['subscribers'] = {
      ...repo,
      lookup: (username) => {
        lookups++;
        return repo.lookup(username);
      },
    };
    const directory = new SubscriberDirectory(counting, hotCacheSnapshots(cache.cache), OPTIONS, quietLogger(lines));
    await expect(Promise.resolve(directory.get('bad\u0000name'))).resolves.toBeUndefined();
    expect(lines.some((l) => String(l.msg).includes('treated as unknown') && String(l.sqlState).startsWith('22'))).toBe(true);
    // Remembered: a flood of the same bad name costs one query.
    expect(directory.get('bad\u0000name')).toBeUndefined();
    expect(lookups).toBe(1);
    const known = await directory.get('known');
    expect(known?.snapshot.username).toBe('known');
  });

  it('a database that is away is still an error, not an unknown user', async () => {
    const down = (): Promise<never> => Promise.reject(new StoreError('STORE_UNAVAILABLE', 'PostgreSQL is unavailable: connect ECONNREFUSED'));
    const away = createStore({ kind: db.sql.kind, query: down, copyIn: down, transaction: down, close: () => Promise.resolve() }).subscribers;
    const directory = new SubscriberDirectory(away, hotCacheSnapshots(cache.cache), OPTIONS, quietLogger([]));
    await expect(Promise.resolve(directory.get('someone'))).rejects.toThrow(/unavailable/);
  });
});

/**
 * Simultaneous-Use from memory across two instances on one database and one change feed (PostgreSQL and Redis
 * when TEST_DATABASE_URL and TEST_REDIS_URL are set, else PGlite and one in-process cache both instances use).
 * Only A rates (B wakes it), as in a cluster; both follow the rater's session events. With Simultaneous-Use 1:
 * a session open through either instance refuses a second login on both, logins racing at the limit are all
 * refused, and after the Stop is rated both accept again without asking the database; an Accounting-On frees
 * the subscriber; a session silent past sessions.staleAfterSeconds (its Stop missed) does not block, and one
 * the database finds stale while memory still counts it costs one query that overturns the reject.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeEvent, HotCache } from '../../src/domain/ports.js';
import { Attr, Code } from '../../src/radius/codes.js';
import { encodeRequest, hidePassword, randomAuthenticator } from '../../src/radius/crypto.js';
import type { RawAttribute } from '../../src/radius/packet.js';
import { CHANGES_CHANNEL } from '../../src/store/change-feed.js';
import { createMemoryCache } from '../../src/store/memory-cache.js';
import type { Sql } from '../../src/store/sql.js';
import { createStore } from '../../src/store/store.js';
import { SECRET, startTestDaemon, testConfigInput, type TestDaemon } from '../helpers/daemon.js';
import { accountingRequest, exchange } from '../helpers/udp-client.js';

const secret = Buffer.from(SECRET);
const redis = process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL ? process.env.TEST_REDIS_URL : undefined;
// Other test files may share the Redis channel: a subscriber and a NAS name of this file's own.
const USER = `racer-${randomBytes(3).toString('hex')}`;
const NAS = `simuse-${randomBytes(3).toString('hex')}`;
const STALE_AFTER = 120;
/** The confirming query (store/repositories/sessions.ts countedSessions). */
const COUNT_QUERY = 'FROM sessions s WHERE s.username = $3 AND s.stopped_at IS NULL';
const START = 1;
const STOP = 2;
const ACCOUNTING_ON = 7;

let nextId = 0;
const id = (): number => (nextId = (nextId + 1) % 256);

function login(): Buffer {
  const authenticator = randomAuthenticator();
  const attrs: RawAttribute[] = [
    { type: Attr.UserName, value: Buffer.from(USER) },
    { type: Attr.UserPassword, value: hidePassword(Buffer.from('racer-pw'), secret, authenticator) },
  ];
  return encodeRequest(Code.AccessRequest, id(), attrs, secret, { messageAuthenticator: true, authenticator });
}

function accountingOn(): Buffer {
  const attrs: RawAttribute[] = [{ type: Attr.AcctStatusType, value: Buffer.from([0, 0, 0, ACCOUNTING_ON]) }];
  return encodeRequest(Code.AccountingRequest, id(), attrs, secret, { messageAuthenticator: false });
}

async function code(port: number, datagram: Buffer): Promise<number | undefined> {
  return (await exchange(port, datagram, { timeoutMs: 3000 }))?.[0];
}

type SessionsEvent = Extract<ChangeEvent, { kind: 'sessions' }>;

describe('Simultaneous-Use across two instances', () => {
  let a: TestDaemon;
  let b: TestDaemon;
  const queries = { a: 0, b: 0 };
  const shared: HotCache | undefined = redis ? undefined : createMemoryCache();
  /** The session events each instance received (its own handlers ran first: they subscribed at start). */
  const heard: { a: SessionsEvent[]; b: SessionsEvent[] } = { a: [], b: [] };

  const both = async (): Promise<[number | undefined, number | undefined]> => [await code(a.app.ports.auth, login()), await code(b.app.ports.auth, login())];
  /** Until both instances applied a session event that satisfies `match`. */
  const bothHeard = async (match: (e: SessionsEvent) => boolean): Promise<void> => {
    await expect.poll(() => heard.a.some(match) && heard.b.some(match), { timeout: 10_000 }).toBe(true);
  };
  const settleOpen = async (session: string): Promise<void> => {
    await a.app.drainAccounting();
    const [row] = await a.sql.query<{ id: number }>('SELECT id FROM sessions WHERE acct_session_id = $1', [session]);
    expect(row).toBeDefined();
    await bothHeard((e) => e.open.some(([sid]) => sid === row!.id));
  };

  beforeAll(async () => {
    const input = (): Record<string, unknown> =>
      testConfigInput({
        users: [],
        fees: { enabled: false },
        sessions: { staleAfterSeconds: STALE_AFTER },
        clients: [{ name: NAS, address: '127.0.0.1', secret: SECRET, vendor: 'mikrotik' }],
        ...(redis ? { redis: { url: redis } } : {}),
      });
    const seed = async (sql: Sql): Promise<void> => {
      const store = createStore(sql);
      const tariff = await store.tariffs.create({ name: 'flat', downKbps: 10_000, upKbps: 10_000 });
      const account = await store.accounts.create({ creditLimit: 1000 });
      await store.subscribers.create({ username: USER, password: 'racer-pw', accountId: account.id, tariffId: tariff.id, simultaneousUse: 1 });
    };
    a = await startTestDaemon(input(), seed, undefined, {
      ...(shared ? { cache: shared } : {}),
      onQuery: (text) => void (text.includes(COUNT_QUERY) && queries.a++),
    });
    b = await startTestDaemon(input(), undefined, a, {
      ...(shared ? { cache: shared } : {}),
      rate: false,
      onJournalCommitted: () => a.app.kickRater(),
      onQuery: (text) => void (text.includes(COUNT_QUERY) && queries.b++),
    });
    for (const [name, d] of [['a', a], ['b', b]] as const) {
      await d.app.cache.subscribe(CHANGES_CHANNEL, (message) => {
        const event = JSON.parse(message) as ChangeEvent;
        if (event.kind === 'sessions') heard[name].push(event);
      });
    }
  });

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await shared?.close();
  });

  it('a session open through one instance refuses a second login on both; racing logins at the limit are all refused', async () => {
    // Nothing open: both accept, from memory.
    expect(await both()).toEqual([Code.AccessAccept, Code.AccessAccept]);
    expect(queries).toEqual({ a: 0, b: 0 });

    // The Start reaches B (which does not rate); A rates it and publishes the session.
    expect(await code(b.app.ports.acct, accountingRequest(secret, USER, 'race-1', START, 0, id()))).toBe(Code.AccountingResponse);
    await settleOpen('race-1');
    expect(await both()).toEqual([Code.AccessReject, Code.AccessReject]);
    // Each reject was confirmed by the database.
    expect(queries).toEqual({ a: 1, b: 1 });

    const racing = await Promise.all(Array.from({ length: 8 }, (_, i) => code((i % 2 === 0 ? a : b).app.ports.auth, login())));
    expect(racing).toEqual(Array.from({ length: 8 }, () => Code.AccessReject));
  });

  it('after the Stop is rated both accept, without a query', async () => {
    expect(await code(a.app.ports.acct, accountingRequest(secret, USER, 'race-1', STOP, 60, id()))).toBe(Code.AccountingResponse);
    await a.app.drainAccounting();
    const [row] = await a.sql.query<{ id: number }>(`SELECT id FROM sessions WHERE acct_session_id = 'race-1'`);
    await bothHeard((e) => e.closed.some(([sid]) => sid === row!.id));
    const before = { ...queries };
    expect(await both()).toEqual([Code.AccessAccept, Code.AccessAccept]);
    expect(await both()).toEqual([Code.AccessAccept, Code.AccessAccept]);
    expect(queries).toEqual(before);
  });

  it('a session silent past the stale limit (its Stop missed) does not block, and costs no query', async () => {
    // Started 300 s ago and never heard from since: beyond staleAfterSeconds and memory's margin.
    expect(await code(a.app.ports.acct, accountingRequest(secret, USER, 'silent-1', START, 0, id(), 300))).toBe(Code.AccountingResponse);
    await settleOpen('silent-1');
    const before = { ...queries };
    expect(await both()).toEqual([Code.AccessAccept, Code.AccessAccept]);
    expect(queries).toEqual(before);
  });

  it('a session memory still counts but the database finds stale costs one query, which overturns the reject', async () => {
    expect(await code(a.app.ports.acct, accountingRequest(secret, USER, 'quiet-1', START, 0, id()))).toBe(Code.AccountingResponse);
    await settleOpen('quiet-1');
    expect(await both()).toEqual([Code.AccessReject, Code.AccessReject]);
    // Silent for a little more than staleAfterSeconds: memory (which allows a margin for clocks) still counts it.
    await a.sql.query(`UPDATE sessions SET updated_at = now() - make_interval(secs => $1) WHERE acct_session_id = 'quiet-1'`, [STALE_AFTER + 20]);
    const before = { ...queries };
    expect(await code(a.app.ports.auth, login())).toBe(Code.AccessAccept);
    expect(queries).toEqual({ a: before.a + 1, b: before.b });
    // Memory took the answer: the next login costs nothing.
    expect(await code(a.app.ports.auth, login())).toBe(Code.AccessAccept);
    expect(queries).toEqual({ a: before.a + 1, b: before.b });
  });

  it('an Accounting-On from the NAS frees the subscriber on both instances', async () => {
    expect(await code(a.app.ports.acct, accountingRequest(secret, USER, 'boot-1', START, 0, id()))).toBe(Code.AccountingResponse);
    await settleOpen('boot-1');
    expect(await both()).toEqual([Code.AccessReject, Code.AccessReject]);

    expect(await code(b.app.ports.acct, accountingOn())).toBe(Code.AccountingResponse);
    await a.app.drainAccounting();
    await bothHeard((e) => e.nasRestarts.includes(NAS));
    const before = { ...queries };
    expect(await both()).toEqual([Code.AccessAccept, Code.AccessAccept]);
    expect(queries).toEqual(before);
    const [row] = await a.sql.query<{ terminate_cause: string }>(`SELECT terminate_cause FROM sessions WHERE acct_session_id = 'boot-1'`);
    expect(row?.terminate_cause).toBe('NAS-Reboot');
  });
});

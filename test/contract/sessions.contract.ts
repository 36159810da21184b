/**
 * The SessionRepository contract, run against every Sql implementation (PGlite, PostgreSQL): lists newest first
 * with their filters, "who had IP X at time T" at the start and stop boundaries and for open sessions, the
 * Simultaneous-Use count, the session with its NAS for a Disconnect-Request, and the stale-session sweep.
 * Sessions are inserted with SQL, the way the accounting writer stores them.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/store/migrations.js';
import type { Store } from '../../src/domain/ports.js';
import type { Sql } from '../../src/store/sql.js';
import { createStore } from '../../src/store/store.js';
import type { TestSql } from '../helpers/sql.js';

const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

export interface SessionRowInput {
  readonly username: string;
  readonly nasName?: string;
  readonly nasId?: number | null;
  readonly acctSessionId?: string;
  readonly framedIp?: string | null;
  readonly startedAt: string;
  readonly updatedAt?: string;
  readonly stoppedAt?: string | null;
  readonly terminateCause?: string | null;
  readonly accountId?: number | null;
  readonly subscriberId?: number | null;
  readonly inputOctets?: number;
}

/** One `sessions` row as the accounting writer leaves it; returns its id. */
export async function insertSession(sql: Sql, s: SessionRowInput): Promise<number> {
  const acctSessionId = s.acctSessionId ?? unique('acct');
  const nasName = s.nasName ?? 'bras-1';
  const stoppedAt = s.stoppedAt ?? null;
  const [row] = await sql.query<{ id: number }>(
    `INSERT INTO sessions (acct_unique_id, nas_id, nas_name, acct_session_id, username, subscriber_id, account_id, framed_ip,
       calling_station_id, nas_port, started_at, updated_at, stopped_at, terminate_cause, input_octets, output_octets, session_time, last_status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::inet, 'aa:bb:cc:dd:ee:ff', '7', $9, $10, $11, $12, $13, 20, 60, $14)
     RETURNING id`,
    [
      `${nasName.length}:${nasName}:${acctSessionId}`,
      s.nasId ?? null,
      nasName,
      acctSessionId,
      s.username,
      s.subscriberId ?? null,
      s.accountId ?? null,
      s.framedIp ?? null,
      s.startedAt,
      s.updatedAt ?? stoppedAt ?? s.startedAt,
      stoppedAt,
      s.terminateCause ?? (stoppedAt ? 'User-Request' : null),
      s.inputOctets ?? 10,
      stoppedAt ? 'stop' : 'start',
    ],
  );
  return row!.id;
}

export function sessionsContract(name: string, makeSql: () => Promise<TestSql>): void {
  describe(`Sessions contract: ${name}`, () => {
    let db: TestSql;
    let sql: Sql;
    let store: Store;

    beforeAll(async () => {
      db = await makeSql();
      sql = db.sql;
      await runMigrations(sql);
      store = createStore(sql);
    });
    afterAll(async () => {
      await db?.cleanup();
    });

    it('gets a session with every field', async () => {
      const account = await store.accounts.create({});
      const username = unique('alice');
      const id = await insertSession(sql, {
        username,
        acctSessionId: 'A-1',
        framedIp: '100.64.1.1',
        startedAt: '2025-01-01T10:00:00Z',
        stoppedAt: '2025-01-01T11:00:00Z',
        accountId: account.id,
        inputOctets: 12345,
      });
      expect(await store.sessions.get(id)).toEqual({
        id,
        username,
        nas: 'bras-1',
        acctSessionId: 'A-1',
        framedIp: '100.64.1.1',
        callingStationId: 'aa:bb:cc:dd:ee:ff',
        nasPort: '7',
        startedAt: '2025-01-01T10:00:00.000Z',
        updatedAt: '2025-01-01T11:00:00.000Z',
        stoppedAt: '2025-01-01T11:00:00.000Z',
        terminateCause: 'User-Request',
        inputOctets: 12345,
        outputOctets: 20,
        sessionTime: 60,
        subscriberId: null,
        accountId: account.id,
      });
      expect(await store.sessions.get(9_999_999)).toBeUndefined();
    });

    it('lists newest first, filtered by active, username and account, with totals', async () => {
      const account = await store.accounts.create({});
      const username = unique('bob');
      const old = await insertSession(sql, { username, startedAt: '2025-02-01T00:00:00Z', stoppedAt: '2025-02-01T01:00:00Z', accountId: account.id });
      const mid = await insertSession(sql, { username, startedAt: '2025-02-02T00:00:00Z', stoppedAt: '2025-02-02T01:00:00Z' });
      const open = await insertSession(sql, { username, startedAt: '2025-02-03T00:00:00Z', accountId: account.id });
      const other = await insertSession(sql, { username: unique('carol'), startedAt: '2025-02-04T00:00:00Z' });

      const all = await store.sessions.list({ username }, { limit: 10, offset: 0 });
      expect(all.items.map((s) => s.id)).toEqual([open, mid, old]);
      expect(all.total).toBe(3);

      const page = await store.sessions.list({ username }, { limit: 1, offset: 1 });
      expect(page).toMatchObject({ total: 3, limit: 1, offset: 1 });
      expect(page.items.map((s) => s.id)).toEqual([mid]);

      expect((await store.sessions.list({ username, active: true }, { limit: 10, offset: 0 })).items.map((s) => s.id)).toEqual([open]);
      expect((await store.sessions.list({ username, active: false }, { limit: 10, offset: 0 })).items.map((s) => s.id)).toEqual([mid, old]);
      expect((await store.sessions.list({ accountId: account.id }, { limit: 10, offset: 0 })).items.map((s) => s.id)).toEqual([open, old]);
      expect((await store.sessions.list({ accountId: account.id, active: true }, { limit: 10, offset: 0 })).total).toBe(1);

      const everything = await store.sessions.list({}, { limit: 1000, offset: 0 });
      expect(everything.items.map((s) => s.id)).toContain(other);
      expect(everything.items[0]!.startedAt >= everything.items[everything.items.length - 1]!.startedAt).toBe(true);
    });

    it('finds who had an IP at an instant, boundaries inclusive, open sessions unbounded', async () => {
      const ip = '100.64.9.9';
      const a = await insertSession(sql, { username: unique('a'), framedIp: ip, startedAt: '2025-03-01T10:00:00Z', stoppedAt: '2025-03-01T12:00:00Z' });
      const b = await insertSession(sql, { username: unique('b'), framedIp: ip, startedAt: '2025-03-01T12:00:00Z', stoppedAt: '2025-03-01T13:00:00Z' });
      const open = await insertSession(sql, { username: unique('c'), framedIp: ip, startedAt: '2025-03-02T00:00:00Z' });
      await insertSession(sql, { username: unique('d'), framedIp: '100.64.9.10', startedAt: '2025-03-01T09:00:00Z' });
      const at = async (t: string) => (await store.sessions.byIpAt(ip, new Date(t))).map((s) => s.id);

      expect(await at('2025-03-01T09:59:59.999Z')).toEqual([]);
      expect(await at('2025-03-01T10:00:00Z')).toEqual([a]); // start is inclusive
      expect(await at('2025-03-01T11:00:00Z')).toEqual([a]);
      expect(await at('2025-03-01T12:00:00Z')).toEqual([b, a]); // a's stop and b's start: both held it at that instant
      expect(await at('2025-03-01T13:00:00Z')).toEqual([b]); // stop is inclusive
      expect(await at('2025-03-01T13:00:00.001Z')).toEqual([]);
      expect(await at('2025-03-01T23:59:59Z')).toEqual([]);
      expect(await at('2025-03-02T00:00:00Z')).toEqual([open]);
      expect(await at('2030-01-01T00:00:00Z')).toEqual([open]); // open: no end
      expect(await store.sessions.byIpAt('100.64.9.11', new Date('2025-03-01T11:00:00Z'))).toEqual([]);
      await expect(store.sessions.byIpAt('not-an-ip', new Date())).rejects.toThrow(RangeError);
    });

    it('finds IPv6 sessions too', async () => {
      const id = await insertSession(sql, { username: unique('v6'), framedIp: '2001:db8::42', startedAt: '2025-03-05T00:00:00Z' });
      expect((await store.sessions.byIpAt('2001:db8::42', new Date('2025-03-06T00:00:00Z'))).map((s) => s.id)).toEqual([id]);
    });

    it('counts the open sessions of a username', async () => {
      const username = unique('simu');
      expect(await store.sessions.countActive(username)).toBe(0);
      await insertSession(sql, { username, startedAt: '2025-04-01T00:00:00Z' });
      await insertSession(sql, { username, startedAt: '2025-04-01T01:00:00Z' });
      await insertSession(sql, { username, startedAt: '2025-04-01T02:00:00Z', stoppedAt: '2025-04-01T03:00:00Z' });
      expect(await store.sessions.countActive(username)).toBe(2);
      expect(await store.sessions.countActive(username.toUpperCase())).toBe(0); // exact match
    });

    it('Simultaneous-Use counts open sessions heard from lately, on a NAS not restarted since', async () => {
      const username = unique('counted');
      const recent = new Date(Date.now() - 60_000);
      const old = new Date(Date.now() - 3 * 3_600_000).toISOString();
      const rebooted = unique('rebooted');
      const fresh = await insertSession(sql, { username, startedAt: old, updatedAt: recent.toISOString() });
      await insertSession(sql, { username, startedAt: old, updatedAt: old }); // silent for three hours: its Stop was lost
      await insertSession(sql, { username, startedAt: old, stoppedAt: recent.toISOString() });
      await insertSession(sql, { username, nasName: rebooted, startedAt: old, updatedAt: recent.toISOString() });
      // The rebooted NAS's epoch is past the session's (0): an Accounting-On/Off came after it started.
      await sql.query('INSERT INTO accounting_nas_epochs (nas_name, epoch) VALUES ($1, 1)', [rebooted]);

      const counted = await store.sessions.countedSessions(username, 3600);
      expect(counted).toEqual([{ id: fresh, username, nas: 'bras-1', updatedAt: Math.ceil(recent.getTime() / 1000) }]);
      expect(await store.sessions.countedSessions(username, 30)).toEqual([]);
      expect(await store.sessions.countedSessions(username.toUpperCase(), 3600)).toEqual([]);
      await expect(store.sessions.countedSessions(username, -1)).rejects.toThrow(RangeError);

      // The load holds every username's counted sessions, and no others.
      const other = unique('counted-other');
      const more = [
        await insertSession(sql, { username: other, startedAt: old, updatedAt: recent.toISOString() }),
        await insertSession(sql, { username: other, startedAt: old, updatedAt: recent.toISOString() }),
      ];
      const all = await store.sessions.allCountedSessions(3600);
      const ours = all.filter((s) => s.username === username || s.username === other).map((s) => s.id);
      expect(ours.sort((x, y) => x - y)).toEqual([fresh, ...more]);
      expect(all.every((s) => s.updatedAt >= Date.now() / 1000 - 3600 - 5)).toBe(true);
    });

    it('closes stale sessions with stoppedAt = updatedAt and Stale-Session, and only those', async () => {
      const username = unique('stale');
      const now = new Date('2025-05-01T12:00:00Z');
      const stale = await insertSession(sql, { username, startedAt: '2025-05-01T08:00:00Z', updatedAt: '2025-05-01T10:00:00Z' });
      const fresh = await insertSession(sql, { username, startedAt: '2025-05-01T08:00:00Z', updatedAt: '2025-05-01T11:30:00Z' });
      const stopped = await insertSession(sql, { username, startedAt: '2025-05-01T07:00:00Z', stoppedAt: '2025-05-01T07:30:00Z' });
      // Everything else in the database is older than `now` too: close it first so the counts below are ours.
      await store.sessions.closeStale(3600, now);
      const again = await store.sessions.closeStale(3600, now);
      expect(again).toBe(0);

      expect(await store.sessions.get(stale)).toMatchObject({ stoppedAt: '2025-05-01T10:00:00.000Z', terminateCause: 'Stale-Session' });
      expect(await store.sessions.get(fresh)).toMatchObject({ stoppedAt: null, terminateCause: null });
      expect(await store.sessions.get(stopped)).toMatchObject({ stoppedAt: '2025-05-01T07:30:00.000Z', terminateCause: 'User-Request' });
      expect(await store.sessions.countActive(username)).toBe(1);

      // Half an hour later the fresh one is stale as well.
      expect(await store.sessions.closeStale(3600, new Date('2025-05-01T12:31:00Z'))).toBe(1);
      expect(await store.sessions.countActive(username)).toBe(0);
    });

    it("per-NAS stale limits: each session is judged by its NAS's limit, the others by the default", async () => {
      const username = unique('stale-nas');
      const now = new Date('2025-06-01T12:00:00Z');
      const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
      // A NAS reporting every 900 s (limit 3600 s), one every 60 s (limit 240 s), and one on the default (1200 s).
      const limits = { defaultSeconds: 1200, byNas: { 'bras-slow': 3600, 'bras-fast': 240 } };
      const slow = await insertSession(sql, { username, nasName: 'bras-slow', startedAt: at(120), updatedAt: at(50) });
      const fast = await insertSession(sql, { username, nasName: 'bras-fast', startedAt: at(120), updatedAt: at(5) });
      const plain = await insertSession(sql, { username, nasName: 'bras-1', startedAt: at(120), updatedAt: at(30) });
      const plainFresh = await insertSession(sql, { username, nasName: 'bras-1', startedAt: at(120), updatedAt: at(10) });
      await store.sessions.closeStale(limits, now);
      const stopped = async (id: number) => (await store.sessions.get(id))?.terminateCause ?? null;
      expect([await stopped(slow), await stopped(fast), await stopped(plain), await stopped(plainFresh)]).toEqual([null, 'Stale-Session', 'Stale-Session', null]);

      // The counting query judges the same way, on the database clock.
      const live = unique('counted-nas');
      const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
      const s1 = await insertSession(sql, { username: live, nasName: 'bras-slow', startedAt: ago(120), updatedAt: ago(50) });
      await insertSession(sql, { username: live, nasName: 'bras-fast', startedAt: ago(120), updatedAt: ago(5) });
      const s3 = await insertSession(sql, { username: live, nasName: 'bras-1', startedAt: ago(120), updatedAt: ago(10) });
      expect((await store.sessions.countedSessions(live, limits)).map((x) => x.id)).toEqual([s1, s3]);
      expect((await store.sessions.allCountedSessions(limits)).filter((x) => x.username === live).map((x) => x.id).sort((x, y) => x - y)).toEqual([s1, s3]);
      // A NAS whose name is a JavaScript property of every object is still just a name.
      expect(await store.sessions.countedSessions(live, { defaultSeconds: 1200, byNas: { constructor: 60 } })).toHaveLength(2);
      await expect(store.sessions.countedSessions(live, { defaultSeconds: 1200, byNas: { 'bras-1': -5 } })).rejects.toThrow(RangeError);
    });

    it('counts what it closes, and by default uses the database clock', async () => {
      const username = unique('clock');
      const longAgo = new Date(Date.now() - 3 * 3_600_000).toISOString();
      const recent = new Date(Date.now() - 60_000).toISOString();
      await store.sessions.closeStale(2 * 3600); // earlier tests' rows
      const a = await insertSession(sql, { username, startedAt: longAgo, updatedAt: longAgo });
      const b = await insertSession(sql, { username, startedAt: longAgo, updatedAt: longAgo });
      await insertSession(sql, { username, startedAt: longAgo, updatedAt: recent });
      expect(await store.sessions.closeStale(2 * 3600)).toBe(2);
      expect((await store.sessions.get(a))?.terminateCause).toBe('Stale-Session');
      expect((await store.sessions.get(b))?.stoppedAt).toBe(new Date(longAgo).toISOString());
      expect(await store.sessions.countActive(username)).toBe(1);
      await expect(store.sessions.closeStale(-1)).rejects.toThrow(RangeError);
    });

    it('gives a session with its NAS by id, else by name, or none', async () => {
      const nas = await store.nas.create({ name: unique('nas'), address: '192.0.2.77', secret: 'coa-secret', vendor: 'mikrotik', coaPort: 3799 });
      const byId = await insertSession(sql, { username: unique('n1'), nasName: nas.name, nasId: nas.id, startedAt: '2025-06-01T00:00:00Z' });
      const byName = await insertSession(sql, { username: unique('n2'), nasName: nas.name, startedAt: '2025-06-01T00:00:00Z' });
      const unknown = await insertSession(sql, { username: unique('n3'), nasName: unique('ghost'), startedAt: '2025-06-01T00:00:00Z' });
      const expected = { id: nas.id, name: nas.name, address: '192.0.2.77', secret: 'coa-secret', coaPort: 3799, vendor: 'mikrotik' };
      expect(await store.sessions.withNas(byId)).toEqual({ session: await store.sessions.get(byId), nas: expected });
      expect((await store.sessions.withNas(byName))?.nas).toEqual(expected);
      expect(await store.sessions.withNas(unknown)).toEqual({ session: await store.sessions.get(unknown), nas: null });
      expect(await store.sessions.withNas(9_999_999)).toBeUndefined();
    });

    it('uses the GiST index for the IP look-up on PostgreSQL', async () => {
      if (sql.kind !== 'postgres') return;
      await sql.query('ANALYZE sessions');
      const plan = await sql.transaction(async (tx) => {
        await tx.query('SET LOCAL enable_seqscan = off');
        return tx.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT id FROM sessions WHERE framed_ip = $1::inet AND tstzrange(started_at, stopped_at, '[]') @> $2::timestamptz`,
          ['100.64.9.9', '2025-03-01T11:00:00Z'],
        );
      });
      expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('sessions_ip_time_idx');
    });
  });
}

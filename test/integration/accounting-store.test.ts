/**
 * Accounting traces through the journal and the rater on a real database (PGlite, or PostgreSQL when TEST_DATABASE_URL is
 * set): every BRAS misbehaviour of docs/reference.md §7 is charged once and only once, balances follow the ledger,
 * and a failed transaction acknowledges nothing and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acctUniqueId } from '../../src/billing/core/session-rules.js';
import type { AccountingRecord } from '../../src/domain/accounting.js';
import { createLogger } from '../../src/observability/logger.js';
import type { Store } from '../../src/domain/ports.js';
import type { Sql } from '../../src/store/sql.js';
import { createStore } from '../../src/store/store.js';
import { RatedAccounting } from '../helpers/accounting.js';
import { ratedSubject, type RatedSubject } from '../helpers/rated-subject.js';
import { createTestSql, type TestSql } from '../helpers/sql.js';
import { acct, STATUS, type AcctSpec } from '../unit/billing/packets.js';

const GB = 1_000_000_000;
const T0 = Date.UTC(2030, 2, 10, 12) / 1000; // 2030-03-10 12:00 UTC, seconds
const log = createLogger('silent');

let db: TestSql;
let sql: Sql;
let store: Store;
let writer: RatedAccounting;
let seq = 0;

async function subject(tariff: { pricePerGB?: number; includedBytes?: number; pricePerMinute?: number } = { pricePerGB: 1000 }): Promise<RatedSubject> {
  const n = ++seq;
  return ratedSubject(store, writer, { tariff: `t${n}`, user: `user${n}`, nas: `bras-${n}` }, tariff);
}

async function charged(accountId: number): Promise<{ traffic: number; time: number; balance: number }> {
  const rows = await sql.query<{ traffic: number; time: number; balance: number }>(
    `SELECT coalesce((SELECT sum(amount) FROM charges WHERE account_id = $1 AND kind = 'traffic'), 0) AS traffic,
            coalesce((SELECT sum(amount) FROM charges WHERE account_id = $1 AND kind = 'time'), 0) AS time,
            (SELECT balance FROM accounts WHERE id = $1) AS balance`,
    [accountId],
  );
  return rows[0]!;
}

interface SessionView {
  acct_unique_id: string;
  stopped_at: Date | null;
  terminate_cause: string | null;
  input_octets: number;
  output_octets: number;
  session_time: number;
  rated_octets: number;
  charged_traffic: number;
  charged_time: number;
  last_status: string;
}

function sessionsOf(nas: string): Promise<SessionView[]> {
  return sql.query<SessionView>(
    `SELECT acct_unique_id, stopped_at, terminate_cause, input_octets, output_octets, session_time, rated_octets,
            charged_traffic, charged_time, last_status
     FROM sessions WHERE nas_name = $1 ORDER BY id`,
    [nas],
  );
}

beforeAll(async () => {
  db = await createTestSql({ migrate: true, max: 8 });
  sql = db.sql;
  store = createStore(sql);
  writer = new RatedAccounting(sql, { maxBatch: 256 }, log);
});

afterAll(async () => {
  await writer?.stop();
  await db?.cleanup();
});

describe('AccountingWriter: exactly-once rating', () => {
  it('a retransmit with the same content charges once', async () => {
    const s = await subject();
    await s.send({ status: STATUS.start, sid: 'A', at: T0 });
    const interim = { status: STATUS.interim, sid: 'A', at: T0 + 60, in: GB, out: GB, time: 60 };
    await s.send(interim, interim);
    await s.sendTogether(interim, interim, interim);
    expect(await charged(s.accountId)).toEqual({ traffic: 2000, time: 0, balance: -2000 });
    const [row] = await sessionsOf(s.nas);
    expect(row).toMatchObject({ acct_unique_id: acctUniqueId(s.nas, 'A'), input_octets: GB, output_octets: GB, rated_octets: 2 * GB, charged_traffic: 2000, last_status: 'interim-update' });
  });

  it('a retransmit with a larger Acct-Delay-Time (new ID, same counters) charges once', async () => {
    const s = await subject();
    const received = new Date((T0 + 120) * 1000);
    await writer.submit(acct(s.nas, { user: s.user, status: STATUS.interim, sid: 'B', in: GB, out: 0, time: 60 }, received));
    await writer.submit(acct(s.nas, { user: s.user, status: STATUS.interim, sid: 'B', in: GB, out: 0, time: 60, delay: 5 }, new Date(received.getTime() + 5000)));
    await writer.submit(acct(s.nas, { user: s.user, status: STATUS.interim, sid: 'B', in: GB, out: 0, time: 60, delay: 10 }, new Date(received.getTime() + 10000)));
    expect(await charged(s.accountId)).toEqual({ traffic: 1000, time: 0, balance: -1000 });
  });

  it('reordered Interims charge the final counters once', async () => {
    const s = await subject();
    await s.send(
      { status: STATUS.interim, sid: 'C', at: T0 + 120, in: 3 * GB, out: 0, time: 120 },
      { status: STATUS.start, sid: 'C', at: T0 },
      { status: STATUS.interim, sid: 'C', at: T0 + 60, in: GB, out: 0, time: 60 },
    );
    expect((await charged(s.accountId)).traffic).toBe(3000);
    await s.send({ status: STATUS.stop, sid: 'C', at: T0 + 180, in: 4 * GB, out: 0, time: 180, cause: 1 });
    expect(await charged(s.accountId)).toEqual({ traffic: 4000, time: 0, balance: -4000 });
    const [row] = await sessionsOf(s.nas);
    expect(row).toMatchObject({ input_octets: 4 * GB, session_time: 180, terminate_cause: 'User-Request', last_status: 'stop' });
  });

  it('an Interim after Stop charges nothing and leaves the session stopped', async () => {
    const s = await subject();
    await s.send(
      { status: STATUS.start, sid: 'D', at: T0 },
      { status: STATUS.stop, sid: 'D', at: T0 + 300, in: GB, out: GB, time: 300 },
      { status: STATUS.interim, sid: 'D', at: T0 + 240, in: GB / 2, out: GB / 2, time: 240 },
      { status: STATUS.stop, sid: 'D', at: T0 + 300, in: GB, out: GB, time: 300, delay: 3 },
    );
    expect(await charged(s.accountId)).toEqual({ traffic: 2000, time: 0, balance: -2000 });
    const rows = await sessionsOf(s.nas);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ last_status: 'stop', input_octets: GB, output_octets: GB });
    expect(rows[0]!.stopped_at?.toISOString()).toBe(new Date((T0 + 300) * 1000).toISOString());
  });

  it('a Stop without Start creates the session closed, charges it and reports the account blocking', async () => {
    const s = await subject({ pricePerGB: 1000, pricePerMinute: 6 });
    const [result] = await s.send({ status: STATUS.stop, sid: 'E', at: T0 + 100, in: GB, out: GB / 2, time: 100, cause: 2 });
    expect(result!.accountStateChanges).toEqual([{ accountId: s.accountId, state: 'blocked' }]);
    expect(await charged(s.accountId)).toEqual({ traffic: 1500, time: 10, balance: -1510 });
    const rows = await sessionsOf(s.nas);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ terminate_cause: 'Lost-Carrier', last_status: 'stop', charged_time: 10 });
    const started = await sql.query<{ started_at: Date }>('SELECT started_at FROM sessions WHERE nas_name = $1', [s.nas]);
    expect(started[0]!.started_at.toISOString()).toBe(new Date(T0 * 1000).toISOString());
    // Blocked stays blocked: a second charge reports no new transition.
    const again = await s.send({ status: STATUS.stop, sid: 'E', at: T0 + 100, in: GB, out: GB / 2, time: 100 });
    expect(again[0]!.accountStateChanges).toEqual([]);
  });

  it('a Stop with zero counters charges nothing and keeps the counters', async () => {
    const s = await subject();
    await s.send(
      { status: STATUS.start, sid: 'F', at: T0 },
      { status: STATUS.interim, sid: 'F', at: T0 + 60, in: 4_000_000_000, out: GB, time: 60 },
      { status: STATUS.stop, sid: 'F', at: T0 + 90, in: 0, out: 0, time: 0 },
    );
    expect(await charged(s.accountId)).toEqual({ traffic: 5000, time: 0, balance: -5000 });
    expect((await sessionsOf(s.nas))[0]).toMatchObject({ input_octets: 4_000_000_000, output_octets: GB, session_time: 60, last_status: 'stop' });
  });

  it('a 32-bit wrap with Gigawords is charged exactly', async () => {
    const s = await subject();
    await s.send(
      { status: STATUS.interim, sid: 'G', at: T0 + 60, in: 4_000_000_000, inGw: 0, out: 0, time: 60 },
      { status: STATUS.interim, sid: 'G', at: T0 + 120, in: 100_000_000, inGw: 1, out: 0, time: 120 },
      { status: STATUS.interim, sid: 'G', at: T0 + 90, in: 4_200_000_000, inGw: 0, out: 0, time: 90 }, // late, older
    );
    const total = 2 ** 32 + 100_000_000;
    expect((await charged(s.accountId)).traffic).toBe(Math.floor((total * 1000) / GB));
    expect((await sessionsOf(s.nas))[0]!.input_octets).toBe(total);
  });

  it('a 32-bit wrap without Gigawords is taken as +2^32; a late older Interim is not', async () => {
    const s = await subject();
    await s.send(
      { status: STATUS.interim, sid: 'H', at: T0 + 60, in: 4_000_000_000, out: 0, time: 60 },
      { status: STATUS.interim, sid: 'H', at: T0 + 120, in: 100_000_000, out: 0, time: 120 },
      { status: STATUS.interim, sid: 'H', at: T0 + 90, in: 4_200_000_000, out: 0, time: 90 },
      { status: STATUS.interim, sid: 'H', at: T0 + 180, in: 300_000_000, out: 0, time: 180 },
    );
    const total = 2 ** 32 + 300_000_000;
    expect((await charged(s.accountId)).traffic).toBe(Math.floor((total * 1000) / GB));
    expect((await sessionsOf(s.nas))[0]!.input_octets).toBe(total);
  });

  it('an Acct-Session-Id reused after Accounting-On starts a new session', async () => {
    const s = await subject();
    const other = await subject(); // another NAS: its sessions stay open
    await other.send({ status: STATUS.start, sid: 'I', at: T0 });
    await s.send(
      { status: STATUS.start, sid: 'I', at: T0 },
      { status: STATUS.start, sid: 'J', at: T0 },
      { status: STATUS.interim, sid: 'I', at: T0 + 600, in: GB, out: 0, time: 600 },
    );
    await writer.submit(acct(s.nas, { status: STATUS.on, at: T0 + 1000 }));
    await s.send(
      { status: STATUS.start, sid: 'I', at: T0 + 1010 },
      { status: STATUS.interim, sid: 'I', at: T0 + 1070, in: GB / 2, out: 0, time: 60 },
      { status: STATUS.start, sid: 'I', at: T0 }, // the old Start, retransmitted late: no third session
      { status: STATUS.interim, sid: 'I', at: T0 + 700, in: GB, out: 0, time: 700 }, // the old session's late Interim
    );
    expect((await charged(s.accountId)).traffic).toBe(1500);
    const rows = await sessionsOf(s.nas);
    expect(rows.map((r) => [r.acct_unique_id.startsWith(acctUniqueId(s.nas, 'I')), r.terminate_cause, r.last_status])).toEqual([
      [true, 'NAS-Reboot', 'stop'],
      [false, 'NAS-Reboot', 'stop'],
      [true, null, 'interim-update'],
    ]);
    expect(rows[2]!.acct_unique_id).toBe(acctUniqueId(s.nas, 'I'));
    expect(rows[0]!.acct_unique_id).not.toBe(acctUniqueId(s.nas, 'I'));
    expect((await sessionsOf(other.nas))[0]!.stopped_at).toBeNull();
    // Accounting-Off, an open session and its reuse all in one batch.
    await s.sendTogether(
      { status: STATUS.interim, sid: 'I', at: T0 + 1130, in: GB, out: 0, time: 120 },
      { status: STATUS.off, at: T0 + 1200 },
      { status: STATUS.start, sid: 'I', at: T0 + 1300 },
      { status: STATUS.stop, sid: 'I', at: T0 + 1360, in: GB, out: 0, time: 60 },
    );
    expect((await charged(s.accountId)).traffic).toBe(3000);
    const after = await sessionsOf(s.nas);
    expect(after).toHaveLength(4);
    expect(after.every((r) => r.stopped_at !== null)).toBe(true);
    expect(new Set(after.map((r) => r.acct_unique_id)).size).toBe(4);
  });

  it('the included volume is shared by the sessions of one month', async () => {
    const s = await subject({ pricePerGB: 1000, includedBytes: 1.5 * GB });
    await s.send(
      { status: STATUS.stop, sid: 'K1', at: T0 + 60, in: GB, out: 0, time: 60 },
      { status: STATUS.interim, sid: 'K2', at: T0 + 120, in: GB / 4, out: 0, time: 60 },
      { status: STATUS.stop, sid: 'K2', at: T0 + 180, in: GB / 2, out: GB / 2, time: 120 },
    );
    expect((await charged(s.accountId)).traffic).toBe(500);
    // Next month starts with a fresh included volume.
    const april = Date.UTC(2030, 3, 2) / 1000;
    await s.send({ status: STATUS.stop, sid: 'K3', at: april, in: 2 * GB, out: 0, time: 60 });
    expect((await charged(s.accountId)).traffic).toBe(1000);
    const usage = await sql.query<{ month: string; octets: number; seconds: number; charged_traffic: number }>(
      'SELECT month::text AS month, octets, seconds, charged_traffic FROM usage_monthly WHERE subscriber_id = $1 ORDER BY month',
      [s.subscriberId],
    );
    expect(usage).toEqual([
      { month: '2030-03-01', octets: 2 * GB, seconds: 180, charged_traffic: 500 },
      { month: '2030-04-01', octets: 2 * GB, seconds: 60, charged_traffic: 500 },
    ]);
  });

  it('time is charged by the cumulative floor over session seconds', async () => {
    const s = await subject({ pricePerMinute: 7 });
    await s.send(
      { status: STATUS.start, sid: 'L', at: T0 },
      { status: STATUS.interim, sid: 'L', at: T0 + 30, time: 30, in: 0, out: 0 },
      { status: STATUS.interim, sid: 'L', at: T0 + 90, time: 90, in: 0, out: 0 },
      { status: STATUS.interim, sid: 'L', at: T0 + 60, time: 60, in: 0, out: 0 },
      { status: STATUS.stop, sid: 'L', at: T0 + 125, time: 125, in: 0, out: 0 },
      { status: STATUS.stop, sid: 'L', at: T0 + 125, time: 125, in: 0, out: 0, delay: 1 },
    );
    expect(await charged(s.accountId)).toEqual({ traffic: 0, time: 14, balance: -14 });
  });

  it('a fractional price over many small interims sums exactly to floor(total × 7 / 1e9)', async () => {
    const s = await subject({ pricePerGB: 7 });
    const specs: Omit<AcctSpec, 'user'>[] = [];
    let total = 0;
    for (let i = 1; i <= 60; i++) {
      total += 33_333_333 + i;
      specs.push({ status: STATUS.interim, sid: 'M', at: T0 + i * 10, in: total % 2 ** 32, inGw: Math.floor(total / 2 ** 32), out: 0, time: i * 10 });
    }
    await s.send(...specs.slice(0, 30));
    await s.sendTogether(...specs.slice(30));
    expect((await charged(s.accountId)).traffic).toBe(Math.floor((total * 7) / GB));
  });

  it('two writers (two daemons) submitting the same records concurrently charge once', async () => {
    const s = await subject({ pricePerGB: 1000, pricePerMinute: 5 });
    // Three daemons, each with its journal writer and rater; small rating batches interleave them.
    const second = new RatedAccounting(sql, { maxBatch: 8, maxInFlight: 3, maxRecords: 7 }, log);
    const first = new RatedAccounting(sql, { maxBatch: 5, maxRecords: 3 }, log);
    const records: AccountingRecord[] = [];
    let expectedTraffic = 0;
    let expectedTime = 0;
    for (let k = 0; k < 20; k++) {
      const sid = `N${k}`;
      const bytes = (k + 1) * 123_456_789;
      records.push(s.record({ status: STATUS.start, sid, at: T0 }));
      for (let i = 1; i <= 3; i++) records.push(s.record({ status: STATUS.interim, sid, at: T0 + i * 60, in: Math.floor((bytes * i) / 4), out: 0, time: i * 60 }));
      records.push(s.record({ status: STATUS.stop, sid, at: T0 + 300, in: bytes, out: 0, time: 300 + k }));
      expectedTraffic += bytes;
      expectedTime += Math.floor(((300 + k) * 5) / 60);
    }
    const shuffled = [...records].sort((a, b) => (a.acctSessionId.length * 7 + a.eventTime.getTime()) % 13 - (b.acctSessionId.length * 7 + b.eventTime.getTime()) % 13);
    await Promise.all([...records.map((r) => first.submit(r)), ...shuffled.map((r) => second.submit(r)), ...records.map((r) => writer.submit(r))]);
    await Promise.all([first.stop(), second.stop()]);
    const c = await charged(s.accountId);
    expect(c.traffic).toBe(Math.floor((expectedTraffic * 1000) / GB));
    expect(c.time).toBe(expectedTime);
    expect(c.balance).toBe(-(c.traffic + c.time));
    expect(await sessionsOf(s.nas)).toHaveLength(20);
  });

  it('a failed journal INSERT rejects every record of its batch and writes nothing', async () => {
    const s = await subject();
    await sql.query('ALTER TABLE accounting_journal ADD CONSTRAINT test_no_rows CHECK (records < 0) NOT VALID');
    try {
      const outcomes = await Promise.allSettled(
        [
          { status: STATUS.start, sid: 'P2', at: T0 },
          { status: STATUS.interim, sid: 'P', at: T0 + 60, in: GB, out: 0, time: 60 },
        ].map((spec) => writer.journal.submit(s.record(spec))),
      );
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
      await writer.rater.drain();
      expect(await sessionsOf(s.nas)).toEqual([]);
      expect(await charged(s.accountId)).toEqual({ traffic: 0, time: 0, balance: 0 });
    } finally {
      await sql.query('ALTER TABLE accounting_journal DROP CONSTRAINT test_no_rows');
    }
    // The BRAS retransmits: charged once now.
    await s.sendTogether({ status: STATUS.start, sid: 'P2', at: T0 }, { status: STATUS.interim, sid: 'P', at: T0 + 60, in: GB, out: 0, time: 60 });
    expect(await charged(s.accountId)).toEqual({ traffic: 1000, time: 0, balance: -1000 });
  });

  it('a rating failure that is not the data (a trigger raising) keeps the records journaled and rates them once it passes', async () => {
    const s = await subject();
    await sql.query(`CREATE FUNCTION test_refuse_charges() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'maintenance'; END $$`);
    await sql.query('CREATE TRIGGER test_refuse_charges BEFORE INSERT ON charges FOR EACH ROW EXECUTE FUNCTION test_refuse_charges()');
    try {
      // Acknowledged: the journal took it.
      await writer.journal.submit(s.record({ status: STATUS.interim, sid: 'R', at: T0 + 60, in: GB, out: 0, time: 60 }));
      await expect(writer.rater.drain(400)).rejects.toThrow(/not drained/);
      expect(await charged(s.accountId)).toEqual({ traffic: 0, time: 0, balance: 0 });
      const journal = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM accounting_journal');
      expect(journal[0]!.n).toBe(1);
    } finally {
      await sql.query('DROP TRIGGER test_refuse_charges ON charges');
      await sql.query('DROP FUNCTION test_refuse_charges()');
    }
    await writer.rater.drain(10_000);
    expect(await charged(s.accountId)).toEqual({ traffic: 1000, time: 0, balance: -1000 });
  });

  it('a journal row that cannot be rated moves to accounting_journal_rejected and the rows behind it are rated', async () => {
    const s = await subject();
    const good = await subject();
    // The rating of this account's charges violates a constraint (a data error): only its row is set aside.
    await sql.query(`ALTER TABLE charges ADD CONSTRAINT test_bad_account CHECK (account_id <> ${s.accountId}) NOT VALID`);
    try {
      await writer.journal.submit(good.record({ status: STATUS.interim, sid: 'G1', at: T0 + 60, in: GB, out: 0, time: 60 }));
      await writer.journal.submit(s.record({ status: STATUS.interim, sid: 'B', at: T0 + 60, in: GB, out: 0, time: 60 }));
      await writer.journal.submit(good.record({ status: STATUS.interim, sid: 'G2', at: T0 + 60, in: GB, out: 0, time: 60 }));
      await writer.rater.drain(10_000);
    } finally {
      await sql.query('ALTER TABLE charges DROP CONSTRAINT test_bad_account');
    }
    expect(await charged(good.accountId)).toEqual({ traffic: 2000, time: 0, balance: -2000 });
    expect(await charged(s.accountId)).toEqual({ traffic: 0, time: 0, balance: 0 });
    const rejected = await sql.query<{ records: number; error: string; body: string }>('SELECT records, error, body FROM accounting_journal_rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.error).toMatch(/test_bad_account/);
    expect(rejected[0]!.body).toContain(s.user);
    expect((await store.ledger.verify()).mismatches).toEqual([]);
    // The operator fixes the cause and replays the row: it is charged then, once.
    await sql.query('INSERT INTO accounting_journal (records, body) SELECT records, body FROM accounting_journal_rejected');
    await sql.query('DELETE FROM accounting_journal_rejected');
    await writer.rater.drain(10_000);
    expect(await charged(s.accountId)).toEqual({ traffic: 1000, time: 0, balance: -1000 });
  });

  it('an unknown user is recorded without charges; Acct-Status-Type other is acknowledged and ignored', async () => {
    const nas = 'bras-unknown';
    await writer.submit(acct(nas, { status: STATUS.stop, sid: 'Q', user: 'nobody', at: T0 + 60, in: GB, time: 60 }));
    expect(await writer.submit(acct(nas, { status: 15, user: 'nobody' }))).toEqual({ accountStateChanges: [] });
    const rows = await sql.query<{ subscriber_id: number | null; rated_octets: number }>('SELECT subscriber_id, rated_octets FROM sessions WHERE nas_name = $1', [nas]);
    expect(rows).toEqual([{ subscriber_id: null, rated_octets: GB }]);
  });

  it('garbage counters beyond 2^53 are ignored instead of failing every batch they join', async () => {
    const s = await subject();
    await s.sendTogether(
      { status: STATUS.interim, sid: 'U', at: T0 + 60, in: GB, out: 0, time: 60 },
      { status: STATUS.interim, sid: 'U', at: T0 + 120, in: 5, inGw: 0xffffffff, out: GB, time: 120 },
    );
    expect(await charged(s.accountId)).toEqual({ traffic: 2000, time: 0, balance: -2000 });
  });

  it('a session stays charged to the login it started with', async () => {
    const s = await subject();
    const other = await subject();
    await s.send({ status: STATUS.start, sid: 'V', at: T0 });
    await writer.submit(acct(s.nas, { user: other.user, status: STATUS.interim, sid: 'V', at: T0 + 60, in: GB, out: 0, time: 60 }));
    expect((await charged(s.accountId)).traffic).toBe(1000);
    expect((await charged(other.accountId)).traffic).toBe(0);
  });

  it('the ledger check finds no mismatch after all of it, and finds a corrupted balance', async () => {
    const clean = await store.ledger.verify();
    expect(clean.accounts).toBeGreaterThan(10);
    expect(clean.mismatches).toEqual([]);
    const s = await subject();
    await s.send({ status: STATUS.stop, sid: 'R', at: T0 + 60, in: GB, out: 0, time: 60 });
    await sql.query('UPDATE accounts SET balance = balance + 7 WHERE id = $1', [s.accountId]);
    expect((await store.ledger.verify()).mismatches).toEqual([{ accountId: s.accountId, balance: -993, expected: -1000 }]);
    await sql.query('UPDATE accounts SET balance = balance - 7 WHERE id = $1', [s.accountId]);
    expect((await store.ledger.verify()).mismatches).toEqual([]);
  });

  it('stop() drains the queue and refuses new records', async () => {
    const w = new RatedAccounting(sql, { maxBatch: 2 }, log);
    const s = await subject();
    const pending = [1, 2, 3, 4, 5].map((i) => w.journal.submit(s.record({ status: STATUS.start, sid: `S${i}`, at: T0 })));
    await w.stop();
    await expect(Promise.all(pending)).resolves.toHaveLength(5);
    await expect(w.journal.submit(s.record({ status: STATUS.start, sid: 'S9', at: T0 }))).rejects.toThrow(/stopped/);
    expect(await sessionsOf(s.nas)).toHaveLength(5);
  });
});

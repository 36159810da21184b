/**
 * Regression tests of the "accounting truth" defects (docs/accounting.md): each was reproduced on the code
 * before the fix, through the journal and the rater on a real database (PGlite, or PostgreSQL with
 * TEST_DATABASE_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountingRecordOf } from '../../src/aaa/accounting-record.js';
import { type AccountingRecord } from '../../src/domain/accounting.js';
import { createLogger } from '../../src/observability/logger.js';
import { registry } from '../../src/observability/metrics.js';
import { Attr } from '../../src/radius/codes.js';
import type { Store } from '../../src/domain/ports.js';
import type { Sql } from '../../src/store/sql.js';
import { createStore } from '../../src/store/store.js';
import { RatedAccounting } from '../helpers/accounting.js';
import { ratedSubject, type RatedSubject } from '../helpers/rated-subject.js';
import { metricValue } from '../helpers/metrics.js';
import { createTestSql, type TestSql } from '../helpers/sql.js';
import { acctPacket, STATUS, type AcctSpec } from '../unit/billing/packets.js';

const GB = 1_000_000_000;
const T0 = Date.UTC(2030, 2, 10, 12) / 1000;
const log = createLogger('silent');

let db: TestSql;
let sql: Sql;
let store: Store;
let writer: RatedAccounting;
let seq = 0;

async function subject(tariff: { pricePerGB?: number; pricePerMinute?: number } = { pricePerGB: 1000 }, creditLimit = 10_000_000): Promise<RatedSubject> {
  const n = ++seq;
  return ratedSubject(store, writer, { tariff: `truth-${n}`, user: `truth${n}`, nas: `bras-truth-${n}` }, tariff, creditLimit);
}

/** A record whose Acct-Session-Id is these exact octets. */
function withSessionOctets(nas: string, user: string, sid: Buffer, spec: AcctSpec): AccountingRecord {
  const packet = acctPacket({ ...spec, user });
  packet.attributes.push({ type: Attr.AcctSessionId, value: sid });
  const r = accountingRecordOf(packet, { name: nas }, new Date((spec.at ?? T0) * 1000));
  if ('error' in r) throw new Error(r.error);
  return r;
}

async function charged(accountId: number): Promise<number> {
  const rows = await sql.query<{ n: string }>('SELECT coalesce(sum(amount), 0)::text AS n FROM charges WHERE account_id = $1', [accountId]);
  return Number(rows[0]?.n ?? 0);
}

async function sessionsOf(nas: string) {
  return sql.query<{ acct_session_id: string; stopped_at: Date | null; final: boolean; nas_epoch: number; input_octets: number; session_time: number; updated_at: Date; charged_traffic: number }>(
    'SELECT acct_session_id, stopped_at, final, nas_epoch::int, input_octets, session_time, updated_at, charged_traffic FROM sessions WHERE nas_name = $1 ORDER BY id',
    [nas],
  );
}

const metric = async (name: string, labels: Record<string, string> = {}): Promise<number> => metricValue(await registry.metrics(), name, labels);

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

describe('1. one NUL byte discards acknowledged accounting', () => {
  it('a NUL in one Acct-Session-Id of a group commit loses none of the batch: 41 Starts, 41 sessions; 10 Stops, 960 units billed', async () => {
    const s = await subject({ pricePerGB: 96 });
    const sid = (i: number): Buffer => (i === 7 ? Buffer.from([0x6e, 0x75, 0x6c, 0x00, 0x37]) : Buffer.from(`nul-${i}`));
    // All submitted in one tick: one journal INSERT, one commit.
    await Promise.all(Array.from({ length: 41 }, (_, i) => writer.journal.submit(withSessionOctets(s.nas, s.user, sid(i), { status: STATUS.start, at: T0 }))));
    await writer.rater.drain();
    expect(await sessionsOf(s.nas)).toHaveLength(41);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => writer.journal.submit(withSessionOctets(s.nas, s.user, sid(i), { status: STATUS.stop, at: T0 + 60, in: GB, time: 60 }))),
    );
    await writer.rater.drain();
    const open = (await sessionsOf(s.nas)).filter((r) => r.stopped_at === null);
    expect(open).toHaveLength(31);
    expect(await charged(s.accountId)).toBe(960);
    const rejected = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM accounting_journal_rejected');
    expect(rejected[0]!.n).toBe(0);
  });

  it('a record the rater cannot apply is isolated alone: every other record of its batch is rated', async () => {
    const bad = await subject();
    const good = await subject();
    await sql.query(`ALTER TABLE charges ADD CONSTRAINT test_truth_bad_account CHECK (account_id <> ${bad.accountId}) NOT VALID`);
    const before = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM accounting_journal_rejected');
    try {
      const records = Array.from({ length: 30 }, (_, i) =>
        i === 13 ? bad.record({ status: STATUS.interim, sid: 'poison', at: T0 + 60, in: GB, time: 60 }) : good.record({ status: STATUS.interim, sid: `g${i}`, at: T0 + 60, in: GB, time: 60 }),
      );
      await Promise.all(records.map((r) => writer.journal.submit(r)));
      await writer.rater.drain();
    } finally {
      await sql.query('ALTER TABLE charges DROP CONSTRAINT test_truth_bad_account');
    }
    expect(await charged(good.accountId)).toBe(29 * 1000);
    const rejected = await sql.query<{ records: number; body: string }>('SELECT records, body FROM accounting_journal_rejected ORDER BY id OFFSET $1', [before[0]!.n]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.records).toBe(1);
    expect(rejected[0]!.body).toContain('poison');
  });
});

describe('1b. isolation inside one group commit', () => {
  it('two unrateable records in one journal row are rejected one by one; the other 28 are rated in order', async () => {
    const bad = await subject();
    const good = await subject();
    await sql.query(`ALTER TABLE charges ADD CONSTRAINT test_truth_bad_two CHECK (account_id <> ${bad.accountId}) NOT VALID`);
    const before = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM accounting_journal_rejected');
    try {
      const records = Array.from({ length: 30 }, (_, i) =>
        i === 3 || i === 21
          ? bad.record({ status: STATUS.interim, sid: `poison-${i}`, at: T0 + 60, in: GB, time: 60 })
          : good.record({ status: STATUS.interim, sid: 'same', at: T0 + i, in: (i + 1) * 10_000_000, time: i }),
      );
      await Promise.all(records.map((r) => writer.journal.submit(r)));
      const rows = await sql.query<{ records: number }>('SELECT records FROM accounting_journal ORDER BY id');
      expect(rows.map((r) => r.records)).toContain(30);
      await writer.rater.drain();
    } finally {
      await sql.query('ALTER TABLE charges DROP CONSTRAINT test_truth_bad_two');
    }
    const rejected = await sql.query<{ records: number; body: string }>('SELECT records, body FROM accounting_journal_rejected ORDER BY id OFFSET $1', [before[0]!.n]);
    expect(rejected.map((r) => [r.records, /poison-(\d+)/.exec(r.body)?.[1]])).toEqual([
      [1, '3'],
      [1, '21'],
    ]);
    // The session's last record (30 × 10^7 octets) is what counts: every good record was applied, in order.
    const [row] = await sessionsOf(good.nas);
    expect(row).toMatchObject({ input_octets: 300_000_000, session_time: 29 });
  });
});

describe('4. strings are not bytes', () => {
  it('inv-\\xffA and inv-\\xfeA are two sessions, each charged', async () => {
    const s = await subject({ pricePerGB: 33 });
    for (const last of [0xff, 0xfe]) {
      const sid = Buffer.from([0x69, 0x6e, 0x76, 0x2d, last, 0x41]);
      await writer.submit(withSessionOctets(s.nas, s.user, sid, { status: STATUS.start, at: T0 }));
      await writer.submit(withSessionOctets(s.nas, s.user, sid, { status: STATUS.stop, at: T0 + 60, in: GB, time: 60 }));
    }
    const rows = await sessionsOf(s.nas);
    expect(rows.map((r) => r.acct_session_id)).toEqual(['inv-\\xffA', 'inv-\\xfeA']);
    expect(await charged(s.accountId)).toBe(66);
  });
});

describe('5. a Stop is final', () => {
  it('an Interim after Stop with larger counters neither raises the session nor charges; counted', async () => {
    const s = await subject();
    const ignored = await metric('tollgate_accounting_ignored_total', { reason: 'after_stop' });
    await s.send(
      { status: STATUS.start, sid: 'F', at: T0 },
      { status: STATUS.stop, sid: 'F', at: T0 + 60, in: GB, time: 60 },
      { status: STATUS.interim, sid: 'F', at: T0 + 90, in: 3 * GB, time: 90 },
      { status: STATUS.stop, sid: 'F', at: T0 + 120, in: 4 * GB, time: 120 },
    );
    expect(await charged(s.accountId)).toBe(1000);
    const [row] = await sessionsOf(s.nas);
    expect(row).toMatchObject({ input_octets: GB, session_time: 60, final: true });
    expect(await metric('tollgate_accounting_ignored_total', { reason: 'after_stop' })).toBe(ignored + 2);
  });

  it('a session closed by the stale sweep still takes its late Stop', async () => {
    const s = await subject();
    await s.send({ status: STATUS.start, sid: 'L', at: T0 }, { status: STATUS.interim, sid: 'L', at: T0 + 60, in: GB, time: 60 });
    await store.sessions.closeStale(600, new Date((T0 + 3600) * 1000));
    await s.send({ status: STATUS.stop, sid: 'L', at: T0 + 120, in: 2 * GB, time: 120 });
    expect(await charged(s.accountId)).toBe(2000);
    expect((await sessionsOf(s.nas))[0]).toMatchObject({ final: true });
  });
});

describe('6. session identity does not depend on NAS clocks', () => {
  it('an Acct-Session-Id reused after Accounting-On within the same second is a new session, charged', async () => {
    const s = await subject();
    await s.send(
      { status: STATUS.start, sid: '1', at: T0 },
      { status: STATUS.interim, sid: '1', at: T0, in: GB, time: 0 },
      { status: STATUS.on, at: T0 },
      { status: STATUS.start, sid: '1', at: T0 },
      { status: STATUS.stop, sid: '1', at: T0, in: GB / 2, time: 0 },
    );
    const rows = await sessionsOf(s.nas);
    expect(rows.map((r) => [r.nas_epoch, r.final, r.input_octets])).toEqual([
      [0, true, GB],
      [1, true, GB / 2],
    ]);
    expect(await charged(s.accountId)).toBe(1500);
  });

  it('a Stop dated before its Start closes the session', async () => {
    const s = await subject();
    await writer.submit(s.record({ status: STATUS.start, sid: 'B', at: T0 }, T0));
    await writer.submit(s.record({ status: STATUS.stop, sid: 'B', at: T0 - 3600, in: GB, time: 60 }, T0 + 60));
    const [row] = await sessionsOf(s.nas);
    expect(row!.stopped_at).not.toBeNull();
    expect(row!.final).toBe(true);
    expect(await charged(s.accountId)).toBe(1000);
  });

  it('an Interim dated 2106 is clamped to the receive time + skew: the stale sweep still closes the session; counted', async () => {
    const s = await subject();
    const clamped = await metric('tollgate_accounting_clock_clamped_total');
    await writer.submit(s.record({ status: STATUS.start, sid: 'Z', at: T0 }, T0));
    await writer.submit(s.record({ status: STATUS.interim, sid: 'Z', at: 4_294_967_295, in: GB, time: 60 }, T0 + 60));
    const [row] = await sessionsOf(s.nas);
    expect(new Date(row!.updated_at).getTime()).toBe((T0 + 60 + 300) * 1000);
    expect(await metric('tollgate_accounting_clock_clamped_total')).toBe(clamped + 1);
    await store.sessions.closeStale(1200, new Date((T0 + 7200) * 1000));
    expect((await sessionsOf(s.nas))[0]!.stopped_at).not.toBeNull();
  });
});

describe('7. absurd counters are not billed automatically', () => {
  it('2^53−1 octets in one Interim are held for review; the session keeps rating', async () => {
    const s = await subject();
    const held = await metric('tollgate_accounting_held_total', { reason: 'octet_rate' });
    const big = 2 ** 53 - 1;
    await writer.submit(s.record({ status: STATUS.start, sid: 'H', at: T0 }, T0));
    await writer.submit(s.record({ status: STATUS.interim, sid: 'H', at: T0 + 300, in: GB, time: 300 }, T0 + 300));
    await writer.submit(s.record({ status: STATUS.interim, sid: 'H', at: T0 + 600, in: big % 2 ** 32, inGw: Math.floor(big / 2 ** 32), time: 600 }, T0 + 600));
    await writer.submit(s.record({ status: STATUS.stop, sid: 'H', at: T0 + 900, in: 2 * GB, time: 900 }, T0 + 900));
    expect(await charged(s.accountId)).toBe(2000);
    const rows = await sql.query<{ reason: string; octets: string; state: string; username: string }>(
      'SELECT reason, octets::text, state, username FROM accounting_held WHERE nas_name = $1',
      [s.nas],
    );
    expect(rows).toEqual([{ reason: 'octet_rate', octets: String(BigInt(big) - BigInt(GB)), state: 'held', username: s.user }]);
    expect(await metric('tollgate_accounting_held_total', { reason: 'octet_rate' })).toBe(held + 1);
  });

  it('Acct-Session-Time 2^32−1 in a Stop seconds after its Start is held; the Stop still closes the session', async () => {
    const s = await subject({ pricePerMinute: 7 });
    await writer.submit(s.record({ status: STATUS.start, sid: 'T', at: T0 }, T0));
    await writer.submit(s.record({ status: STATUS.stop, sid: 'T', at: T0 + 5, time: 4_294_967_295 }, T0 + 5));
    expect(await charged(s.accountId)).toBe(0);
    const [row] = await sessionsOf(s.nas);
    expect(row).toMatchObject({ final: true, session_time: 0 });
    const rows = await sql.query<{ reason: string }>('SELECT reason FROM accounting_held WHERE nas_name = $1', [s.nas]);
    expect(rows).toEqual([{ reason: 'session_time' }]);
  });

  it('an approved held record is applied to its session, even a stopped one, and charged once', async () => {
    const s = await subject();
    await writer.submit(s.record({ status: STATUS.start, sid: 'A', at: T0 }, T0));
    await writer.submit(s.record({ status: STATUS.stop, sid: 'A', at: T0 + 1, in: 0, inGw: 1000, time: 1 }, T0 + 1)); // 4.3 TB in one second
    expect(await charged(s.accountId)).toBe(0);
    const [held] = await sql.query<{ id: number; session_id: number; record: string }>('SELECT id, session_id, record FROM accounting_held WHERE nas_name = $1', [s.nas]);
    const { decodeRecord, encodeRecords } = await import('../../src/store/repositories/journal-codec.js');
    const approved = { ...decodeRecord(JSON.parse(held!.record)), approved: { heldId: held!.id, sessionId: held!.session_id } };
    await sql.query('INSERT INTO accounting_journal (records, body) VALUES (1, $1)', [encodeRecords([approved])]);
    await writer.rater.drain();
    await sql.query('INSERT INTO accounting_journal (records, body) VALUES (1, $1)', [encodeRecords([approved])]);
    await writer.rater.drain();
    expect(await charged(s.accountId)).toBe(Math.floor((1000 * 2 ** 32 * 1000) / GB));
  });
});

describe('9. paying right after login restores', () => {
  it('a session answered with the redirect profile is restricted from its first record; an active account is announced for the restore', async () => {
    const s = await subject();
    const packet = acctPacket({ status: STATUS.start, sid: 'P', user: s.user, at: T0 });
    packet.attributes.push({ type: Attr.Class, value: Buffer.from('tollgate:restricted') });
    const r = accountingRecordOf(packet, { name: s.nas }, new Date(T0 * 1000));
    if ('error' in r) throw new Error(r.error);
    // The account is active (the subscriber paid a second after the redirect, before the Start was rated).
    const result = await writer.submit(r);
    const [row] = await sql.query<{ coa_state: string }>('SELECT coa_state FROM sessions WHERE nas_name = $1', [s.nas]);
    expect(row!.coa_state).toBe('restricted');
    expect(result.accountStateChanges).toEqual([{ accountId: s.accountId, state: 'active' }]);
  });

  it('without a Class echo a new session takes its account state: a blocked account gives a restricted session', async () => {
    const s = await subject({ pricePerGB: 1000 }, 0);
    await store.ledger.adjust({ accountId: s.accountId, amount: -500, reason: 'debt' });
    await s.send({ status: STATUS.start, sid: 'Q', at: T0 });
    const [row] = await sql.query<{ coa_state: string }>('SELECT coa_state FROM sessions WHERE nas_name = $1', [s.nas]);
    expect(row!.coa_state).toBe('restricted');
  });
});

/**
 * What a rating pass tells the instances about open sessions (the `sessions` change event, which keeps the
 * Simultaneous-Use counts in memory): the sessions it opened or refreshed with their login, NAS and update time,
 * those it closed, and the NAS whose Accounting-On/Off closed sessions it never loaded; and the rater reports it
 * once per committed pass, not per record. PGlite, or PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountingRater } from '../../src/billing/rater.js';
import { DEFAULT_RATING_RULES } from '../../src/billing/core/session-rules.js';
import type { SessionChanges } from '../../src/domain/ports.js';
import { createLogger } from '../../src/observability/logger.js';
import { accountingJournalRepository } from '../../src/store/repositories/journal.js';
import { accountingRatingRepository } from '../../src/store/repositories/rating.js';
import type { Sql } from '../../src/store/sql.js';
import { createTestSql, type TestSql } from '../helpers/sql.js';
import { acct, STATUS } from '../unit/billing/packets.js';

const T0 = Date.UTC(2030, 2, 10, 12) / 1000;
const request = { maxRecords: 1000, maxRows: 1000, recordLimit: null, rules: DEFAULT_RATING_RULES };

describe('rating passes report the open sessions they changed', () => {
  let db: TestSql;
  let sql: Sql;

  beforeAll(async () => {
    db = await createTestSql({ migrate: true });
    sql = db.sql;
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  const idOf = async (sid: string): Promise<number> => {
    const [row] = await sql.query<{ id: number }>('SELECT id FROM sessions WHERE acct_session_id = $1', [sid]);
    return row!.id;
  };
  const pass = async (): Promise<SessionChanges> => {
    const result = await accountingRatingRepository(sql).ratePass(request);
    if (result.kind !== 'rated') throw new Error(`expected a rated pass, got ${result.kind}`);
    return result.sessions;
  };

  it('opened, refreshed and closed sessions, and an Accounting-On', async () => {
    const journal = accountingJournalRepository(sql);
    await journal.append([
      acct('nas-a', { status: STATUS.start, sid: 'p1', user: 'u1', at: T0 }),
      acct('nas-a', { status: STATUS.start, sid: 'p2', user: 'u2', at: T0 }),
      acct('nas-b', { status: STATUS.start, sid: 'p3', user: 'u1', at: T0 }),
    ]);
    const first = await pass();
    const [p1, p2, p3] = [await idOf('p1'), await idOf('p2'), await idOf('p3')];
    expect(first.nasRestarts).toEqual([]);
    expect(first.closed).toEqual([]);
    expect([...first.open].sort((x, y) => x[0] - y[0])).toEqual([
      [p1, 'u1', 'nas-a', T0],
      [p2, 'u2', 'nas-a', T0],
      [p3, 'u1', 'nas-b', T0],
    ]);

    // An Interim of p1, the Stop of p2, nas-b reboots (p3, not in this pass, is closed by it) and a new session on it.
    await journal.append([
      acct('nas-a', { status: STATUS.interim, sid: 'p1', user: 'u1', at: T0 + 300, time: 300 }),
      acct('nas-a', { status: STATUS.stop, sid: 'p2', user: 'u2', at: T0 + 310, time: 310 }),
      acct('nas-b', { status: STATUS.on, at: T0 + 320 }),
      acct('nas-b', { status: STATUS.start, sid: 'p4', user: 'u3', at: T0 + 330 }),
    ]);
    const second = await pass();
    const p4 = await idOf('p4');
    expect(second.nasRestarts).toEqual(['nas-b']);
    expect(second.closed).toEqual([[p2, 'u2']]);
    expect([...second.open].sort((x, y) => x[0] - y[0])).toEqual([
      [p1, 'u1', 'nas-a', T0 + 300],
      [p4, 'u3', 'nas-b', T0 + 330],
    ]);
    const [closedByBoot] = await sql.query<{ terminate_cause: string }>('SELECT terminate_cause FROM sessions WHERE id = $1', [p3]);
    expect(closedByBoot?.terminate_cause).toBe('NAS-Reboot');
  });

  it('the rater reports each committed pass once, whatever its records', async () => {
    const journal = accountingJournalRepository(sql);
    await journal.append([acct('nas-c', { status: STATUS.start, sid: 'q1', user: 'v1', at: T0 })]);
    await journal.append([
      acct('nas-c', { status: STATUS.start, sid: 'q2', user: 'v2', at: T0 }),
      acct('nas-c', { status: STATUS.interim, sid: 'q1', user: 'v1', at: T0 + 60, time: 60 }),
    ]);
    const reported: SessionChanges[] = [];
    const rater = new AccountingRater(accountingRatingRepository(sql), { maxRecords: 1000, pollIntervalMs: 20, backlogIntervalMs: 0 }, createLogger('silent'), undefined, (c) => {
      reported.push(c);
    });
    rater.start();
    await rater.drain(20_000);
    await rater.stop();
    expect(reported).toHaveLength(1);
    expect(reported[0]?.open.map(([, user]) => user).sort()).toEqual(['v1', 'v2']);
  });
});

/**
 * The held-for-review API (docs/accounting.md rule 7) over HTTP on a real Store (PGlite, or PostgreSQL with
 * TEST_DATABASE_URL): held rows written by SQL as the rater writes them are listed in keyset pages, shown with
 * their increments exact; approving one journals the record again marked approved (in the decision's
 * transaction, exactly once however many operators click), discarding closes it, and a second decision is a 409.
 * The pending gauge follows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRecords, encodeRecord } from '../../src/store/repositories/journal-codec.js';
import type { AccountingRecord } from '../../src/domain/accounting.js';
import { createApiRoutes } from '../../src/http/api/index.js';
import { accountingHeldPending } from '../../src/observability/metrics.js';
import { runMigrations } from '../../src/store/migrations.js';
import type { Store } from '../../src/domain/ports.js';
import { createStore } from '../../src/store/store.js';
import { expectError, startTestApi, type TestApi } from '../helpers/api.js';
import { createTestSql, type TestSql } from '../helpers/sql.js';

let db: TestSql;
let store: Store;
let api: TestApi;
let sessionId = 0;
let accountId = 0;

const TWO_64 = 2n ** 64n;

function record(acctSessionId: string, overrides: Partial<AccountingRecord> = {}): AccountingRecord {
  return {
    nas: 'bras-held',
    status: 'interim-update',
    statusType: 3,
    acctSessionId,
    username: 'held-user',
    framedIp: '100.64.7.7',
    callingStationId: 'aa:bb:cc:dd:ee:01',
    nasPort: '12',
    sessionTime: 600n,
    input: { bytes: TWO_64 + 5n, gigawords: true },
    output: { bytes: 1000n, gigawords: true },
    eventTime: new Date('2030-01-02T03:04:05.000Z'),
    receivedAt: new Date('2030-01-02T03:04:06.789Z'),
    delayTime: 1,
    terminateCause: null,
    answered: 'normal',
    ...overrides,
  };
}

/** A row of accounting_held the way the rater writes it: the increments, and the record as one encoded entry. */
async function hold(r: AccountingRecord, reason: 'octet_rate' | 'session_time' = 'octet_rate', recordText?: string): Promise<number> {
  const [row] = await db.sql.query<{ id: number }>(
    `INSERT INTO accounting_held (session_id, account_id, nas_name, acct_session_id, username, reason, octets, seconds, elapsed_seconds, record)
     VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, 600, 30.5, $8) RETURNING id`,
    [sessionId, accountId, r.nas, r.acctSessionId, r.username, reason, String(2n * TWO_64), recordText ?? JSON.stringify(encodeRecord(r))],
  );
  return row!.id;
}

async function journal(): Promise<{ records: number; body: string }[]> {
  return db.sql.query<{ records: number; body: string }>('SELECT records, body FROM accounting_journal ORDER BY id');
}

async function pending(): Promise<number> {
  return (await accountingHeldPending.get()).values[0]?.value ?? Number.NaN;
}

beforeAll(async () => {
  db = await createTestSql();
  await runMigrations(db.sql);
  store = createStore(db.sql);
  api = await startTestApi(store);
  accountId = (await store.accounts.create({})).id;
  const [row] = await db.sql.query<{ id: number }>(
    `INSERT INTO sessions (acct_unique_id, nas_name, acct_session_id, username, account_id, started_at, updated_at, last_status, first_seen_at, last_seen_at)
     VALUES ('9:bras-held:s-1', 'bras-held', 's-1', 'held-user', $1, now(), now(), 'interim-update', now(), now()) RETURNING id`,
    [accountId],
  );
  sessionId = row!.id;
});

afterAll(async () => {
  await api?.close();
  await db?.cleanup();
});

describe('held-for-review API', () => {
  let first = 0;
  let second = 0;
  let broken = 0;
  const r1 = record('s-1');

  beforeAll(async () => {
    first = await hold(r1);
    second = await hold(record('s-1', { sessionTime: 90_000n }), 'session_time');
    broken = await hold(record('s-1'), 'octet_rate', '["not a record"]');
  });

  it('lists held records oldest first in keyset pages, with exact increments and the record decoded; the gauge counts them', async () => {
    const all = await api.call('GET', '/api/v1/accounting/held?state=held');
    expect(all.status, all.text).toBe(200);
    expect((all.json.items as { id: number }[]).map((h) => h.id)).toEqual([first, second, broken]);
    expect(all.json).toMatchObject({ limit: 50, nextAfter: null });
    expect(await pending()).toBe(3);

    const page1 = await api.call('GET', '/api/v1/accounting/held?limit=2');
    expect((page1.json.items as { id: number }[]).map((h) => h.id)).toEqual([first, second]);
    expect(page1.json.nextAfter).toBe(second);
    const page2 = await api.call('GET', `/api/v1/accounting/held?limit=2&after=${second}`);
    expect((page2.json.items as { id: number }[]).map((h) => h.id)).toEqual([broken]);
    expect(page2.json.nextAfter).toBeNull();

    const one = await api.call('GET', `/api/v1/accounting/held/${first}`);
    expect(one.status, one.text).toBe(200);
    expect(one.json).toEqual({
      id: first,
      heldAt: expect.any(String),
      sessionId,
      accountId,
      nas: 'bras-held',
      acctSessionId: 's-1',
      username: 'held-user',
      reason: 'octet_rate',
      octets: '36893488147419103232',
      seconds: '600',
      elapsedSeconds: '30.5',
      record: {
        status: 'interim-update',
        statusType: 3,
        acctSessionId: 's-1',
        username: 'held-user',
        framedIp: '100.64.7.7',
        callingStationId: 'aa:bb:cc:dd:ee:01',
        nasPort: '12',
        sessionTime: '600',
        inputOctets: String(TWO_64 + 5n),
        outputOctets: '1000',
        eventTime: '2030-01-02T03:04:05.000Z',
        receivedAt: '2030-01-02T03:04:06.789Z',
        delayTime: 1,
        terminateCause: null,
        answered: 'normal',
      },
      state: 'held',
      decidedAt: null,
      decidedBy: null,
      note: null,
    });
    expect((await api.call('GET', `/api/v1/accounting/held/${broken}`)).json.record).toBeNull();
    expectError(await api.call('GET', '/api/v1/accounting/held/987654321'), 404, 'NOT_FOUND');
    expectError(await api.call('GET', '/api/v1/accounting/held?state=pending'), 400, 'VALIDATION_FAILED', 'state');
    expectError(await api.call('GET', '/api/v1/accounting/held?limit=1001'), 400, 'VALIDATION_FAILED', 'limit');
  });

  it('approves a held record: the state changes and the record is journaled again, marked approved; a second decision is a 409', async () => {
    const before = (await journal()).length;
    const approved = await api.call('POST', `/api/v1/accounting/held/${first}/approve`, { by: 'alice', note: 'vendor counter bug, confirmed' });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.json).toMatchObject({ id: first, state: 'approved', decidedBy: 'alice (api token)', note: 'vendor counter bug, confirmed', decidedAt: expect.any(String) });
    const rows = await journal();
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)!.records).toBe(1);
    expect(decodeRecords(rows.at(-1)!.body)).toEqual([{ ...r1, approved: { heldId: first, sessionId } }]);
    expect(await pending()).toBe(2);

    const again = await api.call('POST', `/api/v1/accounting/held/${first}/approve`, { by: 'bob' });
    expectError(again, 409, 'CONFLICT');
    expect(again.json.error?.message).toContain('already approved');
    expectError(await api.call('POST', `/api/v1/accounting/held/${first}/discard`, { by: 'bob' }), 409, 'CONFLICT');
    expect(await journal()).toHaveLength(before + 1);
    expect(await api.call('GET', `/api/v1/accounting/held/${first}`)).toMatchObject({ json: { state: 'approved', decidedBy: 'alice (api token)' } });
  });

  it('discards a held record without journaling it; one that does not decode can only be discarded', async () => {
    const before = (await journal()).length;
    const discarded = await api.call('POST', `/api/v1/accounting/held/${second}/discard`, { by: 'bob' });
    expect(discarded.status, discarded.text).toBe(200);
    expect(discarded.json).toMatchObject({ id: second, state: 'discarded', decidedBy: 'bob (api token)', note: null });
    expectError(await api.call('POST', `/api/v1/accounting/held/${second}/approve`, { by: 'bob' }), 409, 'CONFLICT');

    const refused = await api.call('POST', `/api/v1/accounting/held/${broken}/approve`, { by: 'carol' });
    expectError(refused, 409, 'CONFLICT');
    expect(refused.json.error?.message).toContain('does not decode');
    expect((await store.accountingHeld.get(broken))?.state).toBe('held');
    expect((await api.call('POST', `/api/v1/accounting/held/${broken}/discard`, { by: 'carol', note: 'garbage' })).status).toBe(200);
    expect(await journal()).toHaveLength(before);
    expect(await store.accountingHeld.countPending()).toBe(0);
    expect(await pending()).toBe(0);

    const decided = await api.call('GET', '/api/v1/accounting/held?state=discarded');
    expect((decided.json.items as { id: number }[]).map((h) => h.id)).toEqual([second, broken]);
    expect(((await api.call('GET', '/api/v1/accounting/held?state=approved')).json.items as { id: number }[]).map((h) => h.id)).toEqual([first]);
  });

  it('validates the decision body and answers 404 for an unknown id', async () => {
    const id = await hold(record('s-1'));
    expectError(await api.call('POST', `/api/v1/accounting/held/${id}/approve`, {}), 400, 'VALIDATION_FAILED', 'by');
    expectError(await api.call('POST', `/api/v1/accounting/held/${id}/approve`, { by: '' }), 400, 'VALIDATION_FAILED', 'by');
    expectError(await api.call('POST', `/api/v1/accounting/held/${id}/approve`, { by: 'x'.repeat(101) }), 400, 'VALIDATION_FAILED', 'by');
    expectError(await api.call('POST', `/api/v1/accounting/held/${id}/discard`, { by: 'x', reason: 'y' }), 400, 'VALIDATION_FAILED', 'reason');
    expectError(await api.call('POST', '/api/v1/accounting/held/987654321/approve', { by: 'x' }), 404, 'NOT_FOUND');
    expectError(await api.call('POST', '/api/v1/accounting/held/987654321/discard', { by: 'x' }), 404, 'NOT_FOUND');
    expect((await store.accountingHeld.get(id))?.state).toBe('held');
    expect((await api.call('POST', `/api/v1/accounting/held/${id}/discard`, { by: 'x'.repeat(100) })).status).toBe(200);
  });

  it('journals a record once when several operators approve it at the same moment', async () => {
    const id = await hold(record('s-1', { sessionTime: 1200n }));
    const before = (await journal()).length;
    const replies = await Promise.all(['a', 'b', 'c', 'd'].map((by) => api.call('POST', `/api/v1/accounting/held/${id}/approve`, { by })));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const rows = await journal();
    expect(rows).toHaveLength(before + 1);
    expect(decodeRecords(rows.at(-1)!.body)[0]?.approved).toEqual({ heldId: id, sessionId });
  });

  it('is described in the OpenAPI document', () => {
    const { openapi } = createApiRoutes();
    const paths = (openapi as { paths: Record<string, Record<string, unknown>> }).paths;
    expect(Object.keys(paths['/api/v1/accounting/held']!)).toEqual(['get']);
    expect(Object.keys(paths['/api/v1/accounting/held/{id}']!)).toEqual(['get']);
    expect(Object.keys(paths['/api/v1/accounting/held/{id}/approve']!)).toEqual(['post']);
    expect(Object.keys(paths['/api/v1/accounting/held/{id}/discard']!)).toEqual(['post']);
  });
});

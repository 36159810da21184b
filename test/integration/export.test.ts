/**
 * Session history export: the repository's keyset pages (sessions open before the range, bounds, microsecond
 * start times that a JS Date would round, filters) and GET /api/v1/sessions/export over a real node:http server
 * on a real Store (PGlite, or PostgreSQL with TEST_DATABASE_URL): CSV per RFC 4180, JSON, streaming across pages,
 * and 400s for bad ranges.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_HEADER } from '../../src/domain/session-export.js';
import { createLogger } from '../../src/observability/logger.js';
import { runMigrations } from '../../src/store/migrations.js';
import type { Session, SessionExportFilter, Store } from '../../src/domain/ports.js';
import { createStore } from '../../src/store/store.js';
import { insertSession } from '../contract/sessions.contract.js';
import { startTestApi, type ApiReply, type TestApi } from '../helpers/api.js';
import { createTestSql, type TestSql } from '../helpers/sql.js';

const TOKEN = 'test-admin-token-export-91ab';
let db: TestSql;
let store: Store;
let api: TestApi;
let base: string;
/** The API's log lines (JSON), to check what a client going away leaves there. */
const logLines: string[] = [];

async function collect(filter: SessionExportFilter, pageSize?: number): Promise<{ ids: number[]; pages: number[] }> {
  const ids: number[] = [];
  const pages: number[] = [];
  for await (const page of store.sessions.exportRange(filter, pageSize)) {
    pages.push(page.length);
    ids.push(...page.map((s: Session) => s.id));
  }
  return { ids, pages };
}

const get = (path: string): Promise<ApiReply> => api.call('GET', `/api/v1${path}`);

beforeAll(async () => {
  db = await createTestSql();
  await runMigrations(db.sql);
  store = createStore(db.sql);
  const sink = { write: (line: string) => void logLines.push(line) };
  api = await startTestApi(store, { token: TOKEN, log: createLogger('info', sink) });
  base = `${api.base}/api/v1`;
});

afterAll(async () => {
  await api?.close();
  await db?.cleanup();
});

describe('sessions.exportRange', () => {
  const from = new Date('2035-03-01T00:00:00Z');
  const to = new Date('2035-03-02T00:00:00Z');
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    const add = async (name: string, startedAt: string, stoppedAt: string | null, extra: { username?: string; framedIp?: string } = {}) => {
      ids[name] = await insertSession(db.sql, { username: extra.username ?? 'exp-alice', framedIp: extra.framedIp ?? '100.70.0.1', startedAt, stoppedAt });
    };
    await add('openSinceBefore', '2035-02-20T08:00:00Z', null);
    await add('stoppedBefore', '2035-02-28T10:00:00Z', '2035-02-28T23:59:59.999Z');
    await add('stoppedAtFrom', '2035-02-28T22:00:00Z', '2035-03-01T00:00:00Z');
    await add('spansRange', '2035-02-28T23:00:00Z', '2035-03-05T00:00:00Z', { username: 'exp-bob', framedIp: '100.70.0.2' });
    await add('startsAtFrom', '2035-03-01T00:00:00Z', '2035-03-01T01:00:00Z', { username: 'exp-bob' });
    // Two starts within one millisecond: a cursor rounded to milliseconds would repeat or lose one of them.
    await add('micro1', '2035-03-01T12:00:00.123456Z', '2035-03-01T13:00:00Z', { framedIp: '100.70.0.2' });
    await add('micro2', '2035-03-01T12:00:00.123789Z', null);
    await add('startsAtTo', '2035-03-02T00:00:00Z', null);
    await add('after', '2035-03-03T00:00:00Z', '2035-03-03T01:00:00Z');
  });

  const expected = (): number[] => ['openSinceBefore', 'stoppedAtFrom', 'spansRange', 'startsAtFrom', 'micro1', 'micro2'].map((n) => ids[n]!);

  it('returns the sessions overlapping [from, to), oldest start first, whatever the page size', async () => {
    for (const pageSize of [1, 2, 5, 1000]) {
      const { ids: got } = await collect({ from, to }, pageSize);
      expect(got, `pageSize ${pageSize}`).toEqual(expected());
    }
  });

  it('reads in pages of at most pageSize rows', async () => {
    const { pages } = await collect({ from, to }, 2);
    expect(pages.every((n) => n <= 2)).toBe(true);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('filters by username and by IP', async () => {
    expect((await collect({ from, to, username: 'exp-bob' }, 1)).ids).toEqual([ids.spansRange, ids.startsAtFrom]);
    expect((await collect({ from, to, ip: '100.70.0.2' })).ids).toEqual([ids.spansRange, ids.micro1]);
    expect((await collect({ from, to, username: 'exp-nobody' })).ids).toEqual([]);
  });

  it('refuses an empty or inverted range and bad filters', async () => {
    await expect(collect({ from, to: from })).rejects.toThrow(/to: must be after from/);
    await expect(collect({ from: to, to: from })).rejects.toThrow(RangeError);
    await expect(collect({ from, to, ip: 'not-an-ip' })).rejects.toThrow(/ip/);
    await expect(collect({ from, to }, 0)).rejects.toThrow(/pageSize/);
  });
});

describe('GET /api/v1/sessions/export', () => {
  const window = 'from=2028-01-01T00:00:00Z&to=2028-01-02T00:00:00Z';
  let plain: number;
  let tricky: number;

  beforeAll(async () => {
    plain = await insertSession(db.sql, { username: 'exp-carol', framedIp: '100.71.0.1', startedAt: '2028-01-01T10:00:00Z', stoppedAt: '2028-01-01T11:00:00Z', inputOctets: 5_000_000_000, nasName: 'bras-7' });
    tricky = await insertSession(db.sql, { username: 'o"brien, jr\nline2', framedIp: '100.71.0.2', startedAt: '2028-01-01T12:00:00Z', nasName: 'bras-7' });
  });

  it('answers CSV by default: header row, CRLF, RFC 4180 quoting, null as empty', async () => {
    const r = await get(`/sessions/export?${window}`);
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="sessions-2028-01-01T000000000Z-2028-01-02T000000000Z.csv"');
    expect(r.text).toBe(
      CSV_HEADER +
        `${plain},exp-carol,100.71.0.1,aa:bb:cc:dd:ee:ff,bras-7,7,${await acct(plain)},2028-01-01T10:00:00.000Z,2028-01-01T11:00:00.000Z,5000000000,20,60,User-Request\r\n` +
        `${tricky},"o""brien, jr\nline2",100.71.0.2,aa:bb:cc:dd:ee:ff,bras-7,7,${await acct(tricky)},2028-01-01T12:00:00.000Z,,10,20,60,\r\n`,
    );
  });

  it('answers a JSON array with the same values', async () => {
    const r = await get(`/sessions/export?${window}&format=json`);
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const items = JSON.parse(r.text) as { id: number; username: string; stoppedAt: string | null; inputOctets: number; callingStationId: string }[];
    expect(items.map((i) => i.id)).toEqual([plain, tricky]);
    expect(items[0]).toMatchObject({ username: 'exp-carol', inputOctets: 5_000_000_000, callingStationId: 'aa:bb:cc:dd:ee:ff' });
    expect(items[1]).toMatchObject({ username: 'o"brien, jr\nline2', stoppedAt: null });
    expect(JSON.parse((await get('/sessions/export?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z&format=json')).text)).toEqual([]);
  });

  it('filters by username and ip', async () => {
    const byUser = await get(`/sessions/export?${window}&format=json&username=exp-carol`);
    expect((JSON.parse(byUser.text) as { id: number }[]).map((i) => i.id)).toEqual([plain]);
    const byIp = await get(`/sessions/export?${window}&format=json&ip=100.71.0.2`);
    expect((JSON.parse(byIp.text) as { id: number }[]).map((i) => i.id)).toEqual([tricky]);
  });

  it('streams a range larger than one page, every session once', async () => {
    await db.sql.query(
      `INSERT INTO sessions (acct_unique_id, nas_name, acct_session_id, username, framed_ip, started_at, updated_at, stopped_at, last_status)
       SELECT 'bulk-' || g, 'bras-8', 'bulk-' || g, 'exp-bulk', '100.72.0.1'::inet,
              timestamptz '2027-01-01T00:00:00Z' + g * interval '1 second', timestamptz '2027-01-01T00:00:00Z' + g * interval '1 second',
              timestamptz '2027-01-01T00:00:00Z' + g * interval '1 second' + interval '1 minute', 'stop'
       FROM generate_series(1, 2500) AS g`,
    );
    const r = await get('/sessions/export?from=2027-01-01T00:00:00Z&to=2027-01-02T00:00:00Z');
    expect(r.status).toBe(200);
    const lines = r.text.split('\r\n').filter((l) => l !== '');
    expect(lines).toHaveLength(2501);
    const ids = lines.slice(1).map((l) => Number(l.split(',')[0]));
    expect(new Set(ids).size).toBe(2500);
    expect(lines[1]).toContain(',exp-bulk,100.72.0.1,,bras-8,,bulk-1,2027-01-01T00:00:01.000Z,');
    expect(lines[2500]).toContain(',bulk-2500,');
  });

  it('stops quietly when the client goes away mid-stream, and keeps serving', async () => {
    logLines.length = 0;
    const url = new URL(`${base}/sessions/export?from=2027-01-01T00:00:00Z&to=2027-01-02T00:00:00Z`);
    await new Promise<void>((resolve, reject) => {
      const req = http.get(url, { headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
        expect(res.statusCode).toBe(200);
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? resolve() : reject(err)));
    });
    const after = await get(`/sessions/export?${window}&format=json`);
    expect(after.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const errors = logLines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 50);
    expect(errors).toEqual([]);
  });

  it.each([
    ['', 'from'],
    ['from=2028-01-01T00:00:00Z', 'to'],
    ['from=2028-01-02T00:00:00Z&to=2028-01-01T00:00:00Z', 'to'],
    ['from=2028-01-01T00:00:00Z&to=2028-01-01T00:00:00Z', 'to'],
    ['from=yesterday&to=2028-01-01T00:00:00Z', 'from'],
    ['from=2028-01-01T00:00:00&to=2028-01-02T00:00:00Z', 'from'],
    [`${window}&format=xml`, 'format'],
    [`${window}&ip=100.71.0.0/24`, 'ip'],
    [`${window}&limit=5`, 'limit'],
  ])('answers 400 VALIDATION_FAILED for ?%s (field %s)', async (query, field) => {
    const r = await get(`/sessions/export?${query}`);
    expect(r.status, r.text).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const body = JSON.parse(r.text) as { error: { code: string; field: string } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.field).toBe(field);
  });

  it('needs the admin token', async () => {
    const res = await fetch(`${base}/sessions/export?${window}`);
    expect(res.status).toBe(401);
  });
});

async function acct(id: number): Promise<string> {
  return (await store.sessions.get(id))!.acctSessionId;
}

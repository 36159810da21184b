/**
 * The admin REST API over a real node:http server and a real Store (PGlite, or PostgreSQL when
 * TEST_DATABASE_URL is set): CRUD, paging, validation, auth, error codes, change events, secrets.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiRoutes, type ApiDeps } from '../../src/http/api/index.js';
import { openApiPath } from '../../src/http/api/router.js';
import { createLogger } from '../../src/observability/logger.js';
import { runMigrations } from '../../src/store/migrations.js';
import type { ChangeEvent, Store } from '../../src/domain/ports.js';
import { createStore } from '../../src/store/store.js';
import { expectError, startTestApi, type ApiBody, type ApiReply, type TestApi } from '../helpers/api.js';
import { createTestSql, type TestSql } from '../helpers/sql.js';

const TOKEN = 'test-admin-token-4f1c9a';
const NAS_SECRET = 'nas-shared-secret-q7';
const NAS_SECRET_2 = 'rotated-secret-z9k2';
const PASSWORD = 'alice-password-m3x';
const PASSWORD_2 = 'alice-new-password-p8';
const NT_HASH = '0C9F3E1B7A5D2468ACE13579BDF02468';
/** Values that must never appear in a response body or a log line. */
const SECRETS = [NAS_SECRET, NAS_SECRET_2, PASSWORD, PASSWORD_2, NT_HASH, NT_HASH.toLowerCase(), TOKEN];

/** Every shape a response body takes here, loosely: the assertions do the checking. */
interface Body extends ApiBody {
  readonly nextBefore: string | null;
  readonly nextBeforeId: number | null;
  readonly openapi: string;
  readonly paths: Record<string, Record<string, unknown> | undefined>;
}

type Reply = ApiReply<Body>;

let testSql: TestSql | undefined;
let store: Store;
const events: ChangeEvent[] = [];
const logs: Record<string, unknown>[] = [];
const servers: TestApi<Body>[] = [];
let api: TestApi<Body>;

async function startServer(overrides: Partial<ApiDeps> = {}): Promise<TestApi<Body>> {
  const logStream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const s = await startTestApi<Body>(store, {
    changes: { publish: (e) => Promise.resolve(void events.push(e)) },
    token: TOKEN,
    log: createLogger('info', logStream),
    ...overrides,
  });
  servers.push(s);
  return s;
}

async function call(
  method: string,
  path: string,
  opts: { body?: unknown; raw?: string | Buffer; token?: string | null; headers?: Record<string, string>; server?: TestApi<Body> } = {},
): Promise<Reply> {
  const token = opts.token === undefined ? TOKEN : opts.token;
  const r = await (opts.server ?? api).call(method, path, opts.body, { token, headers: opts.headers ?? {}, ...(opts.raw === undefined ? {} : { raw: opts.raw }) });
  // Every response of every test is checked for leaked secrets.
  for (const secret of SECRETS) expect(r.text, `${method} ${path} leaked a secret`).not.toContain(secret);
  return r;
}

/** The events published since `mark`. */
const eventsSince = (mark: number) => events.slice(mark);

beforeAll(async () => {
  testSql = await createTestSql();
  await runMigrations(testSql.sql);
  store = createStore(testSql.sql);
  api = await startServer();
});

afterAll(async () => {
  for (const s of servers) await s.close();
  await testSql?.cleanup();
});

describe('auth', () => {
  it('serves openapi.json without a token: valid JSON describing every route', async () => {
    const r = await call('GET', '/api/v1/openapi.json', { token: null });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.json.openapi).toBe('3.1.0');
    for (const route of createApiRoutes().routes) {
      expect(r.json.paths[openApiPath(route.pattern)]?.[route.method.toLowerCase()], `${route.method} ${route.pattern}`).toBeDefined();
    }
  });

  it('answers 401 with WWW-Authenticate for a missing, wrong or non-bearer token', async () => {
    for (const opts of [{ token: null }, { token: 'wrong-token' }, { token: `${TOKEN}x` }, { token: null, headers: { authorization: `Basic ${TOKEN}` } }]) {
      const r = await call('GET', '/api/v1/nas', opts);
      expectError(r, 401, 'UNAUTHORIZED');
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
    }
    // Auth comes before routing: an unknown path does not tell an anonymous client what exists.
    expectError(await call('GET', '/api/v1/nope', { token: null }), 401, 'UNAUTHORIZED');
  });

  it('without admin.token refuses every bearer token but operators\' (401), and still serves openapi.json', async () => {
    const noBootstrap = await startServer({ token: undefined });
    const r = await call('GET', '/api/v1/nas', { server: noBootstrap });
    expectError(r, 401, 'UNAUTHORIZED');
    expectError(await call('GET', '/api/v1/nas', { server: noBootstrap, token: null }), 401, 'UNAUTHORIZED');
    expect((await call('GET', '/api/v1/openapi.json', { server: noBootstrap, token: null })).status).toBe(200);
  });

  it('leaves paths outside /api/v1 to the caller', async () => {
    for (const path of ['/healthz', '/api/v10/nas', '/api', '/api/v1x']) {
      expectError(await call('GET', path), 404, 'FALLBACK');
    }
  });
});

describe('NAS clients', () => {
  it('creates, reads, lists, changes and deletes, publishing an event per write, never returning the secret', async () => {
    const mark = events.length;
    const created = await call('POST', '/api/v1/nas', { body: { name: 'bras-crud', address: '192.0.2.10', secret: NAS_SECRET, vendor: 'mikrotik' } });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id;
    expect(created.headers.get('location')).toBe(`/api/v1/nas/${id}`);
    expect(created.json).toEqual({
      id,
      name: 'bras-crud',
      address: '192.0.2.10',
      vendor: 'mikrotik',
      coaPort: 3799,
      // New entries start in auto: strict once the NAS has sent a valid Message-Authenticator.
      requireMessageAuthenticator: 'auto',
      limitProxyState: true,
      tlsName: null,
      // No RADIUS in this process: nothing seen, no counts.
      messageAuthenticator: { required: false, seenAt: null, counts: null },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(created.json).not.toHaveProperty('secret');

    const one = await call('GET', `/api/v1/nas/${id}`);
    expect(one.status).toBe(200);
    expect(one.json).toEqual(created.json);

    const list = await call('GET', '/api/v1/nas');
    expect(list.status).toBe(200);
    expect(list.json.items.map((n) => n.id)).toContain(id);
    expect(list.json).toMatchObject({ limit: 50, offset: 0 });

    const patched = await call('PATCH', `/api/v1/nas/${id}`, { body: { coaPort: 1700, secret: NAS_SECRET_2, requireMessageAuthenticator: false } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ id, coaPort: 1700, requireMessageAuthenticator: false, name: 'bras-crud', messageAuthenticator: { required: false } });
    const strict = await call('PATCH', `/api/v1/nas/${id}`, { body: { requireMessageAuthenticator: true } });
    expect(strict.json).toMatchObject({ requireMessageAuthenticator: true, messageAuthenticator: { required: true, seenAt: null } });
    const refused = await call('PATCH', `/api/v1/nas/${id}`, { body: { requireMessageAuthenticator: 'yes' } });
    expectError(refused, 400, 'VALIDATION_FAILED');
    expect(refused.json.error?.message).toContain('must be true, false or "auto"');
    const readOnly = await call('PATCH', `/api/v1/nas/${id}`, { body: { messageAuthenticator: { required: true } } });
    expectError(readOnly, 400, 'VALIDATION_FAILED');
    expect(readOnly.json.error?.message).toContain('messageAuthenticator is reported by the server');
    expect((await store.nas.get(id))?.secret).toBe(NAS_SECRET_2);

    const deleted = await call('DELETE', `/api/v1/nas/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expectError(await call('GET', `/api/v1/nas/${id}`), 404, 'NOT_FOUND');
    expectError(await call('DELETE', `/api/v1/nas/${id}`), 404, 'NOT_FOUND');
    expect(eventsSince(mark)).toEqual([{ kind: 'nas' }, { kind: 'nas' }, { kind: 'nas' }, { kind: 'nas' }]);
  });

  it('keeps the RadSec certificate name (tlsName) of a NAS: created, read, changed, cleared', async () => {
    const created = await call('POST', '/api/v1/nas', { body: { name: 'bras-tls', address: '192.0.2.12', secret: NAS_SECRET, vendor: 'generic', tlsName: 'bras-tls.example.net' } });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id;
    expect(created.json).toMatchObject({ tlsName: 'bras-tls.example.net' });
    const named = await call('PATCH', `/api/v1/nas/${id}`, { body: { tlsName: 'other.example.net' } });
    expect(named.status, named.text).toBe(200);
    expect((await call('GET', `/api/v1/nas/${id}`)).json).toMatchObject({ tlsName: 'other.example.net' });
    expectError(await call('PATCH', `/api/v1/nas/${id}`, { body: { tlsName: '' } }), 400, 'VALIDATION_FAILED');
    expect((await call('PATCH', `/api/v1/nas/${id}`, { body: { tlsName: null } })).json).toMatchObject({ tlsName: null });
    expect((await call('DELETE', `/api/v1/nas/${id}`)).status).toBe(204);
  });

  it('accepts a CIDR and reports every bad field at once', async () => {
    expect((await call('POST', '/api/v1/nas', { body: { name: 'bras-range', address: '10.20.0.0/16', secret: NAS_SECRET, vendor: 'cisco' } })).status).toBe(201);
    const mark = events.length;
    const r = await call('POST', '/api/v1/nas', { body: { name: 'bras-bad', address: '10.0.0.0/33', secret: 'short', vendor: 'nokia', coaPort: 70000, colour: 'red' } });
    expectError(r, 400, 'VALIDATION_FAILED', 'colour');
    expect(r.json.error.details.map((d) => d.field)).toEqual(['colour', 'address', 'secret', 'vendor', 'coaPort']);
    expect(r.json.error.details[2]!.message).toBe('secret must be at least 8 characters');
    expect(r.json.error.details[3]!.message).toMatch(/^vendor must be one of generic, mikrotik/);
    expectError(await call('POST', '/api/v1/nas', { body: { name: 'bras-host-bits', address: '10.1.2.3/8', secret: NAS_SECRET, vendor: 'generic' } }), 400, 'VALIDATION_FAILED', 'address');
    expectError(await call('POST', '/api/v1/nas', { body: { name: 'bras-host', address: 'bras.example.net', secret: NAS_SECRET, vendor: 'generic' } }), 400, 'VALIDATION_FAILED', 'address');
    expect(eventsSince(mark)).toEqual([]);
  });

  it('answers 409 CONFLICT naming the field for a taken name', async () => {
    const body = { name: 'bras-dup', address: '192.0.2.20', secret: NAS_SECRET, vendor: 'juniper' };
    expect((await call('POST', '/api/v1/nas', { body })).status).toBe(201);
    expectError(await call('POST', '/api/v1/nas', { body: { ...body, address: '192.0.2.21' } }), 409, 'CONFLICT', 'name');
  });
});

describe('tariffs', () => {
  it('creates with defaults, changes and deletes', async () => {
    const mark = events.length;
    const created = await call('POST', '/api/v1/tariffs', { body: { name: 'Home 100', monthlyFee: 1500, downKbps: 100_000, upKbps: 50_000 } });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id;
    expect(created.json).toMatchObject({ id, name: 'Home 100', monthlyFee: 1500, downKbps: 100_000, upKbps: 50_000, pricePerGB: 0, includedBytes: 0, pricePerMinute: 0 });
    const patched = await call('PATCH', `/api/v1/tariffs/${id}`, { body: { monthlyFee: 1700, includedBytes: 500_000_000_000 } });
    expect(patched.json).toMatchObject({ monthlyFee: 1700, includedBytes: 500_000_000_000, downKbps: 100_000 });
    expect((await call('DELETE', `/api/v1/tariffs/${id}`)).status).toBe(204);
    expect(eventsSince(mark)).toEqual([
      { kind: 'tariff', id },
      { kind: 'tariff', id },
      { kind: 'tariff', id },
    ]);
  });

  it('refuses fractions and strings for money, naming each field', async () => {
    const r = await call('POST', '/api/v1/tariffs', { body: { name: 'Float', monthlyFee: 15.5, pricePerGB: '100', upKbps: -1 } });
    expectError(r, 400, 'VALIDATION_FAILED', 'monthlyFee');
    expect(r.json.error.message).toMatch(/^monthlyFee must be an integer number of minor units/);
    expect(r.json.error.details).toEqual([
      { field: 'monthlyFee', message: expect.stringContaining('not a fraction') },
      { field: 'upKbps', message: 'upKbps must be an integer ≥ 0, got -1' },
      { field: 'pricePerGB', message: 'pricePerGB must be an integer ≥ 0, got string "100"' },
    ]);
    expectError(await call('PATCH', '/api/v1/tariffs/1', { body: { monthlyFee: 1e300 } }), 400, 'VALIDATION_FAILED', 'monthlyFee');
  });

  it('pages with limit and offset', async () => {
    for (let i = 0; i < 7; i++) expect((await call('POST', '/api/v1/tariffs', { body: { name: `Paged ${i}` } })).status).toBe(201);
    const all = await call('GET', '/api/v1/tariffs?limit=1000');
    const total = all.json.total;
    expect(total).toBeGreaterThanOrEqual(7);
    expect(all.json.items).toHaveLength(total);
    const page1 = await call('GET', '/api/v1/tariffs?limit=3&offset=0');
    const page2 = await call('GET', '/api/v1/tariffs?limit=3&offset=3');
    expect(page1.json).toMatchObject({ total, limit: 3, offset: 0 });
    expect(page1.json.items).toHaveLength(3);
    expect(page2.json.items).toHaveLength(3);
    const ids = [...page1.json.items, ...page2.json.items].map((t) => t.id);
    expect(new Set(ids).size).toBe(6);
    expect(ids).toEqual(all.json.items.slice(0, 6).map((t) => t.id));
    const beyond = await call('GET', `/api/v1/tariffs?offset=${total}`);
    expect(beyond.json).toMatchObject({ items: [], total, offset: total });
  });

  it('refuses bad paging and unknown query parameters', async () => {
    expectError(await call('GET', '/api/v1/tariffs?limit=0'), 400, 'VALIDATION_FAILED', 'limit');
    expectError(await call('GET', '/api/v1/tariffs?limit=1001'), 400, 'VALIDATION_FAILED', 'limit');
    expectError(await call('GET', '/api/v1/tariffs?offset=-1'), 400, 'VALIDATION_FAILED', 'offset');
    expectError(await call('GET', '/api/v1/tariffs?limit=abc'), 400, 'VALIDATION_FAILED', 'limit');
    const typo = await call('GET', '/api/v1/tariffs?limt=5');
    expectError(typo, 400, 'VALIDATION_FAILED', 'limt');
    expect(typo.json.error.message).toMatch(/did you mean "limit"/);
  });
});

describe('accounts', () => {
  it('creates from an empty body, changes the credit limit, deletes', async () => {
    const mark = events.length;
    const created = await call('POST', '/api/v1/accounts');
    expect(created.status, created.text).toBe(201);
    const id = created.json.id;
    expect(created.json).toMatchObject({ id, balance: 0, creditLimit: 0, activeCredit: 0, state: 'active' });
    expect(created.json.stateSince).toEqual(expect.any(String));
    const patched = await call('PATCH', `/api/v1/accounts/${id}`, { body: { creditLimit: 500 } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ id, creditLimit: 500, balance: 0 });
    expect((await call('DELETE', `/api/v1/accounts/${id}`)).status).toBe(204);
    expect(eventsSince(mark)).toEqual([
      { kind: 'account', id },
      { kind: 'account', id },
      { kind: 'account', id },
    ]);
  });

  it('refuses a negative credit limit and any write of balance or state', async () => {
    expectError(await call('POST', '/api/v1/accounts', { body: { creditLimit: -100 } }), 400, 'VALIDATION_FAILED', 'creditLimit');
    const id = (await call('POST', '/api/v1/accounts', { body: { creditLimit: 100 } })).json.id;
    const balance = await call('PATCH', `/api/v1/accounts/${id}`, { body: { balance: 1_000_000 } });
    expectError(balance, 400, 'VALIDATION_FAILED', 'balance');
    expect(balance.json.error.message).toMatch(/payments/);
    expectError(await call('POST', '/api/v1/accounts', { body: { balance: 5 } }), 400, 'VALIDATION_FAILED', 'balance');
    expectError(await call('PATCH', `/api/v1/accounts/${id}`, { body: { state: 'active' } }), 400, 'VALIDATION_FAILED', 'state');
    expect((await call('GET', `/api/v1/accounts/${id}`)).json.balance).toBe(0);
  });
});

describe('subscribers', () => {
  let accountId: number;
  let tariffId: number;

  beforeAll(async () => {
    accountId = (await call('POST', '/api/v1/accounts', { body: {} })).json.id;
    tariffId = (await call('POST', '/api/v1/tariffs', { body: { name: 'Subscriber plan', monthlyFee: 900 } })).json.id;
  });

  it('creates without returning credentials, filters, renames with both usernames in the event, deletes', async () => {
    const mark = events.length;
    const created = await call('POST', '/api/v1/subscribers', {
      body: { username: 'alice', password: PASSWORD, accountId, tariffId, framedIp: '100.64.0.10', mac: '00-11-22-AA-BB-CC', simultaneousUse: 1 },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id;
    expect(created.headers.get('location')).toBe(`/api/v1/subscribers/${id}`);
    expect(created.json).toMatchObject({ id, username: 'alice', accountId, tariffId, framedIp: '100.64.0.10', framedPool: null, mac: '00:11:22:aa:bb:cc', simultaneousUse: 1, status: 'active', hasCleartextPassword: true });
    expect(created.json).not.toHaveProperty('password');
    expect(created.json).not.toHaveProperty('ntHash');

    const byName = await call('GET', '/api/v1/subscribers?username=alice');
    expect(byName.json.items.map((s) => s.id)).toEqual([id]);
    expect(byName.json.total).toBe(1);
    const byAccount = await call('GET', `/api/v1/subscribers?accountId=${accountId}`);
    expect(byAccount.json.items.map((s) => s.id)).toEqual([id]);

    const renamed = await call('PATCH', `/api/v1/subscribers/${id}`, { body: { username: 'alice2', password: PASSWORD_2, mac: null, status: 'suspended' } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json).toMatchObject({ username: 'alice2', mac: null, status: 'suspended' });
    expect((await store.subscribers.snapshot('alice2'))?.password).toBe(PASSWORD_2);

    const nt = await call('PATCH', `/api/v1/subscribers/${id}`, { body: { ntHash: NT_HASH } });
    expect(nt.status, nt.text).toBe(200);
    expect((await store.subscribers.snapshot('alice2'))?.ntHash).toBe(NT_HASH.toLowerCase());

    expect((await call('DELETE', `/api/v1/subscribers/${id}`)).status).toBe(204);
    expect(eventsSince(mark)).toEqual([
      { kind: 'subscriber', id, usernames: ['alice'] },
      { kind: 'subscriber', id, usernames: ['alice', 'alice2'] },
      { kind: 'subscriber', id, usernames: ['alice2'] },
      { kind: 'subscriber', id, usernames: ['alice2'] },
    ]);
  });

  it('answers 422 REFERENCE for an unknown account or tariff and 409 CONFLICT for a taken username', async () => {
    expectError(await call('POST', '/api/v1/subscribers', { body: { username: 'orphan', accountId: 987654 } }), 422, 'REFERENCE', 'accountId');
    expectError(await call('POST', '/api/v1/subscribers', { body: { username: 'orphan', accountId, tariffId: 987654 } }), 422, 'REFERENCE', 'tariffId');
    expect((await call('POST', '/api/v1/subscribers', { body: { username: 'bob', accountId } })).status).toBe(201);
    expectError(await call('POST', '/api/v1/subscribers', { body: { username: 'bob', accountId } }), 409, 'CONFLICT', 'username');
  });

  it('answers 409 REFERENCE when deleting a tariff or account still in use', async () => {
    expect((await call('POST', '/api/v1/subscribers', { body: { username: 'carol', accountId, tariffId } })).status).toBe(201);
    const mark = events.length;
    expectError(await call('DELETE', `/api/v1/tariffs/${tariffId}`), 409, 'REFERENCE');
    expectError(await call('DELETE', `/api/v1/accounts/${accountId}`), 409, 'REFERENCE');
    expect(eventsSince(mark)).toEqual([]);
  });

  it('validates every field', async () => {
    const r = await call('POST', '/api/v1/subscribers', {
      body: { username: '', password: PASSWORD, ntHash: 'xyz', accountId: 'one', framedIp: '10.0.0.0/24', simultaneousUse: 0, status: 'gone' },
    });
    expectError(r, 400, 'VALIDATION_FAILED', 'username');
    expect(r.json.error.details.map((d) => d.field)).toEqual(['username', 'ntHash', 'accountId', 'framedIp', 'simultaneousUse', 'status']);
    const both = await call('POST', '/api/v1/subscribers', { body: { username: 'dave', password: PASSWORD, ntHash: NT_HASH, accountId } });
    expectError(both, 400, 'VALIDATION_FAILED', 'ntHash');
    expectError(await call('POST', '/api/v1/subscribers', { body: { username: 'dave', accountId, hasCleartextPassword: true } }), 400, 'VALIDATION_FAILED', 'hasCleartextPassword');
    expectError(await call('GET', '/api/v1/subscribers?accountId=x'), 400, 'VALIDATION_FAILED', 'accountId');
  });
});

describe('auth log', () => {
  it('lists newest first, filters by username and pages with before', async () => {
    const entry = (at: string, username: string) => ({ at, username, nas: 'bras-1', result: 'accept' as const, reason: null, method: 'pap', callingStationId: null, nasPort: null });
    await store.authLog.append([
      entry('2025-01-01T00:00:01.000Z', 'eve'),
      entry('2025-01-01T00:00:02.000Z', 'frank'),
      entry('2025-01-01T00:00:03.000Z', 'eve'),
      entry('2025-01-01T00:00:04.000Z', 'eve'),
    ]);
    const eve = await call('GET', '/api/v1/auth-log?username=eve&limit=2');
    expect(eve.status, eve.text).toBe(200);
    expect(eve.json.items.map((e) => e.at)).toEqual(['2025-01-01T00:00:04.000Z', '2025-01-01T00:00:03.000Z']);
    expect(eve.json.nextBefore).toBe('2025-01-01T00:00:03.000Z');
    const next = await call('GET', `/api/v1/auth-log?username=eve&limit=2&before=${encodeURIComponent(eve.json.nextBefore ?? '')}`);
    expect(next.json.items.map((e) => e.at)).toEqual(['2025-01-01T00:00:01.000Z']);
    expect(next.json.nextBefore).toBeNull();
    const all = await call('GET', '/api/v1/auth-log');
    expect(all.json.items.map((e) => e.username).slice(0, 4)).toEqual(['eve', 'eve', 'frank', 'eve']);
    expect(all.json.items[0]).toEqual({ id: expect.any(Number), ...entry('2025-01-01T00:00:04.000Z', 'eve') });
  });

  it('pages through entries that share one millisecond with before and beforeId, losing none', async () => {
    // The access path stamps tens of decisions with the same millisecond at high rates: a page boundary inside
    // such a run must continue inside it.
    const entry = (username: string) => ({ at: '2025-02-01T00:00:00.123Z', username, nas: 'bras-1', result: 'reject' as const, reason: 'bad_password', method: 'pap', callingStationId: null, nasPort: null });
    const names = Array.from({ length: 7 }, (_v, i) => `same-ms-${i}`);
    await store.authLog.append(names.map(entry));
    const seen: string[] = [];
    const sameMs = '2025-02-01T00:00:00.123Z';
    let cursor = `before=${encodeURIComponent('2025-02-01T00:00:01.000Z')}`;
    for (let page = 0; page < 10; page++) {
      const res = await call('GET', `/api/v1/auth-log?limit=3&${cursor}`);
      expect(res.status, res.text).toBe(200);
      seen.push(...res.json.items.filter((e) => e.at === sameMs).map((e) => String(e.username)));
      if (res.json.nextBefore !== sameMs) break;
      cursor = `before=${encodeURIComponent(res.json.nextBefore)}&beforeId=${res.json.nextBeforeId}`;
    }
    expect(seen.sort()).toEqual([...names].sort());
    // Newest first means the highest id first among equal times.
    const first = await call('GET', `/api/v1/auth-log?limit=7&before=${encodeURIComponent('2025-02-01T00:00:01.000Z')}`);
    const ids = first.json.items.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('refuses a bad before or limit', async () => {
    expectError(await call('GET', '/api/v1/auth-log?before=yesterday'), 400, 'VALIDATION_FAILED', 'before');
    expectError(await call('GET', '/api/v1/auth-log?limit=5000'), 400, 'VALIDATION_FAILED', 'limit');
    expectError(await call('GET', '/api/v1/auth-log?beforeId=5'), 400, 'VALIDATION_FAILED', 'beforeId');
    expectError(await call('GET', '/api/v1/auth-log?before=2025-01-01T00:00:00Z&beforeId=x'), 400, 'VALIDATION_FAILED', 'beforeId');
  });
});

describe('errors', () => {
  it('404 for unknown routes, malformed ids and missing rows', async () => {
    expectError(await call('GET', '/api/v1/nope'), 404, 'NOT_FOUND');
    for (const id of ['abc', '0', '-1', '1.5', '01', '99999999999999999999']) expectError(await call('GET', `/api/v1/nas/${id}`), 404, 'NOT_FOUND');
    const missing = await call('GET', '/api/v1/subscribers/987654');
    expectError(missing, 404, 'NOT_FOUND');
    expect(missing.json.error.message).toBe('no subscriber with id 987654');
    expectError(await call('PATCH', '/api/v1/tariffs/987654', { body: { monthlyFee: 1 } }), 404, 'NOT_FOUND');
  });

  it('405 with Allow for a method the route does not take', async () => {
    const put = await call('PUT', '/api/v1/nas/1', { body: {} });
    expectError(put, 405, 'METHOD_NOT_ALLOWED');
    expect(put.headers.get('allow')).toBe('GET, PATCH, DELETE');
    const del = await call('DELETE', '/api/v1/subscribers');
    expect(del.headers.get('allow')).toBe('GET, POST');
    expect((await call('POST', '/api/v1/auth-log', { body: {} })).headers.get('allow')).toBe('GET');
  });

  it('413 for a body over 1 MiB, declared or streamed', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024) });
    expectError(await call('POST', '/api/v1/tariffs', { raw: big, headers: { 'content-type': 'application/json' } }), 413, 'BODY_TOO_LARGE');
    const chunk = new Uint8Array(256 * 1024).fill(0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 5) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(`${api.base}/api/v1/tariffs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BODY_TOO_LARGE');
  });

  it('415 for a body without a JSON content type', async () => {
    const body = JSON.stringify({ name: 'typed' });
    expectError(await call('POST', '/api/v1/tariffs', { raw: body, headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await call('POST', '/api/v1/tariffs', { raw: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect((await call('POST', '/api/v1/tariffs', { raw: body, headers: { 'content-type': 'application/json; charset=utf-8' } })).status).toBe(201);
  });

  it('400 MALFORMED_JSON without echoing the body', async () => {
    const r = await call('POST', '/api/v1/nas', { raw: `{"name":"x","secret":"${NAS_SECRET}",`, headers: { 'content-type': 'application/json' } });
    expectError(r, 400, 'MALFORMED_JSON');
    expectError(await call('POST', '/api/v1/nas', { raw: `{"secret": ${NAS_SECRET}}`, headers: { 'content-type': 'application/json' } }), 400, 'MALFORMED_JSON');
    expectError(await call('POST', '/api/v1/tariffs', { body: [1, 2] }), 400, 'VALIDATION_FAILED');
  });

  it('500 INTERNAL with a generic message, the cause logged', async () => {
    const broken = await startServer({ store: { ...store, tariffs: { ...store.tariffs, list: () => Promise.reject(new Error('relation "tariffs" exploded')) } } });
    const r = await call('GET', '/api/v1/tariffs', { server: broken });
    expectError(r, 500, 'INTERNAL');
    expect(r.text).not.toContain('exploded');
    const line = logs.find((l) => l.level === 'error' && l.msg === 'api request failed');
    expect((line?.err as { message: string }).message).toBe('relation "tariffs" exploded');
  });

  it('a write whose change event cannot be published still succeeds, and the failure is logged', async () => {
    const failing = await startServer({ changes: { publish: () => Promise.reject(new Error('redis down')) } });
    const r = await call('POST', '/api/v1/tariffs', { server: failing, body: { name: 'Unpublished' } });
    expect(r.status).toBe(201);
    expect(logs.some((l) => l.level === 'error' && String(l.msg).startsWith('change event not published'))).toBe(true);
  });
});

describe('logs', () => {
  it('record method, path, status and duration of each request, and no secret or body', () => {
    const requests = logs.filter((l) => l.msg === 'api request');
    expect(requests.length).toBeGreaterThan(20);
    expect(requests).toContainEqual(expect.objectContaining({ level: 'info', method: 'POST', path: '/api/v1/nas', status: 201, durationMs: expect.any(Number) }));
    const text = JSON.stringify(logs);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(text).not.toContain('100.64.0.10');
  });
});

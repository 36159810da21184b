/**
 * The session routes of the admin API over a real node:http server and a real Store (PGlite, or PostgreSQL when
 * TEST_DATABASE_URL is set): list filters, the ip/at look-up, validation, and POST …/disconnect through a real
 * CoaClient to a BRAS played by this test (a UDP socket on 127.0.0.1 port 0 that answers ACK or NAK, or stays
 * silent), with the `nas` row pointing at it and the `coa_audit` row read back.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../../src/coa/backoff.js';
import { CoaClient } from '../../src/coa/client.js';
import { createApiRoutes } from '../../src/http/api/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { Attr, Code, findAttribute } from '../../src/radius/index.js';
import { runMigrations } from '../../src/store/migrations.js';
import type { Store } from '../../src/domain/ports.js';
import { createStore } from '../../src/store/store.js';
import { expectError, startTestApi, type ApiBody, type ApiReply, type TestApi } from '../helpers/api.js';
import { errorCause, FakeBras } from '../helpers/fake-bras.js';
import { createTestSql, type TestSql } from '../helpers/sql.js';
import { insertSession } from '../contract/sessions.contract.js';

const TOKEN = 'test-admin-token-sessions-4c1d';
const SECRET = 'sessions-coa-secret';
const RETRY: RetryPolicy = { initialMs: 40, maxMs: 160, maxTries: 3, maxDurationMs: 2000 };
const log = createLogger('silent');
const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

type Body = ApiBody;

type Reply = ApiReply<Body>;

let db: TestSql;
let store: Store;
let bras: FakeBras;
let coa: CoaClient;
let api: TestApi<Body>;
let apiWithoutCoa: TestApi<Body>;
let nasName: string;

const call = (method: string, path: string, on = api): Promise<Reply> => on.call(method, path);

const ids = (r: Reply): number[] => {
  expect(r.status, r.text).toBe(200);
  return r.json.items.map((s) => s.id);
};

beforeAll(async () => {
  db = await createTestSql();
  await runMigrations(db.sql);
  store = createStore(db.sql);
  bras = new FakeBras({ secret: SECRET });
  const port = await bras.start();
  nasName = unique('bras');
  await store.nas.create({ name: nasName, address: '127.0.0.1', secret: SECRET, vendor: 'mikrotik', coaPort: port });
  coa = new CoaClient({ audit: store.coa, log, retry: RETRY, bindAddress: '127.0.0.1' });
  await coa.start();
  api = await startTestApi<Body>(store, { token: TOKEN, coa });
  apiWithoutCoa = await startTestApi<Body>(store, { token: TOKEN });
});

/** Polls `condition` every 10 ms for up to 5 s. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error('condition not reached within 5 s');
}

afterAll(async () => {
  await api?.close();
  await apiWithoutCoa?.close();
  await coa?.stop();
  bras?.close();
  await db?.cleanup();
});

beforeEach(() => {
  bras.received.length = 0;
  bras.behaviour = () => null;
});

describe('GET /api/v1/sessions', () => {
  it('lists newest first with the active, username and accountId filters', async () => {
    const account = await store.accounts.create({});
    const username = unique('alice');
    const old = await insertSession(db.sql, { username, startedAt: '2025-01-01T00:00:00Z', stoppedAt: '2025-01-01T01:00:00Z', accountId: account.id });
    const open = await insertSession(db.sql, { username, startedAt: '2025-01-02T00:00:00Z', framedIp: '100.64.0.5' });
    const theirs = await insertSession(db.sql, { username: unique('bob'), startedAt: '2025-01-03T00:00:00Z', accountId: account.id });

    expect(ids(await call('GET', `/api/v1/sessions?username=${username}`))).toEqual([open, old]);
    expect(ids(await call('GET', `/api/v1/sessions?username=${username}&active=true`))).toEqual([open]);
    expect(ids(await call('GET', `/api/v1/sessions?username=${username}&active=false`))).toEqual([old]);
    expect(ids(await call('GET', `/api/v1/sessions?accountId=${account.id}`))).toEqual([theirs, old]);
    const page = await call('GET', `/api/v1/sessions?username=${username}&limit=1&offset=1`);
    expect(page.json).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(page.json.items.map((s) => s.id)).toEqual([old]);

    const one = await call('GET', `/api/v1/sessions/${open}`);
    expect(one.status, one.text).toBe(200);
    expect(one.json).toEqual({
      id: open,
      username,
      nas: 'bras-1',
      acctSessionId: expect.any(String),
      framedIp: '100.64.0.5',
      callingStationId: 'aa:bb:cc:dd:ee:ff',
      nasPort: '7',
      startedAt: '2025-01-02T00:00:00.000Z',
      updatedAt: '2025-01-02T00:00:00.000Z',
      stoppedAt: null,
      terminateCause: null,
      inputOctets: 10,
      outputOctets: 20,
      sessionTime: 60,
      subscriberId: null,
      accountId: null,
    });
    expectError(await call('GET', '/api/v1/sessions/9999999'), 404, 'NOT_FOUND');
  });

  it('answers who had an IP address at an instant', async () => {
    const ip = '100.64.7.7';
    const a = await insertSession(db.sql, { username: unique('a'), framedIp: ip, startedAt: '2025-02-01T10:00:00Z', stoppedAt: '2025-02-01T12:00:00Z' });
    const b = await insertSession(db.sql, { username: unique('b'), framedIp: ip, startedAt: '2025-02-01T12:00:00Z' });
    const at = (t: string) => call('GET', `/api/v1/sessions?ip=${ip}&at=${encodeURIComponent(t)}`);
    expect(ids(await at('2025-02-01T10:00:00Z'))).toEqual([a]);
    expect(ids(await at('2025-02-01T12:00:00Z'))).toEqual([b, a]);
    expect(ids(await at('2025-02-01T14:00:00+02:00'))).toEqual([b, a]);
    expect(ids(await at('2025-02-03T00:00:00Z'))).toEqual([b]);
    expect(ids(await at('2025-02-01T09:59:59Z'))).toEqual([]);
    const r = await at('2025-02-01T12:00:00Z');
    expect(r.json).toMatchObject({ total: 2, limit: 50, offset: 0 });
  });

  it('refuses bad parameters, naming the field', async () => {
    expectError(await call('GET', '/api/v1/sessions?ip=100.64.0.1'), 400, 'VALIDATION_FAILED', 'at');
    expectError(await call('GET', '/api/v1/sessions?at=2025-01-01T00:00:00Z'), 400, 'VALIDATION_FAILED', 'ip');
    expectError(await call('GET', '/api/v1/sessions?ip=100.64.0.256&at=2025-01-01T00:00:00Z'), 400, 'VALIDATION_FAILED', 'ip');
    expectError(await call('GET', '/api/v1/sessions?ip=10.0.0.0/8&at=2025-01-01T00:00:00Z'), 400, 'VALIDATION_FAILED', 'ip');
    expectError(await call('GET', '/api/v1/sessions?ip=100.64.0.1&at=2025-01-01'), 400, 'VALIDATION_FAILED', 'at');
    expectError(await call('GET', '/api/v1/sessions?ip=100.64.0.1&at=2025-01-01T00:00:00Z&username=x'), 400, 'VALIDATION_FAILED', 'username');
    expectError(await call('GET', '/api/v1/sessions?active=yes'), 400, 'VALIDATION_FAILED', 'active');
    expectError(await call('GET', '/api/v1/sessions?accountId=0'), 400, 'VALIDATION_FAILED', 'accountId');
    expectError(await call('GET', '/api/v1/sessions?limit=0'), 400, 'VALIDATION_FAILED', 'limit');
    expectError(await call('GET', '/api/v1/sessions?usrname=x'), 400, 'VALIDATION_FAILED', 'usrname');
  });
});

describe('POST /api/v1/sessions/{id}/disconnect', () => {
  const openSession = (nas = nasName, framedIp: string | null = '100.64.3.3') =>
    insertSession(db.sql, { username: unique('dc'), nasName: nas, acctSessionId: unique('acct'), framedIp, startedAt: '2025-03-01T00:00:00Z' });

  it('sends a Disconnect-Request with the session identity and answers 200 on ACK', async () => {
    bras.behaviour = () => ({ code: Code.DisconnectACK });
    const id = await openSession();
    const session = await store.sessions.get(id);
    const r = await call('POST', `/api/v1/sessions/${id}/disconnect`);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toEqual({ result: 'ack', attempts: 1 });
    expect(bras.requests).toHaveLength(1);
    const packet = bras.requests[0]!;
    expect(packet.code).toBe(Code.DisconnectRequest);
    expect(findAttribute(packet, Attr.UserName)?.value.toString()).toBe(session?.username);
    expect(findAttribute(packet, Attr.AcctSessionId)?.value.toString()).toBe(session?.acctSessionId);
    expect([...(findAttribute(packet, Attr.FramedIPAddress)?.value ?? [])]).toEqual([100, 64, 3, 3]);
    const audit = await db.sql.query<{ nas: string; session_id: number; request: string; action: string; result: string }>(
      'SELECT nas, session_id, request, action, result FROM coa_audit WHERE session_id = $1',
      [id],
    );
    expect(audit).toEqual([{ nas: nasName, session_id: id, request: 'disconnect', action: 'disconnect', result: 'ack' }]);
  });

  it('answers 502 COA_FAILED with the outcome on NAK', async () => {
    bras.behaviour = () => ({ code: Code.DisconnectNAK, attributes: [errorCause(503)] });
    const id = await openSession();
    const r = await call('POST', `/api/v1/sessions/${id}/disconnect`);
    expectError(r, 502, 'COA_FAILED');
    expect(r.json).toMatchObject({ result: 'nak', errorCause: 503, attempts: 1 });
    expect(r.json.error.message).toContain('Error-Cause 503');
  });

  it('answers 502 COA_FAILED with result timeout when the NAS is silent', async () => {
    const id = await openSession();
    const r = await call('POST', `/api/v1/sessions/${id}/disconnect`);
    expectError(r, 502, 'COA_FAILED');
    expect(r.json).toMatchObject({ result: 'timeout', attempts: RETRY.maxTries });
    expect(r.json.errorCause).toBeUndefined();
  });

  it('answers 409 for a stopped session, 404 for an unknown one', async () => {
    const id = await insertSession(db.sql, { username: unique('done'), nasName, startedAt: '2025-03-01T00:00:00Z', stoppedAt: '2025-03-01T01:00:00Z' });
    expectError(await call('POST', `/api/v1/sessions/${id}/disconnect`), 409, 'CONFLICT');
    expectError(await call('POST', '/api/v1/sessions/9999999/disconnect'), 404, 'NOT_FOUND');
    expect(bras.received).toHaveLength(0);
  });

  it('answers 503 COA_UNAVAILABLE without a CoA client or with a NAS not in the nas table', async () => {
    const id = await openSession();
    const noClient = await call('POST', `/api/v1/sessions/${id}/disconnect`, apiWithoutCoa);
    expectError(noClient, 503, 'COA_UNAVAILABLE');
    expect(noClient.json.error.message).toContain('no CoA client');

    const ghost = await openSession(unique('ghost-nas'));
    const unknownNas = await call('POST', `/api/v1/sessions/${ghost}/disconnect`);
    expectError(unknownNas, 503, 'COA_UNAVAILABLE');
    expect(unknownNas.json.error.message).toContain('not in the nas table');

    const network = unique('net-nas');
    await store.nas.create({ name: network, address: '198.51.100.0/24', secret: SECRET, vendor: 'generic' });
    const onNetwork = await openSession(network);
    expectError(await call('POST', `/api/v1/sessions/${onNetwork}/disconnect`), 503, 'COA_UNAVAILABLE');
    expect(bras.received).toHaveLength(0);
  });

  it('answers 503 COA_UNAVAILABLE when the daemon stops while the NAS has not answered', async () => {
    // A silent NAS and the default schedule (retransmissions for up to 30 s): the stop abandons the request.
    const stopping = new CoaClient({ audit: store.coa, log, bindAddress: '127.0.0.1' });
    await stopping.start();
    const stoppingApi = await startTestApi<Body>(store, { token: TOKEN, coa: stopping });
    try {
      const id = await openSession();
      const pending = call('POST', `/api/v1/sessions/${id}/disconnect`, stoppingApi);
      await until(() => bras.received.length > 0);
      await stopping.stop();
      const r = await pending;
      expectError(r, 503, 'COA_UNAVAILABLE');
      expect(r.json.error.message).toContain('stopping');
    } finally {
      await stoppingApi.close();
    }
  });
});

describe('OpenAPI', () => {
  it('documents the session routes and the disconnect outcomes', () => {
    const doc = createApiRoutes().openapi as { paths: Record<string, Record<string, { responses: Record<string, { content?: { 'application/json': { schema: unknown } } }> }>> };
    expect(Object.keys(doc.paths['/api/v1/sessions']!)).toEqual(['get']);
    expect(doc.paths['/api/v1/sessions/{id}']!.get).toBeDefined();
    const disconnect = doc.paths['/api/v1/sessions/{id}/disconnect']!.post!;
    expect(Object.keys(disconnect.responses).sort()).toEqual(['200', '401', '403', '404', '409', '500', '502', '503']);
    expect(disconnect.responses['502']?.content?.['application/json'].schema).toEqual({ $ref: '#/components/schemas/DisconnectFailure' });
  });
});

/**
 * Operators, their credentials and the audit log over the real admin API and a real Store (PGlite, or
 * PostgreSQL with TEST_DATABASE_URL): the permission matrix of every route × every role (from the one table of
 * docs/console.md), sign-in (passwords, TOTP, throttling), console sessions (cookie attributes, CSRF, idle
 * expiry, logout), API tokens (role ceilings, revocation, disabled and demoted operators), the last admin, and
 * audit rows written in the change's own transaction with secrets redacted.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, hotp, totpStep } from '../../src/domain/credentials.js';
import { PERMISSIONS, ROLES, type Role } from '../../src/domain/operators.js';
import type { Store } from '../../src/domain/ports.js';
import { createApiRoutes } from '../../src/http/api/index.js';
import { runMigrations } from '../../src/store/migrations.js';
import { createStore } from '../../src/store/store.js';
import { expectError, startTestApi, TEST_API_TOKEN, type ApiReply, type TestApi } from '../helpers/api.js';
import { createTestSql, type TestSql } from '../helpers/sql.js';

type J = Record<string, unknown> & { error?: { code: string; message: string; field?: string } };

const PASSWORD = 'operator-password-7c2e9a';
const SUBSCRIBER_PASSWORD = 'subscriber-pw-9x8y7z';

let testSql: TestSql | undefined;
let store: Store;
let api: TestApi<J>;

/** Calls with the bootstrap admin token unless `token` (null: none) or a cookie says otherwise. */
function call(method: string, path: string, body?: unknown, opts: { token?: string | null; headers?: Record<string, string> } = {}): Promise<ApiReply<J>> {
  return api.call(method, path, body, { token: opts.token === undefined ? TEST_API_TOKEN : opts.token, headers: opts.headers ?? {} });
}

async function makeOperator(login: string, role: Role, password = PASSWORD): Promise<number> {
  const r = await call('POST', '/api/v1/operators', { login, role, password, displayName: `${login} (test)` });
  expect(r.status, r.text).toBe(201);
  return r.json.id as number;
}

async function login(loginName: string, password = PASSWORD, totp?: string): Promise<ApiReply<J>> {
  return call('POST', '/api/v1/auth/login', { login: loginName, password, ...(totp === undefined ? {} : { totp }) }, { token: null });
}

/** Signs in: the cookie header to send and the CSRF token. */
async function session(loginName: string, password = PASSWORD): Promise<{ cookie: string; csrf: string }> {
  const r = await login(loginName, password);
  expect(r.status, r.text).toBe(200);
  const setCookie = r.headers.get('set-cookie') ?? '';
  return { cookie: setCookie.split(';')[0]!, csrf: r.json.csrfToken as string };
}

/** A token of `role` made by the operator `owner` (through its own session). */
async function tokenFor(owner: { cookie: string; csrf: string }, role?: Role, name = 'test'): Promise<ApiReply<J>> {
  return call('POST', '/api/v1/tokens', { name, expiresInDays: 30, ...(role === undefined ? {} : { role }) }, { token: null, headers: { cookie: owner.cookie, 'x-csrf-token': owner.csrf } });
}

async function auditRows(where = 'true'): Promise<Record<string, unknown>[]> {
  return testSql!.sql.query(`SELECT * FROM audit_log WHERE ${where} ORDER BY id`);
}

beforeAll(async () => {
  testSql = await createTestSql();
  await runMigrations(testSql.sql);
  store = createStore(testSql.sql);
  api = await startTestApi<J>(store);
});

afterAll(async () => {
  await api?.close();
  await testSql?.cleanup();
});

/** docs/console.md's table: for each permission, the roles that have it. The matrix below is generated from it. */
function documentedRoles(): Map<string, Set<Role>> {
  const doc = readFileSync(new URL('../../docs/console.md', import.meta.url), 'utf8');
  const header = doc.split('\n').find((l) => l.startsWith('| permission |'))!;
  const columns = header.split('|').map((c) => c.trim());
  const table = new Map<string, Set<Role>>();
  for (const line of doc.split('\n')) {
    const m = /^\| `([a-z:]+)` \|/.exec(line);
    if (!m) continue;
    const cells = line.split('|').map((c) => c.trim());
    table.set(m[1]!, new Set(ROLES.filter((role) => cells[columns.indexOf(role)] === '✓')));
  }
  return table;
}

/**
 * A stream route's answer: the status and, for an error, its JSON body; an allowed stream (which would run for
 * ever) is closed once its head has arrived.
 */
async function streamStatus(path: string, token: string): Promise<{ status: number; text: string; json: J }> {
  const abort = new AbortController();
  const res = await fetch(`${api.base}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
  if (res.ok) {
    abort.abort();
    return { status: res.status, text: '', json: {} };
  }
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as J };
}

describe('the permission matrix: every route × every role', () => {
  const table = documentedRoles();

  it('docs/console.md names every permission, and the code gives each role exactly those', () => {
    expect([...table.keys()].sort()).toEqual([...PERMISSIONS].sort());
  });

  it('answers 403 exactly where the role lacks the route\'s permission (operator API tokens of each role)', async () => {
    const tokens = new Map<Role, string>();
    for (const role of ROLES) {
      await makeOperator(`matrix-${role}`, role);
      const r = await tokenFor(await session(`matrix-${role}`), role, `matrix ${role}`);
      expect(r.status, r.text).toBe(201);
      tokens.set(role, r.json.token as string);
    }
    const failures: string[] = [];
    for (const route of createApiRoutes().routes) {
      // An id no row has: an allowed write answers 404 or 400, and changes nothing.
      const path = route.pattern.replace(/:\w+/g, '999999');
      for (const role of ROLES) {
        const allowed = route.permission === 'public' || route.permission === 'authenticated' || table.get(route.permission)!.has(role);
        const r = route.success.mediaTypes?.['text/event-stream'] ? await streamStatus(path, tokens.get(role)!) : await call(route.method, path, route.method === 'GET' || route.method === 'DELETE' ? undefined : {}, { token: tokens.get(role)! });
        const ok = allowed ? r.status !== 403 && r.status !== 401 : r.status === 403 && r.json.error?.code === 'FORBIDDEN';
        if (!ok) failures.push(`${role} ${route.method} ${route.pattern} (${route.permission}): ${r.status} ${r.text.slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

describe('signing in', () => {
  beforeAll(async () => {
    await makeOperator('alice', 'admin');
  });

  it('answers the operator, a CSRF token and a cookie with HttpOnly, SameSite=Strict and Path=/; audits it', async () => {
    const r = await login('ALICE');
    expect(r.status, r.text).toBe(200);
    expect(r.json.operator).toMatchObject({ login: 'alice', role: 'admin', totpEnabled: false });
    expect(r.json.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^tg_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=43200$/);
    // Not over TLS, and no trusted proxy says so: no Secure (a browser would not send it back over http).
    expect(cookie).not.toMatch(/Secure/);
    const me = await call('GET', '/api/v1/auth/me', undefined, { token: null, headers: { cookie: cookie.split(';')[0]! } });
    expect(me.json).toMatchObject({ kind: 'session', login: 'alice', role: 'admin', operator: { login: 'alice' } });
    // Who-am-I answers the session's CSRF token again (a reloaded console needs it); it works on an unsafe method.
    expect(me.json.csrfToken).toBe(r.json.csrfToken);
    const again = await call('POST', '/api/v1/auth/logout', undefined, { token: null, headers: { cookie: cookie.split(';')[0]!, 'x-csrf-token': me.json.csrfToken as string } });
    expect(again.status, again.text).toBe(204);
    // An API token's caller has no CSRF token.
    expect((await call('GET', '/api/v1/auth/me')).json).not.toHaveProperty('csrfToken');
    const [row] = await auditRows("action = 'auth.login' AND login = 'alice'");
    expect(row).toMatchObject({ login: 'alice', via: 'session', target: expect.stringMatching(/^operator:\d+$/) });
    // Only the digest of the cookie is stored.
    const sessions = await testSql!.sql.query<{ id: string }>('SELECT id FROM operator_sessions');
    expect(sessions.map((s) => s.id)).not.toContain(cookie.split(';')[0]!.slice('tg_session='.length));
  });

  it('sets Secure and takes the client address only from a trusted proxy (admin.trustedProxies)', async () => {
    const proxied = await startTestApi<J>(store, { security: { trustedProxies: ['127.0.0.1'] } });
    try {
      const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' };
      const r = await proxied.call('POST', '/api/v1/auth/login', { login: 'alice', password: PASSWORD }, { token: null, headers });
      expect(r.status, r.text).toBe(200);
      expect(r.headers.get('set-cookie')).toMatch(/; Secure$/);
      const [row] = await auditRows("action = 'auth.login' AND address = '198.51.100.7'");
      expect(row).toMatchObject({ login: 'alice' });
    } finally {
      await proxied.close();
    }
    // The same headers from a peer that is not a trusted proxy change nothing.
    const direct = await call('POST', '/api/v1/auth/login', { login: 'alice', password: PASSWORD }, { token: null, headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.8' } });
    expect(direct.headers.get('set-cookie')).not.toMatch(/Secure/);
    expect(await auditRows("address = '198.51.100.8'")).toHaveLength(0);
  });

  it('answers 401 for a wrong password or an unknown login, and audits the failure without the password', async () => {
    expectError(await login('alice', 'wrong-password-123'), 401, 'UNAUTHORIZED');
    expectError(await login('nobody', PASSWORD), 401, 'UNAUTHORIZED');
    const rows = await auditRows("action = 'auth.login_failed'");
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(rows)).not.toContain('wrong-password-123');
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
  });

  it('refuses bad input with 400 VALIDATION_FAILED naming the field', async () => {
    expectError(await call('POST', '/api/v1/auth/login', { login: 'alice' }, { token: null }), 400, 'VALIDATION_FAILED', 'password');
    expectError(await call('POST', '/api/v1/auth/login', { login: 'alice', password: PASSWORD, extra: 1 }, { token: null }), 400, 'VALIDATION_FAILED', 'extra');
  });

  it('locks a login after 10 failures with 429 TOO_MANY_REQUESTS and Retry-After, audited as auth.lockout', async () => {
    await makeOperator('mallory-target', 'readonly');
    for (let i = 0; i < 10; i++) expectError(await login('mallory-target', `guess-number-${i}-xx`), 401, 'UNAUTHORIZED');
    const locked = await login('mallory-target', PASSWORD);
    expectError(locked, 429, 'TOO_MANY_REQUESTS');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    const [lockout] = await auditRows("action = 'auth.lockout'");
    expect(lockout).toMatchObject({ via: 'anonymous', after: { login: 'mallory-target' } });
  }, 60_000);

  it('ends an idle session (401) and keeps a busy one', async () => {
    const s = await session('alice');
    const me = () => call('GET', '/api/v1/auth/me', undefined, { token: null, headers: { cookie: s.cookie } });
    expect((await me()).status).toBe(200);
    await testSql!.sql.query("UPDATE operator_sessions SET last_seen_at = now() - interval '31 minutes'");
    expectError(await me(), 401, 'UNAUTHORIZED');
  });

  it('needs X-CSRF-Token on unsafe methods with a cookie (403 CSRF_FAILED), not with a bearer token', async () => {
    const s = await session('alice');
    const body = { name: 'csrf-tariff' };
    expectError(await call('POST', '/api/v1/tariffs', body, { token: null, headers: { cookie: s.cookie } }), 403, 'CSRF_FAILED');
    expectError(await call('POST', '/api/v1/tariffs', body, { token: null, headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(43) } }), 403, 'CSRF_FAILED');
    const ok = await call('POST', '/api/v1/tariffs', body, { token: null, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(ok.status, ok.text).toBe(201);
    // Reading needs none.
    expect((await call('GET', '/api/v1/tariffs', undefined, { token: null, headers: { cookie: s.cookie } })).status).toBe(200);
  });

  it('logs out: the session ends and the cookie is cleared', async () => {
    const s = await session('alice');
    const out = await call('POST', '/api/v1/auth/logout', undefined, { token: null, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^tg_session=; .*Max-Age=0/);
    expectError(await call('GET', '/api/v1/auth/me', undefined, { token: null, headers: { cookie: s.cookie } }), 401, 'UNAUTHORIZED');
  });

  it('with a second factor, needs a TOTP code, and each code works once', async () => {
    await makeOperator('tina', 'support');
    const s = await session('tina');
    const h = { token: null, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } };
    const begin = await call('POST', '/api/v1/auth/totp', undefined, h);
    expect(begin.status, begin.text).toBe(200);
    expect(begin.json.uri).toMatch(/^otpauth:\/\/totp\/Tollgate%3Atina\?secret=/);
    const key = base32Decode(begin.json.secret as string)!;
    const step = totpStep(Date.now() / 1000);
    expectError(await call('POST', '/api/v1/auth/totp/confirm', { code: hotp(key, step + 5) }, h), 400, 'VALIDATION_FAILED', 'code');
    const confirmed = await call('POST', '/api/v1/auth/totp/confirm', { code: hotp(key, step) }, h);
    expect(confirmed.json).toMatchObject({ totpEnabled: true });
    // The code that confirmed is used: the next sign-in needs the following step's.
    const missing = await login('tina');
    expectError(missing, 401, 'UNAUTHORIZED', 'totp');
    expectError(await login('tina', PASSWORD, hotp(key, step)), 401, 'UNAUTHORIZED');
    const next = hotp(key, step + 1);
    expect((await login('tina', PASSWORD, next)).status).toBe(200);
    expectError(await login('tina', PASSWORD, next), 401, 'UNAUTHORIZED');
    // Removing it needs the password.
    expectError(await call('DELETE', '/api/v1/auth/totp', { password: 'not-the-password' }, h), 400, 'VALIDATION_FAILED', 'password');
    expect((await call('DELETE', '/api/v1/auth/totp', { password: PASSWORD }, h)).status).toBe(204);
    expect((await login('tina')).status).toBe(200);
  });

  it("changes one's own password (needs the current one); the other sessions end", async () => {
    await makeOperator('pat', 'billing');
    const a = await session('pat');
    const b = await session('pat');
    const h = { token: null, headers: { cookie: a.cookie, 'x-csrf-token': a.csrf } };
    expectError(await call('POST', '/api/v1/auth/password', { currentPassword: 'nope-nope-nope', newPassword: 'a-new-password-123' }, h), 400, 'VALIDATION_FAILED', 'currentPassword');
    expectError(await call('POST', '/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'short' }, h), 400, 'VALIDATION_FAILED', 'newPassword');
    expect((await call('POST', '/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'a-new-password-123' }, h)).status).toBe(204);
    expect((await call('GET', '/api/v1/auth/me', undefined, { token: null, headers: { cookie: a.cookie } })).status).toBe(200);
    expectError(await call('GET', '/api/v1/auth/me', undefined, { token: null, headers: { cookie: b.cookie } }), 401, 'UNAUTHORIZED');
    expect((await login('pat', 'a-new-password-123')).status).toBe(200);
  });

  it('answers who the bootstrap admin is', async () => {
    const me = await call('GET', '/api/v1/auth/me');
    expect(me.json).toMatchObject({ kind: 'bootstrap', login: 'bootstrap', role: 'admin', operator: null });
  });
});

describe('API tokens', () => {
  it("refuses a token above its maker's role (403), shows the text once and stores only its digest", async () => {
    await makeOperator('sam', 'support');
    const s = await session('sam');
    expectError(await tokenFor(s, 'admin'), 403, 'FORBIDDEN');
    expectError(await tokenFor(s, 'billing'), 403, 'FORBIDDEN');
    const r = await tokenFor(s, 'readonly');
    expect(r.status, r.text).toBe(201);
    const text = r.json.token as string;
    expect(text).toMatch(new RegExp(`^tg_${r.json.id as number}_[A-Za-z0-9_-]{43}$`));
    const list = await call('GET', '/api/v1/tokens', undefined, { token: null, headers: { cookie: s.cookie } });
    expect(list.text).not.toContain(text.slice(`tg_${r.json.id as number}_`.length));
    const rows = await testSql!.sql.query<{ secret_hash: string }>('SELECT secret_hash FROM operator_tokens WHERE id = $1', [r.json.id]);
    expect(rows[0]!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    // The readonly token reads, and may not write.
    expect((await call('GET', '/api/v1/tariffs', undefined, { token: text })).status).toBe(200);
    expectError(await call('POST', '/api/v1/tariffs', { name: 'by-readonly' }, { token: text }), 403, 'FORBIDDEN');
    // Bad input names the field.
    expectError(await call('POST', '/api/v1/tokens', { name: 'x', expiresInDays: 366 }, { token: null, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } }), 400, 'VALIDATION_FAILED', 'expiresInDays');
  });

  it('stops working when revoked, expired, its operator disabled, or demoted below it (401)', async () => {
    const id = await makeOperator('dana', 'admin');
    const s = await session('dana');
    const revoked = (await tokenFor(s, 'support', 'revoked')).json;
    const expired = (await tokenFor(s, 'support', 'expired')).json;
    const high = (await tokenFor(s, 'admin', 'high')).json;
    const low = (await tokenFor(s, 'readonly', 'low')).json;
    const use = (t: J) => call('GET', '/api/v1/auth/me', undefined, { token: t.token as string });
    for (const t of [revoked, expired, high, low]) expect((await use(t)).status).toBe(200);

    expect((await call('DELETE', `/api/v1/tokens/${revoked.id as number}`, undefined, { token: null, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } })).status).toBe(204);
    expectError(await use(revoked), 401, 'UNAUTHORIZED');
    await testSql!.sql.query("UPDATE operator_tokens SET expires_at = now() - interval '1 second' WHERE id = $1", [expired.id]);
    expectError(await use(expired), 401, 'UNAUTHORIZED');

    // Demoted to support: the admin token fails, the readonly one still works.
    expect((await call('PATCH', `/api/v1/operators/${id}`, { role: 'support' })).status).toBe(200);
    expectError(await use(high), 401, 'UNAUTHORIZED');
    expect((await use(low)).json).toMatchObject({ kind: 'token', role: 'readonly', login: 'dana' });

    // Disabled: every token fails and the session has ended.
    expect((await call('PATCH', `/api/v1/operators/${id}`, { disabled: true })).status).toBe(200);
    expectError(await use(low), 401, 'UNAUTHORIZED');
    expectError(await call('GET', '/api/v1/auth/me', undefined, { token: null, headers: { cookie: s.cookie } }), 401, 'UNAUTHORIZED');
    expectError(await login('dana'), 401, 'UNAUTHORIZED');
  });

  it("hides another operator's tokens from who may not manage operators", async () => {
    await makeOperator('otto', 'billing');
    const s = await session('otto');
    const mine = (await tokenFor(s, 'billing', 'mine')).json;
    const other = await session('sam');
    expectError(await call('DELETE', `/api/v1/tokens/${mine.id as number}`, undefined, { token: null, headers: { cookie: other.cookie, 'x-csrf-token': other.csrf } }), 404, 'NOT_FOUND');
    expectError(await call('GET', `/api/v1/tokens?operator=${mine.operatorId as number}`, undefined, { token: null, headers: { cookie: other.cookie } }), 403, 'FORBIDDEN');
    const asAdmin = await call('GET', `/api/v1/tokens?operator=${mine.operatorId as number}`);
    expect((asAdmin.json.items as J[]).map((t) => t.id)).toContain(mine.id);
  });
});

describe('operators', () => {
  it('keeps at least one enabled admin (409), refuses taken and reserved logins', async () => {
    const r = await call('GET', '/api/v1/operators');
    const admins = (r.json.items as J[]).filter((o) => o.role === 'admin' && o.disabled === false);
    // Demote or disable all but one, then the last one refuses.
    for (const a of admins.slice(1)) expect((await call('PATCH', `/api/v1/operators/${a.id as number}`, { disabled: true })).status).toBe(200);
    const last = admins[0]!;
    expectError(await call('PATCH', `/api/v1/operators/${last.id as number}`, { role: 'billing' }), 409, 'CONFLICT');
    expectError(await call('PATCH', `/api/v1/operators/${last.id as number}`, { disabled: true }), 409, 'CONFLICT');
    for (const a of admins.slice(1)) expect((await call('PATCH', `/api/v1/operators/${a.id as number}`, { disabled: false })).status).toBe(200);
    expectError(await call('POST', '/api/v1/operators', { login: 'ALICE', role: 'readonly', password: PASSWORD }), 409, 'CONFLICT', 'login');
    expectError(await call('POST', '/api/v1/operators', { login: 'bootstrap', role: 'readonly', password: PASSWORD }), 400, 'VALIDATION_FAILED', 'login');
    expectError(await call('POST', '/api/v1/operators', { login: 'short-pw', role: 'readonly', password: 'x' }), 400, 'VALIDATION_FAILED', 'password');
    expect(r.text).not.toMatch(/scrypt|passwordHash|totpSecret/);
  });
});

describe('the audit log', () => {
  it('records a PATCH of a subscriber once, before and after, the password redacted, in the same transaction', async () => {
    const account = await call('POST', '/api/v1/accounts', {});
    const sub = await call('POST', '/api/v1/subscribers', { username: 'audited-user', password: SUBSCRIBER_PASSWORD, accountId: account.json.id });
    expect(sub.status, sub.text).toBe(201);
    const target = `subscriber:${sub.json.id as number}`;
    const s = await session('alice');
    const patched = await call('PATCH', `/api/v1/subscribers/${sub.json.id as number}`, { password: 'another-pw-5566', simultaneousUse: 2 }, { token: null, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(patched.status, patched.text).toBe(200);
    const rows = await auditRows(`target = '${target}' AND action = 'subscriber.update'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ login: 'alice', via: 'session', before: { username: 'audited-user' }, after: { password: '[redacted]', simultaneousUse: 2 } });
    const all = JSON.stringify(await auditRows());
    for (const secret of [SUBSCRIBER_PASSWORD, 'another-pw-5566', PASSWORD]) expect(all).not.toContain(secret);

    // A change that fails writes no audit row (and no change).
    const before = (await auditRows()).length;
    expectError(await call('PATCH', `/api/v1/subscribers/${sub.json.id as number}`, { accountId: 999999 }), 422, 'REFERENCE', 'accountId');
    expect((await auditRows()).length).toBe(before);

    const page = await call('GET', `/api/v1/audit-log?target=${target}`);
    expect((page.json.items as J[]).map((e) => e.action)).toEqual(['subscriber.update', 'subscriber.create']);
    expectError(await call('GET', '/api/v1/audit-log?from=yesterday'), 400, 'VALIDATION_FAILED', 'from');
  });

  it('puts the operator on payments and shows it in statements; pages newest first with before', async () => {
    const account = await call('POST', '/api/v1/accounts', {});
    const s = await session('alice');
    const paid = await call('POST', '/api/v1/payments', { accountId: account.json.id, amount: 700, externalId: 'audit-pay-1' }, { token: null, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(paid.status, paid.text).toBe(201);
    expect(paid.json).toMatchObject({ operatorLogin: 'alice', operatorId: expect.any(Number) });
    const statement = await call('GET', `/api/v1/accounts/${account.json.id as number}/payments`);
    expect((statement.json.items as J[])[0]).toMatchObject({ externalId: 'audit-pay-1', operatorLogin: 'alice' });
    // A redelivery changes nothing and is not audited again.
    await call('POST', '/api/v1/payments', { accountId: account.json.id, amount: 700, externalId: 'audit-pay-1' });
    expect(await auditRows(`target = 'payment:${paid.json.id as number}'`)).toHaveLength(1);

    const first = await call('GET', '/api/v1/audit-log?limit=2');
    const items = first.json.items as J[];
    expect(items).toHaveLength(2);
    const next = await call('GET', `/api/v1/audit-log?limit=2&before=${first.json.nextBefore as number}`);
    expect((next.json.items as J[])[0]!.id as number).toBeLessThan(items[1]!.id as number);
  });
});

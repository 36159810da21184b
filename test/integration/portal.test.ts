/**
 * The captive portal on its own listener against the real daemon: the page of the subscriber whose open session
 * holds the requesting address (X-Forwarded-For believed only from the trusted proxy 127.0.0.1), nothing for
 * anyone else, the promised payment (CSRF-protected, once per interval) restoring the session through the NAS
 * (the BRAS here is a UDP listener), rate limiting, the per-address connection limit and the timeouts that close
 * half-open connections, security headers, the billing widget with tokens from the admin API, and no admin
 * endpoint on the portal port.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAttributes } from '../../src/radius/decode.js';
import { Code } from '../../src/radius/codes.js';
import { formatMoney } from '../../src/portal/money.js';
import { grantPromisedPayment, PROMISED_PAYMENT_REASON } from '../../src/portal/promised-payment.js';
import { rederiveAccountStates } from '../../src/store/account-state.js';
import { metricValue, SECRET, startTestDaemon, testConfigInput, type TestDaemon } from '../helpers/daemon.js';
import { request } from '../helpers/http.js';
import { FakeBras, formFields, SEED, seedBlockedSubscriber, until, type Seeded } from './portal-fixture.js';

const TOKEN = 'portal-test-admin-token';
const WIDGET_SECRET = 'widget-secret-for-the-portal-tests-0123456789';
const PROXY = '127.0.0.1';
/** portal.maxConnectionsPerAddress here: small, so the test can exceed it with a handful of sockets. */
const CONNECTION_LIMIT = 8;
const money = (minor: number, locale = 'en') => formatMoney(minor, 'EUR', locale);

describe('captive portal', () => {
  const bras = new FakeBras();
  const seeded: Seeded = { accountId: 0, subscriberId: 0, sessionId: 0, framedIp: '100.64.0.10' };
  let d: TestDaemon;
  let port = 0;
  const asDana = { xff: seeded.framedIp };
  /** The form the promised payment was granted with (its token stays valid for two hours). */
  let usedForm: { csrf: string; session: string } | undefined;

  beforeAll(async () => {
    await bras.start();
    d = await startTestDaemon(
      testConfigInput({
        admin: { listen: '127.0.0.1', port: 0, token: TOKEN },
        users: [],
        clients: [{ name: 'bras', address: '127.0.0.1', secret: SECRET, vendor: 'mikrotik', coaPort: bras.port }],
        fees: { enabled: false },
        portal: {
          listen: '127.0.0.1',
          port: 0,
          trustedProxies: [PROXY],
          currency: 'EUR',
          operator: { name: 'Example Net <ISP>', logoUrl: 'https://cdn.example.net/logo.png', support: '+1 555 0100' },
          payment: { url: 'https://pay.example.net/?from=portal', text: { en: 'Pay by card or bank transfer.', ru: 'Оплатите картой или переводом.' } },
          promisedPayment: { enabled: true, amount: 2000, days: 3, minIntervalDays: 30 },
          rateLimit: { perMinute: 60, burst: 40 },
          maxConnectionsPerAddress: CONNECTION_LIMIT,
          widgetSecret: WIDGET_SECRET,
          widgetOrigins: ['https://my.example.net'],
        },
      }),
      (sql) => seedBlockedSubscriber(sql, seeded, { tariffName: 'Home <100> & "more"' }),
    );
    port = d.app.ports.portal;
  });
  afterAll(async () => {
    await d?.stop();
    bras.close();
  });

  it('listens on a port of its own', () => {
    expect(port).toBeGreaterThan(0);
    expect(port).not.toBe(d.app.ports.admin);
  });

  it('serves no admin endpoint: the API, metrics and health checks are 404 there', async () => {
    for (const path of ['/api/v1/subscribers', '/api/v1/openapi.json', `/api/v1/accounts/${seeded.accountId}`, '/metrics', '/healthz', '/readyz']) {
      const res = await request(port, path, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status, path).toBe(404);
      expect(res.text).not.toContain('tollgate_');
    }
    expect((await request(port, '/api/v1/payments', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  it('answers other methods with 405 and Allow, HEAD like GET without a body', async () => {
    const put = await request(port, '/', { method: 'PUT', xff: '100.64.0.98' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD');
    const post = await request(port, '/widget/v1/summary', { method: 'POST', xff: '100.64.0.98' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(JSON.parse(post.text)).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
    const head = await request(port, '/', { method: 'HEAD', xff: '100.64.0.98' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  it('shows an address without a session a neutral page with no data', async () => {
    const res = await request(port, '/', { xff: '100.64.0.99' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-section="neutral"');
    expect(res.text).not.toContain('dana');
    expect(res.text).not.toContain('data-field="balance"');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const res = await request(port, '/', { from: '127.0.0.5', xff: seeded.framedIp });
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-section="neutral"');
    expect(res.text).not.toContain('dana');
  });

  it("shows the session owner's account: why blocked, balance, tariff, both months' charges, payments, how to pay", async () => {
    const res = await request(port, '/', asDana);
    expect(res.status).toBe(200);
    const b = res.text;
    expect(b).toContain('<meta name="viewport"');
    expect(b).toContain('data-reason="blocked"');
    expect(b).toContain('data-field="username">dana<');
    expect(b).toContain(`data-amount="${SEED.balance}" data-field="balance">${money(SEED.balance)}<`);
    expect(b).toContain(`data-field="available">${money(SEED.balance)}<`);
    expect(b).toContain(`data-field="monthly-fee">${money(3000)}<`);
    // Escaped, never markup.
    expect(b).toContain('Home &lt;100&gt; &amp; &quot;more&quot;');
    expect(b).not.toContain('Home <100>');
    expect(b).toContain('Example Net &lt;ISP&gt;');
    const thisMonth = SEED.traffic + SEED.oneOff + SEED.fee;
    expect(b).toContain(`data-field="charges-this-month-total">${money(thisMonth)}<`);
    expect(b).toContain(`data-field="charges-last-month-total">${money(SEED.lastMonth)}<`);
    expect(b).toContain('portal-s1');
    expect(b).toContain('router rent');
    expect(b).toContain('installation');
    expect(b).toContain('bank transfer');
    expect(b).toContain('href="https://pay.example.net/?from=portal"');
    expect(b).toContain('Pay by card or bank transfer.');
    expect(b).toContain('data-action="promised-payment"');
    expect(b).toContain('src="https://cdn.example.net/logo.png"');
  });

  it('sends security headers: strict CSP with a style nonce, no framing, no caching', async () => {
    const res = await request(port, '/', asDana);
    const csp = String(res.headers.get('content-security-policy'));
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/form-action 'self'/);
    expect(csp).toContain('img-src https://cdn.example.net');
    const nonce = /style-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(res.text).toContain(`<style nonce="${nonce}">`);
    expect(res.text).not.toContain('<script');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('speaks Russian when the browser prefers it', async () => {
    const res = await request(port, '/', { ...asDana, headers: { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' } });
    expect(res.text).toContain('<html lang="ru">');
    expect(res.text).toContain('Баланс');
    expect(res.text).toContain(money(SEED.balance, 'ru'));
    expect(res.text).toContain('Оплатите картой или переводом.');
  });

  it('refuses a promised payment without a valid CSRF token (403), granting nothing', async () => {
    const page = (await request(port, '/', asDana)).text;
    const form = formFields(page)!;
    const post = (body: string, opts: { xff?: string; type?: string } = {}) =>
      request(port, '/promised-payment', { method: 'POST', xff: opts.xff ?? seeded.framedIp, body, headers: { 'content-type': opts.type ?? 'application/x-www-form-urlencoded' } });
    expect((await post(`session=${form.session}`)).status).toBe(403);
    expect((await post(`csrf=${form.csrf.slice(0, -2)}AA&session=${form.session}`)).status).toBe(403);
    expect((await post(`csrf=${encodeURIComponent(form.csrf)}&session=${Number(form.session) + 1}`)).status).toBe(403);
    // The token is bound to the address it was shown to.
    expect((await post(`csrf=${encodeURIComponent(form.csrf)}&session=${form.session}`, { xff: '100.64.0.99' })).status).toBe(403);
    expect((await post(`csrf=${encodeURIComponent(form.csrf)}&session=${form.session}`, { type: 'text/plain' })).status).toBe(415);
    expect((await request(port, '/promised-payment', asDana)).status).toBe(405);
    const credits = await d.app.store.ledger.listCredits(seeded.accountId);
    expect(credits).toEqual([]);
  });

  it('grants the promised payment, unblocks the account and restores the session through the NAS', async () => {
    const page = (await request(port, '/', asDana)).text;
    const form = formFields(page)!;
    usedForm = form;
    const before = bras.requests.length;
    const res = await request(port, '/promised-payment', {
      method: 'POST',
      xff: seeded.framedIp,
      body: `csrf=${encodeURIComponent(form.csrf)}&session=${form.session}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-result="granted"');
    expect(res.text).toContain('data-reason="active"');
    expect(res.text).toContain(`data-field="available">${money(SEED.balance + 2000)}<`);
    const credits = await d.app.store.ledger.listCredits(seeded.accountId);
    expect(credits).toHaveLength(1);
    expect(credits[0]).toMatchObject({ amount: 2000, reason: PROMISED_PAYMENT_REASON, active: true });
    const days = (Date.parse(credits[0]!.expiresAt) - Date.parse(credits[0]!.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(3, 2);
    const account = await d.app.store.accounts.get(seeded.accountId);
    expect(account).toMatchObject({ state: 'active', balance: SEED.balance, activeCredit: 2000 });
    // MikroTik restores by Disconnect-Request, so the subscriber re-authenticates into normal service.
    await until(() => bras.requests.length > before);
    const restore = bras.requests[before]!;
    expect(restore.code).toBe(Code.DisconnectRequest);
    const attrs = Object.fromEntries(decodeAttributes(d.app.dictionary, restore.attributes).map((a) => [a.name, a.value]));
    expect(attrs).toMatchObject({ 'User-Name': 'dana', 'Acct-Session-Id': 'portal-s1' });
    expect((await d.app.store.ledger.verify()).mismatches).toEqual([]);
    expect(metricValue(await d.metrics(), 'tollgate_portal_promised_payments_total', { result: 'granted' })).toBe(1);
  });

  it('allows one promised payment per interval: blocked again, the page says when the next is possible', async () => {
    // The credit ends early: the account is blocked again.
    await d.sql.transaction(async (tx) => {
      await tx.query(`UPDATE credits SET expires_at = now() - interval '1 second' WHERE account_id = $1`, [seeded.accountId]);
      await rederiveAccountStates(tx, [seeded.accountId], 'credit_expired');
    });
    const page = (await request(port, '/', asDana)).text;
    expect(page).toContain('data-reason="blocked"');
    expect(page).not.toContain('data-action="promised-payment"');
    expect(page).toMatch(/already used recently/);
    expect(formFields(page)).toBeUndefined();
    // Posting the form kept from before is refused too (409), and grants nothing.
    const res = await request(port, '/promised-payment', {
      method: 'POST',
      xff: seeded.framedIp,
      body: `csrf=${encodeURIComponent(usedForm!.csrf)}&session=${usedForm!.session}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(409);
    expect(res.text).toContain('data-result="too_soon"');
    expect(await d.app.store.ledger.listCredits(seeded.accountId)).toHaveLength(1);
    expect((await d.app.store.accounts.get(seeded.accountId))?.state).toBe('blocked');
  });

  it('grants one promised payment when two are asked for at once (the check and the grant hold the account lock)', async () => {
    const store = d.app.store;
    const account = await store.accounts.create({ creditLimit: 0 });
    const subscriber = await store.subscribers.create({ username: 'erin', password: 'erin-password', accountId: account.id });
    await store.ledger.adjust({ accountId: account.id, amount: -500, reason: 'debt' });
    expect((await store.accounts.get(account.id))?.state).toBe('blocked');
    const policy = { enabled: true, amount: 2000, days: 3, minIntervalDays: 30 };
    const results = await Promise.all(Array.from({ length: 4 }, () => grantPromisedPayment(store, policy, subscriber.id, account.id)));
    expect(results.filter((r) => r.kind === 'granted')).toHaveLength(1);
    // The others waited for the lock and then saw an account no longer blocked, or the fresh grant.
    expect(results.filter((r) => r.kind !== 'granted').every((r) => r.kind === 'not_needed' || r.kind === 'too_soon')).toBe(true);
    expect(await store.ledger.listCredits(account.id)).toHaveLength(1);
    expect(await store.statements.lastCreditAt(account.id, PROMISED_PAYMENT_REASON)).toBeInstanceOf(Date);
    // A subscriber of another account cannot draw on this one.
    expect(await grantPromisedPayment(store, policy, seeded.subscriberId, account.id)).toEqual({ kind: 'disabled' });
  });

  it('rate-limits each address (429), other addresses unaffected', async () => {
    const replies = [];
    for (let i = 0; i < 45; i++) replies.push(await request(port, '/', { xff: '198.51.100.7' }));
    // A burst of 40, then one request a second: the next few are refused however slow the machine.
    expect(replies.slice(0, 40).every((r) => r.status === 200)).toBe(true);
    const limited = replies.slice(40).find((r) => r.status === 429);
    expect(limited).toBeDefined();
    expect(limited!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited!.text).toContain('Too many requests');
    expect((await request(port, '/', { xff: '198.51.100.8' })).status).toBe(200);
  });

  it('holds each peer address to portal.maxConnectionsPerAddress; half-open connections are closed at the headers timeout', async () => {
    const refused = async () => metricValue(await d.metrics(), 'tollgate_portal_connections_refused_total');
    const refusedBefore = await refused();
    const started = Date.now();
    // Raw sockets that never send a byte: what a flood of half-open connections looks like to the server.
    const sockets: { socket: net.Socket; data: string; closedAt: number | undefined }[] = [];
    for (let i = 0; i < CONNECTION_LIMIT + 5; i++) {
      const socket = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.1' });
      const entry = { socket, data: '', closedAt: undefined as number | undefined };
      socket.on('data', (chunk: Buffer) => (entry.data += chunk.toString('latin1')));
      socket.on('close', () => (entry.closedAt = Date.now()));
      socket.on('error', () => undefined);
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      sockets.push(entry);
    }
    const held = sockets.slice(0, CONNECTION_LIMIT);
    const extra = sockets.slice(CONNECTION_LIMIT);
    try {
      await until(() => extra.every((e) => e.closedAt !== undefined), 3000);
      expect(extra.every((e) => e.data === ''), 'closed without an answer').toBe(true);
      expect(held.every((e) => e.closedAt === undefined)).toBe(true);
      // While the address is full even a well-formed request from it is turned away; another address is not.
      await expect(request(port, '/', { xff: '198.51.100.30' })).rejects.toThrow();
      expect((await request(port, '/', { from: '127.0.0.2' })).status).toBe(200);
      expect((await refused()) - refusedBefore).toBe(6);

      // The held ones never finish their headers: 408 and closed once headersTimeout (10 s) has passed, long
      // before Node's default 30 s sweep would have got to them (the upper bound leaves room for a busy machine).
      await until(() => held.every((e) => e.closedAt !== undefined), 20_000);
      for (const e of held) {
        expect(e.data).toMatch(/^HTTP\/1\.1 408 /);
        expect(e.closedAt! - started).toBeGreaterThanOrEqual(9_000);
        expect(e.closedAt! - started).toBeLessThan(18_000);
      }
      const after = await request(port, '/', { xff: '198.51.100.30' });
      expect(after.status).toBe(200);
      expect((await refused()) - refusedBefore).toBe(6);
    } finally {
      for (const e of sockets) e.socket.destroy();
    }
  }, 40_000);

  describe('billing widget', () => {
    let token = '';

    it('the admin API issues a signed token for a subscriber', async () => {
      const widgetToken = (id: number) => `/api/v1/subscribers/${id}/widget-token`;
      const json = { 'content-type': 'application/json' };
      const res = await d.api.call('POST', widgetToken(seeded.subscriberId), { ttlSeconds: 600 });
      expect(res.status).toBe(201);
      const body = res.json as { token: string; subscriberId: number; expiresAt: string; summaryPath: string };
      expect(body).toMatchObject({ subscriberId: seeded.subscriberId, summaryPath: '/widget/v1/summary' });
      expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(590_000);
      token = body.token;
      expect((await d.api.call('POST', widgetToken(999999), undefined, { headers: json })).status).toBe(404);
      expect((await d.api.call('POST', widgetToken(seeded.subscriberId), { ttlSeconds: 99999999 })).status).toBe(400);
      expect((await d.api.call('POST', widgetToken(seeded.subscriberId), undefined, { token: null })).status).toBe(401);
    });

    it('the JSON summary matches the ledger, with CORS for an allowed origin only', async () => {
      const res = await request(port, `/widget/v1/summary?token=${encodeURIComponent(token)}`, { headers: { origin: 'https://my.example.net' }, from: '127.0.0.7' });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://my.example.net');
      const body = JSON.parse(res.text) as {
        currency: string;
        minorDigits: number;
        account: { balance: number; available: number; state: string };
        charges: { thisMonth: { total: number }; lastMonth: { total: number } };
      };
      const account = (await d.app.store.accounts.get(seeded.accountId))!;
      expect(body.currency).toBe('EUR');
      expect(body.minorDigits).toBe(2);
      expect(body.account).toMatchObject({ balance: account.balance, state: account.state, available: account.balance + account.creditLimit + account.activeCredit });
      expect(body.charges.thisMonth.total).toBe(SEED.traffic + SEED.oneOff + SEED.fee);
      expect(body.charges.lastMonth.total).toBe(SEED.lastMonth);
      const other = await request(port, `/widget/v1/summary?token=${encodeURIComponent(token)}`, { headers: { origin: 'https://evil.example' }, from: '127.0.0.7' });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('the HTML fragment is embeddable by the allowed origins only (no X-Frame-Options, CSP frame-ancestors)', async () => {
      const res = await request(port, '/widget/v1/fragment', { headers: { authorization: `Bearer ${token}` }, from: '127.0.0.7' });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-frame-options')).toBeNull();
      expect(res.headers.get('content-security-policy')).toContain('frame-ancestors https://my.example.net');
      expect(res.text).toContain('class="tollgate-widget"');
      expect(res.text).toContain(`data-field="balance">${money(SEED.balance)}<`);
      expect(res.text).not.toContain('<script');
    });

    it('refuses a forged, tampered or missing token (401)', async () => {
      const [v, payload, mac] = token.split('.');
      const forgedPayload = Buffer.from(JSON.stringify({ sub: seeded.subscriberId + 1, exp: 9_999_999_999 })).toString('base64url');
      for (const bad of [`${v}.${forgedPayload}.${mac}`, `${v}.${payload}.${mac!.slice(0, 5)}${mac![5] === 'A' ? 'B' : 'A'}${mac!.slice(6)}`, 'nonsense', '']) {
        const res = await request(port, `/widget/v1/summary?token=${encodeURIComponent(bad)}`, { from: '127.0.0.7' });
        expect(res.status, bad).toBe(401);
        expect(JSON.parse(res.text)).toMatchObject({ error: { code: 'TOKEN_INVALID' } });
      }
    });
  });
});

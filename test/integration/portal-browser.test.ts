/**
 * The captive portal in a real browser (Debian's headless Chromium driven by playwright-core) against the real
 * daemon: a blocked subscriber's device loads the portal, sees the figures of the ledger, presses the promised
 * payment button, and the BRAS (a UDP listener here) receives the restore request for the session.
 *
 * The browser connects from 127.0.0.1, which is not the subscriber's address. As in a deployment where the BRAS
 * or a reverse proxy forwards the subscriber's HTTP to the portal, 127.0.0.1 is configured as a trusted proxy
 * and Chromium sends `X-Forwarded-For: <the session's Framed-IP>` (page.setExtraHTTPHeaders). This keeps the
 * session's address a realistic CGNAT address and runs the same X-Forwarded-For path production uses, rather
 * than giving the session the framed IP 127.0.0.1.
 *
 * Screenshots go to test-artifacts/. Chromium must be at /usr/bin/chromium (`apt-get install chromium`; CI
 * installs it): without it this test fails with that message, unless TOLLGATE_SKIP_BROWSER=1.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentAndPreviousMonth } from '../../src/billing/core/calendar.js';
import { formatMoney } from '../../src/portal/money.js';
import { decodeAttributes } from '../../src/radius/decode.js';
import { Code } from '../../src/radius/codes.js';
import { SECRET, startTestDaemon, testConfigInput, type TestDaemon } from '../helpers/daemon.js';
import { FakeBras, SEED, seedBlockedSubscriber, until, type Seeded } from './portal-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');
const skip = process.env.TOLLGATE_SKIP_BROWSER === '1';
const usd = (minor: number) => formatMoney(minor, 'USD', 'en-US');
const ADMIN_TOKEN = 'portal-browser-admin-token';
const WIDGET_SECRET = 'portal-browser-widget-secret-0123456789';

/** The operator's own site: a page framing the widget fragment and fetching the JSON summary cross-origin. */
function operatorSite(): { server: http.Server; page: { html: string } } {
  const page = { html: '' };
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page.html);
  });
  return { server, page };
}

describe.skipIf(skip)('captive portal in headless Chromium', () => {
  const bras = new FakeBras();
  const seeded: Seeded = { accountId: 0, subscriberId: 0, sessionId: 0, framedIp: '100.64.0.20' };
  let d: TestDaemon | undefined;
  let context: BrowserContext | undefined;
  let profile = '';
  const site = operatorSite();
  let siteOrigin = '';

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium) for the portal's browser test, or set TOLLGATE_SKIP_BROWSER=1 to skip it`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    await bras.start();
    await new Promise<void>((r) => site.server.listen(0, '127.0.0.1', () => r()));
    siteOrigin = `http://localhost:${(site.server.address() as AddressInfo).port}`;
    d = await startTestDaemon(
      testConfigInput({
        users: [],
        admin: { listen: '127.0.0.1', port: 0, token: ADMIN_TOKEN },
        clients: [{ name: 'bras', address: '127.0.0.1', secret: SECRET, vendor: 'mikrotik', coaPort: bras.port }],
        fees: { enabled: false },
        portal: {
          widgetSecret: WIDGET_SECRET,
          widgetOrigins: [siteOrigin],
          listen: '127.0.0.1',
          port: 0,
          trustedProxies: ['127.0.0.1'],
          currency: 'USD',
          operator: { name: 'Example Net', support: 'support@example.net, +1 555 0100' },
          payment: { url: 'https://pay.example.net/', text: { en: 'Pay online by card, or at any Example Net office.' } },
          promisedPayment: { enabled: true, amount: 2000, days: 3, minIntervalDays: 30 },
        },
      }),
      (sql) => seedBlockedSubscriber(sql, seeded),
    );
    profile = mkdtempSync(join(tmpdir(), 'tollgate-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 390, height: 844 },
      locale: 'en-US',
      timeout: 30_000,
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await d?.stop();
    bras.close();
    site.server.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('shows the ledger figures to the redirected subscriber; the promised payment restores the session at the NAS', async () => {
    const daemon = d!;
    const page = await context!.newPage();
    await page.setExtraHTTPHeaders({ 'X-Forwarded-For': seeded.framedIp });
    const response = await page.goto(`http://127.0.0.1:${daemon.app.ports.portal}/`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    await page.screenshot({ path: join(ARTIFACTS, 'portal-blocked.png'), fullPage: true });

    // Every figure as the ledger has it.
    const store = daemon.app.store;
    const account = (await store.accounts.get(seeded.accountId))!;
    expect(account).toMatchObject({ balance: SEED.balance, state: 'blocked' });
    const text = async (selector: string) => (await page.locator(selector).first().textContent())?.trim();
    expect(await page.locator('[data-section="reason"]').getAttribute('data-reason')).toBe('blocked');
    expect(await text('[data-field="username"]')).toBe('dana');
    expect(await text('[data-field="balance"]')).toBe(usd(account.balance));
    expect(await text('[data-field="credit-limit"]')).toBe(usd(account.creditLimit));
    expect(await text('[data-field="available"]')).toBe(usd(account.balance + account.creditLimit + account.activeCredit));
    const charges = (await store.ledger.charges(seeded.accountId, { limit: 100, offset: 0 })).items;
    const { current, previous } = currentAndPreviousMonth(new Date(), 'UTC');
    const sumIn = (from: Date, to: Date) => charges.filter((c) => Date.parse(c.createdAt) >= from.getTime() && Date.parse(c.createdAt) < to.getTime()).reduce((s, c) => s + c.amount, 0);
    expect(await text('[data-field="charges-this-month-total"]')).toBe(usd(sumIn(current.from, current.to)));
    expect(await text('[data-field="charges-last-month-total"]')).toBe(usd(sumIn(previous.from, previous.to)));
    expect(await page.locator('[data-section="charges-this-month"] tbody tr').count()).toBe(3);
    const payments = (await store.ledger.payments(seeded.accountId, { limit: 20, offset: 0 })).items;
    expect(await page.locator('[data-section="payments"] [data-payment]').count()).toBe(payments.length);
    expect(await text(`[data-payment="${payments[0]!.id}"] [data-amount]`)).toBe(usd(payments[0]!.amount));
    expect(await page.locator('a.pay').getAttribute('href')).toBe('https://pay.example.net/');

    // The promised payment: a plain form POST, no script.
    const before = bras.requests.length;
    await Promise.all([page.waitForLoadState('load'), page.locator('[data-action="promised-payment"]').click()]);
    await page.locator('[data-section="notice"]').waitFor();
    expect(await page.locator('[data-section="notice"]').getAttribute('data-result')).toBe('granted');
    expect(await page.locator('[data-section="reason"]').getAttribute('data-reason')).toBe('active');
    await page.screenshot({ path: join(ARTIFACTS, 'portal-promised-payment.png'), fullPage: true });

    const after = (await store.accounts.get(seeded.accountId))!;
    expect(after).toMatchObject({ state: 'active', balance: SEED.balance, activeCredit: 2000 });
    expect(await text('[data-field="available"]')).toBe(usd(after.balance + after.creditLimit + after.activeCredit));
    expect(await text('[data-field="credit"]')).toBe(usd(2000));

    // The BRAS sees the restore for this session: MikroTik's profile restores by Disconnect-Request.
    await until(() => bras.requests.length > before, 10_000);
    const restore = bras.requests[before]!;
    expect(restore.code).toBe(Code.DisconnectRequest);
    const attrs = Object.fromEntries(decodeAttributes(daemon.app.dictionary, restore.attributes).map((a) => [a.name, a.value]));
    expect(attrs).toMatchObject({ 'User-Name': 'dana', 'Acct-Session-Id': 'portal-s1' });
    const [session] = await daemon.sql.query<{ coa_state: string }>('SELECT coa_state FROM sessions WHERE id = $1', [seeded.sessionId]);
    expect(session?.coa_state).toBe('normal');
    expect((await store.ledger.verify()).mismatches).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows a device whose address has no session the neutral page, in Russian when preferred', async () => {
    const page = await context!.newPage();
    await page.setExtraHTTPHeaders({ 'X-Forwarded-For': '100.64.0.250' });
    // The context's locale is en-US; this page's requests ask for Russian as a Russian-language browser would.
    await page.route('**/*', (route) => route.continue({ headers: { ...route.request().headers(), 'accept-language': 'ru-RU,ru;q=0.9' } }));
    await page.goto(`http://127.0.0.1:${d!.app.ports.portal}/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    expect(await page.locator('[data-section="neutral"]').count()).toBe(1);
    expect(await page.locator('[data-field="balance"]').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'portal-neutral-ru.png'), fullPage: true });
    await page.close();
  }, 30_000);

  it("embeds the billing widget on the operator's site: the fragment in a frame, the summary by a cross-origin fetch", async () => {
    const daemon = d!;
    const res = await daemon.api.call('POST', `/api/v1/subscribers/${seeded.subscriberId}/widget-token`);
    expect(res.status).toBe(201);
    const { token } = res.json as { token: string };
    const portal = `http://127.0.0.1:${daemon.app.ports.portal}`;
    const q = encodeURIComponent(token);
    // The operator's page: its own script, its own origin (localhost), the portal on another (127.0.0.1).
    site.page.html = `<!doctype html><html><head><meta charset="utf-8"><title>My account</title></head><body>
<h1>My account at Example Net</h1>
<iframe id="widget" src="${portal}/widget/v1/fragment?token=${q}" style="width:100%;height:520px;border:1px solid #ccc"></iframe>
<pre id="summary">loading</pre>
<script>
fetch(${JSON.stringify(`${portal}/widget/v1/summary`)}, { headers: { Authorization: 'Bearer ' + ${JSON.stringify(token)} } })
  .then((r) => r.json()).then((j) => { document.getElementById('summary').textContent = 'balance=' + j.account.balance + ' state=' + j.account.state; })
  .catch((e) => { document.getElementById('summary').textContent = 'failed: ' + e; });
</script></body></html>`;
    const page = await context!.newPage();
    await page.goto(`${siteOrigin}/`);
    const account = (await daemon.app.store.accounts.get(seeded.accountId))!;
    await page.locator('#summary', { hasText: 'balance=' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#summary').textContent()).toBe(`balance=${account.balance} state=${account.state}`);
    const frame = page.frameLocator('#widget');
    expect((await frame.locator('[data-field="balance"]').textContent())?.trim()).toBe(usd(account.balance));
    expect((await frame.locator('[data-field="tariff"]').textContent())?.trim()).toBe('Home 100');
    await page.screenshot({ path: join(ARTIFACTS, 'widget-on-operator-site.png'), fullPage: true });
    await page.close();
  }, 30_000);
});

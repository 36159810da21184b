/**
 * The operator console in a real browser (Debian's headless Chromium driven by playwright-core) against the real
 * daemon: /console/ loads under its CSP, nothing is fetched from anywhere but the admin listener, search finds a
 * subscriber, the subscriber page has its actions, a payment typed as "12.34" is booked as 1234 minor units, a
 * Disconnect reaches the NAS, the language switch turns the console Russian, and every page fits a 375 px phone
 * without horizontal scrolling. Screenshots of each page at 375 and 1280 px go to test-artifacts/console/.
 *
 * Signing in is one function, `signIn`. This build's API knows only the bootstrap admin token (admin.token), so
 * `signIn` sends it as Authorization on the browser's requests and answers the console's who-am-I
 * (GET /api/v1/auth/me, not in this build) with the bootstrap admin, as the operator-auth routes will. With those
 * routes, `signIn` becomes: create an operator, fill "Username" and "Password", press "Sign in".
 *
 * The console is built first when dist/console is missing or older than console/. Without /usr/bin/chromium
 * (`apt-get install chromium`) or with TOLLGATE_SKIP_BROWSER=1 the test is skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../src/http/console-static.js';
import { Attr, Code } from '../../src/radius/codes.js';
import { encodeRequest, hidePassword, randomAuthenticator } from '../../src/radius/crypto.js';
import { SECRET, startTestDaemon, testConfigInput, type TestDaemon } from '../helpers/daemon.js';
import { exchange } from '../helpers/udp-client.js';
import { FakeBras, seedBlockedSubscriber, until, type Seeded } from './portal-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const root = join(import.meta.dirname, '../..');
const ARTIFACTS = join(root, 'test-artifacts', 'console');
const skip = process.env.TOLLGATE_SKIP_BROWSER === '1' || !existsSync(CHROMIUM);
const ADMIN_TOKEN = 'console-browser-admin-token';
const WIDTHS = [375, 1280] as const;

function newest(dir: string): number {
  let max = statSync(dir).mtimeMs;
  for (const e of readdirSync(dir, { withFileTypes: true })) max = Math.max(max, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs);
  return max;
}

/** Builds dist/console unless it is newer than every file of console/. */
function ensureConsoleBuilt(): void {
  const index = join(root, 'dist', 'console', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(join(root, 'console'))) return;
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', join(root, 'console', 'vite.config.ts')], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the console build failed:\n${r.stdout}\n${r.stderr}`);
}

/** A PAP Access-Request from 127.0.0.1 (the NAS `bras`) with Message-Authenticator. */
function accessRequest(id: number, username: string, password: string): Buffer {
  const secret = Buffer.from(SECRET);
  const authenticator = randomAuthenticator();
  const attrs = [
    { type: Attr.UserName, value: Buffer.from(username) },
    { type: Attr.UserPassword, value: hidePassword(Buffer.from(password), secret, authenticator) },
  ];
  return encodeRequest(Code.AccessRequest, id, attrs, secret, { messageAuthenticator: true, authenticator });
}

/** In the page: the controls with neither a label nor an accessible name (a string: this project's types have no DOM). */
const UNNAMED_CONTROLS = `[...document.querySelectorAll('input, select, textarea, button')].filter((el) => {
  if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
  if (el.tagName === 'BUTTON') return el.textContent.trim() === '';
  return !el.labels || el.labels.length === 0;
}).map((el) => el.outerHTML.slice(0, 120))`;

/**
 * Signs the browser in as an admin. Until the operator-auth routes exist: the bootstrap token on every request,
 * and the bootstrap admin as who-am-I's answer.
 */
async function signIn(context: BrowserContext): Promise<void> {
  await context.setExtraHTTPHeaders({ authorization: `Bearer ${ADMIN_TOKEN}` });
  await context.route('**/api/v1/auth/me', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ operator: { id: null, login: 'bootstrap', displayName: 'Bootstrap admin', role: 'admin', totpEnabled: false } }) }),
  );
}

describe.skipIf(skip)('operator console in headless Chromium', () => {
  const bras = new FakeBras();
  const seeded: Seeded = { accountId: 0, subscriberId: 0, sessionId: 0, framedIp: '100.64.0.30' };
  let d: TestDaemon | undefined;
  let context: BrowserContext | undefined;
  let profile = '';
  let origin = '';
  const offOrigin: string[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    await bras.start();
    d = await startTestDaemon(
      testConfigInput({
        users: [],
        admin: { listen: '127.0.0.1', port: 0, token: ADMIN_TOKEN },
        clients: [],
        fees: { enabled: false },
        authLog: { flushIntervalMs: 50 },
        portal: { listen: '127.0.0.1', port: 0, currency: 'USD' },
      }),
      (sql) => seedBlockedSubscriber(sql, seeded),
    );
    origin = `http://127.0.0.1:${d.app.ports.admin}`;
    // The session's NAS in the nas table, where Disconnect looks it up; its CoA port is the fake BRAS.
    const nas = await d.api.call('POST', '/api/v1/nas', { name: 'bras', address: '127.0.0.1', secret: SECRET, vendor: 'mikrotik', coaPort: bras.port });
    expect(nas.status).toBe(201);
    // Two decisions for the subscriber page: the blocked account's redirect, and a reject for a wrong password.
    const decided = async (): Promise<number> => ((await d!.api.call('GET', '/api/v1/auth-log?username=dana')).json as { items: unknown[] }).items.length;
    for (let i = 0; i < 50 && (await exchange(d.app.ports.auth, accessRequest(1, 'dana', 'dana-password'))) === null; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await exchange(d.app.ports.auth, accessRequest(2, 'dana', 'not-her-password'))).not.toBeNull();
    for (let i = 0; i < 100 && (await decided()) < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await decided()).toBe(2);
    profile = mkdtempSync(join(tmpdir(), 'tollgate-console-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
      timeout: 30_000,
    });
    context.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith(`${origin}/`) && !url.startsWith('data:')) offOrigin.push(url);
    });
    context.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
    });
    await signIn(context);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await d?.stop();
    bras.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** Opens a console path at each width: screenshot, every control named, and at 375 px no horizontal scroll. */
  async function shoot(page: Page, name: string, ready: () => Promise<unknown>): Promise<void> {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width < 500 ? 812 : 900 });
      await ready();
      expect(await page.evaluate<string[]>(UNNAMED_CONTROLS), `${name}: controls without a label or accessible name`).toEqual([]);
      if (width < 500) {
        // Run in the page (a string: this project's types have no DOM).
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        expect(overflow, `${name} scrolls sideways at ${width} px`).toBeLessThanOrEqual(0);
      }
      await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
    }
  }

  it('shows the login with its labelled fields and the API\'s own error when signed out', async () => {
    const page = await context!.newPage();
    // A page of its own without the credentials signIn gives the context: the API answers 401.
    // A page's routes come before the context's, and continue() goes to the network: the real API, no token.
    await page.route('**/api/v1/**', (route) => {
      const headers = { ...route.request().headers() };
      delete headers.authorization;
      return route.continue({ headers });
    });
    await page.goto(`${origin}/console/`, { waitUntil: 'load' });
    const username = page.getByLabel('Username', { exact: true });
    await username.waitFor();
    await shoot(page, 'login', () => username.waitFor());
    await username.fill('nobody');
    await page.getByLabel('Password', { exact: true }).fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // The message is the API's, as it words it.
    await page.getByRole('alert').waitFor();
    const login = await fetch(`${origin}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const { error } = (await login.json()) as { error: { message: string } };
    expect(await page.getByRole('alert').textContent()).toContain(error.message);
    await page.close();
  }, 60_000);

  it('loads under its CSP, finds the subscriber, and books a payment typed as 12.34 exactly', async () => {
    const daemon = d!;
    const page = await context!.newPage();
    const response = await page.goto(`${origin}/console/`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toBe(CONSOLE_CSP);
    expect(response?.headers()['x-content-type-options']).toBe('nosniff');
    const search = page.getByLabel('Search', { exact: true });
    await search.waitFor();
    await shoot(page, 'search', () => search.waitFor());

    await search.fill('dana');
    await search.press('Enter');
    await page.getByRole('link', { name: 'dana', exact: true }).click();
    await page.waitForURL(`${origin}/console/subscribers/${seeded.subscriberId}`);
    for (const name of ['Take payment', 'Live trace', 'Promised payment', 'Reset password', 'Disconnect']) {
      await page.getByRole('button', { name, exact: true }).first().waitFor();
    }
    expect(await page.getByRole('button', { name: 'Disconnect', exact: true }).count()).toBe(1);
    expect(await page.locator('[data-field="balance"]').textContent()).toBe('-$15.00');
    // The last decisions with their reason, as the auth log has them.
    const log = (await daemon.api.call('GET', '/api/v1/auth-log?username=dana')).json as { items: { result: string; reason: string | null }[] };
    const reject = log.items.find((e) => e.result === 'reject')!;
    expect(reject.reason).toBeTruthy();
    const decisions = page.locator('[data-section="decisions"]');
    expect(reject.reason).toBe('bad_password');
    expect(await decisions.locator('[data-reason="bad_password"]').textContent()).toBe('Wrong password (bad_password)');
    expect(await decisions.locator('tbody tr').count()).toBe(2);
    expect(await decisions.locator('.badge.redirect').count()).toBe(1);
    await shoot(page, 'subscriber', () => page.getByRole('button', { name: 'Take payment', exact: true }).waitFor());

    await page.getByRole('button', { name: 'Take payment', exact: true }).click();
    await page.getByLabel('Amount', { exact: true }).fill('12.34');
    await page.getByLabel('Reference', { exact: true }).fill('console-test-1');
    await shoot(page, 'payment-form', () => page.getByLabel('Amount', { exact: true }).waitFor());
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Payment saved.' }).waitFor();
    const payments = (await daemon.app.store.ledger.payments(seeded.accountId, { limit: 10, offset: 0 })).items;
    expect(payments.find((p) => p.externalId === 'console-test-1')).toMatchObject({ amount: 1234 });
    await page.locator('[data-field="balance"]', { hasText: '-$2.66' }).waitFor();

    // Disconnect: the NAS (FakeBras) receives the Disconnect-Request and ACKs it.
    const before = bras.requests.length;
    await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await until(() => bras.requests.length > before, 10_000);
    expect(bras.requests[before]!.code).toBe(Code.DisconnectRequest);
    await page.getByRole('status').filter({ hasText: 'ack' }).waitFor();
    await page.close();
  }, 90_000);

  it('shows every page on a phone and a laptop, and switches to Russian', async () => {
    const page = await context!.newPage();
    const visit = async (path: string, name: string, heading: string) => {
      await page.goto(`${origin}/console${path}`, { waitUntil: 'load' });
      await shoot(page, name, () => page.getByRole('heading', { name: heading, exact: true }).first().waitFor());
    };
    await visit('/dashboard', 'dashboard', 'Dashboard');
    await visit(`/billing?account=${seeded.accountId}`, 'billing', 'Billing');
    await visit('/network?tab=nas', 'network-nas', 'Network');
    await page.getByRole('cell', { name: 'bras', exact: true }).first().waitFor();
    await visit('/network?tab=tariffs', 'network-tariffs', 'Network');
    await page.getByRole('button', { name: 'Edit tariff Home 100', exact: true }).click();
    await page.getByLabel('Monthly fee', { exact: true }).waitFor();
    expect(await page.getByLabel('Monthly fee', { exact: true }).inputValue()).toBe('30.00');
    await shoot(page, 'network-tariff-edit', () => page.getByLabel('Monthly fee', { exact: true }).waitFor());
    await visit('/network?tab=sessions', 'network-sessions', 'Network');
    await visit('/network?tab=ip', 'network-ip', 'Network');
    await page.getByLabel('IP address', { exact: true }).fill(seeded.framedIp);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByRole('link', { name: 'dana', exact: true }).waitFor();
    await shoot(page, 'network-ip-result', () => page.getByRole('link', { name: 'dana', exact: true }).waitFor());
    await visit('/network?tab=preview', 'network-preview', 'Network');
    await visit('/trace?username=dana', 'trace', 'Live trace');
    await visit('/admin?tab=operators', 'admin-operators', 'Administration');
    await visit('/admin?tab=tokens', 'admin-tokens', 'Administration');
    await visit('/admin?tab=audit', 'admin-audit', 'Administration');

    await page.goto(`${origin}/console/`, { waitUntil: 'load' });
    await page.getByLabel('Language', { exact: true }).selectOption('ru');
    await page.getByLabel('Поиск', { exact: true }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    await shoot(page, 'search-ru', () => page.getByLabel('Поиск', { exact: true }).waitFor());
    await page.goto(`${origin}/console/subscribers/${seeded.subscriberId}`, { waitUntil: 'load' });
    await page.getByRole('button', { name: 'Принять платёж', exact: true }).waitFor();
    await shoot(page, 'subscriber-ru', () => page.getByRole('button', { name: 'Принять платёж', exact: true }).waitFor());
    await page.getByLabel('Язык', { exact: true }).selectOption('en');
    await page.close();
  }, 120_000);

  it('fetched nothing from another origin and broke no CSP rule', () => {
    expect(offOrigin).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});

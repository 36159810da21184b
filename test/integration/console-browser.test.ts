/**
 * The operator console in a real browser (Debian's headless Chromium driven by playwright-core) against the real
 * daemon, signed in as real operators (made through the API with the bootstrap token, then "Username",
 * "Password", "Sign in" in the page; nothing of the API is faked): /console/ loads under its CSP, nothing is
 * fetched from anywhere but the admin listener, search finds a subscriber, a payment typed as "12.34" is booked as
 * 1234 minor units, the promised payment unblocks the account and the NAS receives the restore, a live trace shows
 * a real Access-Request decoded with the password hidden, a tariff changed on the Network page is changed in the
 * API, the audit log shows those changes and the login with the operator's login, a Disconnect reaches the NAS, a
 * support operator sees no admin-only navigation and the API's 403 when it goes there anyway, the language switch
 * turns the console Russian, and every page fits a 375 px phone without horizontal scrolling. Screenshots of each
 * page at 375 and 1280 px go to test-artifacts/console/.
 *
 * The console is built first when dist/console is missing or older than console/. Without /usr/bin/chromium
 * (`apt-get install chromium`) or with TOLLGATE_SKIP_BROWSER=1 the test is skipped. The Access-Request of the
 * trace is sent by FreeRADIUS's radclient when installed, else by the repo's codec.
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
import { decodeAttributes } from '../../src/radius/decode.js';
import { haveRadclient, radclient } from '../helpers/radclient.js';
import { exchange } from '../helpers/udp-client.js';
import { FakeBras, seedBlockedSubscriber, until, type Seeded } from './portal-fixture.js';
import { withBuildLock } from '../helpers/build.js';

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

/** The operators the test signs in as (made through the API with the bootstrap token). */
const ADMIN = { login: 'olga', password: 'olga-console-password', displayName: 'Olga Admin', role: 'admin' } as const;
const SUPPORT = { login: 'sam', password: 'sam-console-password', displayName: 'Sam Support', role: 'support' } as const;

/** Signs in through the login page, as an operator would: "Username", "Password", "Sign in"; then the search. */
async function signIn(page: Page, origin: string, who: { login: string; password: string }): Promise<void> {
  await page.goto(`${origin}/console/`, { waitUntil: 'load' });
  await page.getByLabel('Username', { exact: true }).fill(who.login);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByLabel('Search', { exact: true }).waitFor();
}

/** A PAP Access-Request for the trace: FreeRADIUS's radclient (with Message-Authenticator) when here, else the codec. */
async function traceRequest(port: number, username: string, password: string): Promise<void> {
  if (haveRadclient) {
    const reply = await radclient(`127.0.0.1:${port}`, 'auth', SECRET, `User-Name = "${username}"\nUser-Password = "${password}"\nMessage-Authenticator = 0x00\n`);
    expect(reply.code, reply.output).toBe('Access-Accept');
    return;
  }
  expect(await exchange(port, accessRequest(7, username, password))).not.toBeNull();
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
    // Under the build lock: another test file's `npm run build` rebuilds dist/console too.
    await withBuildLock(ensureConsoleBuilt);
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
    // The operators, made as the first admin would make them: with the bootstrap token.
    for (const op of [ADMIN, SUPPORT]) expect((await d.api.call('POST', '/api/v1/operators', op)).status).toBe(201);
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
    await page.goto(`${origin}/console/`, { waitUntil: 'load' });
    const username = page.getByLabel('Username', { exact: true });
    await username.waitFor();
    await shoot(page, 'login', () => username.waitFor());
    await username.fill('nobody');
    await page.getByLabel('Password', { exact: true }).fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // The message is the API's, as it words it.
    await page.getByRole('alert').waitFor();
    const login = await fetch(`${origin}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'nobody', password: 'wrong-password' }) });
    expect(login.status).toBe(401);
    const { error } = (await login.json()) as { error: { message: string } };
    expect(await page.getByRole('alert').textContent()).toContain(error.message);
    await page.close();
  }, 60_000);

  it('signs in, loads under its CSP, finds the subscriber, and books a payment typed as 12.34 exactly', async () => {
    const daemon = d!;
    const page = await context!.newPage();
    const response = await page.goto(`${origin}/console/`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toBe(CONSOLE_CSP);
    expect(response?.headers()['x-content-type-options']).toBe('nosniff');
    await signIn(page, origin, ADMIN);
    await page.getByText(`${ADMIN.displayName} · Admin`, { exact: true }).waitFor();
    const search = page.getByLabel('Search', { exact: true });
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
    expect(await page.locator('[data-field="state"]').textContent()).toBe('blocked');
    expect(await page.locator('[data-field="state-reason"]').textContent()).toBe('a charge');
    // The last decisions with their reason, as the auth log has them.
    const log = (await daemon.api.call('GET', '/api/v1/auth-log?username=dana')).json as { items: { result: string; reason: string | null }[] };
    const reject = log.items.find((e) => e.result === 'reject')!;
    expect(reject.reason).toBe('bad_password');
    const decisions = page.locator('[data-section="decisions"]');
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

    // The promised payment: a temporary credit that unblocks the account; MikroTik restores by Disconnect-Request.
    const beforeCredit = bras.requests.length;
    await page.getByRole('button', { name: 'Promised payment', exact: true }).click();
    await page.getByLabel('Amount', { exact: true }).fill('5');
    expect(await page.getByLabel('Reason', { exact: true }).inputValue()).toBe('Promised payment');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Temporary credit granted.' }).waitFor();
    expect(await daemon.app.store.ledger.listCredits(seeded.accountId)).toEqual([expect.objectContaining({ amount: 500, reason: 'Promised payment', active: true })]);
    await page.locator('[data-field="state"]', { hasText: 'active' }).waitFor();
    await until(() => bras.requests.length > beforeCredit, 10_000);
    const restore = bras.requests[beforeCredit]!;
    expect(restore.code).toBe(Code.DisconnectRequest);
    expect(Object.fromEntries(decodeAttributes(daemon.app.dictionary, restore.attributes).map((a) => [a.name, a.value]))).toMatchObject({ 'User-Name': 'dana', 'Acct-Session-Id': 'portal-s1' });

    // Disconnect: the NAS (FakeBras) receives the Disconnect-Request and ACKs it.
    const before = bras.requests.length;
    await page.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await until(() => bras.requests.length > before, 10_000);
    expect(bras.requests[before]!.code).toBe(Code.DisconnectRequest);
    await page.getByRole('status').filter({ hasText: 'ack' }).waitFor();

    // A live trace from the subscriber page: a real Access-Request appears decoded, the password hidden.
    await page.getByRole('button', { name: 'Live trace', exact: true }).click();
    await page.waitForURL(`${origin}/console/trace?username=dana`);
    expect(await page.getByLabel('Username', { exact: true }).inputValue()).toBe('dana');
    await page.getByRole('button', { name: 'Start trace', exact: true }).click();
    await page.getByRole('timer').waitFor();
    const traces = (await daemon.api.call('GET', '/api/v1/traces')).json as { items: { filter: unknown; owner: string }[] };
    expect(traces.items).toEqual([expect.objectContaining({ filter: { username: 'dana' }, owner: ADMIN.login })]);
    const packets = page.locator('[data-section="trace-events"] li.packet');
    // The stream may open a moment after the timer shows: ask again until the request is in the page.
    for (let i = 0; i < 20 && (await packets.count()) === 0; i++) {
      await traceRequest(daemon.app.ports.auth, 'dana', 'dana-password');
      await page.waitForTimeout(250);
    }
    const request = packets.filter({ hasText: 'Access-Request' }).first();
    await request.waitFor();
    expect(await request.locator('dt', { hasText: 'User-Name' }).locator('xpath=following-sibling::dd[1]').textContent()).toBe('dana');
    expect(await request.locator('dt', { hasText: 'User-Password' }).locator('xpath=following-sibling::dd[1]').textContent()).toMatch(/^\[hidden \d+ bytes\]$/);
    await packets.filter({ hasText: 'Access-Accept' }).first().waitFor();
    expect(await page.locator('[data-section="trace-events"]').textContent()).not.toContain('dana-password');
    await shoot(page, 'trace-packets', () => request.waitFor());
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'The trace has ended.' }).waitFor();
    await page.close();
  }, 90_000);

  it('changes a tariff on the Network page in a new tab (the CSRF token comes from who-am-I), and audits it all', async () => {
    const daemon = d!;
    // A new tab has no sessionStorage: its unsafe requests use the token GET /auth/me answers for the cookie.
    const page = await context!.newPage();
    await page.goto(`${origin}/console/network?tab=tariffs`, { waitUntil: 'load' });
    await page.getByRole('button', { name: 'Edit tariff Home 100', exact: true }).click();
    const fee = page.getByLabel('Monthly fee', { exact: true });
    expect(await fee.inputValue()).toBe('30.00');
    await fee.fill('35.50');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('cell', { name: '$35.50', exact: true }).waitFor();
    const tariffs = (await daemon.api.call('GET', '/api/v1/tariffs')).json as { items: { name: string; monthlyFee: number }[] };
    expect(tariffs.items.find((t) => t.name === 'Home 100')).toMatchObject({ monthlyFee: 3550 });

    // The audit log, filtered by the operator's login: the payment, the credit, the tariff change and the login.
    await page.goto(`${origin}/console/admin?tab=audit`, { waitUntil: 'load' });
    await page.getByLabel('Operator', { exact: true }).fill(ADMIN.login);
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    const rows = page.locator('[data-section="audit"] tbody tr');
    for (const action of ['payment.create', 'credit.create', 'tariff.update', 'auth.login', 'trace.start', 'session.disconnect']) {
      await rows.filter({ has: page.getByRole('cell', { name: action, exact: true }) }).first().waitFor();
    }
    const logins = await rows.evaluateAll((trs) => trs.map((tr) => (tr as unknown as { cells: { textContent: string }[] }).cells[1]!.textContent));
    expect(new Set(logins)).toEqual(new Set([ADMIN.login]));
    await shoot(page, 'admin-audit-filtered', () => rows.first().waitFor());
    await page.close();
  }, 60_000);

  it('shows every page on a phone and a laptop, and switches to Russian', async () => {
    const page = await context!.newPage();
    const visit = async (path: string, name: string, heading: string) => {
      await page.goto(`${origin}/console${path}`, { waitUntil: 'load' });
      await shoot(page, name, () => page.getByRole('heading', { name: heading, exact: true }).first().waitFor());
    };
    await visit('/dashboard', 'dashboard', 'Dashboard');
    // The figures of GET /api/v1/dashboard: today's payments are the seeded 10.00 and the console's 12.34.
    await page.locator('[data-field="payments-today"]', { hasText: '$22.34' }).waitFor();
    expect(await page.locator('[data-field="online"]').textContent()).toBe('1');
    await visit(`/billing?account=${seeded.accountId}`, 'billing', 'Billing');
    // The daily statement of this month: its payments and the closing balance the subscriber page showed.
    await page.locator('[data-field="payments"]', { hasText: '$22.34' }).waitFor();
    expect(await page.locator('[data-field="closing"]').textContent()).toBe('-$2.66');
    await visit('/network?tab=nas', 'network-nas', 'Network');
    await page.getByRole('cell', { name: 'bras', exact: true }).first().waitFor();
    await visit('/network?tab=tariffs', 'network-tariffs', 'Network');
    await page.getByRole('button', { name: 'Edit tariff Home 100', exact: true }).click();
    await page.getByLabel('Monthly fee', { exact: true }).waitFor();
    expect(await page.getByLabel('Monthly fee', { exact: true }).inputValue()).toBe('35.50');
    await shoot(page, 'network-tariff-edit', () => page.getByLabel('Monthly fee', { exact: true }).waitFor());
    await visit('/network?tab=sessions', 'network-sessions', 'Network');
    await visit('/network?tab=ip', 'network-ip', 'Network');
    await page.getByLabel('IP address', { exact: true }).fill(seeded.framedIp);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByRole('link', { name: 'dana', exact: true }).waitFor();
    await shoot(page, 'network-ip-result', () => page.getByRole('link', { name: 'dana', exact: true }).waitFor());
    await visit('/network?tab=preview', 'network-preview', 'Network');
    await page.getByLabel('Subscriber (username or id)', { exact: true }).fill('dana');
    await page.getByLabel('NAS', { exact: true }).fill('bras');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    // The promised payment made the account active: the NAS would answer an Access-Accept.
    await page.locator('[data-field="preview-result"]', { hasText: 'Access-Accept · accept' }).waitFor();
    await shoot(page, 'network-preview-result', () => page.locator('[data-field="preview-result"]').waitFor());
    await visit('/trace?username=dana', 'trace', 'Live trace');
    await visit('/admin?tab=operators', 'admin-operators', 'Administration');
    // An admin resets sam's password (POST /operators/{id}/password; to the same text, so sam can still sign in).
    await page.getByRole('row').filter({ has: page.getByRole('cell', { name: SUPPORT.login, exact: true }) }).getByRole('button', { name: 'Reset password', exact: true }).click();
    await page.getByLabel('New password', { exact: true }).fill(SUPPORT.password);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByLabel('New password', { exact: true }).waitFor({ state: 'detached' });
    const resets = (await d!.api.call('GET', '/api/v1/audit-log?action=operator.password_reset')).json as { items: { login: string; target: string }[] };
    expect(resets.items).toEqual([expect.objectContaining({ login: ADMIN.login })]);
    await visit('/admin?tab=tokens', 'admin-tokens', 'Administration');
    // A token of one's own (POST /tokens {name, role, expiresInDays}): its text is shown once.
    await page.getByLabel('Name', { exact: true }).fill('export script');
    await page.getByRole('button', { name: 'Create token', exact: true }).click();
    expect(await page.getByLabel('New token', { exact: true }).inputValue()).toMatch(/^tg_\d+_[A-Za-z0-9_-]+$/);
    await page.getByRole('button', { name: 'Revoke token export script', exact: true }).waitFor();
    await shoot(page, 'admin-token-created', () => page.getByLabel('New token', { exact: true }).waitFor());
    await visit('/admin?tab=audit', 'admin-audit', 'Administration');

    await page.goto(`${origin}/console/`, { waitUntil: 'load' });
    await page.getByLabel('Language', { exact: true }).selectOption('ru');
    await page.getByLabel('Поиск', { exact: true }).waitFor();
    // The document's language follows (set after the render).
    await page.waitForFunction("document.documentElement.lang === 'ru'");
    await shoot(page, 'search-ru', () => page.getByLabel('Поиск', { exact: true }).waitFor());
    await page.goto(`${origin}/console/subscribers/${seeded.subscriberId}`, { waitUntil: 'load' });
    await page.getByRole('button', { name: 'Принять платёж', exact: true }).waitFor();
    await shoot(page, 'subscriber-ru', () => page.getByRole('button', { name: 'Принять платёж', exact: true }).waitFor());
    await page.getByLabel('Язык', { exact: true }).selectOption('en');
    // English again for the next test: once it is in localStorage (the switch stores it after rendering).
    await page.getByLabel('Language', { exact: true }).waitFor();
    await page.waitForFunction("localStorage.getItem('tollgate.locale') === 'en'");
    await page.close();
  }, 120_000);

  it('shows a support operator no admin-only navigation, and the API\'s 403 when it goes there anyway', async () => {
    const page = await context!.newPage();
    // In English whatever the test before left (the language is kept in localStorage).
    await page.goto(`${origin}/console/`, { waitUntil: 'load' });
    await page.evaluate("localStorage.setItem('tollgate.locale', 'en')");
    await page.reload({ waitUntil: 'load' });
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await signIn(page, origin, SUPPORT);
    await page.getByText(`${SUPPORT.displayName} · Support`, { exact: true }).waitFor();
    // Support may trace and grant the promised payment, not take payments.
    await page.goto(`${origin}/console/subscribers/${seeded.subscriberId}`, { waitUntil: 'load' });
    await page.getByRole('button', { name: 'Promised payment', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Live trace', exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Take payment', exact: true }).count()).toBe(0);
    // Administration holds only its own API tokens: no operators, no audit log.
    await page.getByRole('link', { name: 'Administration', exact: true }).click();
    const tabs = page.getByRole('tablist', { name: 'Administration' }).getByRole('tab');
    await tabs.first().waitFor();
    expect(await tabs.allTextContents()).toEqual(['API tokens']);
    await shoot(page, 'support-admin', () => tabs.first().waitFor());
    // The operators page by its link: the API refuses it, and the page says so in the API's words.
    await page.goto(`${origin}/console/admin?tab=operators`, { waitUntil: 'load' });
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('listOperators needs the operators:manage permission, which the support role does not have');
    await shoot(page, 'support-forbidden', () => alert.waitFor());
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByLabel('Username', { exact: true }).waitFor();
    await page.close();
  }, 60_000);

  it('fetched nothing from another origin and broke no CSP rule', () => {
    expect(offOrigin).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});

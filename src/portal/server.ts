/**
 * The captive portal's HTTP listener, separate from the admin listener: the subscriber's account page (found by
 * the request's source address → the open session holding it → subscriber → account), the promised-payment
 * button, and the billing widget (/widget/v1/*, authorised by a signed token from the admin API). Nothing of the
 * admin side is served here. Every response is no-store with a strict CSP; every address is rate-limited.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';
import { SERVER_OPTIONS, trackForDrain } from '../http/drain.js';
import type { Logger } from '../observability/logger.js';
import { portalConnectionsRefused, portalPromisedPayments, portalRequests } from '../observability/metrics.js';
import { StoreError, type ChangeFeed, type Store } from '../domain/ports.js';
import { WidgetTokens } from '../domain/widget-token.js';
import { loadStatement, locateByAddress, portalReason, type PortalSubject } from './account-view.js';
import { ClientAddressResolver } from './client-address.js';
import { ConnectionLimit } from './connection-limit.js';
import type { PortalConfig } from '../config/portal.js';
import { CsrfTokens } from './csrf.js';
import { PORTAL_PATHS } from './paths.js';
import { pickLocale, t, type Locale, type MessageKey } from './i18n.js';
import { accountPage, messagePage, neutralPage, promisedNotice, widgetFragment, type PageContext } from './pages.js';
import { grantPromisedPayment, lastPromisedAt, promisedEligibility, type PromisedResult } from './promised-payment.js';
import { RateLimiter } from './rate-limit.js';
import { widgetSummary } from './widget.js';
import type { Html } from './html.js';

export interface PortalDeps {
  readonly config: PortalConfig;
  /** The fee time zone (fees.timeZone): the portal's months and dates. */
  readonly timeZone: string;
  readonly store: Store;
  /** Where the account change after a promised payment is published (the BlockingService restores sessions). */
  readonly changes: ChangeFeed;
  readonly log: Logger;
}


const MAX_FORM_BYTES = 4096;

type RouteName = 'page' | 'promised_payment' | 'widget_summary' | 'widget_fragment' | 'other';

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly key: MessageKey,
    readonly code: string,
  ) {
    super(code);
  }
}

function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return Promise.reject(new HttpError(415, 'badToken', 'UNSUPPORTED_MEDIA_TYPE'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        reject(new HttpError(413, 'badToken', 'BODY_TOO_LARGE'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function bearer(req: http.IncomingMessage, query: URLSearchParams): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  return query.get('token') ?? undefined;
}

export function createPortalServer(deps: PortalDeps): http.Server {
  const { config, store, log: parentLog } = deps;
  const log = parentLog.child({ component: 'portal' });
  const resolver = new ClientAddressResolver(config.trustedProxies);
  const limiter = new RateLimiter({ perMinute: config.rateLimit.perMinute, burst: config.rateLimit.burst });
  const csrf = new CsrfTokens(config.csrfSecret);
  const widgetTokens = config.widgetSecret === undefined ? undefined : new WidgetTokens(config.widgetSecret);
  const widgetOrigins = new Set(config.widgetOrigins);
  const imgSrc = config.operator.logoUrl ? new URL(config.operator.logoUrl).origin : "'none'";
  const frameAncestors = config.widgetOrigins.length > 0 ? config.widgetOrigins.join(' ') : "'none'";
  if (config.csrfSecret === undefined) log.debug('portal.csrfSecret unset: promised-payment forms are signed with a per-process key');

  const common = {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  } as const;

  function sendHtml(res: http.ServerResponse, status: number, body: string, nonce: string, extra: Record<string, string> = {}): void {
    res.writeHead(status, {
      ...common,
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; img-src ${imgSrc}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
      ...extra,
    });
    res.end(body);
  }

  function cors(req: http.IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (origin === undefined || !widgetOrigins.has(origin)) return { vary: 'Origin' };
    return { vary: 'Origin', 'access-control-allow-origin': origin };
  }

  function sendJson(req: http.IncomingMessage, res: http.ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      ...common,
      ...cors(req),
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      ...extra,
    });
    res.end(text);
  }

  function sendFragment(req: http.IncomingMessage, res: http.ServerResponse, status: number, body: string, nonce?: string): void {
    // Embeddable: framed by the configured origins only, and fetchable by them (CORS); no X-Frame-Options.
    res.writeHead(status, {
      ...common,
      ...cors(req),
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'content-security-policy': `default-src 'none';${nonce ? ` style-src 'nonce-${nonce}';` : ''} img-src ${imgSrc}; frame-ancestors ${frameAncestors}; base-uri 'none'`,
    });
    res.end(body);
  }

  const pageContext = (locale: Locale): PageContext => ({ locale, nonce: randomBytes(16).toString('base64'), portal: config, timeZone: deps.timeZone });

  async function renderAccount(res: http.ServerResponse, ctx: PageContext, subject: PortalSubject, address: string, status: number, notice?: Html): Promise<void> {
    const statement = await loadStatement(store, subject.subscriber, subject.account, { timeZone: deps.timeZone });
    const last = config.promisedPayment.enabled ? await lastPromisedAt(store, subject.account.id) : undefined;
    const eligibility = promisedEligibility(config.promisedPayment, subject.subscriber.status, subject.account, last, new Date());
    const body = accountPage(ctx, {
      statement,
      reason: portalReason(subject.subscriber.status, subject.account),
      eligibility,
      form: { action: PORTAL_PATHS.promised.slice(1), csrf: csrf.issue(subject.session.id, address), sessionId: subject.session.id },
      ...(notice === undefined ? {} : { notice }),
    });
    sendHtml(res, status, body, ctx.nonce);
  }

  async function page(res: http.ServerResponse, ctx: PageContext, address: string): Promise<void> {
    const subject = await locateByAddress(store, address);
    if (!subject) return sendHtml(res, 200, neutralPage(ctx), ctx.nonce);
    await renderAccount(res, ctx, subject, address, 200);
  }

  async function promised(req: http.IncomingMessage, res: http.ServerResponse, ctx: PageContext, address: string): Promise<void> {
    const form = await readForm(req);
    const subject = await locateByAddress(store, address);
    // The token binds the session and the address it was shown to: no session now, another one, or a forged
    // token are all the same refusal.
    if (!subject || form.get('session') !== String(subject.session.id) || !csrf.verify(form.get('csrf'), subject.session.id, address)) {
      portalPromisedPayments.labels('forbidden').inc();
      throw new HttpError(403, 'badToken', 'CSRF');
    }
    let result: PromisedResult | { kind: 'failed' };
    try {
      result = await grantPromisedPayment(store, config.promisedPayment, subject.subscriber.id, subject.account.id);
    } catch (err) {
      log.error({ err, account: subject.account.id }, 'promised payment failed');
      result = { kind: 'failed' };
    }
    portalPromisedPayments.labels(result.kind).inc();
    if (result.kind === 'granted') {
      log.info({ account: subject.account.id, subscriber: subject.subscriber.id, amount: result.credit.amount, expiresAt: result.credit.expiresAt }, 'promised payment granted');
      try {
        await deps.changes.publish({ kind: 'account', id: subject.account.id });
      } catch (err) {
        // The credit is committed; the periodic reconciliation restores the session if the event is lost.
        log.error({ err, account: subject.account.id }, 'account change not published after a promised payment');
      }
    }
    const fresh = (await locateByAddress(store, address)) ?? subject;
    const status = result.kind === 'granted' ? 200 : result.kind === 'failed' ? 503 : 409;
    await renderAccount(res, ctx, fresh, address, status, promisedNotice(ctx, result));
  }

  async function widget(req: http.IncomingMessage, res: http.ServerResponse, route: 'widget_summary' | 'widget_fragment', query: URLSearchParams, locale: Locale): Promise<void> {
    const fail = (status: number, code: string, message: string) =>
      route === 'widget_summary'
        ? sendJson(req, res, status, { error: { code, message } }, status === 401 ? { 'www-authenticate': 'Bearer' } : {})
        : sendFragment(req, res, status, `<section class="tollgate-widget tollgate-widget-error"><p>${t(locale, 'widgetUnauthorized')}</p></section>\n`);
    if (!widgetTokens) return fail(404, 'NOT_FOUND', 'the billing widget is off (portal.widgetSecret is not set)');
    const check = widgetTokens.verify(bearer(req, query));
    if (!check.ok) return fail(401, check.reason === 'expired' ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID', check.reason === 'expired' ? 'the widget token has expired' : 'the widget token is not valid');
    const subscriber = await store.subscribers.get(check.claims.subscriberId);
    const account = subscriber && (await store.accounts.get(subscriber.accountId));
    if (!subscriber || !account) return fail(404, 'NOT_FOUND', 'the subscriber of this token no longer exists');
    const statement = await loadStatement(store, subscriber, account, { timeZone: deps.timeZone, maxLines: 100 });
    if (route === 'widget_summary') return sendJson(req, res, 200, widgetSummary(statement, config.currency));
    const ctx = pageContext(locale);
    sendFragment(req, res, 200, widgetFragment(ctx, statement), ctx.nonce);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, route: RouteName, query: URLSearchParams): Promise<void> {
    const method = req.method ?? 'GET';
    const locale = pickLocale(req.headers['accept-language']);
    const ctx = pageContext(locale);
    const isWidget = route === 'widget_summary' || route === 'widget_fragment';
    const address = resolver.resolve(req.socket.remoteAddress, req.headers['x-forwarded-for']);
    if (address === undefined) throw new HttpError(400, 'errorBody', 'BAD_ADDRESS');
    const wait = limiter.take(address);
    if (wait > 0) {
      if (isWidget) return sendJson(req, res, 429, { error: { code: 'RATE_LIMITED', message: `too many requests; retry in ${wait} s` } }, { 'retry-after': String(wait) });
      return sendHtml(res, 429, messagePage(ctx, 'errorTitle', 'tooManyRequests'), ctx.nonce, { 'retry-after': String(wait) });
    }
    if (isWidget && method === 'OPTIONS') {
      res.writeHead(204, { ...common, ...cors(req), 'access-control-allow-methods': 'GET', 'access-control-allow-headers': 'Authorization', 'access-control-max-age': '600' });
      return void res.end();
    }
    const get = method === 'GET' || method === 'HEAD';
    if (route === 'page' && get) return page(res, ctx, address);
    if (route === 'promised_payment' && method === 'POST') return promised(req, res, ctx, address);
    if (isWidget && get) return widget(req, res, route, query, locale);
    if (route === 'other') throw new HttpError(404, 'notFound', 'NOT_FOUND');
    throw new HttpError(405, 'notFound', 'METHOD_NOT_ALLOWED');
  }

  const server = http.createServer(SERVER_OPTIONS, (req, res) => {
    let path = '/';
    let query = new URLSearchParams();
    try {
      const url = new URL(req.url ?? '/', 'http://portal.invalid');
      path = url.pathname;
      query = url.searchParams;
    } catch {
      path = '';
    }
    const route: RouteName =
      path === PORTAL_PATHS.page ? 'page'
      : path === PORTAL_PATHS.promised ? 'promised_payment'
      : path === PORTAL_PATHS.widgetSummary ? 'widget_summary'
      : path === PORTAL_PATHS.widgetFragment ? 'widget_fragment'
      : 'other';
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      portalRequests.labels(route, String(res.statusCode)).inc();
      // Never the query string: it can carry a widget token.
      if (log.isLevelEnabled('debug')) log.debug({ method: req.method, route, status: res.statusCode, durationMs: Number(process.hrtime.bigint() - started) / 1e6 }, 'portal request');
    });
    handle(req, res, route, query).catch((err: unknown) => {
      const known = err instanceof HttpError ? err : undefined;
      const unavailable = err instanceof StoreError && err.code === 'STORE_UNAVAILABLE';
      const status = known?.status ?? (unavailable ? 503 : 500);
      if (!known) log.error({ err, path }, 'portal request failed');
      if (res.headersSent) return void res.destroy();
      const locale = pickLocale(req.headers['accept-language']);
      const extra: Record<string, string> = status !== 405 ? {} : { allow: route === 'promised_payment' ? 'POST' : route === 'page' ? 'GET, HEAD' : 'GET, HEAD, OPTIONS' };
      if (route === 'widget_summary' || route === 'widget_fragment') {
        const code = known?.code ?? (unavailable ? 'UNAVAILABLE' : 'INTERNAL');
        return sendJson(req, res, status, { error: { code, message: t('en', known?.key ?? 'errorBody') } }, extra);
      }
      const ctx = pageContext(locale);
      const body = status === 404 || status === 405 ? messagePage(ctx, 'errorTitle', 'notFound') : messagePage(ctx, 'errorTitle', known?.key ?? 'errorBody');
      sendHtml(res, status, body, ctx.nonce, extra);
    });
  });
  // A captive portal faces every subscriber's device: short timeouts keep slow or idle clients from piling up
  // (a connection that sends nothing, or half a request, is answered 408 and closed after headersTimeout), and
  // no peer address may hold more than portal.maxConnectionsPerAddress of them at once.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  const connections = new ConnectionLimit(config.maxConnectionsPerAddress);
  server.on('connection', (socket: Socket) => {
    if (connections.admit(socket)) return;
    portalConnectionsRefused.inc();
    socket.destroy();
  });
  // Stopped with drainServer() (http/drain.ts): a half-open client cannot hold the process after SIGTERM.
  return trackForDrain(server);
}

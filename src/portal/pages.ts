/**
 * The portal's pages and the widget's fragment, server-rendered: no JavaScript, one inline stylesheet allowed by
 * a per-response CSP nonce, readable on a phone. Every value goes through the escaping `html` template.
 */
import type { ChargeLine, Credit } from '../domain/ports.js';
import { available, type AccountStatement, type MonthCharges, type PortalReason } from './account-view.js';
import type { PortalConfig } from '../config/portal.js';
import { html, raw, type Html } from './html.js';
import { t, type Locale, type MessageKey } from './i18n.js';
import { formatMoney } from './money.js';
import type { PromisedEligibility, PromisedResult } from './promised-payment.js';

const STYLE = raw(`
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2433;background:#f3f5f9}
header{display:flex;align-items:center;gap:12px;padding:12px 16px;background:#1f3a68;color:#fff}
header img{max-height:40px;max-width:160px}
header h1{font-size:1.15rem;margin:0}
main{max-width:760px;margin:0 auto;padding:12px}
section{background:#fff;border-radius:10px;padding:14px 16px;margin:12px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
h2{font-size:1.05rem;margin:0 0 8px}
dl+h2,p+h2,table+h2{margin-top:16px}
.reason{border-left:5px solid #2f6fde}
.reason.blocked,.reason.suspended,.reason.disabled{border-left-color:#d14343}
.notice{border-left:5px solid #2e9d5b}
.notice.refused{border-left-color:#d98b1a}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 16px;margin:0}
dt{color:#5b6478}dd{margin:0;font-weight:600;text-align:right}
.negative{color:#c22f2f}
table{width:100%;border-collapse:collapse;font-size:.93rem}
th,td{padding:6px 4px;border-bottom:1px solid #e6e9ef;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;white-space:nowrap}
tfoot td{font-weight:700;border-bottom:0}
.muted{color:#6b7385;font-size:.9rem}
button,.button{display:inline-block;width:100%;padding:12px 16px;border:0;border-radius:8px;background:#2f6fde;color:#fff;font-size:1rem;font-weight:600;text-align:center;text-decoration:none;cursor:pointer}
.pay{background:#2e9d5b}
footer{text-align:center;padding:16px;color:#6b7385;font-size:.9rem}
@media (min-width:600px){button,.button{width:auto}}
`);

/** The fragment's own look, scoped to its classes so it can be inserted into an operator's page as is. */
const WIDGET_STYLE = raw(`
.tollgate-widget{font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2433}
.tollgate-widget h2{font-size:1rem;margin:12px 0 6px}
.tollgate-widget dl{display:grid;grid-template-columns:auto 1fr;gap:3px 14px;margin:0}
.tollgate-widget dt{color:#5b6478}.tollgate-widget dd{margin:0;font-weight:600;text-align:right}
.tollgate-widget .negative{color:#c22f2f}.tollgate-widget .muted{color:#6b7385;font-size:.9em}
.tollgate-widget table{width:100%;border-collapse:collapse}
.tollgate-widget td,.tollgate-widget th{padding:4px;border-bottom:1px solid #e6e9ef;text-align:left;vertical-align:top}
.tollgate-widget .num{text-align:right;white-space:nowrap}
`);

export interface PageContext {
  readonly locale: Locale;
  readonly nonce: string;
  readonly portal: PortalConfig;
  /** Fee time zone: dates are shown in it. */
  readonly timeZone: string;
}

function money(ctx: Pick<PageContext, 'locale' | 'portal'>, minor: number): string {
  return formatMoney(minor, ctx.portal.currency, ctx.locale);
}

function moneyCell(ctx: Pick<PageContext, 'locale' | 'portal'>, minor: number, field?: string): Html {
  return html`<span class="${minor < 0 ? 'negative' : ''}" data-amount="${minor}"${field ? html` data-field="${field}"` : ''}>${money(ctx, minor)}</span>`;
}

function dateTime(ctx: Pick<PageContext, 'locale' | 'timeZone'>, iso: string | Date): string {
  return new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: ctx.timeZone }).format(typeof iso === 'string' ? new Date(iso) : iso);
}

/** A calendar day ('YYYY-MM-DD') as a date, without a zone shifting it. */
function day(ctx: Pick<PageContext, 'locale'>, ymd: string): string {
  return new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${ymd}T12:00:00Z`));
}

function speed(locale: Locale, kbps: number): string {
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return kbps >= 1000 ? `${n.format(kbps / 1000)} Mbit/s` : `${n.format(kbps)} kbit/s`;
}

function layout(ctx: PageContext, title: string, body: Html): string {
  const op = ctx.portal.operator;
  return html`<!doctype html>
<html lang="${ctx.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} — ${op.name}</title>
<style nonce="${ctx.nonce}">${STYLE}</style>
</head>
<body>
<header>${op.logoUrl ? html`<img src="${op.logoUrl}" alt="">` : ''}<h1>${op.name}</h1></header>
<main>
${body}
</main>
<footer>${op.support ? html`${t(ctx.locale, 'support')}: ${op.support}` : ''}</footer>
</body>
</html>
`.text;
}

/** For an address without a session: nothing about anyone. */
export function neutralPage(ctx: PageContext): string {
  return layout(
    ctx,
    t(ctx.locale, 'neutralTitle'),
    html`<section data-section="neutral"><h2>${t(ctx.locale, 'neutralTitle')}</h2><p>${t(ctx.locale, 'neutralBody')}</p><p class="muted">${t(ctx.locale, 'neutralHint')}</p></section>
${howToPay(ctx)}`,
  );
}

/** A friendly error page (403, 404, 429, 500…). */
export function messagePage(ctx: PageContext, titleKey: MessageKey, bodyKey: MessageKey): string {
  return layout(ctx, t(ctx.locale, titleKey), html`<section class="notice refused" data-section="message"><h2>${t(ctx.locale, titleKey)}</h2><p>${t(ctx.locale, bodyKey)}</p><p><a href="/">${t(ctx.locale, 'back')}</a></p></section>`);
}

function howToPay(ctx: PageContext): Html | '' {
  const { url, text } = ctx.portal.payment;
  const words = text[ctx.locale] ?? Object.values(text)[0];
  if (!url && !words) return '';
  return html`<section data-section="how-to-pay"><h2>${t(ctx.locale, 'howToPay')}</h2>${words ? html`<p>${words}</p>` : ''}${url ? html`<p><a class="button pay" href="${url}" rel="noopener noreferrer">${t(ctx.locale, 'payNow')}</a></p>` : ''}</section>`;
}

const REASON_KEYS: Readonly<Record<PortalReason, MessageKey>> = {
  blocked: 'reasonBlocked',
  suspended: 'reasonSuspended',
  disabled: 'reasonDisabled',
  active: 'reasonActive',
};

function creditsList(ctx: PageContext, credits: readonly Credit[]): Html {
  return html`${credits.map(
    (c) => html`<dt>${t(ctx.locale, 'temporaryCredit')} <span class="muted">${t(ctx.locale, 'expires')} ${dateTime(ctx, c.expiresAt)}</span></dt><dd>${moneyCell(ctx, c.amount, 'credit')}</dd>`,
  )}`;
}

/** The balance block, shared by the portal page and the widget fragment. */
function balanceBlock(ctx: PageContext, s: AccountStatement): Html {
  const a = s.account;
  return html`<dl>
<dt>${t(ctx.locale, 'subscriber')}</dt><dd data-field="username">${s.subscriber.username}</dd>
<dt>${t(ctx.locale, 'account')}</dt><dd data-field="account">${a.id}</dd>
<dt>${t(ctx.locale, 'balance')}</dt><dd>${moneyCell(ctx, a.balance, 'balance')}</dd>
<dt>${t(ctx.locale, 'creditLimit')}</dt><dd>${moneyCell(ctx, a.creditLimit, 'credit-limit')}</dd>
${creditsList(ctx, s.credits)}
<dt>${t(ctx.locale, 'available')}</dt><dd>${moneyCell(ctx, available(a), 'available')}</dd>
</dl>`;
}

/** The tariff change scheduled for the next period, under the tariff: "From February 1: Home 200". */
function scheduledChange(ctx: PageContext, s: AccountStatement): Html | '' {
  const change = s.scheduledTariffChange;
  if (!change) return '';
  const date = new Intl.DateTimeFormat(ctx.locale, { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${change.effectiveOn}T12:00:00Z`));
  return html`<p data-field="scheduled-tariff-change" data-effective-on="${change.effectiveOn}">${t(ctx.locale, 'scheduledTariff', { date, tariff: change.tariffName })}</p>`;
}

function subscriptionsBlock(ctx: PageContext, s: AccountStatement): Html {
  const tariff = s.tariff;
  return html`<h2>${t(ctx.locale, 'tariff')}</h2>
${tariff
  ? html`<dl data-section="tariff"><dt>${t(ctx.locale, 'tariff')}</dt><dd data-field="tariff">${tariff.name}</dd>
<dt>${t(ctx.locale, 'monthlyFee')}</dt><dd>${moneyCell(ctx, tariff.monthlyFee, 'monthly-fee')}</dd>
<dt>${t(ctx.locale, 'speed')}</dt><dd>${speed(ctx.locale, tariff.downKbps)} / ${speed(ctx.locale, tariff.upKbps)}</dd></dl>`
  : html`<p class="muted">${t(ctx.locale, 'noTariff')}</p>`}
${scheduledChange(ctx, s)}
<h2>${t(ctx.locale, 'subscriptions')}</h2>
${s.subscriptions.length === 0
  ? html`<p class="muted">${t(ctx.locale, 'noSubscriptions')}</p>`
  : html`<table data-section="subscriptions"><tbody>${s.subscriptions.map(
      (sub) => html`<tr data-subscription="${sub.id}"><td>${sub.tariffName}<div class="muted">${t(ctx.locale, 'since')} ${day(ctx, sub.activatedOn)}${sub.endsOn ? html`, ${t(ctx.locale, 'endsOn')} ${day(ctx, sub.endsOn)}` : ''}</div></td><td class="num">${moneyCell(ctx, sub.monthlyFee)}</td></tr>`,
    )}</tbody></table>`}`;
}

function chargeLabel(ctx: PageContext, line: ChargeLine): Html {
  const kind = t(ctx.locale, `kind_${line.kind}`);
  if (line.kind === 'fee') return html`${kind}${line.feeDay ? html` ${day(ctx, line.feeDay)}` : ''}${line.tariffName ? html` <span class="muted">${line.tariffName}</span>` : ''}`;
  if (line.sessionId !== null) {
    return html`${kind} <span class="muted">${t(ctx.locale, 'session')} ${line.acctSessionId ?? `#${line.sessionId}`}${line.count > 1 ? html` (${line.count})` : ''}</span>`;
  }
  return html`${kind}${line.comment ? html` <span class="muted">${line.comment}</span>` : ''}`;
}

function chargesTable(ctx: PageContext, month: MonthCharges, titleKey: MessageKey, id: string): Html {
  const rows = month.lines.map(
    (l) => html`<tr data-charge-kind="${l.kind}"><td>${dateTime(ctx, l.lastAt)}</td><td>${chargeLabel(ctx, l)}</td><td class="num">${moneyCell(ctx, l.amount)}</td></tr>`,
  );
  return html`<section data-section="${id}" data-month="${month.month}"><h2>${t(ctx.locale, titleKey)} <span class="muted">${month.month}</span></h2>
${month.lines.length === 0
  ? html`<p class="muted">${t(ctx.locale, 'noCharges')}</p>`
  : html`<table><thead><tr><th>${t(ctx.locale, 'date')}</th><th>${t(ctx.locale, 'item')}</th><th class="num">${t(ctx.locale, 'amount')}</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><td colspan="2">${t(ctx.locale, 'total')}${month.truncated ? html` <span class="muted">(… ${t(ctx.locale, 'moreRows')})</span>` : ''}</td><td class="num">${moneyCell(ctx, month.total, `${id}-total`)}</td></tr></tfoot></table>`}
</section>`;
}

function paymentsBlock(ctx: PageContext, s: AccountStatement): Html {
  return html`<section data-section="payments"><h2>${t(ctx.locale, 'payments')}</h2>
${s.payments.length === 0
  ? html`<p class="muted">${t(ctx.locale, 'noPayments')}</p>`
  : html`<table><tbody>${s.payments.map((p) => html`<tr data-payment="${p.id}"><td>${dateTime(ctx, p.createdAt)}</td><td>${p.comment ?? ''}</td><td class="num">${moneyCell(ctx, p.amount)}</td></tr>`)}</tbody></table>`}
${s.adjustments.length === 0
  ? ''
  : html`<h2>${t(ctx.locale, 'adjustments')}</h2><table><tbody>${s.adjustments.map((a) => html`<tr><td>${dateTime(ctx, a.createdAt)}</td><td>${a.reason}</td><td class="num">${moneyCell(ctx, a.amount)}</td></tr>`)}</tbody></table>`}
</section>`;
}

function promisedBlock(ctx: PageContext, eligibility: PromisedEligibility, form: { action: string; csrf: string; sessionId: number }): Html | '' {
  const p = ctx.portal.promisedPayment;
  const title = html`<h2>${t(ctx.locale, 'promisedTitle')}</h2>`;
  switch (eligibility.kind) {
    case 'available':
      return html`<section data-section="promised-payment">${title}<p>${t(ctx.locale, 'promisedOffer', { amount: money(ctx, p.amount), days: p.days })}</p>
<form method="post" action="${form.action}"><input type="hidden" name="csrf" value="${form.csrf}"><input type="hidden" name="session" value="${form.sessionId}"><button type="submit" data-action="promised-payment">${t(ctx.locale, 'promisedButton')}</button></form></section>`;
    case 'too_soon':
      return html`<section data-section="promised-payment">${title}<p class="muted">${t(ctx.locale, 'promisedTooSoon', { date: dateTime(ctx, eligibility.nextAt) })}</p></section>`;
    case 'not_enough':
      return html`<section data-section="promised-payment">${title}<p class="muted">${t(ctx.locale, 'promisedNotEnough')}</p></section>`;
    default:
      return '';
  }
}

/** A message about the promised payment just asked for. */
export function promisedNotice(ctx: PageContext, result: PromisedResult | { kind: 'failed' }): Html {
  const ok = result.kind === 'granted';
  let text: string;
  switch (result.kind) {
    case 'granted':
      text = t(ctx.locale, 'promisedGranted', { amount: money(ctx, result.credit.amount), until: dateTime(ctx, result.credit.expiresAt) });
      break;
    case 'too_soon':
      text = t(ctx.locale, 'promisedTooSoon', { date: dateTime(ctx, result.nextAt) });
      break;
    case 'not_needed':
      text = t(ctx.locale, 'promisedNotNeeded');
      break;
    case 'not_enough':
      text = t(ctx.locale, 'promisedNotEnough');
      break;
    case 'failed':
      text = t(ctx.locale, 'promisedFailed');
      break;
    default:
      text = t(ctx.locale, 'promisedUnavailable');
  }
  return html`<section class="notice${ok ? '' : ' refused'}" data-section="notice" data-result="${result.kind}" role="status"><p>${text}</p></section>`;
}

export interface AccountPageInput {
  readonly statement: AccountStatement;
  readonly reason: PortalReason;
  readonly eligibility: PromisedEligibility;
  readonly form: { action: string; csrf: string; sessionId: number };
  readonly notice?: Html;
}

export function accountPage(ctx: PageContext, input: AccountPageInput): string {
  const s = input.statement;
  const reasonKey = REASON_KEYS[input.reason];
  return layout(
    ctx,
    t(ctx.locale, 'title'),
    html`${input.notice ?? ''}
<section class="reason ${input.reason}" data-section="reason" data-reason="${input.reason}"><h2>${t(ctx.locale, 'whyHere')}</h2><p>${t(ctx.locale, reasonKey)}</p>
${input.reason === 'blocked' ? html`<p class="muted">${t(ctx.locale, 'blockedSince')} ${dateTime(ctx, s.account.stateSince)}</p>` : ''}</section>
<section data-section="balance"><h2>${t(ctx.locale, 'balance')}</h2>${balanceBlock(ctx, s)}</section>
${promisedBlock(ctx, input.eligibility, input.form)}
${howToPay(ctx)}
<section data-section="tariff-and-subscriptions">${subscriptionsBlock(ctx, s)}</section>
${chargesTable(ctx, s.thisMonth, 'chargesThisMonth', 'charges-this-month')}
${chargesTable(ctx, s.lastMonth, 'chargesLastMonth', 'charges-last-month')}
${paymentsBlock(ctx, s)}`,
  );
}

/**
 * The billing widget as an HTML fragment for the operator's own page or a frame: `tollgate-widget*` classes and
 * a stylesheet scoped to them (its nonce is in the response's CSP; an operator inserting the fragment may drop it).
 */
export function widgetFragment(ctx: PageContext, s: AccountStatement): string {
  return html`<style nonce="${ctx.nonce}">${WIDGET_STYLE}</style>
<section class="tollgate-widget" lang="${ctx.locale}">
<div class="tollgate-widget-balance">${balanceBlock(ctx, s)}</div>
<div class="tollgate-widget-subscriptions">${subscriptionsBlock(ctx, s)}</div>
<div class="tollgate-widget-charges">${chargesTable(ctx, s.thisMonth, 'chargesThisMonth', 'charges-this-month')}</div>
</section>
`.text;
}

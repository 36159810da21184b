/**
 * What the portal and the widget show, read from the store: the subscriber whose open session holds an address,
 * and one account's statement (balance and credit, tariff and its scheduled change, subscriptions, the charges of this month and last
 * month, payments, corrections), through the store's ports (StatementRepository and the rest). Read-only; money
 * stays integer minor units until it is rendered. Sums and amounts are read clamped to ±(2^53 − 1) (the store
 * does), so a legacy row beyond that renders instead of failing the page.
 */
import type { Account, ScheduledTariffChange, Subscriber, SubscriberStatus, Tariff } from '../domain/types.js';
import type { Adjustment, ChargeLines, Credit, Payment, Session, Store, SubscriptionLine } from '../domain/ports.js';
import { allowance } from '../billing/core/allowance.js';
import { currentAndPreviousMonth, dayInTimeZone, type MonthPeriod } from '../billing/core/calendar.js';

/** The session that owns an address now, its subscriber and account. */
export interface PortalSubject {
  readonly session: Session;
  readonly subscriber: Subscriber;
  readonly account: Account;
}

/**
 * The subscriber whose open session holds `address` now (the newest such session), or undefined: no session,
 * or a session whose subscriber or account no longer exists.
 */
export async function locateByAddress(store: Store, address: string, now = new Date()): Promise<PortalSubject | undefined> {
  const sessions = await store.sessions.byIpAt(address, now);
  const session = sessions.find((s) => s.stoppedAt === null);
  if (!session) return undefined;
  let subscriber = session.subscriberId === null ? undefined : await store.subscribers.get(session.subscriberId);
  if (!subscriber) {
    const page = await store.subscribers.list({ limit: 1, offset: 0 }, { username: session.username });
    subscriber = page.items[0];
  }
  if (!subscriber) return undefined;
  const account = await store.accounts.get(subscriber.accountId);
  return account ? { session, subscriber, account } : undefined;
}

/** A month's charges: `total` is Σ amount of every charge of the month (not only the lines shown). */
export interface MonthCharges extends ChargeLines {
  /** YYYY-MM of the fee time zone. */
  readonly month: string;
  readonly from: string;
  readonly to: string;
}

export interface AccountStatement {
  readonly subscriber: Subscriber;
  readonly account: Account;
  readonly tariff: Tariff | null;
  /** The tariff change scheduled for the next period ("From 1 February: Home 200"), or null. */
  readonly scheduledTariffChange: ScheduledTariffChange | null;
  readonly subscriptions: readonly SubscriptionLine[];
  /** Unexpired temporary credits, newest first. */
  readonly credits: readonly Credit[];
  readonly thisMonth: MonthCharges;
  readonly lastMonth: MonthCharges;
  readonly payments: readonly Payment[];
  readonly adjustments: readonly Adjustment[];
}

export interface StatementOptions {
  /** IANA zone of the fee calendar (fees.timeZone): months and subscription days are its. */
  readonly timeZone: string;
  /** Lines shown per month (default 200). */
  readonly maxLines?: number;
  readonly now?: Date;
}

async function monthCharges(store: Store, accountId: number, period: MonthPeriod, maxLines: number): Promise<MonthCharges> {
  const charges = await store.statements.chargeLines(accountId, period.from, period.to, maxLines);
  return { month: period.month, from: period.from.toISOString(), to: period.to.toISOString(), ...charges };
}

/** The statement of `subject`'s account as the portal and widget show it. */
export async function loadStatement(store: Store, subscriber: Subscriber, account: Account, options: StatementOptions): Promise<AccountStatement> {
  const now = options.now ?? new Date();
  const maxLines = options.maxLines ?? 200;
  const { current, previous } = currentAndPreviousMonth(now, options.timeZone);
  const today = dayInTimeZone(now, options.timeZone);
  const page = { limit: 20, offset: 0 };
  const [tariff, scheduled, subscriptions, credits, thisMonth, lastMonth, payments, adjustments] = await Promise.all([
    subscriber.tariffId === null ? Promise.resolve(undefined) : store.tariffs.get(subscriber.tariffId),
    store.tariffChanges.pending([subscriber.id]),
    store.statements.subscriptions(account.id, today),
    store.ledger.listCredits(account.id),
    monthCharges(store, account.id, current, maxLines),
    monthCharges(store, account.id, previous, maxLines),
    store.ledger.payments(account.id, page),
    store.ledger.adjustments(account.id, { limit: 10, offset: 0 }),
  ]);
  return {
    subscriber,
    account,
    tariff: tariff ?? null,
    scheduledTariffChange: scheduled.get(subscriber.id) ?? null,
    subscriptions,
    credits: credits.filter((c) => c.active),
    thisMonth,
    lastMonth,
    payments: payments.items,
    adjustments: adjustments.items,
  };
}

/** Why the subscriber is on the portal: the subscriber's own status first, then the account's state. */
export type PortalReason = 'disabled' | 'suspended' | 'blocked' | 'active';

export function portalReason(status: SubscriberStatus, account: Pick<Account, 'state'>): PortalReason {
  if (status === 'disabled' || status === 'suspended') return status;
  return account.state === 'blocked' ? 'blocked' : 'active';
}

/**
 * balance + credit limit + unexpired temporary credit: what the account may still spend (negative: the debt beyond
 * it). Saturates at ±(2^53 − 1), so clamped legacy values still give a number the page can format.
 */
export function available(account: Pick<Account, 'balance' | 'creditLimit' | 'activeCredit'>): number {
  return allowance(account);
}

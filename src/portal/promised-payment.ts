/**
 * The promised payment: a blocked subscriber grants their own account a temporary credit from the portal, at most
 * once per `minIntervalDays`, when it is enough to lift the block. The check and the grant run in one
 * transaction holding the account's row lock (StatementRepository.grantCreditIf), so two clicks (or two
 * instances) cannot both pass the interval check; the grant is the ledger's, which re-derives the account's
 * state. The caller then
 * publishes the account change, and the daemon's BlockingService restores the live sessions (CoA), as after a
 * payment through the API.
 */
import type { Account, SubscriberStatus } from '../domain/types.js';
import type { Credit, Store } from '../domain/ports.js';
import { available } from './account-view.js';

/** `credits.reason` of a promised payment: how the interval is counted (docs/portal.md). */
export const PROMISED_PAYMENT_REASON = 'promised payment (captive portal)';

const DAY_MS = 86_400_000;

export interface PromisedPaymentPolicy {
  readonly enabled: boolean;
  readonly amount: number;
  readonly days: number;
  readonly minIntervalDays: number;
}

export type PromisedEligibility =
  | { readonly kind: 'available' }
  | { readonly kind: 'disabled' }
  | { readonly kind: 'subscriber_inactive' }
  | { readonly kind: 'not_needed' }
  | { readonly kind: 'not_enough' }
  | { readonly kind: 'too_soon'; readonly nextAt: Date };

/** Whether the button is offered (pure). `lastGrantedAt`: the account's latest promised payment, if any. */
export function promisedEligibility(
  policy: PromisedPaymentPolicy,
  status: SubscriberStatus,
  account: Pick<Account, 'state' | 'balance' | 'creditLimit' | 'activeCredit'>,
  lastGrantedAt: Date | undefined,
  now: Date,
): PromisedEligibility {
  if (!policy.enabled || policy.amount < 1) return { kind: 'disabled' };
  if (status !== 'active') return { kind: 'subscriber_inactive' };
  if (account.state !== 'blocked') return { kind: 'not_needed' };
  if (lastGrantedAt && policy.minIntervalDays > 0) {
    const nextAt = new Date(lastGrantedAt.getTime() + policy.minIntervalDays * DAY_MS);
    if (nextAt > now) return { kind: 'too_soon', nextAt };
  }
  if (available(account) + policy.amount < 0) return { kind: 'not_enough' };
  return { kind: 'available' };
}

/** The newest promised payment of the account, if any. */
export function lastPromisedAt(store: Store, accountId: number): Promise<Date | undefined> {
  return store.statements.lastCreditAt(accountId, PROMISED_PAYMENT_REASON);
}

export type PromisedResult = { readonly kind: 'granted'; readonly credit: Credit } | Exclude<PromisedEligibility, { kind: 'available' }>;

/** Checks and grants under the account's row lock. Does not publish the change: the caller does after commit. */
export async function grantPromisedPayment(
  store: Store,
  policy: PromisedPaymentPolicy,
  subscriberId: number,
  accountId: number,
  options: { now?: () => Date } = {},
): Promise<PromisedResult> {
  const now = options.now ?? (() => new Date());
  const result = await store.statements.grantCreditIf({ subscriberId, accountId, reason: PROMISED_PAYMENT_REASON }, ({ subscriber, account, lastGrantedAt }) => {
    const at = now();
    const eligibility = promisedEligibility(policy, subscriber.status, account, lastGrantedAt, at);
    if (eligibility.kind !== 'available') return { refuse: eligibility };
    return { grant: { amount: policy.amount, expiresAt: new Date(at.getTime() + policy.days * DAY_MS).toISOString() } };
  });
  if (result === undefined) return { kind: 'disabled' };
  return 'granted' in result ? { kind: 'granted', credit: result.granted } : result.refused;
}

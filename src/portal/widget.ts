/**
 * The billing widget's JSON: what an operator's own site shows a logged-in subscriber (balance and credit,
 * tariff, its scheduled change and subscriptions, this month's charges). Money in integer minor units with the currency and its minor
 * digits, so the site formats it exactly.
 */
import { available, type AccountStatement } from './account-view.js';
import { minorDigits } from './money.js';

export function widgetSummary(s: AccountStatement, currency: string): Record<string, unknown> {
  const a = s.account;
  return {
    currency,
    minorDigits: minorDigits(currency),
    subscriber: { id: s.subscriber.id, username: s.subscriber.username, status: s.subscriber.status },
    account: {
      id: a.id,
      balance: a.balance,
      creditLimit: a.creditLimit,
      activeCredit: a.activeCredit,
      available: available(a),
      state: a.state,
      stateSince: a.stateSince,
    },
    credits: s.credits.map((c) => ({ amount: c.amount, expiresAt: c.expiresAt, reason: c.reason })),
    tariff: s.tariff && { id: s.tariff.id, name: s.tariff.name, monthlyFee: s.tariff.monthlyFee, downKbps: s.tariff.downKbps, upKbps: s.tariff.upKbps },
    scheduledTariffChange: s.scheduledTariffChange,
    subscriptions: s.subscriptions,
    charges: { thisMonth: s.thisMonth, lastMonth: s.lastMonth },
    payments: s.payments.map((p) => ({ id: p.id, amount: p.amount, createdAt: p.createdAt, comment: p.comment })),
  };
}

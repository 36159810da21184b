/**
 * The money forms the subscriber and billing pages share: take a payment, correct a balance, grant a temporary
 * credit (the promised payment). Amounts are typed as decimals and sent as integer minor units, converted with
 * string arithmetic (../money.ts); a payment's reference is the idempotency key the API deduplicates on, made up
 * once per form when the operator leaves it empty, so a double submit books one payment.
 */
import { useMemo, useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { useI18n, type Key } from '../i18n';
import { minorDigits, parseMoney, type ParsedMoney } from '../money';
import { ErrorNote, Field, Notice, onSubmit, useAction, useSettings } from './ui';

function moneyProblem(parsed: ParsedMoney): Key | null {
  return parsed.ok ? null : (`money.${parsed.problem}` as Key);
}

function useAmount(signed = false) {
  const { currency } = useSettings();
  const [text, setText] = useState('');
  const parsed = parseMoney(text, minorDigits(currency), { signed });
  return { text, setText, parsed, digits: minorDigits(currency) };
}

export function PaymentForm({ accountId, onDone }: { readonly accountId: number; readonly onDone: () => void }) {
  const { t } = useI18n();
  const amount = useAmount();
  const [reference, setReference] = useState('');
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<Key | null>(null);
  const [done, setDone] = useState(false);
  const fallbackReference = useMemo(() => `manual:${crypto.randomUUID()}`, []);
  const save = useAction(async () => {
    const p = moneyProblem(amount.parsed);
    setProblem(p);
    if (p || !amount.parsed.ok) return;
    await unwrap(api.POST('/api/v1/payments', { body: { accountId, amount: amount.parsed.minor, externalId: reference.trim() || fallbackReference, ...(comment.trim() ? { comment: comment.trim() } : {}) } }));
    setDone(true);
    onDone();
  });
  if (done) return <Notice>{t('payment.saved')}</Notice>;
  return (
    <form class="subform" onSubmit={onSubmit(() => save.run())} aria-label={t('subscriber.takePayment')}>
      <Field label={t('payment.amount')} value={amount.text} onValue={amount.setText} inputMode="decimal" autoComplete="off" required hint={t('money.hint', { digits: amount.digits })} />
      <Field label={t('payment.reference')} value={reference} onValue={setReference} autoComplete="off" hint={t('payment.referenceHint')} />
      <Field label={t('payment.comment')} value={comment} onValue={setComment} autoComplete="off" />
      {problem ? <p class="error" role="alert">{t(problem)}</p> : null}
      <ErrorNote error={save.error} />
      <button type="submit" class="primary" disabled={save.busy}>
        {t('common.save')}
      </button>
    </form>
  );
}

export function AdjustmentForm({ accountId, onDone }: { readonly accountId: number; readonly onDone: () => void }) {
  const { t } = useI18n();
  const amount = useAmount(true);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Key | null>(null);
  const [done, setDone] = useState(false);
  const save = useAction(async () => {
    const p = moneyProblem(amount.parsed);
    setProblem(p);
    if (p || !amount.parsed.ok) return;
    await unwrap(api.POST('/api/v1/adjustments', { body: { accountId, amount: amount.parsed.minor, reason: reason.trim() } }));
    setDone(true);
    onDone();
  });
  if (done) return <Notice>{t('adjustment.saved')}</Notice>;
  return (
    <form class="subform" onSubmit={onSubmit(() => save.run())} aria-label={t('billing.adjust')}>
      <Field label={t('payment.amount')} value={amount.text} onValue={amount.setText} inputMode="decimal" autoComplete="off" required hint={t('adjustment.hint')} />
      <Field label={t('common.reason')} value={reason} onValue={setReason} autoComplete="off" required maxLength={1000} />
      {problem ? <p class="error" role="alert">{t(problem)}</p> : null}
      <ErrorNote error={save.error} />
      <button type="submit" class="primary" disabled={save.busy}>
        {t('common.save')}
      </button>
    </form>
  );
}

export function CreditForm({ accountId, onDone, defaultReason }: { readonly accountId: number; readonly onDone: () => void; readonly defaultReason: string }) {
  const { t } = useI18n();
  const amount = useAmount();
  const [days, setDays] = useState('3');
  const [reason, setReason] = useState(defaultReason);
  const [problem, setProblem] = useState<Key | null>(null);
  const [done, setDone] = useState(false);
  const save = useAction(async () => {
    const p = moneyProblem(amount.parsed) ?? (/^\d+$/.test(days) && Number(days) >= 1 && Number(days) <= 365 ? null : 'credit.daysProblem');
    setProblem(p);
    if (p || !amount.parsed.ok) return;
    await unwrap(api.POST('/api/v1/accounts/{id}/credits', { params: { path: { id: accountId } }, body: { amount: amount.parsed.minor, days: Number(days), reason: reason.trim() } }));
    setDone(true);
    onDone();
  });
  if (done) return <Notice>{t('credit.saved')}</Notice>;
  return (
    <form class="subform" onSubmit={onSubmit(() => save.run())} aria-label={t('billing.credit')}>
      <Field label={t('payment.amount')} value={amount.text} onValue={amount.setText} inputMode="decimal" autoComplete="off" required />
      <Field label={t('credit.days')} value={days} onValue={setDays} inputMode="numeric" type="number" min={1} max={365} required />
      <Field label={t('common.reason')} value={reason} onValue={setReason} autoComplete="off" required maxLength={1000} />
      {problem ? <p class="error" role="alert">{t(problem)}</p> : null}
      <ErrorNote error={save.error} />
      <button type="submit" class="primary" disabled={save.busy}>
        {t('common.save')}
      </button>
    </form>
  );
}

/**
 * Billing for one account: the statement for a period (GET /api/v1/accounts/{id}/statement, with CSV and PDF
 * downloads from /statement/export), the ledger's own lists (payments, charges, adjustments, temporary credits),
 * a balance adjustment with its reason and a temporary credit. Money is integer minor units throughout.
 */
import { useState } from 'preact/hooks';
import { API, api, query, unwrap } from '../api/client';
import { AdjustmentForm, CreditForm, PaymentForm } from '../components/forms';
import { ErrorNote, Field, Money, onSubmit, Section, Table, Tabs, When, useLoad } from '../components/ui';
import { useI18n, type Key } from '../i18n';
import { navigate } from '../router';
import { useSession } from '../session';

export function BillingPage({ accountId }: { readonly accountId: number | null }) {
  const { t } = useI18n();
  const [text, setText] = useState(accountId ? String(accountId) : '');
  return (
    <>
      <form class="card" onSubmit={onSubmit(() => /^\d+$/.test(text.trim()) && navigate(`/billing?account=${text.trim()}`))}>
        <h1>{t('billing.title')}</h1>
        <div class="inline">
          <Field label={t('billing.account')} value={text} onValue={setText} inputMode="numeric" autoComplete="off" />
          <button type="submit" class="primary">
            {t('billing.open')}
          </button>
        </div>
      </form>
      {accountId ? <AccountBilling key={accountId} id={accountId} /> : null}
    </>
  );
}

type Tab = 'statement' | 'payments' | 'charges' | 'adjustments' | 'credits';

function AccountBilling({ id }: { readonly id: number }) {
  const { t } = useI18n();
  const session = useSession();
  const account = useLoad(() => unwrap(api.GET('/api/v1/accounts/{id}', { params: { path: { id } } })), [id]);
  const [tab, setTab] = useState<Tab>('statement');
  const [form, setForm] = useState<'none' | 'payment' | 'adjust' | 'credit'>('none');
  const [version, setVersion] = useState(0);
  const changed = () => {
    account.reload();
    setVersion((v) => v + 1);
  };
  if (account.error) return <ErrorNote error={account.error} />;
  const a = account.data;
  return (
    <>
      <section class="card" data-section="account">
        <h2>{t('billing.accountTitle', { id })}</h2>
        {a ? (
          <dl class="facts">
            <dt>{t('subscriber.state')}</dt>
            <dd>
              <span class={`badge ${a.state}`}>{t(`state.${a.state}` as Key)}</span> {t('subscriber.since')} <When at={a.stateSince} />
            </dd>
            <dt>{t('account.balance')}</dt>
            <dd>
              <Money minor={a.balance} />
            </dd>
            <dt>{t('account.creditLimit')}</dt>
            <dd>
              <Money minor={a.creditLimit} />
            </dd>
            <dt>{t('account.activeCredit')}</dt>
            <dd>
              <Money minor={a.activeCredit} />
            </dd>
          </dl>
        ) : (
          <p class="loading">{t('common.loading')}</p>
        )}
        <div class="actions">
          {session.can('payments:write') ? (
            <button type="button" aria-expanded={form === 'payment'} onClick={() => setForm(form === 'payment' ? 'none' : 'payment')}>
              {t('subscriber.takePayment')}
            </button>
          ) : null}
          {session.can('payments:write') ? (
            <button type="button" aria-expanded={form === 'adjust'} onClick={() => setForm(form === 'adjust' ? 'none' : 'adjust')}>
              {t('billing.adjust')}
            </button>
          ) : null}
          {session.can('credits:write') ? (
            <button type="button" aria-expanded={form === 'credit'} onClick={() => setForm(form === 'credit' ? 'none' : 'credit')}>
              {t('billing.credit')}
            </button>
          ) : null}
        </div>
        {form === 'payment' ? <PaymentForm accountId={id} onDone={changed} /> : null}
        {form === 'adjust' ? <AdjustmentForm accountId={id} onDone={changed} /> : null}
        {form === 'credit' ? <CreditForm accountId={id} onDone={changed} defaultReason="" /> : null}
      </section>
      <section class="card">
        <Tabs
          label={t('billing.ledger')}
          active={tab}
          onSelect={setTab}
          tabs={[
            ['statement', t('billing.statement')],
            ['payments', t('billing.payments')],
            ['charges', t('billing.charges')],
            ['adjustments', t('billing.adjustments')],
            ['credits', t('billing.credits')],
          ]}
        />
        {tab === 'statement' ? <StatementView id={id} version={version} canExport={session.can('export')} /> : <LedgerList id={id} tab={tab} version={version} />}
      </section>
    </>
  );
}

/** A local calendar day as YYYY-MM-DD (what a date field holds and the statement's from and to are). */
function dayOf(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The daily statement (GET /accounts/{id}/statement?from=&to=, days of the fee time zone) and its downloads. */
function StatementView({ id, version, canExport }: { readonly id: number; readonly version: number; readonly canExport: boolean }) {
  const { t } = useI18n();
  const now = new Date();
  const [from, setFrom] = useState(dayOf(new Date(now.getFullYear(), now.getMonth(), 1)));
  const [to, setTo] = useState(dayOf(now));
  const range = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  const statement = useLoad(() => unwrap(api.GET('/api/v1/accounts/{id}/statement', { params: { path: { id }, query: range } })), [id, version, from, to]);
  const exportHref = (format: 'csv' | 'pdf') => `${API}/accounts/${id}/statement/export${query({ ...range, format })}`;
  const st = statement.data;
  return (
    <div data-section="statement">
      <div class="grid">
        <Field label={t('common.from')} type="date" value={from} onValue={setFrom} />
        <Field label={t('common.to')} type="date" value={to} onValue={setTo} />
      </div>
      {canExport ? (
        <p class="downloads">
          <a href={exportHref('csv')} download>
            {t('billing.downloadCsv')}
          </a>{' '}
          <a href={exportHref('pdf')} download>
            {t('billing.downloadPdf')}
          </a>
        </p>
      ) : null}
      <ErrorNote error={statement.error} />
      {st ? (
        <>
          <dl class="facts">
            <dt>{t('billing.opening')}</dt>
            <dd data-field="opening">
              <Money minor={st.openingBalance} />
            </dd>
            <dt>{t('billing.payments')}</dt>
            <dd data-field="payments">
              <Money minor={st.totals.payments} />
            </dd>
            <dt>{t('billing.charges')}</dt>
            <dd>
              <Money minor={st.totals.charges + st.totals.fees} />
            </dd>
            <dt>{t('billing.adjustments')}</dt>
            <dd>
              <Money minor={st.totals.adjustments} />
            </dd>
            <dt>{t('billing.credits')}</dt>
            <dd>
              <Money minor={st.totals.credits} />
            </dd>
            <dt>{t('billing.closing')}</dt>
            <dd data-field="closing">
              <Money minor={st.closingBalance} />
            </dd>
          </dl>
          <p class="muted">{t('billing.timeZone', { zone: st.timeZone })}</p>
          <Table
            rows={st.days}
            rowKey={(d) => d.day}
            empty={t('billing.noDays')}
            columns={[
              { label: t('billing.day'), render: (d) => d.day },
              { label: t('billing.opening'), render: (d) => <Money minor={d.openingBalance} />, className: 'num' },
              { label: t('billing.payments'), render: (d) => <Money minor={d.payments} />, className: 'num' },
              { label: t('billing.charges'), render: (d) => <Money minor={d.charges} />, className: 'num' },
              { label: t('billing.fees'), render: (d) => <Money minor={d.fees} />, className: 'num' },
              { label: t('billing.adjustments'), render: (d) => <Money minor={d.adjustments} />, className: 'num' },
              { label: t('billing.credits'), render: (d) => <Money minor={d.credits} />, className: 'num' },
              { label: t('billing.closing'), render: (d) => <Money minor={d.closingBalance} />, className: 'num' },
            ]}
          />
        </>
      ) : null}
    </div>
  );
}

function LedgerList({ id, tab, version }: { readonly id: number; readonly tab: Exclude<Tab, 'statement'>; readonly version: number }) {
  const { t } = useI18n();
  const path = { params: { path: { id }, query: { limit: 100 } } };
  const list = useLoad(async (): Promise<readonly { id: number; createdAt: string; amount: number; text: string }[]> => {
    switch (tab) {
      case 'payments':
        return (await unwrap(api.GET('/api/v1/accounts/{id}/payments', path))).items.map((p) => ({ id: p.id, createdAt: p.createdAt, amount: p.amount, text: `${p.externalId}${p.comment ? ` — ${p.comment}` : ''}` }));
      case 'charges':
        return (await unwrap(api.GET('/api/v1/accounts/{id}/charges', path))).items.map((c) => ({ id: c.id, createdAt: c.createdAt, amount: -c.amount, text: `${t(`charge.${c.kind}` as Key)}${c.comment ? ` — ${c.comment}` : ''}` }));
      case 'adjustments':
        return (await unwrap(api.GET('/api/v1/accounts/{id}/adjustments', path))).items.map((a) => ({ id: a.id, createdAt: a.createdAt, amount: a.amount, text: a.reason }));
      case 'credits':
        return (await unwrap(api.GET('/api/v1/accounts/{id}/credits', path))).items.map((c) => ({
          id: c.id,
          createdAt: c.createdAt,
          amount: c.amount,
          text: `${c.reason} · ${c.active ? t('credit.activeUntil') : t('credit.expired')} ${new Date(c.expiresAt).toLocaleDateString()}`,
        }));
    }
  }, [id, tab, version]);
  return (
    <Section title={t(`billing.${tab}` as Key)} id={tab}>
      <ErrorNote error={list.error} />
      <Table
        rows={list.data ?? []}
        rowKey={(r) => r.id}
        columns={[
          { label: t('common.time'), render: (r) => <When at={r.createdAt} /> },
          { label: t('payment.amount'), render: (r) => <Money minor={r.amount} />, className: 'num' },
          { label: t('billing.description'), render: (r) => r.text },
        ]}
      />
    </Section>
  );
}
